"""``kiyome`` command line: ``kiyome run`` turns documents into masked Parquet shards.

Usage and policy errors are reported in one line (exit 2) before any document
is read. Unknown ``--flags`` are Beam pipeline options and pass through, so
``--runner DataflowRunner --project … --region … --temp_location gs://…`` works.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import math
import sys
import time

from kiyome.pipeline import _quiet  # noqa: F401  (before anything imports Beam)
from kiyome.pipeline.console import LOG_FORMATS, configure_logging, progress_mode
from kiyome.pipeline.inputs import UsageError, expand_inputs, total_size
from kiyome.pipeline.stage_config import ConfigAction, dedup_shape_problem
from kiyome.policies.policy import PolicyError, load_policy
from kiyome.transforms.ingest import IngestLimits
from kiyome.transforms.pii.pseudonym import PseudonymKeyError, resolve_key

#: Input bytes per compressed shard byte: text compresses ~3-4x under zstd.
INPUT_BYTES_PER_SHARD_BYTE = 4
#: Bounds of the MinHash shape and clustering rounds (as schemas/stage_config.schema.json).
MAX_NUM_PERM, MAX_NGRAM, MAX_CC_ROUNDS = 1024, 64, 64
#: Exit status of a completed ``--strict`` run that rejected something.
STRICT_EXIT = 3
log = logging.getLogger("kiyome")


def parse_languages(value: str) -> frozenset[str] | None:
    """``all`` -> None (keep every language); ``ja,en`` -> {'ja', 'en'}.

    >>> sorted(parse_languages("ja, en"))
    ['en', 'ja']
    >>> parse_languages("all") is None
    True
    """
    if value.strip().lower() == "all":
        return None
    codes = frozenset(code.strip().lower() for code in value.split(",") if code.strip())
    if not codes:
        raise argparse.ArgumentTypeError("expected ja, a comma-separated list, or all")
    return codes


def build_parser() -> argparse.ArgumentParser:
    from kiyome.pipeline.graph import SKIPPABLE
    from kiyome.transforms.write import PARTITION_KEYS

    parser = argparse.ArgumentParser(
        prog="kiyome", allow_abbrev=False,
        description="Japanese corpus curation: documents in, masked Parquet shards out.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run", allow_abbrev=False,
        help="run the pipeline (any other --flag is passed to Apache Beam)",
        description="Ingest, language ID, dedup, PII masking, Parquet shards. Any other "
                    "--flag is a Beam pipeline option (e.g. --runner DataflowRunner).")
    run.add_argument("--input", action="append", required=True, metavar="PATH",
                     help="file, directory (recursive), glob or gs:// URI; repeatable")
    run.add_argument("--output", required=True, metavar="DIR", help="output directory")
    run.add_argument("--policy", metavar="FILE|NAME",
                     help="masking policy file, or a shipped one: default (the default), strict")
    run.add_argument("--languages", type=parse_languages, default=frozenset({"ja"}),
                     metavar="ja|LIST|all", help="languages to keep (default ja)")
    # Language ID and quality filters (issue 8).
    run.add_argument("--min-ja-ratio", type=float, default=0.3, metavar="R",
                     help="keep a document in another language when Japanese lines hold at "
                          "least this share of its characters (default 0.3; 1.1 never)")
    run.add_argument("--quality-profile", choices=("business", "web", "off"),
                     default="business",
                     help="quality filters: business (default: keeps tables, lists, forms, "
                          "memos), web (published web-corpus thresholds) or off")
    run.add_argument("--config", action=ConfigAction, metavar="FILE",
                     help="stage parameters from a YAML file (kiyome.yaml lists them with "
                          "their defaults); flags override it")
    run.add_argument("--skip", action="append", choices=SKIPPABLE, default=[],
                     help="skip a stage (langid, dedup); repeatable")
    run.add_argument("--num-shards", type=int, default=0, metavar="N",
                     help="number of Parquet shards (default: from input size and "
                          "--shard-size-mb); empty shards are not written")
    run.add_argument("--shard-size-mb", type=float, default=512, metavar="MB",
                     help="target compressed shard size, estimated from input size (default 512)")
    run.add_argument("--row-group-mb", type=float, default=128, metavar="MB",
                     help="uncompressed size of a Parquet row group (default 128)")
    run.add_argument("--partition-by", choices=PARTITION_KEYS, default=None,
                     help="a shard directory per value: shards/lang=ja/part-…")
    run.add_argument("--validation-fraction", type=float, default=0.0, metavar="F",
                     help="put this fraction of ids (by hash) in shards/split=validation/")
    run.add_argument("--near-dup-threshold", type=float, default=0.8, metavar="J",
                     help="Jaccard similarity above which documents are near-duplicates")
    run.add_argument("--near-dup-keep", choices=("longest", "newest", "smallest_id"),
                     default="longest",
                     help="which document of a near-duplicate group to keep (ties: smallest id)")
    run.add_argument("--num-perm", type=int, default=128, metavar="N",
                     help="MinHash permutations per signature (default 128; --dedup-against "
                          "needs the earlier run's value)")
    run.add_argument("--ngram", type=int, default=5, metavar="N",
                     help="characters per MinHash shingle (default 5; --dedup-against needs "
                          "the earlier run's value)")
    run.add_argument("--bands", type=int, default=None, metavar="B",
                     help="LSH bands, with --rows (default: derived from the threshold and "
                          "--num-perm); bands x rows <= num-perm")
    run.add_argument("--rows", type=int, default=None, metavar="R",
                     help="signature values per LSH band, with --bands")
    run.add_argument("--cc-rounds", type=int, default=8, metavar="N",
                     help="connected-component rounds of near dedup (default 8)")
    run.add_argument("--max-bucket", type=int, default=1000, metavar="N",
                     help="split LSH buckets larger than this into sub-stars (default 1000)")
    run.add_argument("--dedup-against", action="append", default=[], metavar="DIR",
                     help="output directory of an earlier run: reject new documents that "
                          "duplicate its documents (uses DIR/signatures/); repeatable")
    run.add_argument("--text-column", default="text", metavar="NAME",
                     help="Parquet column holding the text (default text)")
    run.add_argument("--id-column", default="id", metavar="NAME",
                     help="Parquet column holding document ids (default id)")
    run.add_argument("--max-file-mb", type=float, default=256, metavar="MB",
                     help="reject larger files (and archive members) as file_too_large")
    run.add_argument("--max-chars", type=int, default=5_000_000, metavar="N",
                     help="reject documents longer than N characters as too_many_chars")
    run.add_argument("--split-mb", type=float, default=64, metavar="MB",
                     help="read .jsonl/.parquet files larger than this in parts of about "
                          "this size, on several workers (default 64)")
    run.add_argument("--overwrite", action="store_true",
                     help="replace shards/, rejected/ and manifest.json of an earlier run")
    run.add_argument("--strict", action="store_true",
                     help="exit 3 when any document was rejected or dropped (or the canary "
                          "scan finds personal data); without it a run that completes "
                          "exits 0 whatever it rejected")
    _add_output_flags(run)
    _add_policy_commands(commands)
    _add_report_commands(commands)
    _add_scan_command(commands)
    return parser


def _add_scan_command(commands) -> None:
    scan = commands.add_parser(
        "scan", allow_abbrev=False,
        help="rescan finished shards for residual personal data (exit 1 if any)",
        description="Canary scan of DIR/shards (text and metadata): My Number and corporate "
                    "numbers near their keywords, e-mail addresses, Japanese phone numbers, "
                    "card numbers. Reports counts per shard and entity, never values; exit 0 "
                    "clean, 1 findings, 2 no shards.")
    scan.add_argument("dir", metavar="DIR", help="output directory of a kiyome run")
    scan.add_argument("--policy", metavar="FILE|NAME",
                      help="entities this policy keeps are not findings (default: the "
                           "policy named in DIR/manifest.json, if unchanged)")


def _add_output_flags(command: argparse.ArgumentParser) -> None:
    command.add_argument("--quiet", action="store_true",
                         help="print errors only: no progress, no summary")
    command.add_argument("--log-format", choices=LOG_FORMATS, default="text",
                         help="text (default), or json: one JSON object per stderr line, "
                              "for CI and Dataflow")


def _add_report_commands(commands) -> None:
    report = commands.add_parser(
        "report", allow_abbrev=False,
        help="rebuild report.html, report.json and the dataset card of a finished run")
    report.add_argument("dir", metavar="DIR", help="the --output directory of a run")
    inspect = commands.add_parser(
        "inspect", allow_abbrev=False,
        help="print the schema, the counts and a few masked rows of a finished run")
    inspect.add_argument("dir", metavar="DIR", help="the --output directory of a run")
    inspect.add_argument("--rows", type=int, default=3, metavar="N",
                         help="sample rows to print (default 3)")


def _add_policy_commands(commands) -> None:
    policy = commands.add_parser("policy", allow_abbrev=False,
                                 help="check, preview and compare masking policies")
    actions = policy.add_subparsers(dest="policy_command", required=True)
    check = actions.add_parser("check", help="validate a policy; each problem with its line")
    check.add_argument("file", metavar="FILE")
    preview = actions.add_parser("preview", help="mask sample text and show every decision")
    preview.add_argument("file", metavar="FILE")
    source = preview.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="text to mask")
    source.add_argument("--input", metavar="PATH", help="text/.jsonl file or directory")
    diff = actions.add_parser("diff", help="what two policies do differently on samples")
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument("--input", metavar="PATH", required=True,
                      help="text/.jsonl file or directory of sample documents")


def check_dedup_shape(args: argparse.Namespace) -> None:
    """Refuse, in one line, a MinHash shape or clustering bound that cannot work."""
    if not 1 <= args.num_perm <= MAX_NUM_PERM:
        raise UsageError(f"--num-perm must be in [1, {MAX_NUM_PERM}], got {args.num_perm}")
    if not 1 <= args.ngram <= MAX_NGRAM:
        raise UsageError(f"--ngram must be in [1, {MAX_NGRAM}], got {args.ngram}")
    if not 1 <= args.cc_rounds <= MAX_CC_ROUNDS:
        raise UsageError(f"--cc-rounds must be in [1, {MAX_CC_ROUNDS}], got {args.cc_rounds}")
    if args.max_bucket < 2:
        raise UsageError(f"--max-bucket must be at least 2, got {args.max_bucket}")
    problem = dedup_shape_problem(args.num_perm, args.ngram, args.bands, args.rows)
    if problem:
        raise UsageError(f"--bands/--rows/--num-perm (or dedup.* in --config): {problem}")


def earlier_signatures(dirs: list[str], output_dir: str, skip: list[str],
                       num_perm: int, ngram: int = 5) -> tuple[str, ...]:
    """The signature files of ``--dedup-against`` directories, checked before any reading."""
    from kiyome.transforms.dedup.near import NearDedup
    from kiyome.transforms.dedup.signatures import check_compatible, signature_files

    if not dirs:
        return ()
    if "dedup" in skip:
        raise UsageError("--dedup-against needs dedup; do not combine it with --skip dedup")
    near = NearDedup(num_perm=num_perm, ngram=ngram)
    found: list[str] = []
    for directory in dirs:
        if directory.rstrip("/") == output_dir.rstrip("/"):
            raise UsageError(f"--dedup-against {directory} is the --output directory")
        files = signature_files(directory)
        if not files:
            raise UsageError(f"--dedup-against {directory}: no signatures/*.parquet there "
                             "(was it written by a kiyome run with dedup?)")
        try:
            check_compatible(files[0], near.num_perm, near.ngram, near.seed)
        except ValueError as error:
            raise UsageError(f"--dedup-against {directory}: {error}") from None
        found.extend(files)
    return tuple(sorted(set(found)))


def _finish(work_dir: str, run_manifest: dict, wall_clock: float,
            args: argparse.Namespace) -> None:
    """Report and dataset card beside the manifest, the run moved into place, then the
    closing summary (a table, or one JSON log line)."""
    from kiyome import report
    from kiyome.pipeline import console, output_dir
    from kiyome.transforms.write import AUDIT_DIR, REJECTED_DIR, SHARDS_DIR

    final = args.output
    report.write_all(work_dir, title=final.rstrip("/").rsplit("/", 1)[-1])
    output_dir.commit(work_dir, final)
    base = final.rstrip("/")
    paths = {"shards": f"{base}/{SHARDS_DIR}/", "manifest": f"{base}/{output_dir.MANIFEST}",
             **report.output_paths(final), "rejected": f"{base}/{REJECTED_DIR}/",
             "audit": f"{base}/{AUDIT_DIR}/"}
    numbers = console.summary(run_manifest, paths, time.monotonic() - wall_clock)
    if args.quiet:
        return
    if args.log_format == "json":
        log.info("run finished", extra={"summary": numbers})
    else:
        print(console.summary_table(numbers))


def submitted(result) -> bool:
    """False when the runner wrote a job description instead of running it.

    A Flex Template launcher passes ``--template_location``: DataflowRunner then
    writes the job for the service to start and returns a result without a job,
    which cannot be waited on (Beam raises "Failed to get the Dataflow job id").

    >>> class Written:
    ...     has_job = False
    >>> submitted(Written()), submitted(object())
    (False, True)
    """
    return getattr(result, "has_job", True) is not False


def run(args: argparse.Namespace, beam_flags: list[str]) -> int:
    """Check everything that can be checked before reading, then run into a staging
    directory that becomes the output only when the whole run succeeded."""
    from kiyome.pipeline import output_dir

    policy = load_policy(args.policy)
    if policy.uses_pseudonyms():
        resolve_key(policy.pseudonym_key)  # a missing key stops the run before any reading
    files = expand_inputs(args.input)
    if args.num_shards < 0:
        raise UsageError("--num-shards must be 0 (automatic) or more")
    if not 0.0 < args.near_dup_threshold <= 1.0:
        raise UsageError("--near-dup-threshold must be in (0, 1]")
    check_dedup_shape(args)
    if args.max_file_mb <= 0 or args.max_chars <= 0 or args.split_mb <= 0:
        raise UsageError("--max-file-mb, --max-chars and --split-mb must be positive")
    if args.shard_size_mb <= 0 or args.row_group_mb <= 0:
        raise UsageError("--shard-size-mb and --row-group-mb must be positive")
    if not 0.0 <= args.validation_fraction < 1.0:
        raise UsageError("--validation-fraction must be in [0, 1)")
    dedup_against = earlier_signatures(args.dedup_against, args.output, args.skip,
                                       args.num_perm, args.ngram)
    work_dir = output_dir.begin(args.output, args.overwrite)
    try:
        return _execute(args, beam_flags, files, policy, dedup_against, work_dir)
    except BaseException:
        output_dir.abandon(work_dir, args.output)
        raise


def _execute(args: argparse.Namespace, beam_flags: list[str], files, policy,
             dedup_against: tuple[str, ...], work_dir: str) -> int:
    """Build and run the pipeline into ``work_dir``; manifest, report, then move into place."""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import StandardOptions

    from kiyome.pipeline import graph, manifest, scan
    from kiyome.pipeline.graph import RunConfig
    from kiyome.pipeline.progress import Progress
    from kiyome.pipeline.runner import LOCAL_RUNNER, masking_in_own_workers, pipeline_options
    from kiyome.report import output_paths as report_paths
    from kiyome.transforms.write import ShardLayout

    shard_input_bytes = args.shard_size_mb * 1024 * 1024 * INPUT_BYTES_PER_SHARD_BYTE
    num_shards = args.num_shards or max(1, math.ceil(total_size(files) / shard_input_bytes))
    options = pipeline_options(beam_flags)
    config = RunConfig(
        input_paths=tuple(item.path for item in files),
        output_dir=work_dir,
        policy=policy,
        languages=args.languages,
        min_ja_ratio=args.min_ja_ratio,
        quality_profile=args.quality_profile,
        skip=frozenset(args.skip),
        num_shards=num_shards,
        near_dup_threshold=args.near_dup_threshold,
        near_dup_keep=args.near_dup_keep,
        num_perm=args.num_perm,
        ngram=args.ngram,
        bands=args.bands,
        rows=args.rows,
        near_dup_cc_rounds=args.cc_rounds,
        max_bucket=args.max_bucket,
        dedup_against=dedup_against,
        text_column=args.text_column,
        id_column=args.id_column,
        ingest_limits=IngestLimits(max_file_bytes=int(args.max_file_mb * 1024 * 1024),
                                   max_chars=args.max_chars,
                                   split_bytes=max(1, int(args.split_mb * 1024 * 1024))),
        shard_layout=ShardLayout(row_group_mb=args.row_group_mb, partition_by=args.partition_by,
                                 validation_fraction=args.validation_fraction),
        masking_in_own_workers=masking_in_own_workers(options),
    )
    runner = options.view_as(StandardOptions).runner or "?"
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    clock = time.monotonic()
    pipeline = beam.Pipeline(options=options)
    graph.build(pipeline, config)
    local = runner == LOCAL_RUNNER  # on Dataflow, the job page shows the counters
    mode = progress_mode(args.log_format, args.quiet, sys.stderr) if local else "off"
    with Progress(mode):
        result = pipeline.run()
        if not submitted(result):
            print("kiyome: the Dataflow job was written as a template (--template_location), "
                  "not run: no manifest; the counters are in the Dataflow UI once it runs")
            return 0
        result.wait_until_finish()
    finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    run_manifest = manifest.build_manifest(
        config, manifest.counter_values(result), inputs=list(args.input),
        started=started, finished=finished, runner=runner, command=args.command_line)
    run_manifest["outputs"] = report_paths(args.output)
    run_manifest["scan"] = scan.summary(work_dir, policy)
    manifest.write_manifest(work_dir, run_manifest)
    _finish(work_dir, run_manifest, clock, args)
    if not run_manifest["scan"]["clean"]:
        log.warning("canary %s; see the manifest's scan section",
                    scan.format_report(run_manifest["scan"])[-1])
    if not run_manifest["documents"]["accounted"]:
        print("kiyome: error: documents in != written + dropped; see the manifest",
              file=sys.stderr)
        return 1
    if args.strict and (run_manifest["documents"]["dropped"]
                        or not run_manifest["scan"]["clean"]):
        print(f"kiyome: --strict: {run_manifest['documents']['dropped']} documents rejected "
              "or dropped, or the canary scan found personal data", file=sys.stderr)
        return STRICT_EXIT
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    configure_logging(getattr(args, "log_format", "text"), getattr(args, "quiet", False))
    from kiyome.pipeline.provenance import command_line

    args.command_line = command_line(["kiyome", *(sys.argv[1:] if argv is None else argv)])
    if args.command in ("report", "inspect"):
        if rest:
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        return run_report_command(args)
    if args.command == "policy":
        if rest:
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        from kiyome.pipeline.policy_commands import run_policy_command

        return run_policy_command(args)
    if args.command == "scan":
        if rest:
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        from kiyome.pipeline.scan import run_scan_command

        return run_scan_command(args.dir, args.policy)
    unknown = [arg for arg in rest if not arg.startswith("--") and not _is_flag_value(rest, arg)]
    if unknown:
        parser.error(f"unexpected argument {unknown[0]!r}")
    try:
        return run(args, rest)
    except (UsageError, PolicyError, PseudonymKeyError) as error:
        print(f"kiyome: error: {error}", file=sys.stderr)
        return 2


def run_report_command(args: argparse.Namespace) -> int:
    """``kiyome report DIR`` and ``kiyome inspect DIR``: read a finished run, never change it."""
    from kiyome import report
    from kiyome.report.inspect import inspect

    try:
        if args.command == "inspect":
            print(inspect(args.dir, max(0, args.rows)))
            return 0
        for kind, path in report.write_all(args.dir).items():
            print(f"{kind:<13} {path}")
        return 0
    except FileNotFoundError as error:
        print(f"kiyome: error: {error}", file=sys.stderr)
        return 2


def _is_flag_value(rest: list[str], arg: str) -> bool:
    """True when ``arg`` is the value of the preceding ``--flag`` (``--project p``)."""
    index = rest.index(arg)
    return index > 0 and rest[index - 1].startswith("--") and "=" not in rest[index - 1]


if __name__ == "__main__":
    sys.exit(main())
