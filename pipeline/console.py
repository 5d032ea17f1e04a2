"""What a run prints: log format (text or JSON lines), progress mode, the closing summary.

Logs and the progress display go to stderr; the summary table goes to stdout.
``--log-format json`` makes every line on stderr one JSON object, for CI and
for Dataflow's log viewer; ``--quiet`` leaves only errors. Only counts, reason
codes and paths are printed, never document content.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any, TextIO

from kiyome.pipeline._quiet import QuietBeamImports
from kiyome.policies.policy import UNCHANGED

LOG_FORMATS = ("text", "json")
#: The boilerplate kind that counts quoted lines left in place (no other copy in the run).
KEPT_KIND = "quoted_reply_kept"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message and any ``extra`` fields."""

    FIELDS = ("progress", "summary")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["error"] = record.exc_info[0].__name__ if record.exc_info[0] else None
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(log_format: str = "text", quiet: bool = False) -> None:
    """Route Kiyome's and Beam's logging to stderr in the chosen format."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(QuietBeamImports())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("kiyome").setLevel(logging.ERROR if quiet else logging.INFO)


def progress_mode(log_format: str, quiet: bool, stream: TextIO) -> str:
    """``off`` when quiet, ``json`` for JSON logs, ``tty`` on a terminal, else ``log``.

    >>> import io
    >>> [progress_mode("text", True, io.StringIO()), progress_mode("json", False, io.StringIO()),
    ...  progress_mode("text", False, io.StringIO())]
    ['off', 'json', 'log']
    """
    if quiet:
        return "off"
    if log_format == "json":
        return "json"
    return "tty" if stream.isatty() else "log"


def _size(num_bytes: int) -> str:
    """``1536`` -> ``1.5 kB``.

    >>> [_size(900), _size(1536), _size(5 * 1024 ** 3)]
    ['900 B', '1.5 kB', '5.0 GB']
    """
    value = float(num_bytes)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def summary(manifest: dict[str, Any], paths: dict[str, str], wall_seconds: float) -> dict:
    """The closing numbers as data (also the ``summary`` field of the JSON log line)."""
    documents = manifest["documents"]
    masked: dict[str, int] = {}
    for key, count in manifest["pii_masked"].items():
        entity, _, action = key.rpartition(".")
        if action not in UNCHANGED:
            masked[entity] = masked.get(entity, 0) + count
    return {
        "documents_in": documents["in"], "written": documents["out"],
        "dropped": documents["dropped"], "dropped_by_reason": documents["dropped_by_reason"],
        "boilerplate": manifest.get("boilerplate") or {},
        "masked_by_type": dict(sorted(masked.items(), key=lambda kv: (-kv[1], kv[0]))),
        "accounted": documents["accounted"], "wall_seconds": round(wall_seconds, 1),
        "shards": len(manifest["shards"]),
        "shard_bytes": sum(shard["bytes"] for shard in manifest["shards"]),
        "paths": paths,
    }


def boilerplate_rows(kinds: dict[str, dict[str, int]]) -> list[tuple[str, str]]:
    """Lines removed from inside documents per kind (and quoted lines kept), non-zero only.

    >>> boilerplate_rows({"quoted_reply": {"documents": 1, "lines": 10},
    ...                   "quoted_reply_kept": {"documents": 2, "lines": 7},
    ...                   "signature": {"documents": 0, "lines": 0}})
    ... # doctest: +NORMALIZE_WHITESPACE
    [('boilerplate lines removed', '10'), ('  quoted_reply (1 doc)', '10'),
     ('  quoted_reply_kept (2 docs, not removed)', '7')]
    """
    present = {kind: counts for kind, counts in kinds.items() if counts["lines"]}
    if not present:
        return []
    removed = sum(counts["lines"] for kind, counts in present.items() if kind != KEPT_KIND)
    rows = [("boilerplate lines removed", f"{removed:,}")]
    for kind, counts in present.items():
        documents = f"{counts['documents']:,} doc{'' if counts['documents'] == 1 else 's'}"
        note = ", not removed" if kind == KEPT_KIND else ""
        rows.append((f"  {kind} ({documents}{note})", f"{counts['lines']:,}"))
    return rows


def summary_table(numbers: dict[str, Any]) -> str:
    """The table printed at the end of ``kiyome run``: counts, then where everything is."""
    rows: list[tuple[str, str]] = [
        ("documents in", f"{numbers['documents_in'] or 0:,}"),
        ("written", f"{numbers['written']:,}"),
        ("dropped", f"{numbers['dropped']:,}"),
    ]
    rows += [(f"  {reason}", f"{count:,}")
             for reason, count in numbers["dropped_by_reason"].items()]
    rows += boilerplate_rows(numbers.get("boilerplate") or {})
    rows.append(("masked spans", f"{sum(numbers['masked_by_type'].values()):,}"))
    rows += [(f"  {entity}", f"{count:,}") for entity, count in numbers["masked_by_type"].items()]
    rows.append(("wall time", f"{numbers['wall_seconds']:.0f} s"))
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value:>10}" for label, value in rows]
    paths = numbers["paths"]
    lines += [
        "",
        f"shards    {paths['shards']}  ({numbers['shards']} file(s), "
        f"{_size(numbers['shard_bytes'])})",
        f"manifest  {paths['manifest']}",
        f"card      {paths['dataset_card']}",
        f"report    {paths['report_html']}  (numbers: {paths['report_json']})",
        f"rejected  {paths['rejected']}",
        f"audit     {paths['audit']}",
    ]
    return "\n".join(lines)
