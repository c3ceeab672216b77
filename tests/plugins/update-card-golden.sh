#!/usr/bin/env bash
# Regenerates tests/plugins/golden/<theme>/{card,activity-card}-<lang>.png from a build. Look at every changed
# image before committing it: the test only proves the card did not move by accident.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the reminder's card (family fixture) and the activities plugin's invitation
for pair in "tests/kiosk/fixtures/family.json:card" "tests/plugins/fixtures/activity_card.json:activity-card"; do
  fixture=${pair%%:*}
  name=${pair##*:}
  for theme in default high-contrast dark; do
    mkdir -p "$src/tests/plugins/golden/$theme"
    for lang in nb nn sv en; do
      rm -rf "$tmp"/*
      TZ=Europe/Oslo SDL_AUDIODRIVER=dummy VINDU_LOCALEDIR="$build/locale" \
        "$build/kiosk/vindu-kiosk" --headless --describe \
        --fixture "$src/$fixture" --theme "$theme" --size 1280x800 \
        --dpi 150 --lang "$lang" --screenshot "$tmp" >/dev/null
      cp "$tmp/card.png" "$src/tests/plugins/golden/$theme/$name-$lang.png"
    done
  done
done
