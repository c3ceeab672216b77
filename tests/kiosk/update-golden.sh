#!/usr/bin/env bash
# Regenerates tests/kiosk/golden/<theme>/*.png from the current build. Look at every changed
# image before committing: the golden test only proves the layout did not move by accident.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-kiosk}
for theme in default high-contrast dark; do
  out=$src/tests/kiosk/golden/$theme
  rm -rf "$out" && mkdir -p "$out"
  "$build/kiosk/vindu-kiosk" --headless --describe --fixture "$src/tests/kiosk/fixtures/family.json" \
    --theme "$theme" --size 1280x800 --dpi 150 --lang en --screenshot "$out" >/dev/null
  if [ "$theme" != default ]; then
    find "$out" -name '*.png' ! -name home.png ! -name incoming-auto-answer.png \
      ! -name in-call-weak.png ! -name messages-text.png ! -name pairing.png ! -name recording.png \
      ! -name call-ended-no-microphone.png -delete
  fi
  echo "$theme: $(ls "$out" | wc -l) images"
done
# the memory book's photo, still, in the four languages on the small and the usual screen
out=$src/tests/kiosk/golden/memory-view
rm -rf "$out" && mkdir -p "$out"
for lang in en nb nn sv; do
  for screen in 800x480:96 1280x800:150; do
    tmp=$(mktemp -d)
    "$build/kiosk/vindu-kiosk" --headless --describe --fixture "$src/tests/kiosk/fixtures/family.json" \
      --theme default --size "${screen%%:*}" --dpi "${screen##*:}" --lang "$lang" --screenshot "$tmp" >/dev/null
    cp "$tmp/memory-view.png" "$out/$lang-${screen%%:*}.png"
    rm -rf "$tmp"
  done
done
echo "memory-view: $(ls "$out" | wc -l) images"
