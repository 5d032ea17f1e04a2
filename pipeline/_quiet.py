"""Silence one import-time warning of Apache Beam before anything imports Beam.

``apache_beam.io.gcp`` warns on import that the optional BigQuery client is
missing; Kiyome does not use it, and the line would greet every command. The
filter sits on the root logger, which is where Beam logs it. Imported first by
the command line (this module's name sorts before the others).
"""

from __future__ import annotations

import logging


class QuietBeamImports(logging.Filter):
    """Drops Beam's warning about the optional BigQuery client; passes everything else."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("apitools not found")


logging.getLogger().addFilter(QuietBeamImports())
