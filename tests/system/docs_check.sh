#!/usr/bin/env bash
# The project's documents stand on their own: README.md and docs/*.md never send a reader to files
# outside the repository (shared/, /work/), every relative link in them leads to a file that
# exists, README.md links the design (docs/design.md) and the rules for the resident's screens
# (docs/ux.md), and every figure named in docs/ux.md has the value the UX figure test checks
# (the #defines of tests/kiosk/test_ux_figures.c).
#
#   tests/system/docs_check.sh SOURCE_DIR
set -uo pipefail
top=${1:?usage: docs_check.sh SOURCE_DIR}
cd "$top" || exit 2
status=0
fail() { echo "docs-check: $*" >&2; status=1; }

docs=(README.md docs/*.md)
for f in "${docs[@]}"; do
  grep -nE '(^|[^A-Za-z0-9_./-])(shared/|/work/)' "$f" | while IFS= read -r line; do
    echo "docs-check: $f:$line: points outside the repository" >&2
  done
  grep -qE '(^|[^A-Za-z0-9_./-])(shared/|/work/)' "$f" && status=1
  # [text](target) with a relative target: the file must exist (anchors ignored)
  while IFS= read -r target; do
    path=${target%%#*}
    [ -z "$path" ] && continue
    case "$path" in http://*|https://*|mailto:*) continue ;; esac
    [ -e "$(dirname "$f")/$path" ] || fail "$f links $target, which does not exist"
  done < <(grep -oE '\]\([^)]+\)' "$f" | sed -E 's/^\]\((.*)\)$/\1/')
done

for doc in docs/design.md docs/ux.md; do
  grep -q "]($doc)" README.md || fail "README.md does not link $doc"
done

figures=tests/kiosk/test_ux_figures.c
n=0
while read -r _ name value; do
  n=$((n + 1))
  want=$(printf '%g' "$value")
  grep -qE "\`$name\` = $want( |\$)" docs/ux.md ||
    fail "docs/ux.md does not give $name = $want (the value in $figures)"
done < <(grep -E '^#define (MIN|MAX)_[A-Z_]+ [0-9.]+$' "$figures")
[ $n -gt 0 ] || fail "no figures found in $figures"

[ $status = 0 ] && echo "docs-check: ${#docs[@]} documents, $n UX figures agree with $figures"
exit $status
