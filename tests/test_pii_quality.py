"""The PII quality bar on the labelled Japanese test set (tests/pii_testset).

Bar (issue): span recall >= 95 % overall, >= 99 % for check-digit identifiers,
>= 90 % for PERSON and JP_ADDRESS; character precision >= 90 %; no hard-negative
category above 5 % false positives. Thresholds are the shipped policy's.

Entities whose recognizer has not landed yet (not in ``SUPPORTED_ENTITIES``) are
*skipped* here and shown as "not supported" in the table; they join the overall
recall automatically once supported. Failures print both tables
(``python -m tests.pii_eval`` prints them too).
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests import pii_eval

TESTSET = pii_eval.TESTSET_DIR
LABELLED = pii_eval.load_jsonl(pii_eval.LABELLED_PATH)
NEGATIVES = pii_eval.load_jsonl(pii_eval.HARD_NEGATIVES_PATH)
CATEGORIES = sorted({ex["category"] for ex in NEGATIVES})

#: Bar assertions known to fail at the time of writing because of recognizer gaps
#: (not dataset problems): xfail, non-strict, so improvements do not break the build.
#: Remove an entry once its figure is over the bar. See the eval README for examples.
KNOWN_GAPS: dict[str, str] = {}


def _gap(key: str):
    reason = KNOWN_GAPS.get(key)
    return [pytest.mark.xfail(reason=reason, strict=False)] if reason else []


# --------------------------------------------------------------------------- the bar


@pytest.fixture(scope="module")
def report() -> pii_eval.Report:
    """One evaluation for the whole module (GiNZA loads once; forks one worker per core)."""
    return pii_eval.run(workers=os.cpu_count() or 1)


def _explain(report: pii_eval.Report, message: str) -> str:
    return f"{message}\n\n{report.table()}\n\n{report.examples(limit=5)}"


@pytest.mark.parametrize("key", [pytest.param("overall", marks=_gap("overall"))])
def test_overall_recall(report, key):
    recall = report.overall_recall()
    assert recall is not None and recall >= pii_eval.OVERALL_RECALL, _explain(
        report, f"overall span recall {recall:.1%} < {pii_eval.OVERALL_RECALL:.0%}")


def _entity_params(entities):
    return [pytest.param(e, marks=_gap(e)) for e in entities]


def _check_recall(report, entity, floor):
    if entity not in report.supported:
        pytest.skip(f"{entity}: recognizer not in SUPPORTED_ENTITIES yet (table: not supported)")
    recall = report.recall(entity)
    assert recall is not None and recall >= floor, _explain(
        report, f"{entity} span recall {recall:.1%} < {floor:.0%}")


@pytest.mark.parametrize("entity", _entity_params(pii_eval.CHECK_DIGIT_ENTITIES))
def test_check_digit_recall(report, entity):
    _check_recall(report, entity, pii_eval.CHECK_DIGIT_RECALL)


@pytest.mark.parametrize("entity", _entity_params(pii_eval.NAME_ADDRESS_ENTITIES))
def test_name_and_address_recall(report, entity):
    _check_recall(report, entity, pii_eval.NAME_ADDRESS_RECALL)


@pytest.mark.parametrize("key", [pytest.param("precision", marks=_gap("precision"))])
def test_character_precision(report, key):
    precision = report.overall_char_precision()
    assert precision is not None and precision >= pii_eval.CHAR_PRECISION, _explain(
        report, f"character precision {precision:.1%} < {pii_eval.CHAR_PRECISION:.0%}")


@pytest.mark.parametrize("category", [pytest.param(c, marks=_gap(f"negatives:{c}"))
                                      for c in CATEGORIES])
def test_hard_negatives(report, category):
    stats = report.negatives[category]
    assert stats.rate <= pii_eval.HARD_NEGATIVE_MAX_FP_RATE, _explain(
        report, f"hard negatives {category}: {stats.false_positives}/{stats.examples} "
                f"false positives > {pii_eval.HARD_NEGATIVE_MAX_FP_RATE:.0%}")


# --------------------------------------------------------------------------- vs. plain Presidio


@pytest.fixture(scope="module")
def reference_report() -> pii_eval.Report:
    """Plain Presidio + GiNZA on the same set (GiNZA NER on every character)."""
    return pii_eval.run(workers=os.cpu_count() or 1, ner="reference")


def test_recall_not_below_plain_presidio_ginza(report, reference_report):
    """Speed must not cost recall: the gated NER pass finds at least what plain
    Presidio + GiNZA finds, overall and for names."""
    ours, theirs = report.recall("PERSON"), reference_report.recall("PERSON")
    assert ours is not None and theirs is not None and ours >= theirs, (
        f"PERSON recall {ours:.1%} < plain Presidio + GiNZA {theirs:.1%}")
    assert report.overall_recall() >= reference_report.overall_recall()


# --------------------------------------------------------------------------- the data set


def test_generator_reproduces_the_committed_files(tmp_path):
    script = TESTSET / "generate.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True,
                   capture_output=True, timeout=120)
    for name in (pii_eval.LABELLED_PATH.name, pii_eval.HARD_NEGATIVES_PATH.name):
        assert (tmp_path / name).read_bytes() == (TESTSET / name).read_bytes(), (
            f"{name} differs from generate.py's output: run python tests/pii_testset/generate.py")


def test_size_and_shape():
    assert 250 <= len(LABELLED) <= 400
    assert pii_eval.LABELLED_PATH.stat().st_size < 400_000
    assert len({doc["id"] for doc in LABELLED}) == len(LABELLED)
    counts = {c: sum(ex["category"] == c for ex in NEGATIVES) for c in CATEGORIES}
    assert set(counts) == {
        "order_number", "invoice_slip_number", "failed_check_digit", "jan_code",
        "version_string", "non_birth_date", "company_with_surname", "place_name",
        "price_quantity", "product_code",
    }
    assert min(counts.values()) >= 20, counts


HY = "[-－‐‑‒–—―−ーｰ]"
_SEPARATORS = re.compile(r"[-－‐‑‒–—―−ーｰ\s　]")
MY_NUMBER_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
LICENCE_PREFIXES = {10, 11, 12, 13, 14, 20, 21, 22, 23, 24, 25, 30, *range(40, 56),
                    *range(60, 66), *range(70, 75), *range(80, 84), *range(90, 98)}
HONORIFICS = ("様", "さん", "氏", "部長", "課長", "殿", "くん", "ちゃん")
ERA_START = {"昭和": 1925, "平成": 1988, "令和": 2018, "S": 1925, "H": 1988, "R": 2018}


def _digits(text: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


def _my_number_ok(d: str) -> bool:
    r = sum(int(x) * w for x, w in zip(d[:11], MY_NUMBER_WEIGHTS, strict=True)) % 11
    return len(d) == 12 and d.isdigit() and int(d[11]) == (0 if r <= 1 else 11 - r)


def _corporate_ok(d: str) -> bool:
    if len(d) != 13 or not d.isdigit():
        return False
    base = d[1:]
    s = sum(int(base[12 - n]) * (1 if n % 2 else 2) for n in range(1, 13))
    return int(d[0]) == 9 - s % 9


def _luhn_ok(d: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return d.isdigit() and 13 <= len(d) <= 19 and total % 10 == 0


def _birth_date_ok(value: str) -> bool:
    v = unicodedata.normalize("NFKC", value).replace("元", "1")
    month_day = r"(?:年|[./-])(\d{1,2})(?:月|[./-])(\d{1,2})日?"
    m = re.fullmatch(r"(昭和|平成|令和|[SHR])(\d{1,2})" + month_day, v)
    if m:
        year = ERA_START[m[1]] + int(m[2])
    else:
        m = re.fullmatch(r"((?:19|20)\d\d)()" + month_day, v)
        if not m:
            return False
        year = int(m[1])
    try:
        datetime.date(year, int(m[3]), int(m[4]))
    except ValueError:
        return False
    return True


def _phone_ok(value: str) -> bool:
    v = unicodedata.normalize("NFKC", value)
    digits = re.sub(r"\D", "", v)
    if v.startswith("+81"):
        digits = "0" + digits[2:]
    return digits.startswith("0") and len(digits) in (10, 11)


FORMAT_CHECKS = {
    "JP_MY_NUMBER": lambda v: _my_number_ok(_digits(v)),
    "JP_CORPORATE_NUMBER": lambda v: _corporate_ok(_digits(v)),
    "JP_INVOICE_NUMBER": lambda v: _digits(v).startswith("T")
    and _corporate_ok(_digits(v)[1:].lstrip(".")),
    "CREDIT_CARD": lambda v: _luhn_ok(_digits(v)),
    "JP_PASSPORT": lambda v: re.fullmatch(r"[A-Z]{2}\d{7}", _digits(v)) is not None,
    "JP_DRIVERS_LICENSE": lambda v: re.fullmatch(r"\d{12}", _digits(v)) is not None
    and int(_digits(v)[:2]) in LICENCE_PREFIXES,
    "JP_RESIDENCE_CARD": lambda v: re.fullmatch(r"[A-Z]{2}\d{8}[A-Z]{2}", _digits(v)) is not None,
    "JP_BASIC_PENSION_NUMBER": lambda v: re.fullmatch(
        rf"\d{{4}}{HY}?\d{{6}}", unicodedata.normalize("NFKC", v)) is not None,
    "JP_EMPLOYMENT_INSURANCE_NUMBER": lambda v: re.fullmatch(
        rf"\d{{4}}{HY}\d{{6}}{HY}\d", unicodedata.normalize("NFKC", v)) is not None,
    "JP_HEALTH_INSURANCE": lambda v: re.fullmatch(r"\d{1,8}", _digits(v)) is not None,
    "JP_RESIDENT_CODE": lambda v: re.fullmatch(r"\d{11}", _digits(v)) is not None,
    "JP_BANK_ACCOUNT": lambda v: re.fullmatch(r"\d{7}|1\d{12}", _digits(v)) is not None,
    "JP_POSTAL_CODE": lambda v: re.fullmatch(
        rf"\d{{3}}{HY}\d{{4}}", unicodedata.normalize("NFKC", v)) is not None,
    "EMAIL_ADDRESS": lambda v: re.fullmatch(
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[a-z]{2,}",
        unicodedata.normalize("NFKC", v)) is not None,
    "IP_ADDRESS": lambda v: bool(ipaddress.ip_address(v)),
    "DATE_OF_BIRTH": _birth_date_ok,
    "PHONE_NUMBER": _phone_ok,
    "PERSON": lambda v: v == v.strip() and not re.search(r"\d", v)
    and not v.endswith(HONORIFICS),
    "JP_ADDRESS": lambda v: v == v.strip()
    and re.search(r"[0-9０-９]|[一二三四五六七八九]丁目", v) is not None,
}


def test_every_gold_span_has_the_expected_format():
    bad = []
    for doc in LABELLED:
        text, last_end = doc["text"], 0
        for span in sorted(doc["spans"], key=lambda s: s["start"]):
            value = text[span["start"]:span["end"]]
            if not value or span["start"] < last_end:
                bad.append((doc["id"], span, "empty or overlapping"))
            elif not FORMAT_CHECKS[span["entity"]](value):
                bad.append((doc["id"], span["entity"], value))
            last_end = span["end"]
    assert not bad, json.dumps(bad[:20], ensure_ascii=False, indent=1)


def test_every_planned_entity_is_labelled():
    labelled = {span["entity"] for doc in LABELLED for span in doc["spans"]}
    assert labelled == set(FORMAT_CHECKS)


def test_hard_negative_spans_are_non_empty():
    for example in NEGATIVES:
        assert example["spans"], example["id"]
        for span in example["spans"]:
            assert example["text"][span["start"]:span["end"]].strip(), example["id"]


def test_readme_exists():
    assert Path(TESTSET / "README.md").is_file()
