"""The flat ``ratios`` object, the target checks and the printed table of a run.

``ratios`` is what a script compares between runs: every entry is higher-is-
faster (ours / reference) except memory. Targets are reported, never asserted.
"""

from __future__ import annotations

#: name -> (ratios key, comparison, bound, unit)
TARGETS = {
    "langid >= 0.8x raw fastText": ("langid_vs_fasttext", ">=", 0.8),
    "parquet >= 0.7x pyarrow write_table": ("parquet_vs_pyarrow", ">=", 0.7),
    "end to end >= 50k chars/s/core": ("end_to_end_chars_per_s_per_core", ">=", 50_000),
    "peak memory <= 2 GB per worker": ("peak_rss_mb_per_worker", "<=", 2048),
}


def _stage_ratio(results: dict, stage: str) -> float | None:
    return results["stages"].get(stage, {}).get("ratio")


def ratios(results: dict) -> dict:
    """The flat, comparable summary of a run."""
    e2e = results["end_to_end"]
    largest = max((key for key in e2e if key.endswith("_w2")),
                  key=lambda key: int(key.split("_")[0].lstrip("x")), default=None)
    headline = e2e.get(largest, {}) if largest else {}
    scaling = results.get("scaling", {})
    parquet = results["stages"].get("parquet", {})
    one, two = e2e.get("x4_w1", {}), e2e.get("x4_w2", {})
    return {
        "langid_vs_fasttext": _stage_ratio(results, "langid"),
        "minhash_vs_datasketch": _stage_ratio(results, "minhash"),
        "pii_vs_presidio_ginza": _stage_ratio(results, "pii"),
        "parquet_vs_pyarrow": _stage_ratio(results, "parquet"),
        "parquet_vs_pyarrow_counting_n_tokens": parquet.get("ratio_counting_n_tokens"),
        "parquet_vs_pyarrow_defaults": parquet.get("ratio_pyarrow_defaults"),
        "end_to_end_chars_per_s_per_core": headline.get("chars_per_s_per_core"),
        "end_to_end_docs_per_s_per_core": headline.get("docs_per_s_per_core"),
        "end_to_end_chars_per_cpu_s": headline.get("chars_per_cpu_s"),
        "peak_rss_mb_per_worker": max((run.get("peak_rss_mb_per_worker", 0)
                                       for run in e2e.values()), default=None),
        "two_workers_speedup_vs_one": (round(one["seconds"] / two["seconds"], 3)
                                       if one.get("seconds") and two.get("seconds") else None),
        "cost_per_doc_spread_1x_to_16x": scaling.get("cost_spread"),
        "cost_per_doc_spread_net_of_startup": scaling.get("cost_spread_net_of_startup"),
        "cpu_per_doc_spread_net_of_startup": scaling.get("cpu_spread_net_of_startup"),
        "marginal_cost_spread_cpu": scaling.get("marginal_cpu_spread"),
        "marginal_cost_spread_wall": scaling.get("marginal_wall_spread"),
        "peak_rss_per_worker_spread_1x_to_16x": scaling.get("memory_spread"),
        "peak_rss_masking_workers_spread_1x_to_16x":
            scaling.get("memory_spread_by_pool", {}).get("masking"),
        "peak_rss_other_workers_spread_1x_to_16x":
            scaling.get("memory_spread_by_pool", {}).get("other"),
    }


def targets(results: dict) -> dict:
    """Each target: the measured value, the bound, met or not."""
    checked = {}
    for name, (key, op, bound) in TARGETS.items():
        value = results["ratios"].get(key)
        met = None if value is None else (value >= bound if op == ">=" else value <= bound)
        checked[name] = {"value": value, "bound": f"{op} {bound}", "met": met}
    scaling = results.get("scaling", {})
    checked["cost per document flat within 20 % (1x-16x, marginal CPU s/doc)"] = {
        "value": scaling.get("cost_flat_spread"), "bound": "<= 0.2",
        "met": scaling.get("cost_flat_within_20pct")}
    checked["memory per worker flat within 20 % (1x-16x)"] = {
        "value": scaling.get("memory_spread"), "bound": "<= 0.2",
        "met": scaling.get("memory_flat_within_20pct")}
    return checked


def _fmt(value, digits: int = 0) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and digits:
        return f"{value:,.{digits}f}"
    return f"{value:,.0f}" if isinstance(value, int | float) else str(value)


def table(results: dict) -> str:
    """Markdown tables: stages against references, end-to-end runs, targets."""
    lines = ["| stage | kiyome chars/s/core | docs/s/core | reference | ref chars/s/core "
             "| ratio | peak MB |", "|---|---:|---:|---|---:|---:|---:|"]
    for stage, result in results["stages"].items():
        if "error" in result:
            lines.append(f"| {stage} | error: {result['error']} | | | | | |")
            continue
        ours, theirs = result["kiyome"], result["reference"]
        lines.append(f"| {stage} | {_fmt(ours['chars_per_s_per_core'])} "
                     f"| {_fmt(ours['docs_per_s_per_core'], 1)} | {theirs['name']} "
                     f"| {_fmt(theirs['chars_per_s_per_core'])} | {_fmt(result['ratio'], 3)}× "
                     f"| {_fmt(ours['peak_rss_mb'])} |")
    lines += ["", "| end to end | docs | chars | workers | wall s | chars/s/core "
              "| docs/s/core | peak MB/worker | masking workers | other workers |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, run in results["end_to_end"].items():
        lines.append(f"| {label} | {run['docs_in']:,} | {run['chars_in']:,} | {run['workers']} "
                     f"| {run['seconds']:.1f} | {_fmt(run['chars_per_s_per_core'])} "
                     f"| {_fmt(run['docs_per_s_per_core'], 2)} "
                     f"| {_fmt(run['peak_rss_mb_per_worker'])} "
                     f"| {_fmt(run.get('peak_rss_mb_masking_workers'))} "
                     f"| {_fmt(run.get('peak_rss_mb_other_workers'))} |"
                     + ("" if run["returncode"] == 0 else f" exit {run['returncode']}"))
    leak = results["end_to_end"].get("x16_w2", {}).get("pii_leak_check")
    if leak:
        lines.append(f"\nplanted values left in the 16x shards: {leak['left_in_shards']} of "
                     f"{leak['planted_values_in_written_docs']} (values never printed)")
    scaling = results.get("scaling", {})
    if "fitted_startup_s" in scaling:
        lines.append(f"fitted start-up of a run: {scaling['fitted_startup_s']:.1f} s wall, "
                     f"{scaling.get('fitted_startup_cpu_s', 0):.1f} s CPU; core-seconds per "
                     f"document 1x/4x/16x: {scaling['core_seconds_per_doc']} raw, "
                     f"{scaling['core_seconds_per_doc_net_of_startup']} net of start-up; "
                     f"marginal 1x→4x, 4x→16x: {scaling.get('marginal_core_seconds_per_doc')} "
                     f"core-s, {scaling.get('marginal_cpu_seconds_per_doc')} CPU-s")
    if scaling.get("peak_rss_mb_by_pool"):
        lines.append(f"peak MB per worker by pool 1x/4x/16x: {scaling['peak_rss_mb_by_pool']}, "
                     f"spread {scaling['memory_spread_by_pool']}")
    lines += ["", "| target | value | bound | met |", "|---|---:|---|---|"]
    for name, check in results["targets"].items():
        met = {True: "yes", False: "NO", None: "—"}[check["met"]]
        value = check["value"]
        lines.append(f"| {name} | {_fmt(value, 3) if isinstance(value, float) else _fmt(value)} "
                     f"| {check['bound']} | {met} |")
    return "\n".join(lines)
