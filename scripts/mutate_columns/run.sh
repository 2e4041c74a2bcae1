#!/bin/sh
# Issue 18's proof that the tests check values: for each table of the report that
# tests/test_cells_from_raw.py derives, point one column (its last) at the neighbouring column's
# text (LKJ_MUTATE=key:header, applied by sitecustomize.py here in every process of the build,
# not in pytest's), build the 2022 report and run the cell tests; each line must end in
# "3 failed" (HTML, DOCX, PDF). About 40 s per table: not part of make test.
#   sh scripts/mutate_columns/run.sh [key:header ...]
cd "$(dirname "$0")/../.." || exit 1
here=scripts/mutate_columns
if [ $# -eq 0 ]; then
  set -- $(.venv/bin/python "$here/columns.py")
fi
for m in "$@"; do
  m=$(printf '%s' "$m" | tr '+' ' ')
  out=$(LKJ_MUTATE="$m" PYTHONPATH="$here" nice .venv/bin/python -m pytest -q -p no:cacheprovider \
    tests/test_cells_from_raw.py -k "html or docx or pdf" 2>&1 | tail -1)
  echo "$m => $out"
done
