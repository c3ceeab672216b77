#!/usr/bin/env bash
# The example plugin built out of tree, as a third party would: Vindu installed into a
# temporary prefix, plugins/weather/weather.c compiled with pkg-config alone (vindu-plugin.pc),
# then loaded by the installed runner over a socket pair, which must say it runs.
set -euo pipefail
build=${1:?build dir}
src=${2:?source dir}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig:$(find "$tmp/prefix" -name pkgconfig -type d | tr '\n' ':')"
pkg-config --exists vindu-plugin || { echo "FAIL: vindu-plugin.pc not installed"; exit 1; }
plugindir=$(pkg-config --variable=plugindir vindu-plugin)
[ -d "$plugindir" ] || { echo "FAIL: plugindir $plugindir does not exist"; exit 1; }
mkdir "$tmp/weather"
cp "$src/plugins/weather/weather.c" "$tmp/weather/"   # the source alone: no tree headers
cd "$tmp/weather"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Wno-unused-parameter -Werror -shared -fPIC -fvisibility=hidden -o weather.so weather.c \
  $(pkg-config --cflags vindu-plugin) $(pkg-config --cflags --libs json-glib-1.0)
nm -D --defined-only weather.so | grep -q ' vindu_plugin_v2$' || { echo "FAIL: no entry"; exit 1; }
runner=$(find "$tmp/prefix" -name vindu-plugin-runner -type f | head -1)
[ -x "$runner" ] || { echo "FAIL: no installed runner"; exit 1; }
python3 - "$runner" "$tmp/weather/weather.so" <<'PY'
import json, os, socket, subprocess, sys
runner, plugin = sys.argv[1], sys.argv[2]
ours, theirs = socket.socketpair()
def child():
    os.dup2(theirs.fileno(), 3)
p = subprocess.Popen([runner, "--fd=3", plugin], preexec_fn=child, close_fds=False,
                     stdout=subprocess.DEVNULL)
theirs.close()
f = ours.makefile("rw")
def ask(msg):
    f.write(json.dumps(msg) + "\n"); f.flush()
    while True:
        line = json.loads(f.readline())
        if "re" in line:
            return line
ok = ask({"id": 1, "call": "open", "language": "nb", "clock_offset_ms": 0, "quiet": False,
          "people": [], "storage": {}})
assert ok["ok"] and ok["name"] == "weather" and ok["kinds"] == ["weather"], ok
put = ask({"id": 2, "call": "put", "kind": "weather", "doc": "d", "rev": 1,
           "body": json.dumps({"date": "2030-01-02", "words": "Sol"})})
assert put["ok"], put
bad = ask({"id": 3, "call": "put", "kind": "weather", "doc": "e", "rev": 1, "body": "{}"})
assert not bad["ok"], bad
f.close()
ours.close()
assert p.wait(timeout=10) == 0
print("out of tree: weather.so built with pkg-config, loaded and running in the installed runner")
PY
