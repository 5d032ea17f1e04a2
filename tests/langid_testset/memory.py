"""What the word-frequency evidence costs a worker process: memory and load time.

    .venv/bin/python -m tests.langid_testset.memory

In one fresh process: lid.176 loaded, a Japanese and a long English document
identified and the kanji form sets built first (what a worker has before any
word list), then one short kanji-only text without decisive forms, which loads
wordfreq's Japanese and Chinese lists (transforms/langid/hanzi.py), then one
short Latin-script text, which loads the 20 Latin-script lists
(transforms/langid/words.py). Prints the resident memory (VmRSS) and its peak
(VmHWM) added by each, the load times and the Latin table's own size.
"""

from __future__ import annotations

import json
import time


def _status() -> dict[str, float]:
    """VmRSS and VmHWM of this process in MB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        fields = dict(line.split(":", 1) for line in handle if line.startswith("Vm"))
    return {key: int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM")}


def main() -> int:
    import sys

    from kiyome.transforms.langid import hanzi, identify, load_model, script, words

    model = load_model()
    identify(model, "来週の定例会議は第二会議室で行います。")
    identify(model, "The shipment leaves the warehouse on Monday. " * 10)
    script.kanji_evidence("國際會議")  # the form sets, built for any kanji-only text
    assert "wordfreq" not in sys.modules, "the lists must load only when needed"
    start_kanji = _status()
    start = time.perf_counter()
    identify(model, "儲存格格式")
    kanji_seconds = time.perf_counter() - start
    before = _status()
    start = time.perf_counter()
    identify(model, "Speichern unter")
    seconds = time.perf_counter() - start
    after = _status()
    table = words.table()
    ja, zh, _ = hanzi.lexicons()
    print(json.dumps({
        "kanji_added_rss_mb": round(before["VmRSS"] - start_kanji["VmRSS"], 1),
        "kanji_added_peak_mb": round(before["VmHWM"] - start_kanji["VmHWM"], 1),
        "kanji_first_call_s": round(kanji_seconds, 2), "kanji_words": len(ja) + len(zh),
        "rss_mb_before": round(before["VmRSS"], 1), "rss_mb_after": round(after["VmRSS"], 1),
        "added_rss_mb": round(after["VmRSS"] - before["VmRSS"], 1),
        "added_peak_mb": round(after["VmHWM"] - before["VmHWM"], 1),
        "first_call_s": round(seconds, 2),
        "table_mb": round((table.keys.nbytes + table.centibels.nbytes) / 2**20, 1),
        "words": len(table.keys), "languages": len(words.LANGS)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
