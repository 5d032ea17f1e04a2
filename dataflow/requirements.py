"""Write dataflow/requirements.txt: pyproject.toml's pinned dependencies plus its ``gcp`` extra.

The worker container and the ``--requirements_file`` fallback install exactly the
set the project is tested with; ``tests/test_dataflow.py`` fails when this file
and pyproject.toml disagree. Run ``make dataflow-requirements`` after changing a pin.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "dataflow" / "requirements.txt"
HEADER = ("# Generated from pyproject.toml by `make dataflow-requirements`; do not edit.\n"
          "# The project's pinned dependencies and its gcp extra (Beam's GCS and Dataflow\n"
          "# clients): what the Dataflow worker image and --requirements_file install.\n")


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement line (PEP 503)."""
    return re.sub(r"[-_.]+", "-", re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0]).lower()


def requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """Dependencies plus the ``gcp`` extra; an extra's line replaces the plain one
    (``apache-beam[gcp]==2.77.0`` instead of ``apache-beam==2.77.0``)."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    lines = {_name(line): line for line in project["dependencies"]}
    for line in project["optional-dependencies"]["gcp"]:
        lines[_name(line)] = line
    return sorted(lines.values(), key=_name)


def render(pyproject: Path = ROOT / "pyproject.toml") -> str:
    return HEADER + "".join(f"{line}\n" for line in requirements(pyproject))


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET.relative_to(ROOT)}\n")
