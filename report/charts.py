"""The report's charts: matplotlib figures rendered to inline SVG.

SVG keeps ``report.html`` one static file that opens offline; text stays text
(``svg.fonttype = none``) so it is selectable and small. A fixed hash salt and
no date make the same numbers give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: the report is built on servers and CI

import matplotlib.pyplot as plt  # after choosing the backend

STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "kiyome",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
}
BLUE, GREY, RED = "#2f6db5", "#9aa5b1", "#c2473a"
#: One colour per operator, so the PII chart reads the same in every report.
ACTION_COLOURS = {"replace": BLUE, "mask": "#4e9a8f", "pseudonymize": "#7a5fb0",
                  "redact": "#333f4b", "drop_document": RED, "drop_sentence": "#d98c3f",
                  "keep": GREY, "allowed": "#b8c4ce", "below_min_score": "#dde3e8"}


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and doctype: inline in HTML


def _figure(rows: int):
    with plt.rc_context(STYLE):
        height = max(1.6, 0.32 * rows + 0.9)
        return plt.subplots(figsize=(6.4, height), layout="constrained")


def horizontal_bars(title: str, labels: Sequence[str], values: Sequence[float],
                    unit: str, colour: str = BLUE) -> str:
    """One bar per label, largest first at the top, with the value written at the end."""
    with plt.rc_context(STYLE):
        figure, axes = _figure(len(labels))
        positions = range(len(labels))
        bars = axes.barh(positions, values, color=colour)
        axes.set_yticks(list(positions), labels=list(labels))
        axes.invert_yaxis()
        axes.set_xlabel(unit)
        axes.set_title(title, loc="left")
        axes.bar_label(bars, labels=[_number(v) for v in values], padding=3)
        axes.margins(x=0.15)
        return _svg(figure)


def stacked_bars(title: str, labels: Sequence[str], series: dict[str, Sequence[float]],
                 unit: str, colours: dict[str, str]) -> str:
    """Horizontal bars split into series (e.g. PII spans per entity, by operator)."""
    with plt.rc_context(STYLE):
        figure, axes = _figure(len(labels))
        left = [0.0] * len(labels)
        for name, values in series.items():
            axes.barh(range(len(labels)), values, left=left, label=name,
                      color=colours.get(name, GREY))
            left = [a + b for a, b in zip(left, values, strict=True)]
        axes.set_yticks(range(len(labels)), labels=list(labels))
        axes.invert_yaxis()
        axes.set_xlabel(unit)
        axes.set_title(title, loc="left")
        axes.legend(frameon=False, fontsize=8, loc="lower right")
        return _svg(figure)


def columns(title: str, labels: Sequence[str], values: Sequence[float], xlabel: str,
            ylabel: str, log_y: bool = False) -> str:
    """Vertical bars over ordered buckets (lengths, cluster sizes)."""
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(6.4, 2.6), layout="constrained")
        axes.bar(range(len(labels)), values, color=BLUE)
        axes.set_xticks(range(len(labels)), labels=list(labels), rotation=45, ha="right")
        if log_y:
            axes.set_yscale("log")
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.set_title(title, loc="left")
        return _svg(figure)


def _number(value: float) -> str:
    """``1234`` -> ``1,234``; ``2.5`` -> ``2.5``.

    >>> [_number(1234), _number(2.5), _number(0.0)]
    ['1,234', '2.5', '0']
    """
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _wide_range(values: Sequence[int]) -> bool:
    """A log axis only when bars differ by more than 100x (else small bars look big).

    >>> [_wide_range([32, 4]), _wide_range([5000, 3, 1])]
    [False, True]
    """
    return max(values) > 100 * min(values)


def _size_label(chars: int) -> str:
    """``1024`` -> ``1k``; ``1048576`` -> ``1M``.

    >>> [_size_label(512), _size_label(2048), _size_label(4 << 20)]
    ['512', '2k', '4M']
    """
    for unit, size in (("M", 1 << 20), ("k", 1 << 10)):
        if chars >= size:
            return f"{chars // size}{unit}"
    return str(chars)


def all_charts(numbers: dict[str, Any]) -> dict[str, str]:
    """Chart id -> inline SVG, for every chart whose data the run has."""
    charts: dict[str, str] = {}
    funnel = numbers["funnel"]
    charts["funnel"] = horizontal_bars(
        "Documents left after each stage", [row["stage"] for row in funnel],
        [row["documents"] for row in funnel], "documents")
    reasons = sorted(numbers["dropped_by_reason"].items(), key=lambda kv: (-kv[1], kv[0]))
    if reasons:
        charts["drop_reasons"] = horizontal_bars(
            "Dropped documents by reason", [name for name, _ in reasons],
            [count for _, count in reasons], "documents", RED)
    languages = numbers["languages"]
    if languages:
        order = sorted(languages, key=lambda lang: -sum(languages[lang].values()))
        charts["languages"] = stacked_bars(
            "Languages (written and dropped by language ID)", order,
            {"written": [languages[lang]["written"] for lang in order],
             "dropped": [languages[lang]["dropped"] for lang in order]},
            "documents", {"written": BLUE, "dropped": GREY})
    histogram = numbers["length_histogram"]
    if histogram:
        charts["lengths"] = columns(
            "Length of written documents", [f"{_size_label(row['from'])}–"
                                            f"{_size_label(row['to'])}" for row in histogram],
            [row["documents"] for row in histogram], "characters", "documents")
    clusters = numbers["duplicate_clusters"]
    if clusters:
        charts["duplicate_clusters"] = columns(
            "Near-duplicate group size of written documents",
            [str(row["size"]) for row in clusters], [row["groups"] for row in clusters],
            "documents in the group", "written documents", log_y=_wide_range(
                [row["groups"] for row in clusters]))
    pii = numbers["pii"]
    if pii:
        entities = sorted(pii, key=lambda entity: -sum(pii[entity].values()))
        actions = sorted({action for counts in pii.values() for action in counts})
        charts["pii"] = stacked_bars(
            "Personal data found, by entity type and what the policy did", entities,
            {action: [pii[entity].get(action, 0) for entity in entities] for action in actions},
            "spans", ACTION_COLOURS)
    seconds = numbers["stage_seconds"]
    if seconds:
        charts["stage_time"] = horizontal_bars(
            "Time inside each stage (summed over workers)", list(seconds),
            list(seconds.values()), "seconds", GREY)
    return charts
