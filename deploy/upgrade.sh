#!/usr/bin/env bash
# Bring an installation up to the checked-out code: install the locked dependencies (hash-checked),
# compile the catalogs, migrate the database, and take new interface strings into the live catalogs
# (keeping every translator's work). Safe to run again. Run it from anywhere, with the environment of
# /etc/exchange/env; BIN is the virtualenv's bin directory (default: the checkout's .venv/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
[ -x "$BIN/python" ] || python3 -m venv "$(dirname "$BIN")"
"$BIN/python" -m pip install --quiet --require-hashes --no-deps -r requirements.lock
"$BIN/python" -m pip install --quiet --no-deps --no-build-isolation -e .
"$BIN/pybabel" compile -d translations >/dev/null
"$BIN/flask" --app wsgi db upgrade
"$BIN/flask" --app wsgi translations sync
