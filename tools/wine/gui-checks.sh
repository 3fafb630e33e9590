# shellcheck shell=bash
# The window and the installer under Wine; sourced by tools/test-windows.sh, which sets up the
# Wine prefix ($WINEPREFIX), the exe with its test DLL in $app, $work, $shots, $appdata,
# $appdata_win, $linux, $msi, and the pass/fail counters.

echo "==> the window under Wine and Xvfb: each renderer, the fallback, the folders"
# The command-line runs above started Wine's session without a display; end it, so that the
# programs below start one on Xvfb.
wineserver -k >/dev/null 2>&1
wineserver -w
mkdir -p "$shots"
export XDG_RUNTIME_DIR="$work/xdg"
mkdir -m 700 "$XDG_RUNTIME_DIR"
Xvfb :93 -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 100); do xdpyinfo -display :93 >/dev/null 2>&1 && break; sleep 0.1; done
export DISPLAY=:93
state_dir="$appdata/upgrade-planner"

# Start the exe with "$@" (environment assignments first, as for env), wait until a window
# whose title contains $title shows more than 20 colours, save the screen as $shots/$shot.png,
# then end the program. Returns 0 when the window was drawn; its stderr is in $work/gui.err.
window_shot() {
  local shot=$1 title=$2; shift 2
  rm -f "$work/gui.err"
  # In a subshell whose own messages (bash's "Killed" when the program is ended) are dropped.
  ( env "$@" UPGRADE_PLANNER_BENCH_FRAMES=1 wine "$app/upgrade-planner.exe" ${gui_args[@]+"${gui_args[@]}"} \
      >/dev/null 2>"$work/gui.err"; : ) 2>/dev/null &
  local pid=$! drawn="" colors=0
  for _ in $(seq 1 600); do   # up to 60 s: Wine and software rendering are slow to start
    if xdotool search --name "$title" >/dev/null 2>&1; then
      import -window root "$work/shot.png" 2>/dev/null
      colors=$(convert "$work/shot.png" -format '%k' info: 2>/dev/null || echo 0)
      if [ "$colors" -gt 20 ]; then drawn=yes; break; fi
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$drawn" ] && cp "$work/shot.png" "$shots/$shot.png"
  # End the program and its Wine session, and wait until that session is gone (a program
  # started while it is going down would go down with it).
  wineserver -k >/dev/null 2>&1
  wineserver -w
  { wait "$pid"; } 2>/dev/null
  gui_colors=$colors
  [ -n "$drawn" ]
}

renderer_line() { grep -o '^bench: renderer .*' "$work/gui.err" | head -1 | cut -c8-; }

sample=assets/samples/single-node.upgrade-plan.json
gui_args=("$sample")
# Both renderers in their order for Windows: wgpu first, glow when wgpu cannot start. (Under
# Wine, wgpu picks DX12 on vkd3d, whose device is lost: the fallback happens by itself here.)
if window_shot wine-default single-node.upgrade-plan.json; then
  how=$(grep -o 'the wgpu renderer could not start.*' "$work/gui.err" | cut -c1-80)
  pass "window drawn: ${how:+$how…, then }$(renderer_line) ($gui_colors colours, shots/wine-default.png)"
else
  fail "no window with the default renderers: $(grep -v '^bench: frame' "$work/gui.err" | head -5)"
fi
if grep -qF "single-node.upgrade-plan.json" "$state_dir/recent.json" 2>/dev/null; then
  pass "the recent-plans list is in $appdata_win\\upgrade-planner\\recent.json"
else
  fail "no recent.json in %APPDATA%\\upgrade-planner ($(ls "$state_dir" 2>&1))"
fi

# Each renderer alone: wgpu on Vulkan (Wine's winevulkan over Mesa's lavapipe), and glow.
if window_shot wine-wgpu single-node.upgrade-plan.json UPGRADE_PLANNER_RENDERER=wgpu WGPU_BACKEND=vulkan \
   && renderer_line | grep -q '^renderer wgpu'; then
  pass "UPGRADE_PLANNER_RENDERER=wgpu: $(renderer_line) ($gui_colors colours, shots/wine-wgpu.png)"
else
  fail "UPGRADE_PLANNER_RENDERER=wgpu: $(grep -v '^bench: frame' "$work/gui.err" | head -5)"
fi
if window_shot wine-glow single-node.upgrade-plan.json UPGRADE_PLANNER_RENDERER=glow \
   && renderer_line | grep -q '^renderer glow'; then
  pass "UPGRADE_PLANNER_RENDERER=glow: $(renderer_line) ($gui_colors colours, shots/wine-glow.png)"
else
  fail "UPGRADE_PLANNER_RENDERER=glow: $(grep -v '^bench: frame' "$work/gui.err" | head -5)"
fi

# wgpu with no backend it can use on Windows (Metal only) cannot start: glow takes over.
if window_shot wine-fallback single-node.upgrade-plan.json WGPU_BACKEND=metal \
   && grep -q 'the wgpu renderer could not start (.*); trying glow' "$work/gui.err" \
   && renderer_line | grep -q '^renderer glow'; then
  pass "wgpu cannot start: \"$(grep -o 'the wgpu renderer could not start.*' "$work/gui.err" | cut -c1-90)…\", then $(renderer_line)"
else
  fail "fallback to glow: $(grep -v '^bench: frame' "$work/gui.err" | head -5)"
fi

# Neither: wgpu without a backend, and no OpenGL driver for Wine's GL (Mesa finds none where
# LIBGL_DRIVERS_PATH points).
env WGPU_BACKEND=metal LIBGL_DRIVERS_PATH="$work/no-gl-drivers" \
  wine "$app/upgrade-planner.exe" "$sample" >/dev/null 2>"$work/gui.err"
code=$?
wineserver -k >/dev/null 2>&1
wineserver -w
last=$(grep -v '^bench:' "$work/gui.err" | tail -1)
if [ "$code" = 2 ] && [[ "$last" == "upgrade-planner: cannot open the window (wgpu: "*"; glow: "* ]]; then
  pass "neither renderer: exit 2, \"$(cut -c1-150 <<<"$last")…\""
else
  fail "neither renderer: exit $code, $(cat "$work/gui.err")"
fi

# A draft that cannot be read is moved aside at start, in the app's folder under %APPDATA%;
# a readable one is offered for recovery (shots/wine-draft.png).
mkdir -p "$state_dir"
printf 'not a draft' >"$state_dir/autosave.upgrade-plan-draft.json"
gui_args=()
window_shot wine-unreadable-draft "Upgrade Planner" >/dev/null
if [ -f "$state_dir/autosave.unreadable.json" ] && [ ! -e "$state_dir/autosave.upgrade-plan-draft.json" ]; then
  pass "the draft is read from $appdata_win\\upgrade-planner (an unreadable one was moved to autosave.unreadable.json)"
else
  fail "the draft in %APPDATA%\\upgrade-planner was not looked at ($(ls "$state_dir"))"
fi
python3 - "$sample" "$state_dir/autosave.upgrade-plan-draft.json" "$version" <<'EOF'
import json, sys
plan = json.load(open(sys.argv[1], encoding="utf-8"))
plan["contact"]["organization"] = "Recovered from the draft"
draft = {"format": "upgrade-planner-draft", "saved_at": "2026-11-20T10:00:00Z", "source": None,
         "tool_version": sys.argv[3], "plan": plan}
json.dump(draft, open(sys.argv[2], "w", encoding="utf-8"))
EOF
if window_shot wine-draft "Upgrade Planner"; then
  pass "a draft in %APPDATA%\\upgrade-planner: the window opens with it (shots/wine-draft.png)"
else
  fail "window with a draft: $(grep -v '^bench: frame' "$work/gui.err" | head -5)"
fi
rm -rf "$state_dir"

echo "==> the MSI: install, run, uninstall"
pf="$WINEPREFIX/drive_c/Program Files/Upgrade Planner"
# Per-machine (ALLUSERS=1) shortcuts belong in ProgramData's Start menu; Wine 8's msi puts them
# in the installing user's, so either is accepted and the test says which.
menus=("$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/Upgrade Planner.lnk"
       "$appdata/Microsoft/Windows/Start Menu/Programs/Upgrade Planner.lnk")
reg_value() { wine reg query "$1" ${2:+/v "$2"} ${3:-} 2>/dev/null | tr -d '\r'; }
command_key='HKLM\Software\Classes\UpgradePlanner.Plan\shell\open\command'
wine msiexec /i "$(winepath -w "$msi" 2>/dev/null)" /qn >"$work/msi.log" 2>&1
code=$?
if [ "$code" = 0 ] && [ -f "$pf/upgrade-planner.exe" ] && cmp -s "$pf/upgrade-planner.exe" "$exe" \
   && [ -f "$pf/upgrade-planner.ico" ] && [ -f "$pf/License.rtf" ] \
   && [ -f "$pf/font-licenses/LICENSE-DejaVu.txt" ]; then
  pass "msiexec /i: exit 0, C:\\Program Files\\Upgrade Planner holds the exe (the one built), icon, licences"
else
  fail "msiexec /i: exit $code; $(ls "$pf" 2>&1)"
fi
menu=""
for m in "${menus[@]}"; do [ -f "$m" ] && menu=$m; done
if [ -n "$menu" ]; then pass "Start-menu shortcut: $(winepath -w "$menu" 2>/dev/null)"
else fail "no Start-menu shortcut (looked at ${menus[*]})"; fi
if reg_value "$command_key" "" /ve | grep -qF 'C:\Program Files\Upgrade Planner\upgrade-planner.exe" "%1"' \
   && reg_value 'HKLM\Software\Classes\.json\OpenWithProgids' UpgradePlanner.Plan | grep -q UpgradePlanner.Plan; then
  pass "file association: UpgradePlanner.Plan opens with \"C:\\Program Files\\Upgrade Planner\\upgrade-planner.exe\" \"%1\", offered for .json"
else
  fail "file association registry values: $(reg_value "$command_key" "" /ve)"
fi
# The installed exe runs (with the test-only ProcessPrng DLL beside it, as everywhere here).
cp "$app/bcryptprimitives.dll" "$pf/"
if [ "$(wine "$pf/upgrade-planner.exe" --version 2>/dev/null)" = "$("$linux" --version)" ]; then
  pass "the installed exe runs: $(wine "$pf/upgrade-planner.exe" --version 2>/dev/null | head -1)"
else
  fail "the installed exe does not run"
fi
rm -f "$pf/bcryptprimitives.dll"
wine msiexec /x "$(winepath -w "$msi" 2>/dev/null)" /qn >>"$work/msi.log" 2>&1
code=$?
if [ "$code" = 0 ] && [ ! -e "$pf" ] && [ ! -e "${menus[0]}" ] && [ ! -e "${menus[1]}" ] && ! reg_value "$command_key" "" /ve | grep -q upgrade-planner; then
  pass "msiexec /x: exit 0; the folder, the shortcut and the file association are gone"
else
  fail "msiexec /x: exit $code; left: $(ls "$pf" "${menus[@]}" 2>&1 | head -4)"
fi
kill "$xvfb_pid" 2>/dev/null
xvfb_pid=""
unset DISPLAY
