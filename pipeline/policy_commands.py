"""``kiyome policy check|preview|diff``: the compliance officer's commands.

They print positions, entity types, scores and actions — never a detected
value outside the masked text the officer asked to see.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from kiyome.policies.policy import Policy, PolicyError, load_policy, parse_policy_text
from kiyome.transforms.pii.mask import UNCHANGED, Masker, Outcome

_COLOURS = {"entity": "\033[1;33m", "drop": "\033[1;31m", "ok": "\033[1;32m", "dim": "\033[2m"}
_RESET = "\033[0m"


def _colour(text: str, kind: str, enabled: bool) -> str:
    return f"{_COLOURS[kind]}{text}{_RESET}" if enabled else text


def use_colour() -> bool:
    """Colour on a terminal, unless NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def check_command(path: str) -> int:
    """Print every problem with its line and fix; exit 1 if there is any."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"{path}: cannot read the policy ({type(error).__name__})", file=sys.stderr)
        return 2
    policy, problems = parse_policy_text(text, path)
    for problem in problems:
        print(problem.render(path))
    if problems:
        print(f"{path}: {len(problems)} problem(s); `kiyome run` refuses this policy",
              file=sys.stderr)
        return 1
    from kiyome.transforms.pii.detect import SUPPORTED_ENTITIES

    unlisted = [name for name in SUPPORTED_ENTITIES if name not in policy.entities]
    print(f"{path}: OK  name={policy.name} version={policy.version} mode={policy.mode} "
          f"ner={policy.ner} hash={policy.content_hash[:16]}")
    for name, action in sorted(policy.entities.items()):
        state = "disabled" if not action.enabled else f"{action.operator} (min_score "\
            f"{action.min_score})"
        allowed = f", {len(action.allow)} allow-listed" if action.allow else ""
        print(f"  {name:<32} {state}{allowed}")
    for name in unlisted:
        print(f"  {name:<32} default: {policy.default.operator}")
    return 0


def sample_texts(path: str) -> Iterator[tuple[str, str]]:
    """(name, text) of each sample: text files as they are, one per ``.jsonl`` line."""
    root = Path(path)
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    for file in files:
        content = file.read_text(encoding="utf-8-sig", errors="replace")
        if file.suffix.lower() == ".jsonl":
            for number, line in enumerate(content.splitlines(), start=1):
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(record, dict) and isinstance(record.get("text"), str):
                    yield f"{file}:{number}", record["text"]
        else:
            yield str(file), content


def render_masked(outcome: Outcome, colour: bool) -> str:
    """The masked text with what the policy wrote highlighted."""
    if not colour or outcome.text == "":
        return outcome.text
    import re

    return re.sub(r"＜[^＜＞\n]{1,30}＞|<[A-Z_]{2,40}(?:_[0-9a-f]{16})?>",
                  lambda match: _colour(match.group(0), "entity", True), outcome.text)


def render_table(outcome: Outcome, colour: bool) -> str:
    rows = [("span", "entity", "score", "recognizer", "action")]
    for decision in sorted(outcome.decisions, key=lambda d: (d.start, d.end)):
        action = decision.action + (f" ({decision.note})" if decision.note else "")
        rows.append((f"{decision.start}-{decision.end}", decision.entity,
                     f"{decision.score:.2f}", decision.recognizer, action))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        unchanged = index and row[4].split(" ")[0] in UNCHANGED
        lines.append(_colour(line, "dim", colour) if unchanged or index == 0 else line)
    return "\n".join(lines)


def preview_command(path: str, text: str | None, sample: str | None) -> int:
    policy = load_policy(path)
    masker = Masker(policy)
    colour = use_colour()
    samples = [("--text", text)] if text is not None else list(sample_texts(sample))
    for name, content in samples:
        outcome = masker.explain(content)
        print(_colour(f"== {name}", "ok", colour))
        if outcome.drop_reason:
            detail = ", ".join(f"{k}={v}" for k, v in outcome.drop_detail.items())
            print(_colour(f"document dropped: {outcome.drop_reason} ({detail})", "drop", colour))
        else:
            print(render_masked(outcome, colour))
        print()
        print(render_table(outcome, colour))
        print()
    return 0


def _maskers(old: Policy, new: Policy) -> tuple[Masker, Masker]:
    first = Masker(old)
    same_detectors = old.extra_context() == new.extra_context()
    return first, first.with_policy(new) if same_detectors else Masker(new)


def diff_outcomes(old: Outcome, new: Outcome) -> list[str]:
    """Lines describing where two policies act differently on one text."""
    lines = []
    if old.drop_reason != new.drop_reason:
        lines.append(f"document: {old.drop_reason or 'kept'} -> {new.drop_reason or 'kept'}")
    before = {(d.entity, d.start, d.end): d.action for d in old.decisions}
    after = {(d.entity, d.start, d.end): d.action for d in new.decisions}
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[1], k[2], k[0])):
        was, now = before.get(key, "not detected"), after.get(key, "not detected")
        if was != now:
            entity, start, end = key
            lines.append(f"{start}-{end} {entity}: {was} -> {now}")
    return lines


def diff_command(old_path: str, new_path: str, sample: str) -> int:
    old, new = load_policy(old_path), load_policy(new_path)
    old_masker, new_masker = _maskers(old, new)
    totals: dict[str, Counter] = {"old": Counter(), "new": Counter()}
    changed_docs = 0
    for name, content in sample_texts(sample):
        before, after = old_masker.explain(content), new_masker.explain(content)
        totals["old"].update(before.counts())
        totals["new"].update(after.counts())
        totals["old"]["(document dropped)", before.drop_reason or "-"] += 1
        totals["new"]["(document dropped)", after.drop_reason or "-"] += 1
        lines = diff_outcomes(before, after)
        if lines:
            changed_docs += 1
            print(f"== {name}")
            print("\n".join(f"  {line}" for line in lines))
    print(f"\n{changed_docs} sample document(s) handled differently")
    keys = sorted(totals["old"].keys() | totals["new"].keys())
    print(f"{'entity':<32} {'action':<22} {old.name:>8} {new.name:>8}")
    for entity, action in keys:
        was, now = totals["old"][entity, action], totals["new"][entity, action]
        marker = "" if was == now else "  *"
        print(f"{entity:<32} {action:<22} {was:>8} {now:>8}{marker}")
    return 0


def run_policy_command(args) -> int:
    try:
        if args.policy_command == "check":
            return check_command(args.file)
        if args.policy_command == "preview":
            return preview_command(args.file, args.text, args.input)
        return diff_command(args.old, args.new, args.input)
    except PolicyError as error:
        print(f"kiyome: error: {error}", file=sys.stderr)
        return 2
