"""Japanese documentation from Debian packages: downloaded once, unpacked, never installed.

``apt-get download`` works without root into any directory; ``dpkg-deb -x``
unpacks a package into a plain directory. The ``.deb`` files are cached, so a
second ``make bench`` downloads nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

#: Packages with Japanese prose: man pages (roff) and manuals (HTML). The two large
#: manuals (GIMP, LilyPond) let the 16x corpus reach ~15 M characters of distinct text.
PACKAGES = (
    "manpages-ja",
    "debian-reference-ja",
    "developers-reference-ja",
    "maint-guide-ja",
    "debian-faq-ja",
    "aptitude-doc-ja",
    "debian-policy-ja",
    "gimp-help-ja",
    "lilypond-doc-html-ja",
)


class CorpusSourceError(RuntimeError):
    """The Japanese documentation could not be fetched or unpacked (one-line message)."""


def cached_deb(cache: Path, package: str) -> Path | None:
    found = sorted(cache.glob(f"{package}_*.deb"))
    return found[-1] if found else None


def download(packages: tuple[str, ...], cache: Path) -> list[Path]:
    """The ``.deb`` of every package, from ``cache`` or downloaded into it."""
    cache.mkdir(parents=True, exist_ok=True)
    missing = [name for name in packages if cached_deb(cache, name) is None]
    if missing:
        if shutil.which("apt-get") is None:
            raise CorpusSourceError(
                f"apt-get not found: cannot download {', '.join(missing)} "
                f"(or put their .deb files in {cache})")
        try:
            result = subprocess.run(["apt-get", "download", *missing], cwd=cache,
                                    capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise CorpusSourceError(f"apt-get download failed: {error}") from None
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["no message"])[-1]
            raise CorpusSourceError(f"apt-get download {' '.join(missing)} failed: {last}")
    debs = [cached_deb(cache, name) for name in packages]
    absent = [name for name, deb in zip(packages, debs, strict=True) if deb is None]
    if absent:
        raise CorpusSourceError(f"no .deb for {', '.join(absent)} in {cache}")
    return [deb for deb in debs if deb is not None]


def unpack(deb: Path, destination: Path) -> Path:
    """``deb``'s files under ``destination/<package>/`` (reused if already there)."""
    target = destination / deb.name.removesuffix(".deb")
    if (target / ".unpacked").exists():
        return target
    if shutil.which("dpkg-deb") is None:
        raise CorpusSourceError("dpkg-deb not found: cannot unpack Debian packages")
    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["dpkg-deb", "-x", str(deb), str(target)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise CorpusSourceError(f"dpkg-deb -x {deb.name} failed: {last}")
    (target / ".unpacked").touch()
    return target
