#!/usr/bin/env bash
# Runs Vindu on this machine with the demo household: the hub, a kiosk, and a sign-in link for
# each of Ingebjørg's people. Ctrl-C stops everything cleanly.
#
#   packaging/demo.sh BUILD_DIR [--smoke] [--headless] [--port N] [--state-dir DIR]
#
# --smoke: start everything headless on a free port and check what a newcomer would check: the hub
#          answers /healthz, the kiosk is paired, Anna's page offers the call button, and a call
#          from a browser to the kiosk carries video both ways (tests/system/demo_call.mjs, with
#          Chromium); then stop and report (used by `make check`).
# --headless (or no display): the kiosk runs without a window and sends a test picture and tone,
#          as there is nobody in front of a camera.
# --state-dir: where the demo keeps its databases and logs (default: .demo in the source tree,
#          emptied at every start; --smoke uses a temporary folder).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: packaging/demo.sh BUILD_DIR [--smoke] [--headless] [--port N] [--state-dir DIR]}
shift
build=$(cd "$build" && pwd)
smoke=0
headless=0
port=8443
state=
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; headless=1; port=0 ;;
    --headless) headless=1 ;;
    --port) port=$2; shift ;;
    --state-dir) state=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "demo: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  headless=1
fi

say() { printf 'demo: %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

hub_bin=$build/hub/vindu-hub
kiosk_bin=$build/kiosk/vindu-kiosk
[ -x "$hub_bin" ] || die "the hub is not built ($hub_bin missing): run 'make build' first"

# A fresh household each run: invite links work once, so old ones would be useless.
if [ $smoke = 1 ] && [ -z "$state" ]; then
  state=$(mktemp -d "${TMPDIR:-/tmp}/vindu-demo.XXXXXX")
else
  state=${state:-$top/.demo}
  rm -rf "$state"
fi
mkdir -p "$state/hub" "$state/kiosk"

pids=()
stop_all() {
  local code=$?
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    say "stopping"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for pid in "${pids[@]}"; do
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -KILL "$pid" 2>/dev/null; then
        say "process $pid did not stop within 5 s of SIGTERM"
        [ $code = 0 ] && code=1
      fi
      local status=0
      wait "$pid" 2>/dev/null || status=$?
      # A clean stop is exit 0 after SIGTERM; anything else is worth failing the smoke test on.
      if [ $status != 0 ] && [ $smoke = 1 ]; then
        say "process $pid exited with status $status on stop"
        [ $code = 0 ] && code=1
      fi
    done
  fi
  [ $smoke = 1 ] && rm -rf "$state"
  exit $code
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Wait until FILE has a line matching PATTERN, or fail after SECONDS; prints the line.
wait_for_line() {
  local file=$1 pattern=$2 seconds=$3 pid=$4
  for _ in $(seq $((seconds * 10))); do
    if grep -m1 -E "$pattern" "$file" 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { cat "$file" >&2; return 1; }
    sleep 0.1
  done
  cat "$file" >&2
  return 1
}

# --- the hub
say "starting the hub"
"$hub_bin" --listen 127.0.0.1 --port "$port" --data-dir "$state/hub" --web-root "$top/web" \
  >"$state/hub.log" 2>&1 &
pids+=($!)
line=$(wait_for_line "$state/hub.log" 'vindu-hub: listening on https://' 20 "${pids[0]}") ||
  die "the hub did not start (log above)"
url=${line##*listening on }
url=${url%%[[:space:]]*}
say "hub at $url"

health=$(curl -sk --max-time 5 "$url/healthz") || die "the hub does not answer $url/healthz"
echo "$health" | jq -e '.status == "ok"' >/dev/null || die "unexpected /healthz answer: $health"
say "hub health: $health"

# --- the demo household, made with the hub's own admin commands
admin() { "$hub_bin" admin --data-dir "$state/hub" --public-url "$url" "$@"; }
household_json=$(admin household create --resident "Ingebjørg" --language nb --json) ||
  die "could not create the household"
household=$(echo "$household_json" | jq -r '.household')
pair_code=$(echo "$household_json" | jq -r '.provisioning_code // empty')
[ -n "$pair_code" ] || die "the hub gave no provisioning code for the kiosk: $household_json"
say "household $household for Ingebjørg"

declare -A links
invite() { # name relationship role rights
  local json
  json=$(admin invite --household "$household" --name "$1" --relationship "$2" --role "$3" \
    --rights "$4" --json) || die "could not invite $1"
  links[$1]=$(echo "$json" | jq -r '.link')
}
# Relationships in the household's language (bokmål), as the kiosk shows them under the faces.
invite Anna Datter family call,auto_answer,message,reminders,memory_book,activities,status,admin
invite Jonas Barnebarn family call,message,memory_book,status
invite Wenche Besøksvenn volunteer call,message,activities
invite Kari Hjemmesykepleier staff call,message,reminders,status,quiet_hours_exempt

# --- the kiosk
kiosk_state="not built yet"
if [ -x "$kiosk_bin" ]; then
  kiosk_args=(--hub "wss://${url#https://}/ws" --data-dir "$state/kiosk" --pair-code "$pair_code" --insecure)
  # Headless means nobody in front of it: a test picture and tone instead of a camera.
  [ $headless = 1 ] && kiosk_args+=(--headless --media-test)
  why_headless="no display here"
  [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && why_headless="as asked"
  say "starting the kiosk$([ $headless = 1 ] && echo " headless ($why_headless), with a test picture and tone")"
  if [ $smoke = 1 ]; then
    # The smoke test answers for the resident through the kiosk's test control (stdin), fed
    # from a pipe this shell keeps open so the kiosk never reads its end.
    kiosk_args+=(--control --no-speech)
    control=$state/kiosk.control
    mkfifo "$control"
    exec 3<>"$control"
    "$kiosk_bin" "${kiosk_args[@]}" <"$control" >"$state/kiosk.log" 2>&1 &
  else
    "$kiosk_bin" "${kiosk_args[@]}" >"$state/kiosk.log" 2>&1 &
  fi
  pids+=($!)
  wait_for_line "$state/kiosk.log" '^vindu-kiosk: ready' 30 "${pids[1]}" >/dev/null ||
    die "the kiosk did not become ready (log above)"
  # Paired: the kiosk says so (or, with --control, leaves the pairing screen for home).
  wait_for_line "$state/kiosk.log" '(paired with a household|^vindu-kiosk: (ready screen|state) home)' 30 "${pids[1]}" >/dev/null ||
    die "the kiosk did not pair with the hub (log above)"
  kiosk_state="paired and ready"
  say "kiosk paired and ready"
else
  say "the kiosk is not built yet ($kiosk_bin): running the hub alone"
fi

echo
echo "Vindu demo: Ingebjørg's kiosk is $kiosk_state; hub at $url"
echo "Open a link to use the web app signed in as that person (each link works once;"
echo "your browser will warn about the local self-signed certificate):"
for name in Anna Jonas Wenche Kari; do
  printf '  %-7s %s\n' "$name" "${links[$name]}"
done
echo

if [ $smoke = 1 ]; then
  [ "$kiosk_state" = "paired and ready" ] || die "smoke: the kiosk is missing"
  curl -sk --max-time 5 "$url/healthz" | jq -e '.connections >= 1' >/dev/null ||
    die "smoke: the hub does not count the kiosk's connection"
  say "smoke: Anna calls the kiosk from Chromium"
  node "$top/tests/system/demo_call.mjs" --origin "$url" --link "${links[Anna]}" \
    --household "$household" --control "$control" --kiosk-log "$state/kiosk.log" ||
    die "smoke: the call from Anna's page to the kiosk failed"
  say "smoke test passed: hub healthy, kiosk paired, Anna's call carried video both ways"
  exit 0
fi

say "running; press Ctrl-C to stop"
wait -n "${pids[@]}" || true
die "a component stopped by itself; logs in $state"
