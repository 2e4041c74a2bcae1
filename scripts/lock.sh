#!/usr/bin/env bash
# Regenerate constraints.txt (the lock) from pyproject.toml: install the project with its dev
# extras into a throw-away venv and freeze it. Run it with the OLDEST Python the project
# supports (PYTHON=python3.10 scripts/lock.sh) so that the pins also install there, then
# review the diff and commit constraints.txt. Needs the package registry.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PYTHON" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --upgrade pip
"$tmp/venv/bin/python" -m pip install --quiet ".[dev]"
{
  echo "# Pinned versions of every dependency (the lock): \`pip install -c constraints.txt -e .[dev]\`."
  echo "# Made by scripts/lock.sh with $("$PYTHON" --version); regenerate after changing pyproject.toml."
  "$tmp/venv/bin/python" -m pip freeze --exclude-editable --all | grep -v -E '^(lkj|pip|wheel)[= @]' | sort -f
} > constraints.txt
echo "constraints.txt: $(grep -c '==' constraints.txt) pins"
