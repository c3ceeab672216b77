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
