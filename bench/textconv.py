"""Plain text out of roff man pages and HTML manuals, cut into documents.

Deliberately simple: the benchmark needs realistic Japanese prose of known
size, not a faithful renderer. Macros and tags go; their text stays.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import ClassVar

#: roff requests whose arguments are text a reader sees (headings, fonts, list tags).
_ROFF_TEXT_REQUESTS = {"SH", "SS", "B", "I", "BR", "BI", "IB", "IR", "RB", "RI", "SM",
                       "SB", "TP", "IP", "HP", "UR", "MT", "Nm", "Nd", "Sh", "Ss", "Dt"}
_ROFF_ESCAPES = [
    (re.compile(r"\\f(?:\[[^\]]*\]|\([A-Za-z]{2}|[A-Za-z0-9])"), ""),  # font changes
    (re.compile(r"\\s[+-]?\d"), ""),                                   # size changes
    (re.compile(r"\\\*(?:\[[^\]]*\]|\(..|.)"), ""),                    # strings
    (re.compile(r"\\\((?:em|en)"), "—"),
    (re.compile(r"\\\((?:lq|rq|dq)"), '"'),
    (re.compile(r"\\\((?:aq|oq|cq)"), "'"),
    (re.compile(r"\\\(bu"), "・"),
    (re.compile(r"\\\(..|\\\[[^\]]*\]"), ""),                          # other glyphs
    (re.compile(r"\\[-]"), "-"),
    (re.compile(r"\\[&|^:%c]"), ""),                                   # zero-width
    (re.compile(r"\\[e\\]"), "\\\\"),
    (re.compile(r"\\ "), " "),
]


def _roff_inline(line: str) -> str:
    for pattern, replacement in _ROFF_ESCAPES:
        line = pattern.sub(replacement, line)
    return line


def roff_to_text(source: str) -> str:
    """A man page's visible text: comments and layout requests dropped, escapes folded.

    >>> roff_to_text('.\\\\" c\\n.TH LS 1\\n.SH 名前\\n'
    ...              'ls \\\\- \\\\fBlist\\\\fP files\\n.PP\\n次の段落')
    '名前\\nls - list files\\n\\n次の段落'
    """
    lines: list[str] = []
    for raw in source.splitlines():
        if raw.startswith(('.\\"', "'\\\"", '.\\#')) or raw.strip() in (".", "'"):
            continue
        if raw.startswith((".", "'")):
            request, _, rest = raw[1:].strip().partition(" ")
            if request in _ROFF_TEXT_REQUESTS and rest.strip():
                lines.append(_roff_inline(rest.replace('"', "")).strip())
            elif request in {"PP", "LP", "P", "sp", "SH", "SS", "TP", "IP", "HP", "Pp"}:
                lines.append("")
            continue
        lines.append(_roff_inline(raw).rstrip())
    return _squeeze_blank_lines("\n".join(lines))


class _HtmlText(HTMLParser):
    BLOCK: ClassVar[set[str]] = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5",
                                 "h6", "pre", "dt", "dd", "table", "section", "blockquote",
                                 "title"}
    SKIP: ClassVar[set[str]] = {"script", "style", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(source: str) -> str:
    """The visible text of an HTML page, block elements as paragraph breaks.

    >>> html_to_text("<html><head><title>t</title></head><body><p>一つ目</p><p>二つ<b>目</b></p>"
    ...              "<script>x()</script></body></html>")
    '一つ目\\n\\n二つ目'
    """
    parser = _HtmlText()
    parser.feed(source)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return _squeeze_blank_lines("\n".join(lines))


def _squeeze_blank_lines(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def split_documents(text: str, max_chars: int = 3000, min_chars: int = 200) -> list[str]:
    """Paragraphs packed into documents of at most ``max_chars`` (longer paragraphs cut).

    Pieces shorter than ``min_chars`` are dropped: a heading alone is not a document.

    >>> [len(d) for d in split_documents("あ" * 50 + "\\n\\n" + "い" * 50 + "\\n\\n" + "う" * 120,
    ...                                  max_chars=110, min_chars=60)]
    [102, 110]
    """
    documents: list[str] = []
    current = ""
    for paragraph in (p.strip() for p in text.split("\n\n")):
        if not paragraph:
            continue
        while len(paragraph) > max_chars:  # one huge paragraph: cut it
            if current:
                documents.append(current)
                current = ""
            documents.append(paragraph[:max_chars])
            paragraph = paragraph[max_chars:]
        if current and len(current) + 2 + len(paragraph) > max_chars:
            documents.append(current)
            current = ""
        current = f"{current}\n\n{paragraph}" if current else paragraph
    if current:
        documents.append(current)
    return [doc for doc in documents if len(doc) >= min_chars]
