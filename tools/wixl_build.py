#!/usr/bin/env python3
"""Prove wix/main.wxs on Linux: build an MSI from it with wixl and check the MSI's tables.

The real installer is built on Windows with `cargo wix` (WiX Toolset 3). wixl (Debian package
`wixl`) understands most of WiX v3 but not the UI library, so this script writes a reduced copy
of main.wxs that wixl accepts:

  - drops <UIRef>, <UI>, <WixVariable> (the licence dialog) and <SetProperty> (ARPINSTALLLOCATION),
    and the <Package Platform> attribute wixl does not know (it takes the architecture from -a);
  - turns the backslashes in Source/SourceFile paths into forward slashes.

It builds the MSI around a stand-in upgrade-planner.exe (a few bytes: wixl only packs it), or
around the real one with `--exe` (tools/build-windows.sh), with the version from Cargo.toml, then reads the File, Shortcut, Upgrade, Registry, Directory,
Component and Property tables with `msiinfo export` and fails when an expected row is missing.

Also checks that wix/License.rtf says what LICENSE says (`--update-license` rewrites it).

Usage: python3 tools/wixl_build.py [--out DIR] [--exe EXE] [--msi FILE] [--update-license]
Exit status 0 when the MSI was built and every check passed, 1 otherwise.
Needs: wixl and msiinfo (Debian packages wixl, msitools), Python 3.11+.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WXS = ROOT / "wix" / "main.wxs"
LICENSE = ROOT / "LICENSE"
LICENSE_RTF = ROOT / "wix" / "License.rtf"
ICO = ROOT / "assets" / "icon" / "upgrade-planner.ico"

# Elements wixl cannot compile; each is only there for the real WiX Toolset build.
DROPPED_ELEMENTS = ("UIRef", "WixVariable", "SetProperty", "Environment")


def fail(problems: list[str]) -> int:
    for p in problems:
        print(f"wixl_build: {p}", file=sys.stderr)
    return 1


def cargo_version() -> str:
    with open(ROOT / "Cargo.toml", "rb") as f:
        return tomllib.load(f)["package"]["version"]


def license_rtf(text: str) -> str:
    """RTF for the licence dialog: one RTF paragraph per blank-line separated paragraph."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    out = [r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss\fcharset0 Arial;}}",
           r"\viewkind4\uc1\pard\sa180\f0\fs18"]
    for p in paragraphs:
        escaped = p.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
        if any(ord(c) > 127 for c in escaped):
            raise ValueError("LICENSE has non-ASCII text; extend license_rtf to escape it")
        out.append(escaped + r"\par")
    out.append("}")
    return "\n".join(out) + "\n"


def reduce_for_wixl(source: str) -> tuple[str, list[str]]:
    """The copy of main.wxs wixl accepts, and a list of what was changed."""
    notes: list[str] = []
    text = source
    n_ui = len(re.findall(r"<UI>.*?</UI>", text, flags=re.S))
    text = re.sub(r"<UI>.*?</UI>", "", text, flags=re.S)
    if n_ui:
        notes.append(f"dropped {n_ui} <UI> block(s)")
    for name in DROPPED_ELEMENTS:
        pattern = rf"<{name}\b[^>]*/>"
        n = len(re.findall(pattern, text))
        text = re.sub(pattern, "", text)
        if n:
            notes.append(f"dropped {n} <{name}>")
    text, n = re.subn(r"(<Package\b[^>]*?)\s+Platform='[^']*'", r"\1", text, flags=re.S)
    if n:
        notes.append("dropped <Package Platform> (wixl takes -a x64)")

    def slashes(m: re.Match[str]) -> str:
        return f"{m.group(1)}='{m.group(2).replace(chr(92), '/')}'"

    text, n = re.subn(r"\b(Source|SourceFile)='([^']*)'", slashes, text)
    notes.append(f"forward slashes in {n} Source path(s)")
    return text, notes


def msi_table(msi: Path, table: str) -> list[dict[str, str]]:
    """Rows of one MSI table as dicts (msiinfo export: names, types, table+keys, then rows)."""
    # Tables with binary columns (Icon) are written as files under the working directory.
    with tempfile.TemporaryDirectory() as scratch:
        out = subprocess.run(["msiinfo", "export", str(msi.resolve()), table], cwd=scratch,
                             capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"msiinfo export {msi.name} {table}: {out.stderr.strip()}")
    lines = out.stdout.replace("\r\n", "\n").split("\n")
    names = lines[0].split("\t")
    return [dict(zip(names, line.split("\t"))) for line in lines[3:] if line]


def long_name(msi_name: str) -> str:
    """MSI stores 'SHORT~1|long name' when the two differ."""
    return msi_name.split("|")[-1]


def check_msi(msi: Path, version: str, upgrade_code: str) -> list[str]:
    problems: list[str] = []

    def need(cond: bool, what: str) -> None:
        if cond:
            print(f"  ok: {what}")
        else:
            problems.append(f"{msi.name}: missing {what}")

    files = {long_name(r["FileName"]): r for r in msi_table(msi, "File")}
    need("upgrade-planner.exe" in files, "File row upgrade-planner.exe")
    need("License.rtf" in files, "File row License.rtf")
    need("upgrade-planner.ico" in files, "File row upgrade-planner.ico (plan files' icon)")
    need("LICENSE-DejaVu.txt" in files and "LICENSE-DroidSansFallback.txt" in files,
         "File rows for the font licences")

    dirs = {r["Directory"]: r for r in msi_table(msi, "Directory")}
    app = dirs.get("APPLICATIONFOLDER", {})
    need(long_name(app.get("DefaultDir", "")) == "Upgrade Planner"
         and app.get("Directory_Parent") == "ProgramFiles64Folder",
         "Directory APPLICATIONFOLDER = ProgramFiles64Folder\\Upgrade Planner")

    comps = {r["Component"]: r for r in msi_table(msi, "Component")}
    exe_comp = comps.get("MainExecutable", {})
    need(exe_comp.get("Directory_") == "APPLICATIONFOLDER"
         and exe_comp.get("KeyPath") == "UpgradePlannerExe",
         "Component MainExecutable in APPLICATIONFOLDER, keyed by the exe")
    # msidbComponentAttributes64bit = 256
    need(int(exe_comp.get("Attributes", "0") or 0) & 256 == 256, "Component MainExecutable is 64-bit")

    shortcuts = msi_table(msi, "Shortcut")
    need(any(r["Directory_"] == "ProgramMenuFolder" and long_name(r["Name"]) == "Upgrade Planner"
             and r["Target"] == "[#UpgradePlannerExe]" and r["Icon_"] == "UpgradePlannerIcon.ico"
             for r in shortcuts),
         "Shortcut 'Upgrade Planner' in ProgramMenuFolder to the exe, with the icon")

    upgrades = [r for r in msi_table(msi, "Upgrade") if r["UpgradeCode"] == upgrade_code]
    need(any(r["VersionMax"] == version and r["ActionProperty"] == "WIX_UPGRADE_DETECTED"
             for r in upgrades),
         f"Upgrade row: older versions (up to {version}) of {upgrade_code} are removed")
    need(any(r["VersionMin"] == version and r["ActionProperty"] == "WIX_DOWNGRADE_DETECTED"
             for r in upgrades),
         "Upgrade row: a newer installed version is detected (downgrade refused)")

    props = {r["Property"]: r["Value"] for r in msi_table(msi, "Property")}
    need(props.get("ProductVersion") == version, f"Property ProductVersion = {version} (Cargo.toml)")
    need(props.get("UpgradeCode") == upgrade_code, "Property UpgradeCode")
    need(props.get("Manufacturer") == "Upgrade Planner developers", "Property Manufacturer (publisher)")
    need(props.get("ProductName") == "Upgrade Planner", "Property ProductName")
    need(props.get("ARPPRODUCTICON") == "UpgradePlannerIcon.ico", "Property ARPPRODUCTICON")
    need(props.get("ALLUSERS") == "1", "Property ALLUSERS = 1 (per-machine)")

    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(["msiinfo", "export", str(msi.resolve()), "Icon"], cwd=scratch,
                       capture_output=True, check=False)
        packed = Path(scratch) / "Icon" / "Icon.UpgradePlannerIcon.ico"
        same = packed.exists() and packed.read_bytes() == ICO.read_bytes()
    need(same, "Icon UpgradePlannerIcon.ico = assets/icon/upgrade-planner.ico (shortcut, Apps & features)")

    suminfo = subprocess.run(["msiinfo", "suminfo", str(msi)], capture_output=True, text=True,
                             check=False).stdout
    need("Template: x64;1033" in suminfo, "summary information Template x64;1033 (64-bit package)")

    reg = msi_table(msi, "Registry")

    def has_reg(key: str, name: str, value_part: str) -> bool:
        return any(r["Root"] == "2" and r["Key"] == key and r["Name"] == name
                   and value_part in r["Value"] for r in reg)

    classes = "Software\\Classes\\"
    need(has_reg(classes + ".json\\OpenWithProgids", "UpgradePlanner.Plan", ""),
         "Registry .json\\OpenWithProgids -> UpgradePlanner.Plan")
    need(has_reg(classes + "UpgradePlanner.Plan\\DefaultIcon", "", "[#UpgradePlannerIco]"),
         "Registry UpgradePlanner.Plan DefaultIcon -> the installed .ico")
    need(has_reg(classes + "UpgradePlanner.Plan\\shell\\open\\command", "",
                 '"[#UpgradePlannerExe]" "%1"'),
         "Registry UpgradePlanner.Plan open command")
    verb = classes + "SystemFileAssociations\\.json\\shell\\UpgradePlanner.Open"
    need(has_reg(verb, "", "Open with Upgrade Planner"), "Registry verb 'Open with Upgrade Planner'")
    need(has_reg(verb, "AppliesTo", "*.upgrade-plan.json"), "Registry verb AppliesTo *.upgrade-plan.json")
    need(has_reg(verb + "\\command", "", '"[#UpgradePlannerExe]" "%1"'), "Registry verb command")
    return problems


def check_payload(msi: Path, exe: Path) -> list[str]:
    """The MSI unpacks (msiextract) to exactly the exe it was built around."""
    with tempfile.TemporaryDirectory() as scratch:
        run = subprocess.run(["msiextract", "-C", scratch, str(msi.resolve())],
                             capture_output=True, text=True, check=False)
        packed = list(Path(scratch).rglob("upgrade-planner.exe"))
        same = run.returncode == 0 and len(packed) == 1 and packed[0].read_bytes() == exe.read_bytes()
    if not same:
        return [f"{msi.name}: its upgrade-planner.exe is not {exe} (msiextract exit {run.returncode})"]
    print(f"  ok: the packed upgrade-planner.exe is {exe} ({exe.stat().st_size} bytes)")
    return []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "target" / "wixl",
                    help="where the reduced .wxs and the MSI go (default target/wixl)")
    ap.add_argument("--exe", type=Path,
                    help="the upgrade-planner.exe to pack (default: a stand-in of a few bytes)")
    ap.add_argument("--msi", type=Path,
                    help="the MSI to write (default OUT/upgrade-planner-<version>-x86_64-wixl.msi)")
    ap.add_argument("--update-license", action="store_true",
                    help="rewrite wix/License.rtf from LICENSE")
    args = ap.parse_args()

    for tool in ("wixl", "msiinfo"):
        if shutil.which(tool) is None:
            return fail([f"{tool} not found (apt install wixl msitools)"])

    rtf = license_rtf(LICENSE.read_text(encoding="utf-8"))
    if args.update_license:
        LICENSE_RTF.write_text(rtf, encoding="ascii", newline="\r\n")
        print(f"wrote {LICENSE_RTF.relative_to(ROOT)}")
    problems: list[str] = []
    if not LICENSE_RTF.exists() or LICENSE_RTF.read_text(encoding="ascii").replace("\r\n", "\n") != rtf:
        problems.append("wix/License.rtf does not match LICENSE; run tools/wixl_build.py --update-license")

    source = WXS.read_text(encoding="utf-8")
    m = re.search(r"UpgradeCode='([0-9A-Fa-f-]{36})'", source)
    if not m:
        return fail(problems + ["wix/main.wxs has no UpgradeCode GUID"])
    upgrade_code = "{" + m.group(1).upper() + "}"
    version = cargo_version()

    reduced, notes = reduce_for_wixl(source)
    args.out.mkdir(parents=True, exist_ok=True)
    reduced_path = args.out / "main.wixl.wxs"
    reduced_path.write_text(reduced, encoding="utf-8")
    print(f"reduced copy {reduced_path}: " + "; ".join(notes))

    msi = args.msi or args.out / f"upgrade-planner-{version}-x86_64-wixl.msi"
    msi.parent.mkdir(parents=True, exist_ok=True)
    msi.unlink(missing_ok=True)
    # wixl resolves only relative Source paths (from the working directory, the package root).
    with tempfile.TemporaryDirectory(dir=args.out) as stage:
        payload = Path(stage) / "upgrade-planner.exe"
        if args.exe:
            shutil.copyfile(args.exe, payload)
        else:
            # The stand-in payload: wixl only packs the file, it never runs it.
            payload.write_bytes(b"MZ stand-in for upgrade-planner.exe\n")
        bin_dir = os.path.relpath(stage, ROOT)
        cmd = ["wixl", "--arch", "x64", "--define", f"Version={version}",
               "--define", "Platform=x64", "--define", f"CargoTargetBinDir={bin_dir}",
               "--output", str(msi), str(reduced_path)]
        run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if run.returncode != 0 or not msi.exists():
        return fail(problems + [f"wixl failed (exit {run.returncode}) on {reduced_path}:",
                                run.stderr.strip() or run.stdout.strip()])
    print(f"built {msi} ({msi.stat().st_size // 1024} KB) with wixl, version {version}")

    try:
        problems += check_msi(msi, version, upgrade_code)
    except RuntimeError as e:
        problems.append(str(e))
    if args.exe:
        problems += check_payload(msi, args.exe)
    if problems:
        return fail(problems)
    print("MSI tables as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
