"""Python run in a fresh interpreter: for what a process holds from its start
(memory maps, its name, its environment, modules loaded lazily)."""

from __future__ import annotations

import subprocess
import sys


def python_output(script: str, timeout: float = 120) -> str:
    """The standard output of ``python -c script``, stripped; a failure raises."""
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                               timeout=timeout, check=True)
    return completed.stdout.strip()
