#!/usr/bin/env bash
# Build "Upgrade Planner.app" around a macOS build of upgrade-planner.
#
#   cargo build --release --locked              # on the Mac
#   bash tools/macos-bundle.sh target/release/upgrade-planner target/macos
#   open "target/macos/Upgrade Planner.app"
#
# The bundle:
#   Contents/Info.plist             bundle id, version (from Cargo.toml), minimum macOS, the plan
#                                   document type (*.upgrade-plan.json), high-resolution capable
#   Contents/PkgInfo
#   Contents/MacOS/upgrade-planner  the binary, as given
#   Contents/Resources/             upgrade-planner.icns (assets/icon/, made by tools/make_icons.sh),
#                                   LICENSE and the licences of the embedded fonts
# An existing bundle in OUT_DIR is replaced. Where `codesign` is present (macOS) the bundle gets an
# ad-hoc signature, so the Info.plist is sealed with the binary; it is not notarised.
#
# Runs with macOS's own bash 3.2 and tools; CI runs it on Linux around a stand-in binary
# (.ci/run, tools/check_macos_bundle.py).
set -euo pipefail

usage() { echo "usage: bash tools/macos-bundle.sh BINARY OUT_DIR" >&2; exit 2; }
[ "$#" -eq 2 ] || usage
binary=$1
out_dir=$2
root=$(cd "$(dirname "$0")/.." && pwd)

# These never change: macOS knows the app and its document type by them.
bundle_id="org.upgrade-planner.UpgradePlanner"
plan_type="org.upgrade-planner.plan"
# macOS 11 (Big Sur) is the first to run on Apple silicon and the oldest that Rust's
# aarch64-apple-darwin target supports. An x86_64 build could go lower, but nothing older
# has been tried, so the bundle does not claim it.
minimum_macos="11.0"

[ -f "$binary" ] || { echo "macos-bundle.sh: $binary: no such file" >&2; exit 1; }
# A Mach-O binary starts with cf fa ed fe (64-bit) or, for a universal binary, ca fe ba be.
magic=$(od -An -tx1 -N4 "$binary" | tr -d ' \n')
case "$magic" in
  cffaedfe | cafebabe) ;;
  *) echo "macos-bundle.sh: $binary is not a macOS (Mach-O) binary (starts with $magic);" \
          "build it on the Mac with cargo build --release" >&2; exit 1 ;;
esac

# The package version: the first `version = "..."` of the [package] table.
version=$(awk -F'"' '/^\[/ { p = ($0 == "[package]") } p && /^version *=/ { print $2; exit }' \
  "$root/Cargo.toml")
case "$version" in
  [0-9]*.[0-9]*.[0-9]*) ;;
  *) echo "macos-bundle.sh: no version found in $root/Cargo.toml (got '$version')" >&2; exit 1 ;;
esac

mkdir -p "$out_dir"
app="$out_dir/Upgrade Planner.app"
rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
cp "$binary" "$app/Contents/MacOS/upgrade-planner"
chmod 755 "$app/Contents/MacOS/upgrade-planner"
cp "$root/assets/icon/upgrade-planner.icns" "$app/Contents/Resources/upgrade-planner.icns"
cp "$root/LICENSE" "$root/assets/fonts/LICENSE-DejaVu.txt" \
   "$root/assets/fonts/LICENSE-DroidSansFallback.txt" "$app/Contents/Resources/"
printf 'APPL????' > "$app/Contents/PkgInfo"

# Plan files are JSON files named *.upgrade-plan.json. The exported type describes them (it
# conforms to public.json, so Quick Look and editors still treat them as JSON); the app owns that
# type, and is offered in "Open With" for other JSON files without becoming their default.
cat > "$app/Contents/Info.plist" <<PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CFBundleDevelopmentRegion</key>
	<string>en</string>
	<key>CFBundleDisplayName</key>
	<string>Upgrade Planner</string>
	<key>CFBundleExecutable</key>
	<string>upgrade-planner</string>
	<key>CFBundleIconFile</key>
	<string>upgrade-planner.icns</string>
	<key>CFBundleIdentifier</key>
	<string>${bundle_id}</string>
	<key>CFBundleInfoDictionaryVersion</key>
	<string>6.0</string>
	<key>CFBundleName</key>
	<string>Upgrade Planner</string>
	<key>CFBundlePackageType</key>
	<string>APPL</string>
	<key>CFBundleShortVersionString</key>
	<string>${version}</string>
	<key>CFBundleVersion</key>
	<string>${version}</string>
	<key>CFBundleSignature</key>
	<string>????</string>
	<key>LSApplicationCategoryType</key>
	<string>public.app-category.developer-tools</string>
	<key>LSMinimumSystemVersion</key>
	<string>${minimum_macos}</string>
	<key>NSHighResolutionCapable</key>
	<true/>
	<key>NSSupportsAutomaticGraphicsSwitching</key>
	<true/>
	<key>NSPrincipalClass</key>
	<string>NSApplication</string>
	<key>NSHumanReadableCopyright</key>
	<string>Upgrade Planner developers. MIT licence.</string>
	<key>CFBundleDocumentTypes</key>
	<array>
		<dict>
			<key>CFBundleTypeName</key>
			<string>GitLab upgrade plan</string>
			<key>CFBundleTypeRole</key>
			<string>Editor</string>
			<key>CFBundleTypeIconFile</key>
			<string>upgrade-planner.icns</string>
			<key>LSHandlerRank</key>
			<string>Owner</string>
			<key>LSItemContentTypes</key>
			<array>
				<string>${plan_type}</string>
			</array>
		</dict>
		<dict>
			<key>CFBundleTypeName</key>
			<string>JSON document</string>
			<key>CFBundleTypeRole</key>
			<string>Editor</string>
			<key>LSHandlerRank</key>
			<string>Alternate</string>
			<key>LSItemContentTypes</key>
			<array>
				<string>public.json</string>
			</array>
		</dict>
	</array>
	<key>UTExportedTypeDeclarations</key>
	<array>
		<dict>
			<key>UTTypeIdentifier</key>
			<string>${plan_type}</string>
			<key>UTTypeDescription</key>
			<string>GitLab upgrade plan</string>
			<key>UTTypeIconFile</key>
			<string>upgrade-planner.icns</string>
			<key>UTTypeConformsTo</key>
			<array>
				<string>public.json</string>
			</array>
			<key>UTTypeTagSpecification</key>
			<dict>
				<key>public.filename-extension</key>
				<array>
					<string>upgrade-plan.json</string>
				</array>
			</dict>
		</dict>
	</array>
</dict>
</plist>
PLIST

if command -v plutil >/dev/null 2>&1; then
  plutil -lint "$app/Contents/Info.plist"
fi
if command -v codesign >/dev/null 2>&1; then
  codesign --force --sign - "$app"
fi
echo "built $app (version $version, bundle id $bundle_id)"
