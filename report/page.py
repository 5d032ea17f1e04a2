"""``report.html`` and ``report.json``: one static page with inline SVG charts, and its numbers.

Each chart comes with a table of the same numbers, so the page is exact, and
readable without the picture. Jinja2 escapes every value it inserts.
"""

from __future__ import annotations

import json
import os
from typing import Any

import jinja2

from kiyome.policies.policy import UNCHANGED
from kiyome.report.charts import all_charts

TEMPLATES = os.path.dirname(__file__)  # report.html.j2 sits beside this module


def sections(numbers: dict[str, Any], charts: dict[str, str]) -> list[dict[str, Any]]:
    """Heading, chart and table of each part of the page, in reading order."""
    pii = numbers["pii"]
    actions = sorted({action for counts in pii.values() for action in counts})
    lengths, tokens = numbers["length_chars"], numbers["tokens"]
    return [
        {"id": "funnel", "heading": "Documents through the stages",
         "header": ["stage", "documents left", "dropped here"],
         "rows": [[row["stage"], row["documents"], row["dropped"]]
                  for row in numbers["funnel"]]},
        {"id": "drop_reasons", "heading": "Why documents were dropped",
         "header": ["stage.reason", "documents"],
         "rows": [[name, count] for name, count in numbers["dropped_by_reason"].items()]},
        {"id": "boilerplate", "heading": "Boilerplate removed inside documents",
         "header": ["kind", "documents", "lines"],
         "rows": [[kind if kind != "quoted_reply_kept" else f"{kind} (stayed: no other copy)",
                   counts["documents"], counts["lines"]]
                  for kind, counts in numbers.get("boilerplate", {}).items()]},
        {"id": "languages", "heading": "Languages",
         "header": ["language", "written", "dropped by language ID"],
         "rows": [[lang, counts["written"], counts["dropped"]]
                  for lang, counts in numbers["languages"].items()]},
        {"id": "lengths", "heading": "Document length",
         "header": ["", "count", "mean", "median", "p90", "p99", "max"],
         "rows": [[name, summary.get("count", 0), summary.get("mean", ""),
                   summary.get("p50", ""), summary.get("p90", ""), summary.get("p99", ""),
                   summary.get("max", "")]
                  for name, summary in (("characters", lengths), ("Sudachi tokens", tokens))]},
        {"id": "duplicate_clusters", "heading": "Near-duplicate groups",
         "header": ["group size", "written documents"],
         "rows": [[row["size"], row["groups"]] for row in numbers["duplicate_clusters"]]},
        {"id": "pii", "heading": "Personal data by entity type and operator",
         "header": ["entity", *actions],
         "rows": [[entity, *(pii[entity].get(action, 0) for action in actions)]
                  for entity in pii]},
        {"id": "stage_time", "heading": "Time per stage",
         "header": ["stage", "seconds (summed over workers)"],
         "rows": [[stage, seconds] for stage, seconds in numbers["stage_seconds"].items()]},
    ] if numbers else []


def render_html(numbers: dict[str, Any], title: str) -> str:
    charts = all_charts(numbers)
    parts = sections(numbers, charts)
    for part in parts:
        part["chart"] = charts.get(part["id"])
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    masked = sum(count for counts in numbers["pii"].values()
                 for action, count in counts.items()
                 if action not in UNCHANGED)
    return environment.get_template("report.html.j2").render(
        numbers=numbers, sections=parts, title=title, masked=masked)


def render_json(numbers: dict[str, Any]) -> str:
    return json.dumps(numbers, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
