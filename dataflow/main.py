"""Flex Template entry point: template parameters -> ``kiyome run`` on Dataflow.

The launcher calls ``python main.py --name=value …`` with the parameter names of
metadata.json (Dataflow wants ``snake_case``) and Beam options of its own
(``--runner``, ``--project``, ``--region``, ``--temp_location``,
``--template_location``, ``--sdk_container_image``…). Kiyome's options are renamed
to the command line's spelling (``near_dup_threshold`` -> ``--near-dup-threshold``);
a repeatable option takes a comma-separated list (``input``, ``skip``,
``dedup_against``); a switch takes ``true``/``false`` (``overwrite``). What is not
a Kiyome option passes through to Beam unchanged. The runner defaults to
Dataflow (Kiyome's local default would run the whole job inside the launcher),
and the worker image to ``KIYOME_WORKER_IMAGE``, which the launcher image is built
with (``make dataflow-launcher``): the workers run the image of the same commit.
"""

from __future__ import annotations

import argparse
import os
import sys

TRUE = frozenset({"true", "1", "yes"})


def run_actions() -> dict[str, argparse.Action]:
    """``kiyome run``'s options by template parameter name (the argparse ``dest``)."""
    from kiyome.pipeline.cli import build_parser

    commands = next(action for action in build_parser()._actions
                    if isinstance(action, argparse._SubParsersAction))
    return {action.dest: action for action in commands.choices["run"]._actions
            if action.option_strings and action.dest != "help"}


def _has(args: list[str], flag: str) -> bool:
    return any(arg == flag or arg.startswith(flag + "=") for arg in args)


def to_cli(argv: list[str], worker_image: str = "") -> list[str]:
    """Launcher arguments -> ``kiyome`` arguments (``run`` first, Dataflow by default).

    >>> to_cli(["--input=gs://b/a,gs://b/c", "--near_dup_threshold=0.9",
    ...         "--overwrite=false", "--project=p"])  # doctest: +NORMALIZE_WHITESPACE
    ['run', '--input=gs://b/a', '--input=gs://b/c', '--near-dup-threshold=0.9',
     '--project=p', '--runner=DataflowRunner']
    """
    actions = run_actions()
    out = ["run"]
    for arg in argv:
        name, _, value = arg.removeprefix("--").partition("=")
        action = actions.get(name) if arg.startswith("--") and "=" in arg else None
        if action is None:
            out.append(arg)
        elif action.nargs == 0:  # a switch: present or absent
            if value.strip().lower() in TRUE:
                out.append(action.option_strings[0])
        elif isinstance(action, argparse._AppendAction):
            out.extend(f"{action.option_strings[0]}={item.strip()}"
                       for item in value.split(",") if item.strip())
        else:
            out.append(f"{action.option_strings[0]}={value}")
    if not _has(out, "--runner"):
        out.append("--runner=DataflowRunner")
    if worker_image and not _has(out, "--sdk_container_image"):
        out.append(f"--sdk_container_image={worker_image}")
        if not _has(out, "--sdk_location"):
            out.append("--sdk_location=container")  # Beam is in the image: stage no SDK
    return out


def main(argv: list[str] | None = None) -> int:
    from kiyome.pipeline.cli import main as kiyome_main

    args = sys.argv[1:] if argv is None else argv
    return kiyome_main(to_cli(args, os.environ.get("KIYOME_WORKER_IMAGE", "")))


if __name__ == "__main__":
    sys.exit(main())
