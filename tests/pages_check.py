"""pages_check.py - read the html and markdown reports as their consumers
do, for tests/cli/pages.sh and tests/integration/pages.sh.

    pages_check.py html FILE EXPECT.json       the page, parsed strictly by html5lib
    pages_check.py dom FILE EXPECT.json        Chromium's --dump-dom of the page
    pages_check.py png FILE                    a screenshot that is not blank
    pages_check.py md HTMLFILE EXPECT.json     the Markdown, rendered by cmark-gfm -e table
    pages_check.py mdplain HTMLFILE EXPECT.json  ... by plain cmark (no tables)

EXPECT.json holds what the run must show: "rows" (subject names, most
urgent first; "md_rows" when the Markdown names them otherwise),
"results" (their data-result), "counts" (by result),
"marks" (name -> shapes on the timeline), "texts" (strings that must
appear as text, never as markup), and for md "cells" (question ->
answer of the questionnaire tables) and "sections".  Each failed check
prints "FAIL: why"; the exit status is the number of failures.
"""
import json
import struct
import sys
import zlib

import html5lib

FAILS = []


def check(cond, why):
    if not cond:
        FAILS.append(why)


def text_of(el):
    return "".join(el.itertext())


def parse(path, strict):
    with open(path, "rb") as f:
        data = f.read()
    parser = html5lib.HTMLParser(strict=strict, namespaceHTMLElements=False)
    try:
        return parser.parse(data)
    except html5lib.html5parser.ParseError as e:
        FAILS.append("not well-formed HTML: %s" % e)
        return html5lib.parse(data, namespaceHTMLElements=False)


def local(tag):
    return tag.split("}")[-1] if isinstance(tag, str) else ""


def els(doc, name):
    """Every element called name, HTML or SVG."""
    return [el for el in doc.iter() if local(el.tag) == name]


def no_active_content(doc, page):
    """Nothing that runs, and nothing fetched from anywhere."""
    bad = {"script", "img", "iframe", "object", "embed", "link", "base",
           "form", "audio", "video", "source", "frame"}
    for el in doc.iter():
        tag = local(el.tag)
        check(tag not in bad, "a <%s> element: %s" % (tag, text_of(el)[:80]))
        for k, v in el.attrib.items():
            name = local(k).lower()
            check(not name.startswith("on"), "event attribute %s=%r" % (k, v))
            if name in ("href", "src", "action", "srcset", "poster"):
                check(v.startswith("#") or (not page and v.startswith("http")),
                      "external reference %s=%r" % (k, v))
            if name == "style" or tag == "style":
                css = (v if name == "style" else (el.text or "")).lower()
                check("@import" not in css, "@import in a style")
                check(css.replace("url(#", "").find("url(") < 0,
                      "url() to outside in a style: %r" % css[:80])
        if tag == "style":
            css = (el.text or "").lower()
            check("@import" not in css and
                  css.replace("url(#", "").find("url(") < 0,
                  "a style fetches something")


def check_page(doc, want, strict_page):
    if strict_page:
        metas = [m for m in els(doc, "meta")
                 if m.get("http-equiv", "").lower() == "content-security-policy"]
        check(metas and "default-src 'none'" in metas[0].get("content", ""),
              "no Content-Security-Policy default-src 'none'")
    no_active_content(doc, True)
    rows = [tr for tr in els(doc, "tr") if "subject" in tr.get("class", "").split()]
    names = [tr.get("data-name") for tr in rows]
    check(names == want["rows"], "rows %r, expected %r" % (names, want["rows"]))
    results = [tr.get("data-result") for tr in rows]
    check(results == want["results"],
          "results %r, expected %r" % (results, want["results"]))
    for tr in rows:
        # The row names the subject as text, and the next row expands it.
        check(tr.get("data-name") in text_of(tr), "row lacks its name as text")
    details = [d for d in els(doc, "details")
               if "subject-detail" in d.get("class", "").split()]
    check(len(details) == len(rows),
          "%d subject <details>, %d rows" % (len(details), len(rows)))
    for d in details:
        fails = [tr for tr in d.iter() if local(tr.tag) == "tr" and
                 tr.get("data-status") == "fail"]
        for tr in fails:
            check("fix:" in text_of(tr), "a failed rule without its fix: %s"
                  % text_of(tr)[:100])
    counts = {li.get("data-result"): text_of(li) for li in els(doc, "li")
              if "count" in li.get("class", "").split()}
    for res, n in want["counts"].items():
        got = counts.get(res, "")
        check(got.strip().startswith(str(n) + " "),
              "summary count %s: %r, expected %d" % (res, got, n))
    bar = [d for d in els(doc, "div") if "bar" in d.get("class", "").split()]
    check(len(bar) == 1 and len(list(bar[0])) == sum(
        1 for n in want["counts"].values() if n > 0),
        "summary bar segments")
    marks = {}
    for g in els(doc, "g"):
        if "row" in g.get("class", "").split():
            marks[g.get("data-name")] = [
                m.get("data-shape") for m in els(g, "g")
                if "mark" in m.get("class", "").split()]
    for name, shapes in want["marks"].items():
        check(marks.get(name) == shapes,
              "timeline marks of %r: %r, expected %r"
              % (name, marks.get(name), shapes))
    check(len(marks) == len(want["marks"]),
          "timeline rows %r, expected %r" % (sorted(marks), sorted(want["marks"])))
    windows = [r for r in els(doc, "rect") if "window" in r.get("class", "").split()]
    check(len(windows) >= 1, "no --warn-days window on the timeline")
    body = text_of(doc.find("body"))
    for t in want["texts"]:
        check(t in body, "text %r not shown as text" % t)


def png_pixels(path):
    """Decode an 8-bit RGB/RGBA non-interlaced PNG into rows of bytes."""
    with open(path, "rb") as f:
        data = f.read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG")
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        FAILS.append("unexpected PNG format %r" % (hdr,))
        return w, h, 0, []
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        ft, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ft == 1:
                line[x] = (line[x] + a) & 255
            elif ft == 2:
                line[x] = (line[x] + b) & 255
            elif ft == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pr) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def check_png(path):
    w, h, bpp, rows = png_pixels(path)
    if not rows:
        return
    colours, ink = set(), 0
    for line in rows[::4]:
        for x in range(0, w * bpp, bpp * 4):
            px = bytes(line[x:x + 3])
            colours.add(px)
            if px != b"\xff\xff\xff":
                ink += 1
    sampled = len(rows[::4]) * len(range(0, w * bpp, bpp * 4))
    check(len(colours) >= 16, "screenshot has %d colours: blank?" % len(colours))
    check(ink * 100 >= sampled * 3,
          "screenshot is %.1f%% ink: blank?" % (100.0 * ink / max(sampled, 1)))


def check_md(doc, want):
    no_active_content(doc, False)
    h1 = [text_of(h) for h in els(doc, "h1")]
    check(len(h1) == 1 and want["verdict"] in h1[0], "h1 %r" % h1)
    tables = list(els(doc, "table"))
    check(len(tables) >= 1, "no table rendered")
    if tables:
        head = [text_of(th) for th in els(tables[0], "th")]
        body = [[text_of(td) for td in els(tr, "td")]
                for tr in els(tables[0], "tr") if els(tr, "td")]
        names = [r[1] for r in body]
        rows = want.get("md_rows", want["rows"])
        check(rows is None or names == rows,
              "overview rows %r, expected %r" % (names, rows))
        check(all(len(r) == len(head) for r in body), "overview row widths")
    h2 = [text_of(h) for h in els(doc, "h2")]
    for s in want["sections"]:
        check(s in h2, "no section %r in %r" % (s, h2))
    answers = {}
    for t in tables:
        head = [text_of(th) for th in els(t, "th")]
        if head[:1] != ["Question"]:
            continue
        for tr in els(t, "tr"):
            tds = [text_of(td) for td in els(tr, "td")]
            if len(tds) == 2:
                answers.setdefault(tds[0], []).append(tds[1])
    for q, a in want["cells"].items():
        check(a in answers.get(q, []),
              "questionnaire %r: %r, expected %r among them"
              % (q, answers.get(q), a))
    body = text_of(doc.find("body"))
    for t in want["texts"]:
        check(t in body, "text %r not shown as text" % t)


def main():
    mode, path = sys.argv[1], sys.argv[2]
    want = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else {}
    if mode == "html":
        check_page(parse(path, True), want, True)
    elif mode == "dom":
        check_page(parse(path, False), want, False)
    elif mode == "png":
        check_png(path)
    elif mode == "md":
        check_md(parse(path, False), want)
    elif mode == "mdplain":
        doc = parse(path, False)
        no_active_content(doc, False)
        body = text_of(doc.find("body"))
        for t in want["texts"]:
            check(t in body, "text %r not shown as text" % t)
    for f in FAILS:
        print("FAIL:", f)
    sys.exit(min(len(FAILS), 100))


main()
