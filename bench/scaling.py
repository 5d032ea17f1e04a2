"""Is the cost per document flat as the corpus grows? Pure arithmetic on run results."""

from __future__ import annotations

FLAT_TOLERANCE = 0.20
#: Peak memory of a run: per worker (the largest), and per pool of workers (masking
#: has worker processes of its own on the local runner: bench/e2e.py).
MEMORY_KEYS = ("peak_rss_mb_per_worker", "peak_rss_mb_masking_workers",
               "peak_rss_mb_other_workers")


def spread(values: list[float]) -> float:
    """(max - min) / min: 0.0 when all equal.

    >>> spread([1.0, 1.1, 1.2])
    0.2
    """
    low = min(values)
    return round((max(values) - low) / low, 3) if low > 0 else float("inf")


def startup_fit(docs: list[int], seconds: list[float]) -> tuple[float, float]:
    """Least-squares ``seconds = startup + per_doc * docs``: (startup, per_doc).

    >>> startup_fit([10, 40, 160], [12.0, 18.0, 42.0])
    (10.0, 0.2)
    """
    n = len(docs)
    mean_d, mean_s = sum(docs) / n, sum(seconds) / n
    var = sum((d - mean_d) ** 2 for d in docs)
    per_doc = sum((d - mean_d) * (s - mean_s) for d, s in zip(docs, seconds, strict=True)) / var
    return round(mean_s - per_doc * mean_d, 3), round(per_doc, 6)


def marginal(docs: list[int], cost: list[float]) -> list[float]:
    """Cost of each additional document between consecutive sizes: no start-up in it.

    >>> marginal([10, 40, 160], [12.0, 18.0, 42.0])
    [0.2, 0.2]
    """
    return [round((cost[i + 1] - cost[i]) / (docs[i + 1] - docs[i]), 4)
            for i in range(len(docs) - 1)]


def best_of(repeats: list[dict]) -> dict:
    """Repeated runs of one size -> the one that used the least CPU (a busy neighbour
    only ever adds time), carrying the largest peak memory of them all (memory is
    what a size needs, not noise) and how many runs it was chosen from.

    >>> best_of([{"cpu_seconds": 9.0, "peak_rss_mb_per_worker": 900},
    ...          {"cpu_seconds": 8.0, "peak_rss_mb_per_worker": 800}])
    {'cpu_seconds': 8.0, 'peak_rss_mb_per_worker': 900, 'repeats': 2}
    """
    best = min(repeats, key=lambda run: run.get("cpu_seconds") or float("inf"))
    peaks = {key: max(run[key] for run in repeats if key in run) for key in best
             if key in MEMORY_KEYS}
    return {**best, **peaks, "repeats": len(repeats)}


def cpu_view(runs: dict[str, dict], scales: list[str]) -> dict:
    """The same question in CPU seconds of the whole process tree: neighbours on a
    shared machine stretch wall time, much less the CPU time our processes use."""
    docs = [runs[key]["docs_in"] for key in scales]
    cpu = [runs[key].get("cpu_seconds") or 0.0 for key in scales]
    if not all(cpu):
        return {}
    startup, _ = startup_fit(docs, cpu)
    net = [round((c - startup) / d, 4) for c, d in zip(cpu, docs, strict=True)]
    steps = marginal(docs, cpu)
    return {
        "marginal_cpu_seconds_per_doc": steps,
        "marginal_cpu_spread": spread(steps) if min(steps) > 0 else None,
        "cpu_seconds_per_doc": dict(zip(scales, [round(c / d, 4) for c, d in
                                                 zip(cpu, docs, strict=True)], strict=True)),
        "cpu_seconds_per_doc_net_of_startup": dict(zip(scales, net, strict=True)),
        "fitted_startup_cpu_s": startup,
        "cpu_spread_net_of_startup": spread(net) if min(net) > 0 else None,
    }


def analyse(runs: dict[str, dict]) -> dict:
    """Cost per document and memory per worker across scales (runs keyed ``x1``, ``x4``…).

    The raw cost per document includes the fixed start-up of a Beam run (worker
    processes, GiNZA and Sudachi loading), which small corpora cannot amortise.
    So ``flat`` compares the *marginal* cost -- of each document added from 1x to
    4x and from 4x to 16x -- in CPU seconds of the process tree (neighbours on a
    shared machine stretch wall time, not our CPU time); the wall-clock marginal
    cost, the raw costs and a fitted start-up are reported beside it.
    """
    scales = sorted(runs, key=lambda key: int(key.lstrip("x")))
    docs = [runs[key]["docs_in"] for key in scales]
    core_seconds = [runs[key]["seconds"] * runs[key]["workers"] for key in scales]
    seconds = [runs[key]["seconds"] for key in scales]
    startup, per_doc = startup_fit(docs, seconds)
    raw = [round(cs / d, 4) for cs, d in zip(core_seconds, docs, strict=True)]
    net = [round((s - startup) * runs[key]["workers"] / d, 4)
           for s, d, key in zip(seconds, docs, scales, strict=True)]
    memory = [runs[key]["peak_rss_mb_per_worker"] for key in scales]
    wall_steps = marginal(docs, core_seconds)
    cpu = cpu_view(runs, scales)
    flat_basis = cpu.get("marginal_cpu_spread") if cpu else (
        spread(wall_steps) if min(wall_steps) > 0 else None)
    return {
        "scales": scales,
        "docs": docs,
        "core_seconds_per_doc": dict(zip(scales, raw, strict=True)),
        "core_seconds_per_doc_net_of_startup": dict(zip(scales, net, strict=True)),
        "fitted_startup_s": startup,
        "fitted_seconds_per_doc": per_doc,
        "cost_spread": spread(raw),
        "cost_spread_net_of_startup": spread(net) if min(net) > 0 else None,
        "marginal_core_seconds_per_doc": wall_steps,
        "marginal_wall_spread": spread(wall_steps) if min(wall_steps) > 0 else None,
        **cpu,
        "cost_flat_basis": "marginal CPU seconds per document" if cpu
        else "marginal core-seconds per document",
        "cost_flat_spread": flat_basis,
        "cost_flat_within_20pct": flat_basis is not None and flat_basis <= FLAT_TOLERANCE,
        "peak_rss_mb_per_worker": dict(zip(scales, memory, strict=True)),
        "memory_spread": spread(memory),
        "memory_flat_within_20pct": spread(memory) <= FLAT_TOLERANCE,
        **pool_memory(runs, scales),
    }


def pool_memory(runs: dict[str, dict], scales: list[str]) -> dict:
    """Peak memory by pool of workers (masking, the others) across scales, with spreads.

    >>> pool_memory({"x1": {"peak_rss_mb_masking_workers": 800, "peak_rss_mb_other_workers": 300},
    ...              "x4": {"peak_rss_mb_masking_workers": 880, "peak_rss_mb_other_workers": 600}},
    ...             ["x1", "x4"])["memory_spread_by_pool"]
    {'masking': 0.1, 'other': 1.0}
    """
    by_pool, spreads = {}, {}
    for pool in ("masking", "other"):
        peaks = [runs[key].get(f"peak_rss_mb_{pool}_workers") for key in scales]
        if all(peaks):
            by_pool[pool] = dict(zip(scales, peaks, strict=True))
            spreads[pool] = spread(peaks)
    return {"peak_rss_mb_by_pool": by_pool, "memory_spread_by_pool": spreads} if by_pool else {}
