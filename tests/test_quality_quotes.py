"""Quoted replies in mail threads: removed where the thread already holds them, kept where
the quote is the only copy, through Beam's runner as the pipeline runs them."""

from __future__ import annotations

import pytest
from apache_beam.pvalue import TaggedOutput

from kiyome.transforms.quality.boilerplate import (
    FINGERPRINTS,
    QUOTING,
    StripBoilerplate,
    _BoilerplateDoFn,
)
from kiyome.transforms.records import new_document
from tests.test_quality_boilerplate import _counters

# The first mail of a thread (Thunderbird-style signature).
REQUEST = """From: 小林 健太 <kenta.kobayashi@example.co.jp>
To: 佐藤 由美 <yumi.sato@example.jp>
Subject: 来週の打ち合わせについて

佐藤様

いつもお世話になっております。
株式会社アオバ技研の小林です。

来週の打ち合わせですが、5月12日（火）14時からでいかがでしょうか。
場所は弊社3階の第2会議室を予定しております。

ご都合をお知らせください。
よろしくお願いいたします。

--
株式会社アオバ技研 開発部
小林 健太
TEL 03-5555-0101"""

# Gmail's Japanese reply: the whole request quoted, signature included, under a "… <addr>:" line.
REPLY = """From: 佐藤 由美 <yumi.sato@example.jp>
To: 小林 健太 <kenta.kobayashi@example.co.jp>
Subject: Re: 来週の打ち合わせについて

小林様

お世話になっております。佐藤です。
5月12日（火）14時、承知いたしました。当日は2名で伺います。

よろしくお願いいたします。

2026年5月1日(金) 10:02 小林 健太 <kenta.kobayashi@example.co.jp>:
> 佐藤様
>
> いつもお世話になっております。
> 株式会社アオバ技研の小林です。
>
> 来週の打ち合わせですが、5月12日（火）14時からでいかがでしょうか。
> 場所は弊社3階の第2会議室を予定しております。
>
> ご都合をお知らせください。
> よろしくお願いいたします。
>
> --
> 株式会社アオバ技研 開発部
> 小林 健太
> TEL 03-5555-0101"""

# The answer to the reply: the reply quoted at depth 1, the request inside it at depth 2,
# re-wrapped and with full-width ＞ marks by another client.
ANSWER = """Subject: Re: Re: 来週の打ち合わせについて

佐藤様

ご返信ありがとうございます。
当日は受付で小林をお呼び出しください。

小林

＞ 小林様
＞
＞ お世話になっております。佐藤です。
＞ 5月12日（火）14時、承知いたしました。
＞ 当日は2名で伺います。
＞
＞ よろしくお願いいたします。
＞
＞ 2026年5月1日(金) 10:02 小林 健太 <kenta.kobayashi@example.co.jp>:
＞＞ 佐藤様
＞＞
＞＞ いつもお世話になっております。
＞＞ 株式会社アオバ技研の小林です。
＞＞
＞＞ 来週の打ち合わせですが、5月12日（火）14時から
＞＞ でいかがでしょうか。
＞＞ 場所は弊社3階の第2会議室を予定しております。"""

# A reply whose parent (a customer's mail) is not in the corpus: its quote is the only copy.
CUSTOMER = """Subject: Re: 納期のご確認

田中様

ご連絡ありがとうございます。ご指摘の件、社内で確認いたします。

-----Original Message-----
> 株式会社ハルカシステムズ
> 営業部 中村様
>
> 先月発注した制御基板（注文番号 202604010007）の納期を確認させてください。
> 当初は4月末のご案内でしたが、まだ出荷のご連絡がありません。"""

# Two people forward the same external announcement, which is not in the corpus.
ANNOUNCEMENT = """> 【お知らせ】システムメンテナンスのため、5月16日（土）22時から翌6時まで
> 経費精算システムを停止します。
> 申請中のデータは保存されますが、停止中は承認操作ができません。"""
FORWARD_A = f"""Subject: Fw: システムメンテナンスのお知らせ

各位

情報システム部から下記の連絡がありました。週末の精算はお早めにお願いします。

On 2026/05/08 17:30, 情報システム部 wrote:
{ANNOUNCEMENT}"""
FORWARD_B = f"""Subject: Fw: システムメンテナンスのお知らせ

営業部の皆さん

下記ご確認ください。出張精算は金曜までに申請してください。

{ANNOUNCEMENT}"""


def _thread(*pairs: tuple[str, str]):
    return [new_document(doc_id, f"file:///mail/{doc_id}.txt", text, {})
            for doc_id, text in pairs]


@pytest.fixture(scope="module")
def thread_result():
    from tests.conftest import run_stage

    docs, rejected = run_stage(StripBoilerplate(), _thread(
        ("mail-001", REQUEST), ("mail-002", REPLY), ("mail-003", ANSWER),
        ("mail-004", CUSTOMER), ("mail-005", FORWARD_A), ("mail-006", FORWARD_B),
        ("mail-007", "2026年5月1日(金) 10:02 小林 健太 <kenta.kobayashi@example.co.jp>:\n"
                     + "\n".join("> " + line for line in REQUEST.split("\n")[4:15]))))
    return {doc["id"]: doc["text"] for doc in docs}, rejected


def test_a_reply_loses_the_quote_of_a_mail_the_corpus_holds(thread_result):
    texts, _ = thread_result
    reply = texts["mail-002"]
    assert not [line for line in reply.split("\n") if line.startswith(">")]
    assert "2026年5月1日" not in reply and "TEL" not in reply and "第2会議室" not in reply
    assert reply.endswith("当日は2名で伺います。\n\nよろしくお願いいたします。")
    assert texts["mail-001"].startswith("From: 小林 健太") and "TEL" not in texts["mail-001"]


def test_nested_rewrapped_full_width_quotes_of_the_thread_go(thread_result):
    texts, _ = thread_result
    assert texts["mail-003"] == ("Subject: Re: Re: 来週の打ち合わせについて\n\n佐藤様\n\n"
                                 "ご返信ありがとうございます。\n当日は受付で小林をお呼び出しください。"
                                 "\n\n小林")


def test_a_quote_of_some_lines_of_a_longer_paragraph_goes(stage_runner):
    """Outlook-style: the reply keeps three lines of the order's list, not the paragraph."""
    partial = ("承知しました。手配いたします。\n\n-----Original Message-----\n"
               "> 佐藤様\n>\n> 来週の打ち合わせですが、5月12日（火）14時からでいかがでしょうか。\n"
               "> ご都合をお知らせください。")
    mixed = partial + "\n> 資料は前日までにお送りします。"  # this line is in no mail
    docs, _ = stage_runner(StripBoilerplate(), _thread(
        ("mail-001", REQUEST), ("mail-010", partial), ("mail-011", mixed)))
    texts = {doc["id"]: doc["text"] for doc in docs}
    assert texts["mail-010"] == "承知しました。手配いたします。"
    assert texts["mail-011"].endswith(
        "> 来週の打ち合わせですが、5月12日（火）14時からでいかがでしょうか。\n"
        "> ご都合をお知らせください。\n> 資料は前日までにお送りします。")
    assert "> 佐藤様" not in texts["mail-011"]


def test_the_nested_thread_goes_from_a_quote_that_stays(stage_runner):
    """A customer's reply (not in the corpus) quoted, with our request nested inside it."""
    nested = ("承知いたしました。\n\n"
              "2026年5月2日(土) 9:15 佐藤 由美 <yumi.sato@example.jp>:\n"
              "> 小林様\n>\n> 12日は会議室の変更をお願いできますか。\n>\n"
              "> 2026年5月1日(金) 10:02 小林 健太 <kenta.kobayashi@example.co.jp>:\n"
              "> > 佐藤様\n> >\n> > いつもお世話になっております。\n"
              "> > 株式会社アオバ技研の小林です。")
    docs, _ = stage_runner(StripBoilerplate(), _thread(("mail-001", REQUEST),
                                                       ("mail-020", nested)))
    text = {doc["id"]: doc["text"] for doc in docs}["mail-020"]
    assert text == ("承知いたしました。\n\n"
                    "2026年5月2日(土) 9:15 佐藤 由美 <yumi.sato@example.jp>:\n"
                    "> 小林様\n>\n> 12日は会議室の変更をお願いできますか。")


def test_a_quote_of_a_mail_outside_the_corpus_stays(thread_result):
    texts, _ = thread_result
    assert texts["mail-004"].endswith(
        "-----Original Message-----\n> 株式会社ハルカシステムズ\n> 営業部 中村様\n>\n"
        "> 先月発注した制御基板（注文番号 202604010007）の納期を確認させてください。\n"
        "> 当初は4月末のご案内でしたが、まだ出荷のご連絡がありません。")


def test_the_same_outside_quote_stays_once_in_the_smallest_id(thread_result):
    texts, _ = thread_result
    assert texts["mail-005"].endswith(ANNOUNCEMENT) and "wrote" in texts["mail-005"]
    assert "経費精算システム" not in texts["mail-006"]
    assert texts["mail-006"].endswith("出張精算は金曜までに申請してください。")


def test_a_document_that_only_quotes_the_thread_is_rejected(thread_result):
    texts, rejected = thread_result
    assert "mail-007" not in texts
    assert [(r["id"], r["stage"], r["reason"]) for r in rejected] == [
        ("mail-007", "boilerplate", "only_boilerplate")]


def test_quoted_lines_removed_and_kept_are_counted():
    counters = _counters(_thread(("mail-001", REQUEST), ("mail-002", REPLY),
                                 ("mail-004", CUSTOMER), ("mail-005", FORWARD_A),
                                 ("mail-006", FORWARD_B)))
    # 002: 15 quoted lines and the Gmail line; 006: the 3 announcement lines.
    assert counters["boilerplate.quoted_reply"] == 16 + 3
    assert counters["boilerplate.quoted_reply.documents"] == 2
    # 004: 4 quoted lines with text (its blank ">" line is not counted); 005: 3.
    assert counters["boilerplate.quoted_reply_kept"] == 4 + 3
    assert counters["boilerplate.quoted_reply_kept.documents"] == 2
    assert counters["boilerplate.signature"] == 4  # 001's; 002's quote of it is quoted_reply


def test_documents_without_quotes_send_fingerprints_only():
    """The thread join never carries the text of a document without a quoted run."""
    outputs = list(_BoilerplateDoFn().process(new_document("r", "file:///r", REQUEST, {})))
    tagged = [item for item in outputs if isinstance(item, TaggedOutput)]
    assert {item.tag for item in tagged} == {FINGERPRINTS}
    assert all(isinstance(item.value[0], int) and item.value[1] is None for item in tagged)
    assert [item["id"] for item in outputs if isinstance(item, dict)] == ["r"]
    quoting = list(_BoilerplateDoFn().process(new_document("q", "file:///q", REPLY, {})))
    assert [item.tag for item in quoting if isinstance(item, TaggedOutput)
            and item.tag != FINGERPRINTS] == [QUOTING]
    assert not [item for item in quoting if isinstance(item, dict)]
