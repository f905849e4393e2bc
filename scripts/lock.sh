#!/usr/bin/env bash
# Refresh the locks (make lock): every package, direct and transitive, pinned with its hashes,
# resolved from requirements.txt / requirements-dev.txt and held to the versions installed in
# .venv (where the tests passed), so that a fresh machine installs exactly those.
set -euo pipefail
cd "$(dirname "$0")/.."
constraints=$(mktemp)
trap 'rm -f "$constraints"' EXIT
.venv/bin/python -m pip freeze --exclude-editable 2>/dev/null | grep -v " @ " >"$constraints"
compile() {
  CUSTOM_COMPILE_COMMAND="make lock" .venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
    --no-emit-index-url --no-emit-find-links --annotation-style=line \
    --constraint "$constraints" --output-file "$2" "$1"
  # The constraints file is a temporary file: keep only the real reasons in the comments.
  sed -i -E 's/# via -c [^ ,]+, /# via /; /^ +# via -c [^ ,]+$/d' "$2"
}
compile requirements.txt requirements.lock
compile requirements-dev.txt requirements-dev.lock
