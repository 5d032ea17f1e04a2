"""Ingest: bytes -> documents, one file at a time, never dying on a bad file.

Formats today: ``.txt``, ``.md``, ``.html``/``.htm`` and ``.jsonl``, in UTF-8.
Everything that cannot become a document goes to the rejected output with a
reason code (``unsupported_format``, ``undecodable``, ``unreadable``,
``invalid_json``, ``missing_text``), so every input is accounted for.
"""

from __future__ import annotations

import json
import posixpath
from html.parser import HTMLParser
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from kiyome.transforms.records import (
    METRICS_NAMESPACE,
    REJECTED,
    emit_rejection,
    new_document,
    rejection,
    stable_id,
)

STAGE = "ingest"
TEXT_EXTENSIONS = (".txt", ".md")
HTML_EXTENSIONS = (".html", ".htm")
JSONL_EXTENSIONS = (".jsonl",)
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS + HTML_EXTENSIONS + JSONL_EXTENSIONS

#: Counter of every unit that entered the pipeline: a document, or a file/line
#: that could not become one. The manifest checks in == out + dropped against it.
INPUT_UNITS = "input.units"


def extension(path: str) -> str:
    """Lower-cased extension of a path or URI.

    >>> extension("gs://bucket/議事録/2026-03.HTML")
    '.html'
    """
    return posixpath.splitext(path)[1].lower()


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


def source_uri(path: str) -> str:
    """The ``source`` column: a URI, ``file://`` for local paths (kept readable, not %-encoded).

    >>> source_uri("/data/議事録/a.txt"), source_uri("gs://bucket/a.txt")
    ('file:///data/議事録/a.txt', 'gs://bucket/a.txt')
    """
    return path if "://" in path else f"file://{path}"


def decode_utf8(data: bytes) -> str:
    """Strict UTF-8 (BOM allowed); legacy encodings arrive with the ingestion issue.

    >>> decode_utf8("社外秘".encode("utf-8-sig"))
    '社外秘'
    """
    return data.decode("utf-8-sig")


class ReadDocumentsDoFn(beam.DoFn):
    """One input file in, its documents (main output) or rejections (``rejected``) out."""

    def __init__(self) -> None:
        self._units = Metrics.counter(METRICS_NAMESPACE, INPUT_UNITS)
        self._files = Metrics.counter(METRICS_NAMESPACE, "ingest.files")

    def process(self, path: str):
        self._files.inc()
        for item in self._read(path, source_uri(path)):
            self._units.inc()
            yield item

    def _reject_file(self, source: str, reason: str, **detail: Any) -> beam.pvalue.TaggedOutput:
        return emit_rejection(rejection(stable_id(source, ""), source, STAGE, reason, **detail))

    def _read(self, path: str, source: str):
        ext = extension(path)
        if ext not in SUPPORTED_EXTENSIONS:
            yield self._reject_file(source, "unsupported_format", extension=ext or "(none)")
            return
        try:
            with FileSystems.open(path) as handle:
                data = handle.read()
        except OSError as error:
            yield self._reject_file(source, "unreadable", error=type(error).__name__)
            return
        try:
            content = decode_utf8(data)
        except UnicodeDecodeError as error:
            yield self._reject_file(source, "undecodable", encoding="utf-8",
                                    byte_offset=error.start)
            return

        if ext in JSONL_EXTENSIONS:
            yield from self._read_jsonl(source, content)
        elif ext in HTML_EXTENSIONS:
            text, title = html_to_text(content)
            metadata = {"title": title} if title else {}
            yield new_document(stable_id(source, text), source, text, metadata)
        else:
            yield new_document(stable_id(source, content), source, content, {})

    def _read_jsonl(self, source: str, content: str):
        for line_no, line in enumerate(content.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                yield self._reject_line(source, line_no, "invalid_json")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                yield self._reject_line(source, line_no, "missing_text")
                continue
            text = record.pop("text")
            given_id = record.pop("id", None)
            doc_id = str(given_id) if given_id not in (None, "") else stable_id(
                source, text, f"line:{line_no}"
            )
            yield new_document(doc_id, source, text, record)

    def _reject_line(self, source: str, line_no: int, reason: str) -> beam.pvalue.TaggedOutput:
        line_id = stable_id(source, "", f"line:{line_no}")
        return emit_rejection(rejection(line_id, source, STAGE, reason, line=line_no))


class Ingest(beam.PTransform):
    """File paths (a PCollection of URIs) -> documents, with a ``rejected`` side output."""

    def expand(self, paths):
        return (
            paths
            | "Spread" >> beam.Reshuffle()
            | "Read" >> beam.ParDo(ReadDocumentsDoFn()).with_outputs(REJECTED, main="docs")
        )
