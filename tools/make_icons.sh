#!/usr/bin/env bash
# Regenerate the app icon's PNG sizes, the Windows .ico and the macOS .icns from
# assets/icon/upgrade-planner.svg.
# The outputs are committed, so building the app or its packages needs none of these tools.
# Needs: rsvg-convert (Debian librsvg2-bin), ImageMagick's convert (Debian imagemagick), python3.
set -euo pipefail
cd "$(dirname "$0")/.."

src=assets/icon/upgrade-planner.svg
out=assets/icon
for tool in rsvg-convert convert; do
  command -v "$tool" >/dev/null || { echo "make_icons.sh: $tool not found (apt install librsvg2-bin imagemagick)" >&2; exit 1; }
done

sizes="16 32 48 64 128 256 512"
for s in $sizes; do
  rsvg-convert --width "$s" --height "$s" "$src" --output "$out/upgrade-planner-$s.png.tmp"
  # Drop ancillary chunks (times, text) so a rerun gives identical files.
  convert "$out/upgrade-planner-$s.png.tmp" -strip "PNG32:$out/upgrade-planner-$s.png"
  rm "$out/upgrade-planner-$s.png.tmp"
done

# Windows icon: every size Explorer and the Start menu ask for, up to 256 (the .ico limit).
convert $(for s in 16 32 48 64 128 256; do printf '%s ' "$out/upgrade-planner-$s.png"; done) \
  "$out/upgrade-planner.ico"

# macOS icon (Contents/Resources of the app bundle, tools/macos-bundle.sh): PNG entries from
# 128 to 1024 px. The 1024 px picture is only needed here, so it is not kept.
big=$(mktemp --suffix=.png)
trap 'rm -f "$big" "$big.tmp"' EXIT
rsvg-convert --width 1024 --height 1024 "$src" --output "$big.tmp"
convert "$big.tmp" -strip "PNG32:$big"
python3 tools/make_icns.py "$out/upgrade-planner.icns" \
  "$out/upgrade-planner-32.png" "$out/upgrade-planner-64.png" "$out/upgrade-planner-128.png" \
  "$out/upgrade-planner-256.png" "$out/upgrade-planner-512.png" "$big"

ls -l "$out"
