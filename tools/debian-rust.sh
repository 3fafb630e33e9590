# shellcheck shell=bash
# Debian's Rust for the builds rustup cannot do on these machines (no other target's standard
# library can be fetched): rustc-web and cargo-web (Rust 1.96, newer than the 1.95 the project
# needs) with rust-web-src, whose standard library source `-Zbuild-std` compiles for the target.
# `RUSTC_BOOTSTRAP=1` lets this stable compiler take `-Z` flags. Sourced by .ci/run and
# tools/build-windows.sh; the Linux build and the tests keep using rustup's toolchain.

DEBIAN_RUSTC=/usr/bin/rustc
DEBIAN_CARGO=/usr/bin/cargo

# Install the Debian packages given that are not installed yet (needs root and apt-get).
debian_install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})" >&2
    return 1
  fi
  echo "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Debian's cargo with Debian's rustc, allowed to take -Z flags.
debian_cargo() {
  RUSTC="$DEBIAN_RUSTC" RUSTC_BOOTSTRAP=1 "$DEBIAN_CARGO" "$@"
}
