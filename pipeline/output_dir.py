"""The output directory: a run is written aside, then moved into place when it succeeded.

A local run writes into a hidden sibling, ``.NAME.kiyome-staging-ID/``; only when
the pipeline, manifest, card and report are all written are its entries moved
into ``NAME/`` (one rename each, ``manifest.json`` last). A run that fails or is
killed leaves the output directory as it was: no partial shard for a reader to
pick up, and an earlier run replaced with ``--overwrite`` stays whole until the
new one is complete. Left-over staging directories of killed runs are removed by
the next run into the same directory (one run per output directory at a time).

On object stores (``gs://``) there is no rename, only copy: the run writes in
place, shards under temporary names until each is complete, and ``manifest.json``
is written last, so the manifest (with every shard's SHA-256) is the commit record.
"""

from __future__ import annotations

import os
import shutil
import uuid

from apache_beam.io.filesystems import FileSystems

from kiyome.pipeline.inputs import UsageError

STAGING_MARK = ".kiyome-staging-"
TRASH_MARK = ".kiyome-replaced-"
MANIFEST = "manifest.json"
#: Everything a run writes, the manifest last: what an earlier run is made of.
RUN_ENTRIES = ("shards", "rejected", "audit", "signatures", "README.md", "report.html",
               "report.json", MANIFEST)


def is_local(path: str) -> bool:
    """True for paths on this machine's filesystem.

    >>> [is_local("out/demo"), is_local("/data/out"), is_local("gs://bucket/out")]
    [True, True, False]
    """
    return "://" not in path or path.startswith("file://")


def _local(path: str) -> str:
    return path.removeprefix("file://").rstrip("/") or "/"


def earlier_run(output_dir: str) -> list[str]:
    """Entries of an earlier run in ``output_dir`` (empty when there is none)."""
    base = output_dir.rstrip("/")
    return [f"{base}/{name}" for name in RUN_ENTRIES if FileSystems.exists(f"{base}/{name}")]


def _sibling(final: str, mark: str) -> str:
    parent, name = os.path.split(_local(final))
    return os.path.join(parent, f".{name}{mark}{uuid.uuid4().hex[:12]}")


def _stale(final: str) -> list[str]:
    parent, name = os.path.split(_local(final))
    if not os.path.isdir(parent or "."):
        return []
    prefixes = (f".{name}{STAGING_MARK}", f".{name}{TRASH_MARK}")
    return [os.path.join(parent, entry) for entry in os.listdir(parent or ".")
            if entry.startswith(prefixes)]


def begin(output_dir: str, overwrite: bool) -> str:
    """Check the output directory and return where the run writes.

    Refuses (one-line usage error) when ``output_dir`` holds an earlier run and
    ``overwrite`` is off. Local: a fresh staging directory beside it; the earlier
    run is untouched until ``commit``. Object stores: ``output_dir`` itself, with
    the earlier run's entries deleted first.
    """
    previous = earlier_run(output_dir)
    if previous and not overwrite:
        raise UsageError(f"--output {output_dir} holds an earlier run; pass --overwrite "
                         "to replace it or choose another directory")
    if not is_local(output_dir):
        if previous:
            FileSystems.delete(previous)
        return output_dir
    for leftover in _stale(output_dir):  # from a run that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    final = _local(output_dir)
    os.makedirs(final, exist_ok=True)
    staging = _sibling(output_dir, STAGING_MARK)
    os.makedirs(staging)
    return staging


def commit(work_dir: str, output_dir: str) -> None:
    """Move a finished run from ``work_dir`` into ``output_dir``, the manifest last.

    Entries of the earlier run are moved aside first, so each name switches from
    the old run to the new one in one rename; the old ones are deleted after.
    """
    if work_dir == output_dir:
        return
    final = _local(output_dir)
    trash = _sibling(output_dir, TRASH_MARK)
    os.makedirs(trash)
    for name in RUN_ENTRIES:
        target, source = os.path.join(final, name), os.path.join(work_dir, name)
        if os.path.lexists(target):
            os.rename(target, os.path.join(trash, name))
        if os.path.lexists(source):
            os.rename(source, target)
    shutil.rmtree(trash, ignore_errors=True)
    shutil.rmtree(work_dir, ignore_errors=True)


def abandon(work_dir: str, output_dir: str) -> None:
    """A failed run: drop what it wrote aside; the output directory stays as it was."""
    if work_dir != output_dir:
        shutil.rmtree(work_dir, ignore_errors=True)
