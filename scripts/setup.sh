#!/usr/bin/env bash
# Set up a machine for the portal: system packages (when root), a virtualenv with the pinned
# Python packages. Safe to run again: it only does what is missing.
#   scripts/setup.sh          runtime packages (make run)
#   scripts/setup.sh --dev    plus test and lint tools, PostgreSQL, Redis and Chromium (make test)
set -euo pipefail
cd "$(dirname "$0")/.."
dev=0
[ "${1:-}" = "--dev" ] && dev=1

# WeasyPrint: Pango, HarfBuzz's subsetter (8 s → 1 s for a Japanese page), Noto CJK fonts.
# python-ldap builds against OpenLDAP and SASL headers. pg_dump and pg_restore (manage.py
# backup / restore) come with postgresql-client.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk libldap2-dev libsasl2-dev redis-server postgresql-client)
[ $dev = 1 ] && packages+=(postgresql chromium poppler-utils)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "warning: missing system packages: ${missing[*]} (run as root, or install them with apt-get)" >&2
  fi
fi

python=$(scripts/find-python.sh)
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  echo "==> virtualenv with $python"
  rm -rf .venv
  "$python" -m venv .venv
fi
# The lock pins every package with its hashes (made from requirements*.txt by `make lock`), so
# that this machine installs exactly what the tests passed with.
req=requirements.lock
[ $dev = 1 ] && req=requirements-dev.lock
stamp=.venv/.installed-$(cat "$req" | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "==> pip install --require-hashes -r $req"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "is ignored" || true
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$req" 2>&1 | grep -v "is ignored" || true
  .venv/bin/python -m pip check >/dev/null
  touch "$stamp"
fi
