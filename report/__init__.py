"""What people read about a finished run: ``report.html``/``report.json`` and the dataset card.

``write_all(DIR)`` rebuilds them from the files of a finished run (``kiyome
report DIR``); ``kiyome run`` calls it after writing the manifest.
"""

from __future__ import annotations

from apache_beam.io.filesystems import FileSystems

from kiyome.report.card import render_card
from kiyome.report.numbers import collect, read_manifest
from kiyome.report.page import render_html, render_json

REPORT_HTML, REPORT_JSON, DATASET_CARD = "report.html", "report.json", "README.md"


def output_paths(output_dir: str) -> dict[str, str]:
    base = output_dir.rstrip("/")
    return {"dataset_card": f"{base}/{DATASET_CARD}", "report_html": f"{base}/{REPORT_HTML}",
            "report_json": f"{base}/{REPORT_JSON}"}


def _write(path: str, text: str) -> None:
    with FileSystems.create(path) as handle:
        handle.write(text.encode("utf-8"))


def write_all(output_dir: str) -> dict[str, str]:
    """Write the report and the dataset card of the run in ``output_dir``; return their paths."""
    numbers = collect(output_dir)
    manifest = read_manifest(output_dir)
    paths = output_paths(output_dir)
    title = output_dir.rstrip("/").rsplit("/", 1)[-1]
    _write(paths["report_json"], render_json(numbers))
    _write(paths["report_html"], render_html(numbers, title))
    _write(paths["dataset_card"], render_card(manifest, numbers, title))
    return paths
