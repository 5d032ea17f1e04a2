"""HTML: main text without navigation, menus and footers; ``<title>`` kept; charset verified.

The page's ``<meta charset>`` (or ``http-equiv`` content type) is passed to
:func:`~kiyome.transforms.ingest.encoding.decode` as a *declared* charset: it wins
ties, but a page that declares Shift_JIS and is really UTF-8 is read as UTF-8, and
``declared_encoding`` in the metadata records the lie.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from kiyome.transforms.ingest.encoding import decode, same_encoding
from kiyome.transforms.ingest.formats.base import Extracted, ReadContext

EXTENSIONS = (".html", ".htm", ".xhtml")

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


class _MainTextParser(HTMLParser):
    """Collects visible text outside navigation, scripts and page furniture."""

    SKIPPED = frozenset({"script", "style", "noscript", "nav", "header", "footer", "aside",
                         "template", "svg", "form", "button", "select"})
    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "section", "article", "table", "ul", "ol", "dd", "dt", "pre",
                        "blockquote", "td", "th"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.SKIPPED:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skip_depth:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """Main text and ``<title>`` of an HTML page; navigation, menus and footers dropped.

    >>> html_to_text("<title>社内報</title><nav>ホーム</nav><p>本文です。</p><footer>©</footer>")
    ('本文です。', '社内報')
    """
    parser = _MainTextParser()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    return text, " ".join("".join(parser.title_parts).split())


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KiB, if any.

    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">')
    'shift_jis'
    """
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def read_html(data: bytes, ctx: ReadContext) -> Iterator[Extracted]:
    declared = declared_charset(data)
    decoded = decode(data, declared=declared)
    text, title = html_to_text(decoded.text)
    metadata: dict[str, str] = {"encoding": decoded.encoding}
    if declared and not same_encoding(declared, decoded.encoding):
        metadata["declared_encoding"] = declared
    if title:
        metadata["title"] = title
    yield Extracted(text, metadata)
