#!/bin/sh
# systemd-analyze verify on Vindu's units, as they are in the source tree. verify needs the
# programs a unit starts to exist, so our own (/usr/bin/vindu-*, /usr/libexec/vindu/*) are
# pointed at the build tree's in a temp copy. Any output — an unknown key, a bad value, a
# missing program — fails the test (verify itself exits 0 on some of those).
#   units.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1
build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v systemd-analyze >/dev/null || { echo "units: systemd-analyze is missing (package systemd)"; exit 1; }
for unit in "$src"/packaging/systemd/*.service; do
  sed -e "s#/usr/bin/vindu-hub#$build/hub/vindu-hub#g" \
      -e "s#/usr/bin/vindu-kiosk#$build/kiosk/vindu-kiosk#g" \
      -e "s#/usr/libexec/vindu/vindu-kiosk-session#$src/packaging/kiosk/vindu-kiosk-session#g" \
      "$unit" >"$tmp/$(basename "$unit")"
done
# Users named in User= must exist for verify; on a machine without the packages they do not.
out=$(cd "$tmp" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify ./*.service 2>&1 | grep -v "Failed to resolve user\|Failed to resolve group" || true)
if [ -n "$out" ]; then
  echo "units: systemd-analyze verify says:"
  echo "$out"
  exit 1
fi
echo "units: $(ls "$tmp" | tr '\n' ' ')verified"
