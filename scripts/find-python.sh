#!/usr/bin/env bash
# Print the path of a Python that Django 6.1 accepts (3.12 or newer), or fail saying why.
# Order: PYTHON if given, python3.13 / python3.12 / python3 on PATH, then pyenv's versions.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for candidate in "${PYTHON:-}" python3.14 python3.13 python3.12 python3; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for path in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -Vr); do
  if ok "$path"; then echo "$path"; exit 0; fi
done
echo "error: Django 6.1 needs Python 3.12 or newer, and none was found (python3 here is $(python3 --version 2>&1))." >&2
echo "Install one (Debian 13: apt-get install python3.13; or pyenv install 3.13) or set PYTHON=/path/to/python3.12." >&2
exit 1
