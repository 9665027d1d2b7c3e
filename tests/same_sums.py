#!/usr/bin/python3
"""Checksums of the outputs scripts/same-outputs.sh writes, so a test can
prove that a refactoring leaves every output as it was.

Usage: same_sums.py OUTDIR                 print the sums (to record them)
       same_sums.py OUTDIR --check SUMS    compare with recorded sums

Each output gives one or two lines, "KIND SHA256 PATH":
  text    what the reader gets, whatever draws the glyphs: tables, summaries,
          workbook parts as they are; a PDF's words (pdftotext, spaces
          collapsed); a web page without its drawn charts (<svg> blocks).
  render  the file's exact bytes, for PDF, PNG, SVG and HTML, which also
          depend on the versions of Cairo, Pango and the fonts.
  pixels  a PNG's pixels, decoded here (zlib and the PNG row filters), not
          its bytes: a change of how PNGs are compressed changes their
          render lines and must leave these as they were.
The first line, "stamp ...", names those versions (MJ_RENDER_STAMP, set by
the test from meson, plus the font files fontconfig picks). Render and
pixels lines are compared only when the stamp is the recorded one, so the
test still proves the text elsewhere and does not fail on a machine with
another Cairo.
"""
import hashlib
import os
import re
import struct
import subprocess
import sys
import zlib

RENDERED = (".pdf", ".png", ".svg", ".html")


def stamp():
    fonts = " ".join(
        subprocess.run(["fc-match", "-f", "%{family}:%{style}:%{fontversion}",
                        p], capture_output=True, text=True).stdout.strip()
        for p in ("DejaVu Sans", "DejaVu Sans:bold", "DejaVu Sans:italic"))
    return "stamp %s fonts=%s" % (os.environ.get("MJ_RENDER_STAMP", "?"),
                                  fonts.replace(" ", "_"))


def sha(data):
    return hashlib.sha256(data).hexdigest()


def text_of(path, data):
    """The words of a rendered output, or None when it has none to compare."""
    if path.endswith(".pdf"):
        words = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"],
                               capture_output=True, check=True).stdout
        return b" ".join(words.split())
    if path.endswith(".html"):
        return re.sub(rb"<svg\b.*?</svg>", b"<svg/>", data, flags=re.S)
    return None


def unfilter(f, row, prev, bpp):
    """A PNG row with its filter (1 to 4) undone, given the row above."""
    r = bytearray(row)
    for x in range(len(r)):
        a = r[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1:
            p = a
        elif f == 2:
            p = b
        elif f == 3:
            p = (a + b) >> 1
        else:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            p = a if pa <= pb and pa <= pc else b if pb <= pc else c
        r[x] = (r[x] + p) & 255
    return bytes(r)


def png_pixels(data):
    """The pixels of a PNG of 8-bit samples, not interlaced (as the charts
    are), row after row with the colour type and size in front; None for
    any other PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    at, ihdr, idat = 8, None, []
    while at + 8 <= len(data):
        n, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IHDR":
            ihdr = data[at + 8:at + 8 + n]
        elif kind == b"IDAT":
            idat.append(data[at + 8:at + 8 + n])
        at += 12 + n
    if not ihdr or len(ihdr) != 13:
        return None
    w, h, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", ihdr)
    bpp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour)
    if depth != 8 or interlace or not bpp:
        return None
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    rows, prev = [ihdr[:10]], bytes(stride)
    for y in range(h):
        at = y * (stride + 1)
        row = raw[at + 1:at + 1 + stride]
        if raw[at]:
            row = unfilter(raw[at], row, prev, bpp)
        rows.append(row)
        prev = row
    return b"".join(rows)


def sums(outdir):
    lines = [stamp()]
    for root, _, files in os.walk(outdir):
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, outdir)
            with open(path, "rb") as f:
                data = f.read()
            if path.endswith(RENDERED):
                words = text_of(path, data)
                if words is not None:
                    lines.append("text %s %s" % (sha(words), rel))
                lines.append("render %s %s" % (sha(data), rel))
                pixels = png_pixels(data) if path.endswith(".png") else None
                if pixels is not None:
                    lines.append("pixels %s %s" % (sha(pixels), rel))
            else:
                lines.append("text %s %s" % (sha(data), rel))
    return [lines[0]] + sorted(lines[1:], key=lambda l: (l.split()[2], l))


def check(got, want_file):
    with open(want_file, encoding="utf-8") as f:
        want = [l.rstrip("\n") for l in f if l.strip()]
    same_stamp = got[0] == want[0]
    kinds = ("text", "render", "pixels") if same_stamp else ("text",)
    pick = lambda ls: {(l.split()[0], l.split()[2]): l.split()[1]
                       for l in ls[1:] if l.split()[0] in kinds}
    g, w = pick(got), pick(want)
    bad = 0
    for key in sorted(set(g) | set(w)):
        if key not in g:
            print("missing output: %s (%s)" % (key[1], key[0]))
        elif key not in w:
            print("new output: %s (%s)" % (key[1], key[0]))
        elif g[key] != w[key]:
            print("changed: %s (%s)" % (key[1], key[0]))
        else:
            continue
        bad += 1
    if not same_stamp:
        print("note: rendering libraries differ from the recorded ones "
              "(%s, recorded %s): compared text only" % (got[0], want[0]))
    print("%d of %d outputs compared differ" % (bad, len(w)))
    return bad == 0


def main():
    outdir = sys.argv[1]
    got = sums(outdir)
    if len(sys.argv) == 4 and sys.argv[2] == "--check":
        sys.exit(0 if check(got, sys.argv[3]) else 1)
    print("\n".join(got))


main()
