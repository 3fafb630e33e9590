#!/usr/bin/env python3
"""Write a macOS .icns icon from square PNG files (tools/make_icons.sh calls it).

An .icns file is the magic 'icns', the whole file's length (4 bytes, big-endian), then one entry
per image: a four-character type, the entry's length including its 8-byte header, and the data.
Since Mac OS X 10.7 the data of these types may be a PNG file as it is:

    ic07 128x128   ic08 256x256   ic09 512x512   ic10 1024x1024 (512x512@2x)
    ic11 32x32 (16x16@2x)   ic12 64x64 (32x32@2x)   ic13 256x256 (128x128@2x)   ic14 512x512 (256x256@2x)

Each PNG goes into every type of its size. Sizes without a type are refused, and so is a
missing ic07, ic08, ic09 or ic10 (Finder and the Dock ask for those).

Usage: python3 tools/make_icns.py OUT.icns PNG...
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

TYPES_BY_SIZE = {
    32: ["ic11"],
    64: ["ic12"],
    128: ["ic07"],
    256: ["ic08", "ic13"],
    512: ["ic09", "ic14"],
    1024: ["ic10"],
}
REQUIRED = ["ic07", "ic08", "ic09", "ic10"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes, name: str) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which a PNG file must start with."""
    if data[:8] != PNG_MAGIC or data[12:16] != b"IHDR":
        raise ValueError(f"{name}: not a PNG file")
    return struct.unpack(">II", data[16:24])


def icns(pngs: list[Path]) -> bytes:
    entries: dict[str, bytes] = {}
    for path in pngs:
        data = path.read_bytes()
        width, height = png_size(data, str(path))
        if width != height or width not in TYPES_BY_SIZE:
            raise ValueError(f"{path}: {width}x{height} has no .icns type "
                             f"(square, one of {sorted(TYPES_BY_SIZE)})")
        for kind in TYPES_BY_SIZE[width]:
            entries[kind] = data
    missing = [k for k in REQUIRED if k not in entries]
    if missing:
        raise ValueError(f"no image for {', '.join(missing)}")
    # A fixed order (by type) so the same PNGs always give the same file.
    body = b"".join(kind.encode("ascii") + struct.pack(">I", 8 + len(data)) + data
                    for kind, data in sorted(entries.items()))
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    out = Path(argv[1])
    try:
        data = icns([Path(p) for p in argv[2:]])
    except (OSError, ValueError) as e:
        print(f"make_icns.py: {e}", file=sys.stderr)
        return 1
    out.write_bytes(data)
    print(f"wrote {out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
