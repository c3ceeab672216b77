#!/usr/bin/env bash
# Every kiosk catalog (nb, nn, sv, en) is complete: no untranslated or fuzzy message, none
# obsolete, and every string the sources mark for translation is in every catalog.
set -euo pipefail
src=${1:?source dir}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
find kiosk -name '*.c' | sort > "$tmp/files"
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=dngettext:2,3 --add-comments=TRANSLATORS \
  --files-from="$tmp/files" -o "$tmp/vindu-kiosk.pot" --package-name=vindu-kiosk
status=0
for lang in nb nn sv en; do
  po=po/$lang.po
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1)
  echo "$lang: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*) echo "FAIL: $po is incomplete"; status=1 ;;
  esac
  if ! msgcmp "$po" "$tmp/vindu-kiosk.pot" 2>"$tmp/cmp"; then
    echo "FAIL: $po is missing strings:"; cat "$tmp/cmp"; status=1
  fi
  if grep -q '^#~' "$po"; then echo "FAIL: $po has obsolete messages"; status=1; fi
done
exit $status
