#!/usr/bin/env python3
"""Make assets/fonts/DroidSansFallback-CJK.ttf: Droid Sans Fallback reduced to common CJK.

The full font (Debian fonts-droid-fallback, DroidSansFallbackFull.ttf, Apache-2.0) is 4 MB;
the exports only need it for names and free text in Chinese and Japanese. This keeps the
characters of GB 2312, JIS X 0208 and Big5 level 1 plus CJK punctuation, kana extensions and
full-width forms (about 10,800 characters, 1.5 MB).

Needs fontTools (Debian: python3-fonttools). Usage:
    /usr/bin/python3 tools/subset_cjk_font.py [/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf]
"""

import os
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
TARGET = os.path.join(os.path.dirname(__file__), "..", "assets", "fonts", "DroidSansFallback-CJK.ttf")


def charset(encoding, first_bytes, second_bytes):
    chars = set()
    for hi in first_bytes:
        for lo in second_bytes:
            try:
                chars.add(bytes([hi, lo]).decode(encoding))
            except UnicodeDecodeError:
                pass
    return chars


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else SOURCE
    cmap = TTFont(source).getBestCmap()
    wanted = (
        charset("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))
        | charset("euc_jp", range(0xA1, 0xF5), range(0xA1, 0xFF))
        | charset("big5", range(0xA1, 0xC7), range(0x40, 0xFF))
        | {chr(c) for c in range(0x3000, 0x3100)}  # CJK punctuation, hiragana, katakana
        | {chr(c) for c in range(0x31F0, 0x3200)}  # katakana phonetic extensions
        | {chr(c) for c in range(0xFF00, 0xFFF0)}  # full-width and half-width forms
    )
    text = "".join(sorted(c for c in wanted if ord(c) in cmap))
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    font = subset.load_font(source, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    subset.save_font(font, TARGET, options)
    print(f"{TARGET}: {len(text)} characters, {os.path.getsize(TARGET)} bytes")


if __name__ == "__main__":
    main()
