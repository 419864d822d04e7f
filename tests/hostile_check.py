#!/usr/bin/python3
# hostile_check.py FORMAT REPORT [STDERR] - does a report that was fed
# hostile names still keep its format's promise?
#
#   every format  strict UTF-8
#   text, nagios, prometheus, and STDERR: no control character (C0 but
#                 newline, DEL, C1) and no bidi override or isolate, so
#                 no escape sequence can reach a terminal
#   json, sarif   one JSON document; no string in it holds such a character
#   junit         well-formed XML (xml.etree), readable by junitparser; no
#                 attribute or text holds such a character
#   nagios        starts with the status line
# Prints the first problem and exits 1; exits 0 when there is none.
import json
import sys
import xml.etree.ElementTree as ET


def clean(s, where):
    for ch in s:
        c = ord(ch)
        if ((c < 0x20 and ch != "\n") or 0x7F <= c < 0xA0 or
                0x202A <= c <= 0x202E or 0x2066 <= c <= 0x2069):
            sys.exit("%s: raw U+%04X in %r" % (where, c, s[:120]))


def strings(v):
    if isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif isinstance(v, str):
        yield v


def main():
    fmt, path = sys.argv[1], sys.argv[2]
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        sys.exit("%s: invalid UTF-8: %s" % (fmt, e))
    if len(sys.argv) > 3:
        try:
            clean(open(sys.argv[3], "rb").read().decode("utf-8"), "stderr")
        except UnicodeDecodeError as e:
            sys.exit("stderr: invalid UTF-8: %s" % e)
    if fmt in ("text", "nagios", "prometheus"):
        clean(text, fmt)
    if fmt in ("json", "sarif"):
        for s in strings(json.loads(text)):
            clean(s, fmt + " string")
    if fmt == "junit":
        root = ET.fromstring(raw)
        if root.tag not in ("testsuites", "testsuite"):
            sys.exit("junit: root element %s" % root.tag)
        for el in root.iter():
            for s in list(el.attrib.values()) + [el.text or ""]:
                clean(s.replace("\n", " "), "junit")
        from junitparser import JUnitXml
        JUnitXml.fromfile(path)
    if fmt == "nagios" and not text.startswith("BWCERTCHECK "):
        sys.exit("nagios: no status line first: %r" % text[:60])


if __name__ == "__main__":
    main()
