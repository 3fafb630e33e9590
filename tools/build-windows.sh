#!/usr/bin/env bash
# Build the Windows program and its installer on Debian, without Windows:
#
#   target/windows/upgrade-planner.exe                    64-bit Windows GUI program with its icon
#   target/windows/upgrade-planner-<version>-x86_64.msi   the installer, from wix/main.wxs
#
# rustup cannot fetch Windows' standard library on these machines, so the exe is built with
# Debian's Rust (rustc-web/cargo-web 1.96, newer than the 1.95 the project needs), which compiles
# the standard library from rust-web-src for x86_64-pc-windows-gnu (-Zbuild-std), and links with
# MinGW-w64's gcc. build.rs compiles the icon and version resource with MinGW-w64's windres.
# The Linux build and the tests keep rustup's toolchain; this one has its own target folder
# (target/cross), shared with the macOS check in .ci/run.
#
# The MSI is built by wixl (msitools) through tools/wixl_build.py, which packs this exe and says
# what of wix/main.wxs wixl leaves out: the licence dialog (WiX's UI library), and the
# ARPINSTALLLOCATION property (Apps & features' "install location"). The real WiX Toolset
# (`cargo wix` on Windows) builds the full installer from the same file.
#
# Missing Debian packages are installed (as root). Options:
#   --profile NAME   cargo profile (default: release, what ships: fat LTO; from nothing about
#                    28 CPU-minutes, about 11-14 minutes on 2 idle cores)
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
while [ "$#" -gt 0 ]; do
  case "$1" in
    --profile) profile=${2:?--profile needs a name}; shift 2 ;;
    *) echo "usage: bash tools/build-windows.sh [--profile NAME]" >&2; exit 2 ;;
  esac
done

. tools/debian-rust.sh
debian_install_missing rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64 \
  binutils-mingw-w64-x86-64 wixl msitools
"$DEBIAN_RUSTC" --version

target=x86_64-pc-windows-gnu
cross_dir="${CARGO_TARGET_DIR:-target}/cross"
out="${CARGO_TARGET_DIR:-target}/windows"
version=$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml", "rb"))["package"]["version"])')

started=$(date +%s)
CARGO_TARGET_DIR="$cross_dir" \
CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
  debian_cargo build --locked -Zbuild-std=std,panic_unwind --target "$target" \
    --profile "$profile" --bin upgrade-planner
# cargo names the folder of the dev profile "debug".
profile_dir=$profile
[ "$profile" = dev ] && profile_dir=debug
mkdir -p "$out"
cp "$cross_dir/$target/$profile_dir/upgrade-planner.exe" "$out/upgrade-planner.exe"
exe="$out/upgrade-planner.exe"
printf '  %s: %d bytes (%s MiB), profile %s, built in %d s\n' "$exe" "$(stat -c %s "$exe")" \
  "$(awk -v s="$(stat -c %s "$exe")" 'BEGIN { printf "%.1f", s / 1048576 }')" "$profile" \
  "$(( $(date +%s) - started ))"

# GUI subsystem, icon and version resources, no MinGW runtime DLLs to ship.
python3 tools/check_pe.py "$exe"

msi="$out/upgrade-planner-$version-x86_64.msi"
python3 tools/wixl_build.py --out "$out/wixl" --exe "$exe" --msi "$msi"
echo "built $exe and $msi"
