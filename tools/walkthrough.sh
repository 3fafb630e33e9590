#!/usr/bin/env bash
# Fill a new multi-node Geo plan in the real window under Xvfb, typing at human speed, with no
# file-dialog portal (as on many remote and minimal desktops), and screenshot every step.
# Usage: tools/walkthrough.sh [OUTDIR]
# Needs (Debian): xvfb xdotool imagemagick dbus at-spi2-core python3-pyatspi gir1.2-atspi-2.0.
# BIN picks the binary (default target/debug/upgrade-planner); KEY_DELAY_MS the typing speed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/walkthrough}
bin=${BIN:-target/debug/upgrade-planner}
mkdir -p "$out"
rm -f "$out"/*.png
export XDG_RUNTIME_DIR=$(mktemp -d); chmod 700 "$XDG_RUNTIME_DIR"
export UPGRADE_PLANNER_STATE_DIR=$(mktemp -d)
Xvfb :97 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
export DISPLAY=:97
for _ in $(seq 1 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
# A private session bus: the accessibility bus is started on demand, no portal is installed.
dbus-run-session -- bash -c '
  set -euo pipefail
  # Tell toolkits (AccessKit) that an assistive technology is listening.
  dbus-send --session --dest=org.a11y.Bus --print-reply /org/a11y/bus \
    org.freedesktop.DBus.Properties.Set string:org.a11y.Status string:IsEnabled variant:boolean:true >/dev/null
  "$0" >"$1/app.log" 2>&1 & app=$!
  trap "kill $app 2>/dev/null || true" EXIT
  for _ in $(seq 1 100); do xdotool search --name "Upgrade Planner" >/dev/null 2>&1 && break; sleep 0.1; done
  sleep 1
  /usr/bin/python3 ${WALK_SCRIPT:-tools/walkthrough.py} "$1"
' "$bin" "$out"
