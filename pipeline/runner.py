"""Beam options for a run: an offline local runner unless the user names another.

Beam 2.77's DirectRunner first tries to download a Prism binary; corporate
networks and CI have no internet. Kiyome therefore picks the portable
``FnApiRunner`` in multi-processing mode (one worker process per core) for
local runs. Any ``--runner`` on the command line (e.g. DataflowRunner) wins.
"""

from __future__ import annotations

from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions

from kiyome.pipeline.inputs import cpu_count
from kiyome.transforms.memory import limit_heaps

LOCAL_RUNNER = "FnApiRunner"


def _has_flag(args: list[str], flag: str) -> bool:
    return any(arg == flag or arg.startswith(flag + "=") for arg in args)


def beam_args(passthrough: list[str]) -> list[str]:
    """The Beam flags for a run: the user's, plus the local runner's defaults.

    >>> beam_args(["--runner=DataflowRunner", "--project=p"])
    ['--runner=DataflowRunner', '--project=p']
    >>> beam_args([])[:2]
    ['--runner=FnApiRunner', '--direct_running_mode=multi_processing']
    """
    args = list(passthrough)
    if _has_flag(args, "--runner"):
        return args
    defaults = [f"--runner={LOCAL_RUNNER}"]
    if not _has_flag(args, "--direct_running_mode"):
        defaults.append("--direct_running_mode=multi_processing")
    if not _has_flag(args, "--direct_num_workers"):
        defaults.append(f"--direct_num_workers={cpu_count()}")
    if not _has_flag(args, "--default_sdk_harness_log_level"):
        defaults.append("--default_sdk_harness_log_level=WARNING")
    return defaults + args


def pipeline_options(passthrough: list[str]) -> PipelineOptions:
    """Options for a run; a local run also caps the heaps of the workers it starts
    (transforms/memory.py)."""
    args = beam_args(passthrough)
    if f"--runner={LOCAL_RUNNER}" in args:
        limit_heaps()
    return PipelineOptions(args)


def masking_in_own_workers(options: PipelineOptions) -> bool:
    """Whether masking should run in worker processes of its own: only on the local
    runner with worker processes, where every process otherwise runs every stage.

    Beam's local runner keeps memory in a worker that grows with the data the
    worker has passed (the shuffles of dedup, mostly protobuf's; bench/runner_memory.py).
    GiNZA's worker is the large one, so giving masking its own processes keeps the
    largest worker flat as the corpus grows. On Dataflow a resource hint would turn
    on right fitting (other worker pools, no FlexRS): left to the user.

    >>> masking_in_own_workers(PipelineOptions(beam_args([])))
    True
    >>> masking_in_own_workers(PipelineOptions(["--runner=FnApiRunner",
    ...                                         "--direct_running_mode=in_memory"]))
    False
    >>> masking_in_own_workers(PipelineOptions(["--runner=DataflowRunner"]))
    False
    """
    return (options.view_as(StandardOptions).runner == LOCAL_RUNNER
            and options.view_as(DirectOptions).direct_running_mode == "multi_processing")
