#!/bin/sh
# The one list of what Vindu builds, runs and tests with, on Debian 12.
# Used by `make deps`, CI, newcomers and (later) debian/control. Idempotent.
set -eu

DEBIAN_PACKAGES="
  build-essential cmake pkg-config git clang libclang-rt-14-dev clang-format
  libglib2.0-dev libjson-glib-dev libsqlite3-dev sqlite3
  libwebsockets-dev libwebsockets-evlib-glib libwebsockets-evlib-uv libuv1-dev libssl-dev openssl libpng-dev libwebp-dev
  check libbrotli-dev zlib1g-dev esbuild
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-nice libnice-dev gstreamer1.0-tools gstreamer1.0-pulseaudio
  libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libexif-dev libjpeg62-turbo-dev
  libical-dev espeak-ng libespeak-ng-dev libqrencode-dev gettext curl jq
  libseccomp-dev
  fonts-dejavu-core
  chromium xvfb
  dpkg-dev debhelper lintian systemd adduser cage xwayland coturn
  firefox-esr
"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

missing=""
for p in $DEBIAN_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node and npm: use what the machine has; install Debian's only when there is none.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
  echo "deps: installing Debian packages:$missing"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
else
  echo "deps: all Debian packages present"
fi

# Debian 12's nodejs is 18, so every script and npm package here must run on 18 (playwright-core
# is pinned to 1.61, the last release that does).
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "deps: node $(node --version) is too old; Vindu's tests need node 18 or newer (Debian 12's nodejs)" >&2
  exit 1
fi

# npm packages for the browser and integration tests (versions pinned in package-lock.json).
top=$(cd "$(dirname "$0")/.." && pwd)
if [ -f "$top/package.json" ]; then
  if [ ! -f "$top/node_modules/.package-lock.json" ] || [ "$top/package-lock.json" -nt "$top/node_modules/.package-lock.json" ]; then
    echo "deps: installing npm packages"
    (cd "$top" && npm ci --no-audit --no-fund)
  else
    echo "deps: npm packages present"
  fi
fi
