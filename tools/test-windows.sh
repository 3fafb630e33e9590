#!/usr/bin/env bash
# The Windows build under Wine (Debian's wine64 8.0), next to the Linux build:
#
#   - the command line: --version, path, validate, export, env-info print the same bytes and
#     exit with the same codes as the Linux build; exports are byte-identical (same
#     SOURCE_DATE_EPOCH); messages name Windows paths as they were typed;
#   - a GUI program (windows_subsystem = "windows") still writes to the terminal it was started
#     from, also through cmd.exe;
#   - saving replaces a file atomically and keeps <name>.bak (tools/wine/atomic_save.py);
#   - the app's folders are under %APPDATA%: newer GitLab data is read from
#     %APPDATA%\upgrade-planner\data, the recent-plans list and the draft are in
#     %APPDATA%\upgrade-planner;
#   - the window opens under Xvfb with each renderer, falls back to glow when wgpu cannot start,
#     and names both errors when neither can (screenshots in target/windows/shots/);
#   - the MSI installs into Program Files with its shortcut and file association, the
#     installed exe runs, and uninstalling removes it all.
#
# Wine 8.0 lacks ProcessPrng (bcryptprimitives.dll), which Rust's standard library needs: a
# small stand-in (tools/wine/bcryptprimitives.c, built here with MinGW-w64) is put beside the
# exe for these tests only; the MSI does not ship it. So the installed exe is run with that DLL
# copied beside it after installation.
#
# Usage: bash tools/test-windows.sh [EXE [LINUX_BINARY [MSI]]]
#   defaults: target/windows/upgrade-planner.exe, target/release/upgrade-planner,
#             target/windows/upgrade-planner-<version>-x86_64.msi
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

version=$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml", "rb"))["package"]["version"])')
target_dir=${CARGO_TARGET_DIR:-target}
exe=$(realpath "${1:-$target_dir/windows/upgrade-planner.exe}")
linux=$(realpath "${2:-$target_dir/release/upgrade-planner}")
msi=$(realpath "${3:-$target_dir/windows/upgrade-planner-$version-x86_64.msi}")
shots=$(realpath -m "$target_dir/windows/shots")

. tools/debian-rust.sh
debian_install_missing wine64 wine gcc-mingw-w64-x86-64 xvfb xauth x11-utils xdotool imagemagick \
  mesa-vulkan-drivers libgl1-mesa-dri || exit 1

failures=0
pass() { printf '  ok: %s\n' "$*"; }
fail() { printf '  FAIL: %s\n' "$*"; failures=$((failures + 1)); }

work=$(mktemp -d)
xvfb_pid=""
cleanup() {
  WINEPREFIX="$work/prefix" wineserver -k >/dev/null 2>&1
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

export WINEPREFIX="$work/prefix" WINEDEBUG=-all
# No Mono or Gecko installer prompts; the test ProcessPrng DLL beside the exe wins over Wine's.
# Wine writes desktop menu entries for installed shortcuts into the user's home: not here.
export WINEDLLOVERRIDES="mscoree,mshtml,winemenubuilder.exe=d;bcryptprimitives=n,b"
export XDG_DATA_HOME="$work/xdg-data" XDG_CONFIG_HOME="$work/xdg-config"
unset DISPLAY WAYLAND_DISPLAY
started=$(date +%s)
wineboot -i >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log"; exit 1; }
echo "Wine prefix ready in $(( $(date +%s) - started )) s ($(wine --version))"
wine_path() { wine cmd /c echo "$1" 2>/dev/null | tr -d '\r'; }
appdata_win=$(wine_path '%APPDATA%')
appdata=$(winepath -u "$appdata_win" 2>/dev/null)
echo "%APPDATA% is $appdata_win ($appdata)"

app="$work/app"
mkdir -p "$app"
cp "$exe" "$app/upgrade-planner.exe"
x86_64-w64-mingw32-gcc -O2 -shared -o "$app/bcryptprimitives.dll" tools/wine/bcryptprimitives.c -lbcrypt
# A safety net only: a command that opened a window by mistake would wait forever.
win() { timeout 300 wine "$app/upgrade-planner.exe" "$@"; }

# Run the same arguments with both builds; compare stdout, stderr and the exit code.
same_as_linux() {
  local what=$1; shift
  "$linux" "$@" >"$work/l.out" 2>"$work/l.err"; local lc=$?
  win "$@" >"$work/w.out" 2>"$work/w.err"; local wc=$?
  if [ "$lc" = "$wc" ] && cmp -s "$work/l.out" "$work/w.out" && cmp -s "$work/l.err" "$work/w.err"; then
    pass "$what: exit $wc, $(wc -c <"$work/w.out") bytes out, $(wc -c <"$work/w.err") bytes err, as on Linux"
  else
    fail "$what: Linux exit $lc, Windows exit $wc"
    diff <(cat "$work/l.out" "$work/l.err") <(cat "$work/w.out" "$work/w.err") | head -20
  fi
}

echo "==> command line: the same output and exit codes as the Linux build"
same_as_linux "--version" --version
same_as_linux "path 16.3.4 18.5" path 16.3.4 18.5
same_as_linux "path --json with conditions" path 15.0.0 --condition npm_packages --json
for plan in assets/samples/*.upgrade-plan.json tests/fixtures/unconfirmed-rollback.upgrade-plan.json \
            tests/fixtures/truncated.upgrade-plan.json tests/fixtures/token-in-notes.upgrade-plan.json; do
  same_as_linux "validate $(basename "$plan")" validate "$plan" --today 2026-11-21
  same_as_linux "validate --json $(basename "$plan")" validate "$plan" --json --today 2026-11-21
done
same_as_linux "schema" schema
same_as_linux "validate without a file (usage error)" validate
same_as_linux "path with a version that is none" path 16.x 18.5
# env-info makes a new plan: its id and creation time differ from run to run, the rest may not.
envinfo=tests/fixtures/env_info/docs_15.5.5-ee_two-gitaly-storages.txt
unstable='s/"(plan_id|created_at|updated_at)": "[^"]*"/"\1": "…"/'
"$linux" env-info "$envinfo" 2>"$work/l.err" | sed -E "$unstable" >"$work/l.out"
win env-info "$envinfo" 2>"$work/w.err" | sed -E "$unstable" >"$work/w.out"
if [ -s "$work/w.out" ] && cmp -s "$work/l.out" "$work/w.out" && cmp -s "$work/l.err" "$work/w.err"; then
  pass "env-info: the same plan (but its id and time) and the same list of what was filled"
else
  fail "env-info differs"; diff "$work/l.out" "$work/w.out" | head -10
fi

echo "==> exports: byte-identical to the Linux build's (SOURCE_DATE_EPOCH=1795000000)"
export SOURCE_DATE_EPOCH=1795000000
mkdir -p "$work/lx" "$work/wx"
for plan in assets/samples/*.upgrade-plan.json tests/fixtures/walkthrough-rds.upgrade-plan.json; do
  name=$(basename "$plan" .upgrade-plan.json)
  for paper in a4 letter; do
    args=(export "$plan" --paper "$paper" --today 2026-11-21 --redact-hosts)
    "$linux" "${args[@]}" --pdf "$work/lx/$name-$paper.pdf" --markdown "$work/lx/$name-$paper.md" \
      --json "$work/lx/$name-$paper.upgrade-plan.json" >/dev/null 2>&1
    lc=$?
    win "${args[@]}" --pdf "$work/wx/$name-$paper.pdf" --markdown "$work/wx/$name-$paper.md" \
      --json "$work/wx/$name-$paper.upgrade-plan.json" >/dev/null 2>&1
    wc=$?
    for ext in pdf md upgrade-plan.json; do
      f="$name-$paper.$ext"
      if [ "$lc" = 0 ] && [ "$wc" = 0 ] && cmp -s "$work/lx/$f" "$work/wx/$f"; then
        pass "export $f: identical ($(wc -c <"$work/wx/$f") bytes)"
      else
        fail "export $f: Linux exit $lc, Windows exit $wc, files differ or are missing"
      fi
    done
  done
done

echo "==> messages name Windows paths as typed; exit codes 2 and 1"
missing='C:\Plans\no-such.upgrade-plan.json'
win validate "$missing" >"$work/w.out" 2>"$work/w.err"; wc=$?
if [ "$wc" = 2 ] && grep -qF "$missing" "$work/w.err"; then
  pass "validate $missing: exit 2, \"$(head -1 "$work/w.err")\""
else
  fail "validate $missing: exit $wc: $(cat "$work/w.err")"
fi
broken_win=$(winepath -w "$root/tests/fixtures/truncated.upgrade-plan.json" 2>/dev/null)
"$linux" validate "$root/tests/fixtures/truncated.upgrade-plan.json" >/dev/null 2>"$work/l.err"
win validate "$broken_win" >/dev/null 2>"$work/w.err"; wc=$?
linux_message=$(cat "$work/l.err")
expected=${linux_message//"$root/tests/fixtures/truncated.upgrade-plan.json"/"$broken_win"}
if [ "$wc" = 2 ] && [ "$(cat "$work/w.err")" = "$expected" ]; then
  pass "validate $broken_win: exit 2, Linux's message with the Windows path: \"$(head -1 "$work/w.err")\""
else
  fail "validate $broken_win: exit $wc: $(cat "$work/w.err") (expected: $expected)"
fi
mkdir -p "$work/out"
win export tests/fixtures/unconfirmed-rollback.upgrade-plan.json --pdf "$work/out/x.pdf" \
  --today 2026-11-21 >/dev/null 2>&1; wc=$?
if [ "$wc" = 1 ] && [ ! -e "$work/out/x.pdf" ]; then pass "export of a plan with errors: exit 1, nothing written"
else fail "export of a plan with errors: exit $wc"; fi

echo "==> a GUI program that still prints to the terminal it was started from"
# Started by cmd.exe, as from a Windows terminal: once with its output in a file, once in a
# terminal (script(1) gives Wine's console a tty). The GUI program attaches to cmd's console;
# the console wraps lines at 80 columns and adds cursor escapes, so line ends and escapes are
# taken out before comparing. The exit code is the program's.
win_exe=$(winepath -w "$app/upgrade-planner.exe" 2>/dev/null)
"$linux" --version >"$work/l.out"
wine cmd /c "$win_exe --version" >"$work/cmd.out" 2>&1 </dev/null; wc=$?
if [ "$wc" = 0 ] && cmp -s "$work/l.out" "$work/cmd.out"; then
  pass "cmd /c upgrade-planner.exe --version > file: exit 0, the Linux build's line"
else
  fail "cmd /c upgrade-planner.exe --version: exit $wc, printed: $(cat "$work/cmd.out")"
fi
win_fixtures='tests\fixtures\'
flat() { sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$1" | tr -d '\r\n'; }
for case in "--version:0" "validate tests\\fixtures\\unconfirmed-rollback.upgrade-plan.json --today 2026-11-21:1" \
            "validate tests\\fixtures\\truncated.upgrade-plan.json:2"; do
  args=${case%:*} expected_code=${case##*:}
  script -qec "wine cmd /c \"$win_exe $args\"" "$work/tty.log" </dev/null >/dev/null 2>&1; wc=$?
  # shellcheck disable=SC2086 # the arguments are words
  "$linux" ${args//\\//} >"$work/l.out" 2>&1
  sed -i '1d;$d' "$work/tty.log"   # script's own first and last lines
  linux_text=$(tr -d '\n' <"$work/l.out")
  linux_text=${linux_text//"tests/fixtures/"/"$win_fixtures"}
  if [ "$wc" = "$expected_code" ] && [ "$(flat "$work/tty.log")" = "$linux_text" ]; then
    pass "in a terminal, cmd /c upgrade-planner.exe $args: exit $wc, the Linux build's text"
  else
    fail "in a terminal, cmd /c upgrade-planner.exe $args: exit $wc (expected $expected_code): $(flat "$work/tty.log")"
  fi
done

echo "==> saving under Windows: atomic, keeps <name>.bak"
mkdir -p "$work/save" "$work/expect"
for x in a b; do
  plan=assets/samples/single-node.upgrade-plan.json
  [ "$x" = b ] && plan=assets/samples/multi-node-geo.upgrade-plan.json
  "$linux" export "$plan" --json "$work/expect/$x.json" >/dev/null 2>&1
done
if python3 tools/wine/atomic_save.py "$work/save" assets/samples/single-node.upgrade-plan.json \
     assets/samples/multi-node-geo.upgrade-plan.json "$work/expect/a.json" "$work/expect/b.json" \
     wine "$app/upgrade-planner.exe"; then
  pass "every read during the saves was one whole export; .bak held the one before; no leftovers"
else
  fail "atomic save"
fi

# A file another program holds open without FILE_SHARE_DELETE (an editor, a viewer, a virus
# scanner) cannot be replaced on Windows: the save is refused with a clear message, the file
# keeps its contents and nothing is left beside it. tools/wine/holdopen.c holds the file until
# its standard input closes.
x86_64-w64-mingw32-gcc -O2 -municode -o "$work/holdopen.exe" tools/wine/holdopen.c
held="$work/held"
mkdir -p "$held"
cp assets/samples/single-node.upgrade-plan.json "$held/busy.upgrade-plan.json"
before=$(sha256sum <"$held/busy.upgrade-plan.json")
mkfifo "$work/hold.fifo"
timeout 300 wine "$work/holdopen.exe" "$held/busy.upgrade-plan.json" \
  <"$work/hold.fifo" >"$work/hold.out" 2>&1 &
holder=$!
exec 3>"$work/hold.fifo"
for _ in $(seq 1 300); do grep -q held "$work/hold.out" 2>/dev/null && break; sleep 0.1; done
code=0
win export assets/samples/multi-node-geo.upgrade-plan.json --json "$held/busy.upgrade-plan.json" \
  >/dev/null 2>"$work/busy.err" || code=$?
exec 3>&-
wait "$holder" || true
leftovers=$(find "$held" -mindepth 1 ! -name busy.upgrade-plan.json | wc -l)
if ! grep -q held "$work/hold.out"; then
  fail "holdopen.exe did not hold the file: $(cat "$work/hold.out")"
elif [ "$code" = 2 ] && grep -q "another program has .*busy.upgrade-plan.json open" "$work/busy.err" \
    && [ "$(sha256sum <"$held/busy.upgrade-plan.json")" = "$before" ] && [ "$leftovers" = 0 ]; then
  pass "a file held open by another program: exit 2, \"$(flat "$work/busy.err")\", the file unchanged, nothing left beside it"
else
  fail "a file held open by another program: exit $code, \"$(flat "$work/busy.err")\", $leftovers file(s) left beside it"
fi
unset SOURCE_DATE_EPOCH

echo "==> the app's folders are under %APPDATA%"
data_dir="$appdata/upgrade-planner/data"
named=$(win data --json 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["data_dir"])')
if [ "$named" = "$appdata_win\upgrade-planner\data" ]; then
  pass "data --json names the data folder $named"
else
  fail "data --json names the data folder '$named', not %APPDATA%\upgrade-planner\data"
fi
mkdir -p "$data_dir"
python3 - "$root/assets/data/stops.json" "$data_dir/stops.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
d["retrieved_at"] = "2099-01-01"
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"))
EOF
data_date=$(win path 16.3.4 17.0 --json 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["data_date"])')
if [ "$data_date" = 2099-01-01 ]; then
  pass "a newer stops.json in $appdata_win\\upgrade-planner\\data is used (path --json: data_date $data_date)"
else
  fail "the data file in %APPDATA%\\upgrade-planner\\data was not used: data_date $data_date"
fi
printf '{ "schema_version": 1, "retrieved_at": ' >"$data_dir/stops.json"
win path 16.3.4 17.0 >/dev/null 2>"$work/w.err"
if grep -qF "$appdata_win\\upgrade-planner\\data\\stops.json" "$work/w.err"; then
  pass "a broken data file is reported by its Windows path: \"$(head -1 "$work/w.err")\""
else
  fail "no warning naming the broken data file: $(cat "$work/w.err")"
fi
rm -rf "$data_dir"

. tools/wine/gui-checks.sh

echo
if [ "$failures" -gt 0 ]; then
  echo "test-windows.sh: $failures check(s) failed"
  exit 1
fi
echo "test-windows.sh: every check passed"
