"""Refuse local inputs that are not regular files before anything opens them.

Opening a FIFO for reading blocks until a writer appears (a worker hangs
forever); a socket or device is no document; a symlink loop or a dangling link
cannot be read at all. Each gets its own reject reason instead.
"""

from __future__ import annotations

import errno
import os
import stat

from kiyome.transforms.ingest.errors import IngestError

_KINDS = ((stat.S_ISFIFO, "fifo"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "char_device"),
          (stat.S_ISBLK, "block_device"), (stat.S_ISDIR, "directory"))


def check_regular_file(path: str) -> None:
    """Raise :class:`IngestError` unless a local ``path`` is a regular file.

    Remote paths (``gs://``) are objects, always regular: nothing to check.

    >>> check_regular_file("/dev/null")
    Traceback (most recent call last):
    ...
    kiyome.transforms.ingest.errors.IngestError: not_a_regular_file
    """
    if "://" in path and not path.startswith("file://"):
        return
    local = path.removeprefix("file://")
    try:
        mode = os.stat(local).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise IngestError("symlink_loop") from None
        raise IngestError("unreadable", error=type(error).__name__) from None
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "other")
        raise IngestError("not_a_regular_file", kind=kind)
