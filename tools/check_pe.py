#!/usr/bin/env python3
"""Check the Windows upgrade-planner.exe that tools/build-windows.sh built.

Reads the PE file itself (no Windows tools needed) and checks:
  - 64-bit x86 (machine 0x8664, PE32+), Windows GUI subsystem (2): no console window opens
    when it is started from Explorer or the Start menu;
  - its resources: the app icon (an icon group with the sizes of assets/icon/upgrade-planner.ico,
    the images themselves byte-identical to the .ico's) and the version information naming the
    version in Cargo.toml;
  - the DLLs it imports are Windows' own: no MinGW runtime (libgcc_s, libwinpthread, libstdc++)
    that the MSI would have to ship.

Usage: python3 tools/check_pe.py EXE
Exit status 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import struct
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICO = ROOT / "assets" / "icon" / "upgrade-planner.ico"
RT_ICON, RT_GROUP_ICON, RT_VERSION = 3, 14, 16
MINGW_RUNTIME = ("libgcc", "libwinpthread", "libstdc++", "libssp")


class Pe:
    def __init__(self, data: bytes):
        self.data = data
        if data[:2] != b"MZ":
            raise ValueError("no MZ header")
        pe = struct.unpack_from("<I", data, 0x3C)[0]
        if data[pe:pe + 4] != b"PE\0\0":
            raise ValueError("no PE signature")
        self.machine, nsections = struct.unpack_from("<HH", data, pe + 4)
        opt_size = struct.unpack_from("<H", data, pe + 20)[0]
        opt = pe + 24
        self.magic = struct.unpack_from("<H", data, opt)[0]
        self.subsystem = struct.unpack_from("<H", data, opt + 68)[0]
        dirs = opt + (112 if self.magic == 0x20B else 96)
        self.directories = [struct.unpack_from("<II", data, dirs + 8 * i) for i in range(16)]
        table = opt + opt_size
        self.sections = []
        for i in range(nsections):
            _name, vsize, va, rawsize, rawptr = struct.unpack_from("<8sIIII", data, table + 40 * i)
            self.sections.append((va, max(vsize, rawsize), rawptr))

    def offset(self, rva: int) -> int:
        for va, size, raw in self.sections:
            if va <= rva < va + size:
                return raw + rva - va
        raise ValueError(f"RVA {rva:#x} is in no section")

    def imports(self) -> list[str]:
        rva = self.directories[1][0]
        names, at = [], self.offset(rva)
        while True:
            entry = struct.unpack_from("<IIIII", self.data, at)
            if not any(entry):
                return names
            start = self.offset(entry[3])
            names.append(self.data[start:self.data.index(b"\0", start)].decode("ascii"))
            at += 20

    def resources(self) -> dict[int, dict[int, bytes]]:
        """type id -> name id -> data (first language), for resources named by number."""
        base = self.offset(self.directories[2][0])

        def entries(at: int) -> list[tuple[int, int]]:
            named, ids = struct.unpack_from("<HH", self.data, at + 12)
            return [struct.unpack_from("<II", self.data, at + 16 + 8 * i) for i in range(named + ids)]

        out: dict[int, dict[int, bytes]] = {}
        for type_id, type_off in entries(base):
            if type_id & 0x80000000 or not type_off & 0x80000000:
                continue
            for name_id, name_off in entries(base + (type_off & 0x7FFFFFFF)):
                if name_id & 0x80000000 or not name_off & 0x80000000:
                    continue
                langs = entries(base + (name_off & 0x7FFFFFFF))
                if not langs or langs[0][1] & 0x80000000:
                    continue
                rva, size = struct.unpack_from("<II", self.data, base + langs[0][1])
                start = self.offset(rva)
                out.setdefault(type_id, {})[name_id] = self.data[start:start + size]
        return out


def ico_images(ico: bytes) -> list[tuple[int, bytes]]:
    """(width, image bytes) of each image in an .ico file."""
    count = struct.unpack_from("<H", ico, 4)[0]
    images = []
    for i in range(count):
        width, _h, _c, _r, _p, _b, size, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * i)
        images.append((width or 256, ico[offset:offset + size]))
    return images


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python3 tools/check_pe.py EXE", file=sys.stderr)
        return 2
    exe = Path(argv[1])
    problems: list[str] = []

    def need(cond: bool, what: str) -> None:
        if cond:
            print(f"  ok: {what}")
        else:
            problems.append(what)

    with open(ROOT / "Cargo.toml", "rb") as f:
        version = tomllib.load(f)["package"]["version"]
    try:
        pe = Pe(exe.read_bytes())
        need(pe.machine == 0x8664 and pe.magic == 0x20B, "64-bit x86 (PE32+, machine 0x8664)")
        need(pe.subsystem == 2, f"Windows GUI subsystem (2; found {pe.subsystem})")
        res = pe.resources()
        imports = pe.imports()
    except (OSError, ValueError, struct.error) as e:
        print(f"check_pe: {exe}: {e}", file=sys.stderr)
        return 1

    groups = res.get(RT_GROUP_ICON, {})
    need(1 in groups, "an icon group with id 1 (the program's icon)")
    if 1 in groups:
        group = groups[1]
        count = struct.unpack_from("<H", group, 4)[0]
        members = [struct.unpack_from("<BBBBHHIH", group, 6 + 14 * i) for i in range(count)]
        widths = [m[0] or 256 for m in members]
        expected = ico_images(ICO.read_bytes())
        need(widths == [w for w, _ in expected],
             f"the icon's sizes are the .ico's ({widths})")
        same = all(res.get(RT_ICON, {}).get(m[7]) == img for m, (_w, img) in zip(members, expected))
        need(same, "each icon image is byte-identical to assets/icon/upgrade-planner.ico's")
    info = res.get(RT_VERSION, {}).get(1, b"")
    need(version.encode("utf-16-le") in info, f"version information with {version}")
    need("Upgrade Planner".encode("utf-16-le") in info, "version information names Upgrade Planner")

    runtime = [d for d in imports if d.lower().startswith(MINGW_RUNTIME)]
    need(not runtime, f"no MinGW runtime DLL imported (found {runtime})")
    print(f"  imports: {', '.join(sorted(set(d.lower() for d in imports)))}")

    for p in problems:
        print(f"check_pe: {exe}: missing {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
