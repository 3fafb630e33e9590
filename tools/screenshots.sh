#!/usr/bin/env bash
# Screenshot every wizard step of a plan in light and dark theme under Xvfb (for reviewing the UI).
# Usage: tools/screenshots.sh [PLAN] [OUTDIR]   (needs xvfb, imagemagick, xdotool)
set -euo pipefail
plan=${1:-assets/samples/multi-node-geo.upgrade-plan.json}
out=${2:-target/screenshots}
bin=${BIN:-target/debug/upgrade-planner}
mkdir -p "$out"
export XDG_RUNTIME_DIR=$(mktemp -d); chmod 700 "$XDG_RUNTIME_DIR"
export UPGRADE_PLANNER_STATE_DIR=$(mktemp -d)
Xvfb :98 -screen 0 1280x800x24 -nolisten tcp & xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
export DISPLAY=:98
for theme in light dark; do
  for step in start contact versions installation os topology geo known_issues backup rollback review; do
    tmp=$(mktemp --suffix=.upgrade-plan.json)
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d['last_step']=sys.argv[2]; json.dump(d,open(sys.argv[3],'w'),indent=2)" "$plan" "$step" "$tmp"
    UPGRADE_PLANNER_THEME=$theme "$bin" "$tmp" & app=$!
    for _ in $(seq 1 100); do xdotool search --name "Upgrade Planner" >/dev/null 2>&1 && break; sleep 0.1; done
    sleep 1.5  # let the first frames settle before the picture
    import -window root "$out/$theme-$step.png"
    kill $app 2>/dev/null || true; wait $app 2>/dev/null || true
    rm -f "$tmp"
  done
done
ls "$out"
