"""Memory of one Beam worker process once Kiyome's models are loaded, with and without NER.

Dataflow runs one Python SDK process per vCPU, and each loads its own models
(``DoFn.setup`` + ``Shared``: once per process, not per thread or bundle), so a
machine needs about vCPUs x this. Each configuration runs in a fresh process
that loads what a worker loads and masks the demo corpus's Japanese texts once
(caches and arenas warm up), then reports VmRSS (now) and VmHWM (peak) from
/proc. Writes bench/worker_memory.json.

    .venv/bin/python bench/worker_memory.py
"""

from __future__ import annotations

import dataclasses
import json
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "worker_memory.json"
SAMPLES = ROOT / "examples" / "corpus"
#: What each configuration loads, in the order a worker meets them.
CONFIGURATIONS = {
    "imports": "Beam and Kiyome's stage modules imported, no model",
    "langid": "+ fastText lid.176",
    "pii_ner_off": "+ fastText + PII masker, policy detection.ner: off (Sudachi, Presidio)",
    "pii_ner_gated": "+ fastText + PII masker, detection.ner: gated (default; GiNZA loaded)",
    "pii_ner_full": "+ fastText + PII masker, detection.ner: full (GiNZA on every sentence)",
}


def _mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _texts() -> list[str]:
    paths = sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".txt", ".md"))
    return [p.read_text(encoding="utf-8", errors="replace") for p in paths]


def measure(configuration: str) -> dict:
    """Load ``configuration`` in this process, use it once, and return its memory."""
    import apache_beam  # noqa: F401

    from kiyome.pipeline import graph  # noqa: F401  (every stage module)

    texts = _texts()
    if configuration != "imports":
        from kiyome.transforms.langid import identify, load_model

        model = load_model()
        for text in texts:
            identify(model, text)
    if configuration.startswith("pii_"):
        from kiyome.policies.policy import load_policy
        from kiyome.transforms.pii.mask import Masker

        ner = configuration.removeprefix("pii_ner_")
        masker = Masker(dataclasses.replace(load_policy("default"), ner=ner))
        masker.mask_documents([(text, {}) for text in texts])
    return {"rss_mb": _mb("VmRSS"), "peak_mb": _mb("VmHWM"), "texts": len(texts),
            "chars": sum(map(len, texts))}


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2])))
        return 0
    figures = {}
    for name, what in CONFIGURATIONS.items():
        completed = subprocess.run([sys.executable, __file__, "--one", name],
                                   capture_output=True, text=True, check=True)
        figures[name] = {"what": what, **json.loads(completed.stdout.splitlines()[-1])}
        print(f"{name:15} RSS {figures[name]['rss_mb']:7.1f} MB  peak "
              f"{figures[name]['peak_mb']:7.1f} MB  ({what})")
    RESULTS.write_text(json.dumps({
        "python": platform.python_version(), "machine": platform.machine(),
        "configurations": figures}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
