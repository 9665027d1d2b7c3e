# mj-report for the web and for every reader: report.html is one
# self-contained, accessible page that Chromium renders (desktop and phone
# widths, no horizontal scroll on a phone, the PDF's table cells in its DOM)
# in every language; the PDF is tagged, with its title, language and the
# figures' alternative text; the SVG charts carry their words.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
PY=/usr/bin/python3

# Uzbek with small counts hidden, to see the marks on the page.
for lang in en ru uz uz-Cyrl; do
  opt=()
  [ "$lang" = uz ] && opt=(--min-cell 20)
  expect_status 0 mj-report --quiet --lang "$lang" "${opt[@]}" -o "$TMP/$lang" "$S"
  [ -s "$TMP/$lang/report.html" ] || fail "$lang: no report.html"
done
H=$TMP/en/report.html

# Self-contained: no script, nothing loaded from anywhere (a url() only to
# an id of the page's own charts).
for f in "$TMP"/*/report.html; do
  grep -qiE '<script|<link|<img|<iframe|<object|src=|@import' "$f" &&
    fail "$f loads or runs something: $(grep -oiE '<script|<link|<img|<iframe|<object|src=|@import' "$f" | head -1)"
  grep -oE 'url\([^)]*\)' "$f" | grep -qv '^url(#' && fail "$f: url() to something outside the page"
  addr=$(grep -oiE '(https?:)?//[a-z0-9.-]+[^" ]*' "$f" | grep -vE '^http://www\.w3\.org/' | head -1)
  [ -z "$addr" ] || fail "$f names an address: $addr"
done

# The page's structure, read by an independent parser: the language, one
# h1 and no skipped heading level, every table with a caption and header
# cells with a scope, every chart an SVG image with a title and a
# description, unique ids, a print style and a phone's viewport.
if [ -x "$PY" ]; then
  for lang in en ru uz uz-Cyrl; do
    "$PY" - "$TMP/$lang/report.html" "$lang" <<'PYEOF' || fail "$lang: report.html structure"
import sys
from html.parser import HTMLParser
path, lang = sys.argv[1], sys.argv[2]
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []; self.ids = {}; self.lang = None; self.h = []
        self.tables = 0; self.captions = 0; self.th = 0; self.th_scoped = 0
        self.svgs = []; self.titles = set(); self.labelled = []
        self.style = ""; self.viewport = False; self.in_style = False
        self.svg_depth = 0; self.texts = {}; self.cur_id = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            assert a["id"] not in self.ids, "duplicate id " + a["id"]
            self.ids[a["id"]] = tag
        if tag == "html": self.lang = a.get("lang")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"): self.h.append(int(tag[1]))
        if tag == "table": self.tables += 1
        if tag == "caption": self.captions += 1
        if tag == "th":
            self.th += 1
            if a.get("scope") in ("col", "row"): self.th_scoped += 1
        if tag == "svg":
            self.svg_depth += 1
            if self.svg_depth == 1:
                self.svgs.append(a)
        if tag == "title" and self.svg_depth: self.titles.add(a.get("id"))
        if tag == "style": self.in_style = True
        if tag == "meta" and a.get("name") == "viewport": self.viewport = "width=device-width" in a.get("content", "")
        self.cur_id.append(a.get("id"))
    def handle_endtag(self, tag):
        if tag == "svg": self.svg_depth -= 1
        if tag == "style": self.in_style = False
        if self.cur_id: self.cur_id.pop()
    def handle_data(self, d):
        if self.in_style: self.style += d
        for i in self.cur_id:
            if i: self.texts[i] = self.texts.get(i, "") + d
p = P()
p.feed(open(path, encoding="utf-8").read())
assert p.lang == lang, ("lang", p.lang)
assert p.h and p.h[0] == 1 and p.h.count(1) == 1, ("h1", p.h)
for a, b in zip(p.h, p.h[1:]):
    assert b <= a + 1, ("heading level skipped", p.h)
assert p.tables >= 11 and p.captions == p.tables, ("tables/captions", p.tables, p.captions)
assert p.th > 0 and p.th_scoped == p.th, ("th scope", p.th, p.th_scoped)
assert len(p.svgs) >= 10, ("charts", len(p.svgs))
for s in p.svgs:
    assert s.get("role") == "img", s
    t, d = s.get("aria-labelledby"), s.get("aria-describedby")
    assert t in p.titles and p.texts.get(t, "").strip(), ("svg title", t)
    assert d in p.ids and len(p.texts.get(d, "").strip()) > 20, ("svg description", d)
assert "@media print" in p.style, "no print style"
assert p.viewport, "no viewport"
PYEOF
  done
fi
grep -qF '<td>10,927</td>' "$H" || fail "report.html: the total 10,927 not in a cell"
grep -qF 'Surkhandarya region' "$H" || fail "report.html lacks Surkhandarya region"
grep -qF '<td>899</td>' "$H" || fail "report.html lacks 899"
grep -qF "$(printf '<td>10\302\240927</td>')" "$TMP/ru/report.html" ||
  fail "ru: 10 927 (with a no-break space) not in a cell"
grep -qF 'Отчёт об обращениях' "$TMP/ru/report.html" || fail "ru: title"
grep -qF "Murojaatlar boʻyicha hisobot" "$TMP/uz/report.html" || fail "uz: title"
grep -qF 'Мурожаатлар бўйича ҳисобот' "$TMP/uz-Cyrl/report.html" || fail "uz-Cyrl: title"

# Suppression marks as in the PDF.
grep -qF '<td>&lt;20</td>' "$TMP/uz/report.html" || fail "report.html shows no <20 mark"
if command -v pdftotext >/dev/null; then
  pdftotext -layout "$TMP/uz/report.pdf" - 2>/dev/null | grep -qF '<20' ||
    fail "report.pdf shows no <20 mark"
fi

# The tagged PDF: structure, title, language, figures with words.
if command -v pdfinfo >/dev/null; then
  for lang in en ru uz uz-Cyrl; do
    P=$TMP/$lang/report.pdf
    pdfinfo "$P" >"$TMP/info" 2>"$TMP/infoerr" || fail "$lang: pdfinfo failed"
    [ -s "$TMP/infoerr" ] && fail "$lang: pdfinfo complains: $(head -2 "$TMP/infoerr")"
    grep -q '^Tagged: *yes' "$TMP/info" || fail "$lang: report.pdf is not tagged"
    # Russian and Uzbek write their dates 01.01.2023.
    grep -qE '^Title: *.*(2023-01-01|01\.01\.2023)' "$TMP/info" || fail "$lang: report.pdf has no title"
    grep -qaF "/Lang ($lang)" "$P" || fail "$lang: report.pdf does not say its language"
    grep -qaF "/DisplayDocTitle true" "$P" || fail "$lang: viewers are not told to show the title"
    pdfinfo -struct-text "$P" >"$TMP/struct" 2>/dev/null || fail "$lang: pdfinfo -struct-text"
    for tag in H1 H2 P Table TR TH TD Figure; do
      grep -qE "^ *$tag( |\$)" "$TMP/struct" || fail "$lang: no $tag in the PDF's structure"
    done
  done
  if [ -x "$PY" ]; then
    "$PY" - "$TMP/en/report.pdf" <<'PYEOF' || fail "report.pdf: figures' alternative text"
import re, sys
d = open(sys.argv[1], "rb").read()
alts = [bytes.fromhex(h.decode()).decode("utf-16-be")
        for h in re.findall(rb"/Alt <FEFF([0-9A-F]*)>", d)]
figs = len(set(re.findall(rb"\n(\d+) 0 obj\n<< /Type /StructElem\n   /S /Figure", d)))
assert figs >= 10 and len(alts) == figs, (figs, len(alts))
assert any("the largest: psychological 4,642 (42.5%)" in a for a in alts), alts
assert any(a.startswith("Appeals by region") for a in alts), alts
PYEOF
  fi
  pdftotext "$TMP/en/report.pdf" - 2>/dev/null | grep -qF "10,927 rows read" ||
    fail "the updated PDF no longer reads as text"
fi

# SVG charts: one image with a label, a title, and the data in words.
V=$TMP/en/charts/violence.svg
grep -qF 'role="img"' "$V" || fail "violence.svg: no role=img"
grep -qF 'aria-label="Appeals by type of violence"' "$V" || fail "violence.svg: no aria-label"
grep -qF '<title>Appeals by type of violence</title>' "$V" || fail "violence.svg: no title"
grep -qF 'Psychological: 4,642 (42.5%)' "$V" || fail "violence.svg: the data not in words"
grep -qF '<title>Обращения по видам насилия</title>' "$TMP/ru/charts/violence.svg" ||
  fail "ru violence.svg: no Russian title"

# In a real browser.
if command -v chromium >/dev/null; then
  chrome() {
    timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic \
      --no-first-run --disable-background-networking --disable-component-update \
      --disable-sync --user-data-dir="$(mktemp -d "$TMP/profile.XXXXXX")" "$@" 2>>"$TMP/chrome.log"
  }
  # Not blank: a screenshot of the page is far larger than one of an empty
  # page (at the wider width, so the larger of the two).
  printf '<!DOCTYPE html><html lang="en"><title>blank</title></html>\n' >"$TMP/blank.html"
  chrome --screenshot="$TMP/blank.png" --window-size=1280,2000 "file://$TMP/blank.html" >/dev/null
  blank=$(stat -c %s "$TMP/blank.png")
  for w in 1280 360; do
    for lang in en ru; do
      png=$TMP/$lang-$w.png
      chrome --screenshot="$png" --window-size=$w,2000 "file://$TMP/$lang/report.html" >/dev/null
      [ -s "$png" ] || { fail "$lang: no screenshot at $w px"; continue; }
      # PNG: the width is the 4 bytes at offset 16.
      got=$(od -An -tu1 -j16 -N4 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
      [ "$got" = "$w" ] || fail "$lang: screenshot is $got px wide, not $w"
      size=$(stat -c %s "$png")
      [ "$size" -gt $((blank * 5)) ] || fail "$lang: the page looks blank at $w px ($size bytes)"
      # Kept for a person to look at: MJ_WEB_SHOTS=DIR.
      [ -n "${MJ_WEB_SHOTS:-}" ] && cp "$png" "$MJ_WEB_SHOTS/"
    done
  done
  # No horizontal scroll on a 360-pixel phone, in every language: a page
  # made for this test only holds each report in a frame 360 pixels wide
  # (the frame is the report's viewport; a headless window is never that
  # narrow) and writes each one's widths into its title for --dump-dom.
  {
    printf '<!DOCTYPE html><html><head><title>probe</title><script>\n'
    printf 'var out=[],n=0;function done(f){var e=f.contentDocument.documentElement;'
    printf 'out.push(f.name+":"+e.scrollWidth+"/"+e.clientWidth+"/"+f.contentDocument.body.scrollWidth);'
    printf 'if(++n==4)document.title="W "+out.sort().join(" ");}\n</script></head><body>\n'
    for lang in en ru uz uz-Cyrl; do
      printf '<iframe name="%s" src="%s/report.html" style="width:360px;height:1000px;border:0" onload="done(this)"></iframe>\n' "$lang" "$lang"
    done
    printf '</body></html>\n'
  } >"$TMP/probe.html"
  chrome --dump-dom --allow-file-access-from-files --window-size=1600,1200 \
    "file://$TMP/probe.html" >"$TMP/probe.dom"
  widths=$(sed -n 's|.*<title>W \([^<]*\)</title>.*|\1|p' "$TMP/probe.dom" | head -1)
  n=0
  for item in $widths; do
    lang=${item%%:*}
    IFS=/ read -r scroll client body <<<"${item#*:}"
    n=$((n + 1))
    [ "$client" -le 360 ] && [ "$client" -ge 300 ] || fail "$lang: viewport $client px, not a phone's"
    [ "$scroll" -le "$client" ] || fail "$lang: scrolls sideways at 360 px ($scroll > $client)"
    [ "$body" -le "$client" ] || fail "$lang: the body is wider than the phone ($body > $client)"
  done
  [ "$n" -eq 4 ] || fail "widths of $n pages of 4 from the browser: $widths"
  # The DOM as the browser built it holds the PDF's table cells, in order.
  chrome --dump-dom --window-size=1280,2000 "file://$H" >"$TMP/en.dom"
  for v in '10,927' '10,696' '4,642' 'Surkhandarya region' '5,535' 'husband and wife'; do
    grep -qF -- "$v" "$TMP/en.dom" || fail "the DOM lacks $v"
  done
  if [ -x "$PY" ] && command -v pdfinfo >/dev/null; then
    pdfinfo -struct-text "$TMP/en/report.pdf" >"$TMP/struct" 2>/dev/null
    "$PY" - "$TMP/struct" "$TMP/en.dom" <<'PYEOF' || fail "the page's cells differ from the PDF's"
import html, re, sys
norm = lambda s: " ".join(html.unescape(s).replace("\u00a0", " ").split())
# The PDF's data cells: each TD and the quoted text under it (if any).
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
pdf = []
for i, l in enumerate(lines):
    if l.strip() == "TD":
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        pdf.append(norm(nxt[1:-1]) if nxt.startswith('"') else "")
dom = [norm(re.sub(r"<[^>]*>", "", c))
       for c in re.findall(r"<td[^>]*>(.*?)</td>", open(sys.argv[2], encoding="utf-8").read(), re.S)]
dom_shown = [c for c in dom if c]
pdf_shown = [c for c in pdf if c]
assert len(pdf_shown) > 200, len(pdf_shown)
assert pdf_shown == dom_shown, next((k, a, b) for k, (a, b) in enumerate(zip(pdf_shown, dom_shown)) if a != b) if len(pdf_shown) == len(dom_shown) else (len(pdf_shown), len(dom_shown))
PYEOF
  fi
else
  echo "web: chromium not installed; browser checks skipped (MJ_TEST=1 scripts/setup.sh installs it)" >&2
fi
finish
