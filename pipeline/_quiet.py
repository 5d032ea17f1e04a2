"""Silence Apache Beam messages that say nothing to a Kiyome user.

``apache_beam.io.gcp`` warns on import that the optional BigQuery client is
missing (Kiyome does not use it), and every local worker warns that it has no
``semi_persistent_directory`` (only used for user-registered Beam schema types,
which Kiyome has none of). The filter sits on the root logger, where the import
warning is logged, from the first import of the command line (this module's
name sorts before the others), and on the handler ``console.configure_logging``
installs, which the workers' messages reach.
"""

from __future__ import annotations

import logging

HARMLESS = ("apitools not found", "No semi_persistent_directory found")


class QuietBeamImports(logging.Filter):
    """Drops Beam's messages listed in ``HARMLESS``; passes everything else."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if record.args:
            message = record.getMessage()
        return not any(text in message for text in HARMLESS)


logging.getLogger().addFilter(QuietBeamImports())
