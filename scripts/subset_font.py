#!/usr/bin/env python3
"""Regenerates assets/fonts/NotoSansSC-Subset.otf: the Simplified Chinese face of Noto Sans CJK
(OFL), cut down to the GB2312 character set plus every character in scenarios/, src/ and docs/.
Run it after adding scenario text with characters outside GB2312.

Needs Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk) and fontTools (pip install fonttools).
"""
import glob
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
TARGET = "assets/fonts/NotoSansSC-Subset.otf"


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.chdir(root)
    fonts = TTCollection(SOURCE).fonts
    face = next((f for f in fonts if f["name"].getDebugName(4) == "Noto Sans CJK SC"), None)
    if face is None:
        sys.exit("Noto Sans CJK SC not found in " + SOURCE)
    chars = set()
    for hi in range(0xA1, 0xF8):  # GB2312 rows
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    chars.update(chr(c) for c in range(0x20, 0x7F))
    chars.update(chr(c) for c in range(0x3000, 0x3040))  # CJK punctuation
    chars.update(chr(c) for c in range(0xFF00, 0xFFF0))  # full-width forms
    chars.update("¥…—–“”‘’·•★☆")
    files = glob.glob("scenarios/**/*.ron", recursive=True)
    for top in ("src", "crates"):
        files += glob.glob(f"{top}/**/*.rs", recursive=True)
        files += glob.glob(f"{top}/**/*.js", recursive=True) + glob.glob(f"{top}/**/*.css", recursive=True)
    files += glob.glob("docs/*.md")
    for path in files:
        with open(path, encoding="utf-8") as f:
            chars.update(f.read())
    chars = {c for c in chars if ord(c) >= 0x20}
    options = subset.Options()
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(face)
    face.save(TARGET)
    print(f"{TARGET}: {len(chars)} characters, {os.path.getsize(TARGET)} bytes")


if __name__ == "__main__":
    main()
