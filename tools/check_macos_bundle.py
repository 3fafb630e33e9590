#!/usr/bin/env python3
"""Check an app bundle made by tools/macos-bundle.sh: layout, Info.plist (read with plistlib)
and the icon.

Usage: python3 tools/check_macos_bundle.py "OUT_DIR/Upgrade Planner.app" BINARY
BINARY is the file the bundle was made from; Contents/MacOS/upgrade-planner must equal it.
Exit status 0 when every check passed, 1 otherwise (each failure is printed).
"""

from __future__ import annotations

import os
import plistlib
import struct
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICNS = ROOT / "assets" / "icon" / "upgrade-planner.icns"


def icns_entries(data: bytes) -> dict[str, tuple[int, int]]:
    """Entry type -> PNG size, for an .icns made of PNG entries."""
    if data[:4] != b"icns" or struct.unpack(">I", data[4:8])[0] != len(data):
        raise ValueError("not an .icns file (magic or length)")
    entries, at = {}, 8
    while at < len(data):
        kind = data[at:at + 4].decode("ascii")
        length = struct.unpack(">I", data[at + 4:at + 8])[0]
        payload = data[at + 8:at + length]
        if length < 8 or payload[:8] != b"\x89PNG\r\n\x1a\n":
            raise ValueError(f"entry {kind} is not a PNG")
        entries[kind] = struct.unpack(">II", payload[16:24])
        at += length
    return entries


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    app, binary = Path(argv[1]), Path(argv[2])
    problems: list[str] = []

    def need(cond: bool, what: str) -> None:
        if cond:
            print(f"  ok: {what}")
        else:
            problems.append(what)

    with open(ROOT / "Cargo.toml", "rb") as f:
        version = tomllib.load(f)["package"]["version"]

    contents = app / "Contents"
    exe = contents / "MacOS" / "upgrade-planner"
    need(app.name == "Upgrade Planner.app", "the bundle is named 'Upgrade Planner.app'")
    need(exe.is_file() and exe.read_bytes() == binary.read_bytes(),
         "Contents/MacOS/upgrade-planner is the binary given")
    need(exe.is_file() and os.stat(exe).st_mode & 0o111 == 0o111,
         "Contents/MacOS/upgrade-planner is executable by all")
    need((contents / "PkgInfo").read_bytes() == b"APPL????" if (contents / "PkgInfo").is_file()
         else False, "Contents/PkgInfo is APPL????")
    resources = contents / "Resources"
    for name in ("LICENSE", "LICENSE-DejaVu.txt", "LICENSE-DroidSansFallback.txt"):
        need((resources / name).is_file(), f"Contents/Resources/{name}")
    extra = sorted(str(p.relative_to(app)) for p in app.rglob("*")
                   if p.is_file() and p.parent.name not in ("MacOS", "Resources")
                   and p.name not in ("Info.plist", "PkgInfo")
                   and "_CodeSignature" not in p.parts)
    need(not extra, f"nothing else in the bundle (found {extra})")

    try:
        with open(contents / "Info.plist", "rb") as f:
            plist = plistlib.load(f)
    except (OSError, plistlib.InvalidFileException, ValueError) as e:
        problems.append(f"Contents/Info.plist does not parse: {e}")
        plist = {}
    need(plist.get("CFBundleExecutable") == "upgrade-planner", "CFBundleExecutable upgrade-planner")
    need(plist.get("CFBundleIdentifier") == "org.upgrade-planner.UpgradePlanner",
         "CFBundleIdentifier org.upgrade-planner.UpgradePlanner")
    need(plist.get("CFBundleName") == "Upgrade Planner", "CFBundleName 'Upgrade Planner'")
    need(plist.get("CFBundlePackageType") == "APPL", "CFBundlePackageType APPL")
    need(plist.get("CFBundleShortVersionString") == version
         and plist.get("CFBundleVersion") == version, f"version {version} (Cargo.toml)")
    need(plist.get("LSMinimumSystemVersion") == "11.0", "LSMinimumSystemVersion 11.0")
    need(plist.get("NSHighResolutionCapable") is True, "NSHighResolutionCapable")

    icon = plist.get("CFBundleIconFile", "")
    icon_path = resources / icon
    need(bool(icon) and icon_path.is_file(), f"CFBundleIconFile {icon!r} is in Contents/Resources")
    if icon_path.is_file():
        need(icon_path.read_bytes() == ICNS.read_bytes(),
             "the icon is assets/icon/upgrade-planner.icns")
        try:
            entries = icns_entries(icon_path.read_bytes())
        except ValueError as e:
            problems.append(f"{icon}: {e}")
            entries = {}
        for kind, size in (("ic07", 128), ("ic08", 256), ("ic09", 512), ("ic10", 1024)):
            need(entries.get(kind) == (size, size), f"{icon}: {kind} is a {size} px PNG")

    types = plist.get("UTExportedTypeDeclarations", [])
    plan = next((t for t in types if t.get("UTTypeIdentifier") == "org.upgrade-planner.plan"), {})
    need("public.json" in plan.get("UTTypeConformsTo", []),
         "exported type org.upgrade-planner.plan conforms to public.json")
    need(plan.get("UTTypeTagSpecification", {}).get("public.filename-extension")
         == ["upgrade-plan.json"], "exported type's extension upgrade-plan.json")
    docs = plist.get("CFBundleDocumentTypes", [])
    need(any(d.get("LSItemContentTypes") == ["org.upgrade-planner.plan"]
             and d.get("LSHandlerRank") == "Owner" and d.get("CFBundleTypeRole") == "Editor"
             for d in docs), "document type: the app owns and edits plan files")
    need(any(d.get("LSItemContentTypes") == ["public.json"] and d.get("LSHandlerRank") == "Alternate"
             for d in docs), "document type: offered for other JSON files, never their default")

    for p in problems:
        print(f"check_macos_bundle: {app}: missing {p}", file=sys.stderr)
    if not problems:
        print(f"{app}: layout, Info.plist and icon as expected")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
