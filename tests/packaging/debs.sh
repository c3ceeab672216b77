#!/bin/bash
# The Debian packages: built from a copy of the tree with one `dpkg-buildpackage -b` (parallel,
# tests not built), checked by lintian, installed on this machine (CI runs as root), then:
# the units pass systemd-analyze verify, the system users and folders exist, the installed hub
# serves the web app from its installed folder, and the installed kiosk (plugins, themes and
# translations from their installed folders) pairs with it. Everything is purged at the end.
#   debs.sh SOURCE_DIR
# Exit 77 (skipped) when this machine cannot take the install: not root, or Vindu packages
# already installed (the test would remove them).
set -euo pipefail
src=$(cd "$1" && pwd)
say() { echo "debs: $*"; }
fail() { echo "debs: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || { say "skipped: installing packages needs root"; exit 77; }
# Two runs on one machine would install and purge each other's packages: one at a time.
exec 9>/run/lock/vindu-debs-test.lock
flock 9
for p in vindu-hub vindu-kiosk vindu-plugin-dev; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    say "skipped: $p is installed on this machine and this test would purge it"; exit 77
  fi
done
created_users=""
for u in vindu-hub vindu-kiosk; do getent passwd "$u" >/dev/null || created_users="$created_users $u"; done

tmp=$(mktemp -d /tmp/vindu-debs.XXXXXX)
chmod 755 "$tmp" # the hub and kiosk users run from folders in here
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  # the X socket and lock of the Xwayland cage started for the kiosk's user
  find /tmp/.X11-unix /tmp -maxdepth 1 \( -name 'X[0-9]*' -o -name '.X[0-9]*-lock' \) -user vindu-kiosk -delete 2>/dev/null || true
  dpkg --purge vindu-hub vindu-kiosk vindu-plugin-dev >/dev/null 2>&1 || true
  for u in $created_users; do deluser --system "$u" >/dev/null 2>&1 || true; done
  for u in $created_users; do delgroup --system "$u" >/dev/null 2>&1 || true; done
  rm -rf /var/lib/vindu-hub "$tmp"
}
trap cleanup EXIT

# 1. Build. A copy of what git tracks (or the tree without build folders), so nothing of a
# developer's build or node_modules goes in, and the .debs land in our temp dir.
tree="$tmp/vindu-0.1.0"
mkdir -p "$tree"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$src" && git ls-files -co --exclude-standard -z | grep -zv '^node_modules' | xargs -0 cp --parents -d -t "$tree")
else
  tar -C "$src" --exclude='./build*' --exclude=./node_modules -cf - . | tar -C "$tree" -xf -
fi
say "building packages (log: $tmp/build.log)"
export CCACHE_BASEDIR="$tree" # the temp folder differs each run: keep ccache hits
start=$(date +%s)
if ! (cd "$tree" && DEB_BUILD_OPTIONS="parallel=$(nproc) nocheck" dpkg-buildpackage -b -uc -us >"$tmp/build.log" 2>&1); then
  tail -60 "$tmp/build.log"; fail "dpkg-buildpackage failed"
fi
say "built in $(( $(date +%s) - start )) s: $(cd "$tmp" && ls ./*.deb | tr '\n' ' ')"
changes=$(ls "$tmp"/vindu_*.changes)

# 2. lintian: no error or warning (what is accepted is in debian/*.lintian-overrides, explained
# in docs/install.md).
if ! lintian --fail-on error,warning --tag-display-limit 0 "$changes" >"$tmp/lintian.log" 2>&1; then
  cat "$tmp/lintian.log"; fail "lintian"
fi
say "lintian: clean ($(grep -c . "$tmp/lintian.log" || true) lines of info/override notes)"

# 3. Contents: installed folders, and no path of the build machine in any file.
deb() { ls "$tmp"/"$1"_*.deb; }
expect() { # package, path regex
  # (grep reads it all: with -q it would stop early, and pipefail would count the SIGPIPE)
  dpkg-deb -c "$(deb "$1")" | awk '{print $6}' | grep -E "$2" >/dev/null || fail "$1 lacks $2"
}
expect vindu-hub '^\./usr/bin/vindu-hub$'
expect vindu-hub '^\./usr/share/vindu/web/index\.html$'
expect vindu-hub '^\./etc/vindu/hub\.conf$'
expect vindu-hub '^\./lib/systemd/system/vindu-hub\.service$'
expect vindu-kiosk '^\./usr/bin/vindu-kiosk$'
expect vindu-kiosk '^\./usr/lib/[^/]+/vindu/plugins/reminders\.so$'
expect vindu-kiosk '^\./usr/share/vindu/themes/high-contrast\.theme$'
expect vindu-kiosk '^\./usr/share/locale/nn/LC_MESSAGES/vindu-kiosk\.mo$'
expect vindu-kiosk '^\./lib/systemd/system/vindu-kiosk\.service$'
expect vindu-kiosk '^\./usr/libexec/vindu/vindu-kiosk-session$'
expect vindu-plugin-dev '^\./usr/include/vindu/plugin\.h$'
expect vindu-plugin-dev '^\./usr/lib/[^/]+/pkgconfig/vindu-plugin\.pc$'
mkdir "$tmp/x"
for p in vindu-hub vindu-kiosk vindu-plugin-dev; do dpkg-deb -x "$(deb $p)" "$tmp/x"; done
if grep -rlF "$tree" "$tmp/x"; then fail "the files above contain the build tree's path"; fi

# 4. Install (dependencies come from packaging/deps.sh, already on the machine).
dpkg -i "$(deb vindu-hub)" "$(deb vindu-kiosk)" "$(deb vindu-plugin-dev)" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "dpkg -i"; }
getent passwd vindu-hub >/dev/null || fail "no user vindu-hub"
id -nG vindu-kiosk | grep -qw video || fail "vindu-kiosk is not in group video"
[ "$(stat -c '%U %a' /var/lib/vindu-hub)" = "vindu-hub 700" ] || fail "/var/lib/vindu-hub: $(stat -c '%U %a' /var/lib/vindu-hub)"
[ "$(stat -c '%G %a' /etc/vindu/hub.conf)" = "vindu-hub 640" ] || fail "/etc/vindu/hub.conf: $(stat -c '%G %a' /etc/vindu/hub.conf)"
out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify /lib/systemd/system/vindu-hub.service /lib/systemd/system/vindu-kiosk.service 2>&1) || true
[ -z "$out" ] || fail "systemd-analyze verify: $out"
say "installed; units verified"
PKG_CONFIG_PATH= pkg-config --exists vindu-plugin || fail "pkg-config does not find vindu-plugin"
echo '#include <vindu/plugin.h>' | gcc -fsyntax-only $(pkg-config --cflags vindu-plugin) -xc - || fail "plugin.h does not compile with the .pc's flags"

# 5. The installed hub, as its user, with its compiled-in web root (no --web-root, no config).
# Run as a package's user; setpriv and env exec, so a background one's $! is the program itself.
as() { local u=$1; shift; setpriv --reuid "$u" --regid "$u" --init-groups env HOME=/nonexistent "$@"; }
as_bg() { local u=$1; shift; setpriv --reuid "$u" --regid "$u" --init-groups env HOME=/nonexistent "$@" & pids+=($!); }
hubdata="$tmp/hub"
install -d -o vindu-hub -g vindu-hub -m 0700 "$hubdata"
as_bg vindu-hub /usr/bin/vindu-hub --listen 127.0.0.1 --port 0 --data-dir "$hubdata" >"$tmp/hub.out" 2>"$tmp/hub.err"
for _ in $(seq 100); do grep -q "listening on" "$tmp/hub.out" && break; sleep 0.2; done
url=$(grep -o 'https://127.0.0.1:[0-9]*' "$tmp/hub.out" | head -1) || { cat "$tmp/hub.err"; fail "hub did not start"; }
curl -skf "$url/" | grep -E '<script type="module" src="app\.[0-9a-f]{10}\.js">' >/dev/null ||
  fail "the hub does not serve the packed index.html"
curl -skf -o /dev/null "$url/app.js" || fail "the hub does not serve app.js"
say "installed hub serves the web app at $url"

# 6. The installed kiosk, as its user: translations and themes from their installed folders...
kdata="$tmp/kiosk"
install -d -o vindu-kiosk -g vindu-kiosk -m 0700 "$kdata"
as vindu-kiosk /usr/bin/vindu-kiosk --headless --describe --no-speech --lang nn --theme high-contrast \
  --data-dir "$kdata/describe" >"$tmp/describe.json" 2>"$tmp/describe.err" || { cat "$tmp/describe.err"; fail "kiosk --describe"; }
nn_text=$(grep -m1 '^msgid "Hello! Vindu is almost ready."' -A1 "$src/po/nn.po" | sed -n 's/^msgstr "\(.*\)"/\1/p')
grep -qF "$nn_text" "$tmp/describe.json" || fail "the kiosk's nn screens lack \"$nn_text\": no installed translations?"
# ...and the installed session (the script vindu-kiosk.service starts: cage, full screen, the
# provisioning code from kiosk.conf's variables) pairs it with the hub, its plugins loaded from
# the installed folder. cage draws on wlroots' headless backend here: CI has no display.
code=$(as vindu-hub /usr/bin/vindu-hub admin --data-dir "$hubdata" household create --resident Ingebjørg --json | jq -r .provisioning_code)
install -d -o vindu-kiosk -g vindu-kiosk -m 0700 "$kdata/run" "$kdata/xdg"
as_bg vindu-kiosk env STATE_DIRECTORY="$kdata/run" XDG_RUNTIME_DIR="$kdata/xdg" \
  WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman SDL_VIDEODRIVER=wayland \
  VINDU_HUB_URL="${url/https/wss}/ws" VINDU_PROVISIONING_CODE="$code" \
  VINDU_KIOSK_ARGS="--insecure --no-speech --media-test" \
  /usr/libexec/vindu/vindu-kiosk-session >"$tmp/kiosk.out" 2>"$tmp/kiosk.err"
for _ in $(seq 150); do
  kiosks=$(as vindu-hub /usr/bin/vindu-hub admin --data-dir "$hubdata" list --json | jq '[.households[].kiosks[]] | length')
  [ "$kiosks" = 1 ] && break
  sleep 0.2
done
[ "$kiosks" = 1 ] || { tail -20 "$tmp/kiosk.err"; fail "the installed kiosk did not pair"; }
plugins=$(grep -o '[0-9]* plugins found' "$tmp/kiosk.err" | head -1)
[ "${plugins%% *}" -ge 3 ] 2>/dev/null || { tail -20 "$tmp/kiosk.err"; fail "installed kiosk: '$plugins' (expected the 3 packaged plugins)"; }
grep -q "vindu-kiosk: ready screen=" "$tmp/kiosk.out" || fail "the kiosk under cage did not show its first screen"
say "installed kiosk session (cage) paired with the installed hub; $plugins"
# Without the hub's address the session says so and stops (the unit does not restart it then).
rc=0; as vindu-kiosk env STATE_DIRECTORY="$kdata/run" VINDU_HUB_URL= /usr/libexec/vindu/vindu-kiosk-session 2>"$tmp/noconf.err" || rc=$?
[ "$rc" = 78 ] && grep -q "set VINDU_HUB_URL" "$tmp/noconf.err" || fail "session without a hub address: exit $rc, $(cat "$tmp/noconf.err")"
say "ok"
