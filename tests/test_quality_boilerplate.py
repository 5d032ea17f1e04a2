"""Boilerplate inside documents: what goes, what must stay, and the counts."""

from __future__ import annotations

from kiyome.transforms.quality.boilerplate import KINDS, StripBoilerplate, strip_boilerplate
from kiyome.transforms.quality.quotes import quote_blocks
from kiyome.transforms.records import new_document

PAGE = ("第2四半期の売上は前年同期比で8%増加した。主力製品の出荷が回復し、\n"
        "新規顧客は12社増えた。一方、物流費の上昇が利益を圧迫している。\n"
        "来期は価格改定と配送ルートの見直しで対応する。\n"
        "詳細は別紙の表を参照のこと。\n")
REPORT = "\n".join(f"社外秘 {n}/3\n{PAGE}- {n} -" for n in (1, 2, 3))
MAIL = """佐藤様

お世話になっております。見積書を添付いたしますので、ご確認ください。
ご不明な点があればお知らせください。

よろしくお願いいたします。

━━━━━━━━━━━━━━━━━━
株式会社サンプル 営業部
山田 花子
TEL: 03-1234-5678
Mail: hanako.yamada@example.co.jp
━━━━━━━━━━━━━━━━━━

このメールには機密情報が含まれている場合があります。誤って受信された場合は、
お手数ですが送信者にご連絡のうえ削除してください。

On 2026/03/02 10:15, 佐藤 一郎 wrote:
> 山田様
> 先日の件、見積書をお送りいただけますか。
> よろしくお願いします。"""
FORM = """出張申請書
━━━━━━━━━━━━━━━━━━
1. 申請者
━━━━━━━━━━━━━━━━━━
氏名：
電話：
メール：
━━━━━━━━━━━━━━━━━━
2. 出張内容
━━━━━━━━━━━━━━━━━━
出張先：
期間：
目的："""
SCHEDULE = "定例会の日程\n定例会 3/10\n定例会 3/17\n定例会 3/24\n定例会 3/31"


def test_page_headers_keep_one_marker_and_page_numbers_go():
    text, counts = strip_boilerplate(REPORT)
    assert text.count("社外秘 1/3") == 1 and "社外秘 2/3" not in text and "社外秘 3/3" not in text
    assert "- 2 -" not in text and text.count("第2四半期") == 3
    assert counts["page_furniture"] == 5


def test_mail_loses_signature_and_disclaimer_and_keeps_a_quote_nothing_else_holds():
    text, counts = strip_boilerplate(MAIL)
    assert text.startswith("佐藤様") and "03-1234-5678" not in text and "誤って受信" not in text
    assert text.endswith("> 山田様\n> 先日の件、見積書をお送りいただけますか。\n"
                         "> よろしくお願いします。")
    assert counts == {"page_furniture": 0, "quoted_reply": 0, "quoted_reply_kept": 3,
                      "signature": 6, "disclaimer": 2}


def test_a_quote_found_elsewhere_goes_with_its_intro_line():
    quoted = [paragraph.fp for block in quote_blocks(MAIL.split("\n"))
              for paragraph in block.paragraphs]
    text, counts = strip_boilerplate(MAIL, set(quoted))
    assert text.startswith("佐藤様") and text.endswith("よろしくお願いいたします。")
    assert "wrote" not in text and "先日の件" not in text
    assert counts == {"page_furniture": 0, "quoted_reply": 4, "quoted_reply_kept": 0,
                      "signature": 6, "disclaimer": 2}


def test_forms_schedules_and_plain_text_are_untouched():
    for text in (FORM, SCHEDULE, PAGE.strip(), "> 1行だけの引用は残す\n本文"):
        assert strip_boilerplate(text) == (text, dict.fromkeys(KINDS, 0))


def test_a_disclaimer_with_a_real_marker_stays_for_the_policy():
    text = ("本文です。\n\n【社外秘】本メールは機密情報を含みます。"
            "誤って受信した場合は削除してください。")
    assert strip_boilerplate(text)[0] == text


def test_stage_rejects_documents_that_were_only_boilerplate(stage_runner):
    docs, rejected = stage_runner(StripBoilerplate(), [
        new_document("report", "file:///r.txt", REPORT, {}),
        new_document("pages", "file:///p.txt", "- 1 -\n\n- 2 -", {}),
    ])
    assert [doc["id"] for doc in docs] == ["report"]
    assert docs[0]["n_chars"] == len(docs[0]["text"]) < len(REPORT)
    assert [(r["id"], r["stage"], r["reason"]) for r in rejected] == [
        ("pages", "boilerplate", "only_boilerplate")]


def test_removed_lines_are_counted_in_the_kiyome_namespace():
    counters = _counters([new_document("mail", "file:///m.eml", MAIL, {}),
                          new_document("report", "file:///r.txt", REPORT, {})])
    assert counters == {"boilerplate.page_furniture": 5, "boilerplate.quoted_reply_kept": 3,
                        "boilerplate.signature": 6, "boilerplate.disclaimer": 2,
                        "boilerplate.page_furniture.documents": 1,
                        "boilerplate.quoted_reply_kept.documents": 1,
                        "boilerplate.signature.documents": 1,
                        "boilerplate.disclaimer.documents": 1,
                        "boilerplate.documents_changed": 2}


def _counters(documents) -> dict[str, int]:
    """The stage's boilerplate counters after a run through Beam's FnApiRunner (summed
    over steps)."""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    pipeline = beam.Pipeline(options=PipelineOptions(["--runner=FnApiRunner"]))
    _ = pipeline | beam.Create(documents) | StripBoilerplate()
    result = pipeline.run()
    result.wait_until_finish()
    counters: dict[str, int] = {}
    for counter in result.metrics().query()["counters"]:
        name = counter.key.metric.name
        if counter.key.metric.namespace == "kiyome" and name.startswith("boilerplate."):
            counters[name] = counters.get(name, 0) + counter.committed
    return counters
