"""Expand ``--input`` arguments (files, directories, globs, gs:// URIs) into a file list.

Done at launch, before any document is read, so a typo is a one-line usage
error rather than an empty run, and the total size can size the shards.
"""

from __future__ import annotations

import errno
import glob
import os
from dataclasses import dataclass
from pathlib import Path


class UsageError(ValueError):
    """A command-line mistake, reported in one line before the pipeline starts."""


@dataclass(frozen=True)
class InputFile:
    path: str
    size: int


def _is_remote(spec: str) -> bool:
    return "://" in spec and not spec.startswith("file://")


def _has_glob(spec: str) -> bool:
    return any(char in spec for char in "*?[")


def _local_files(spec: str) -> list[InputFile]:
    spec = spec.removeprefix("file://")
    if _has_glob(spec):
        candidates = [Path(match) for match in glob.glob(spec, recursive=True)]
    elif Path(spec).is_dir():
        candidates = [path for path in Path(spec).rglob("*")]
    elif Path(spec).exists():
        candidates = [Path(spec)]
    else:
        raise UsageError(f"--input {spec}: no such file or directory")
    return [listed for path in candidates if (listed := _listed(path)) is not None]


def _listed(path: Path) -> InputFile | None:
    """Every entry that is not a directory: a FIFO, a dangling link or a symlink loop
    is listed too, so ingest rejects it with its reason instead of it vanishing."""
    if path.is_dir():
        return None
    try:
        return InputFile(str(path.resolve(strict=True)), path.stat().st_size)
    except (OSError, RuntimeError):  # dangling link, symlink loop
        return InputFile(str(path.absolute()), 0)


def _scheme(spec: str) -> str:
    """
    >>> _scheme("gs://bucket/議事録/"), _scheme("s3://b/x")
    ('gs', 's3')
    """
    return spec.split("://", 1)[0].lower()


def _check_filesystem(spec: str) -> None:
    """A scheme Beam cannot read is a usage error naming the package that adds it."""
    from apache_beam.io.filesystems import FileSystems

    try:
        FileSystems.get_filesystem(spec)
    except ValueError:
        if _scheme(spec) == "gs":
            raise UsageError(f"--input {spec}: reading gs:// needs the GCS extra: "
                             "pip install 'kiyome[gcp]'") from None
        raise UsageError(f"--input {spec}: no filesystem for {_scheme(spec)}:// "
                         "(Apache Beam reads local paths and gs://)") from None


def _remote_files(spec: str) -> list[InputFile]:
    from apache_beam.io.filesystems import FileSystems

    _check_filesystem(spec)
    pattern = spec if _has_glob(spec) else spec.rstrip("/") + "/**"
    try:
        results = FileSystems.match([pattern, spec] if not _has_glob(spec) else [pattern])
    except Exception as error:
        raise UsageError(f"--input {spec}: cannot list ({type(error).__name__})") from None
    return [InputFile(meta.path, meta.size_in_bytes)
            for result in results for meta in result.metadata_list
            if not meta.path.endswith("/")]  # "folder" placeholder objects hold no document


def expand_inputs(specs: list[str]) -> list[InputFile]:
    """Every file named by ``specs``, sorted and unique; a spec matching nothing is an error.

    >>> try:
    ...     expand_inputs(["/nonexistent/議事録"])
    ... except UsageError as error:
    ...     print(error)
    --input /nonexistent/議事録: no such file or directory
    """
    found: dict[str, InputFile] = {}
    for spec in specs:
        files = _remote_files(spec) if _is_remote(spec) else _local_files(spec)
        if not files:
            raise UsageError(f"--input {spec}: matches no files")
        for item in files:
            found[item.path] = item
    return [found[path] for path in sorted(found)]


def total_size(files: list[InputFile]) -> int:
    return sum(item.size for item in files)


def cpu_count() -> int:
    """Cores this process may use (respects CPU affinity in containers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def read_text(uri: str) -> str:
    """A small text file (policy, stage configuration) at ``gs://…`` or any Beam filesystem.

    Read where the run is launched, so a Dataflow job is validated before it
    starts. Storage clients raise their own errors (NotFound, Forbidden); they
    become one ``OSError`` naming only the error class.
    """
    from apache_beam.io.filesystem import CompressionTypes
    from apache_beam.io.filesystems import FileSystems

    try:
        with FileSystems.open(uri, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
            data = handle.read()
    except Exception as error:
        raise OSError(errno.EIO, type(error).__name__) from error
    return data.decode("utf-8")
