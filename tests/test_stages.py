"""Normalize, language ID and dedup stages through the real Beam runner."""

from __future__ import annotations

from kiyome.transforms.dedup.exact import ExactDedup
from kiyome.transforms.dedup.near import NearDedup
from kiyome.transforms.langid import LanguageId
from kiyome.transforms.normalize import Normalize
from kiyome.transforms.records import new_document

MINUTES = (
    "第12回 製品企画会議 議事録\n"
    "日時：2026年3月2日（月）10:00〜11:30\n場所：本社5階 第二会議室\n"
    "1. 前回の宿題事項の確認\n新パッケージのデザイン案は三案とも社内レビューを完了した。\n"
    "2. 販売計画\n第二四半期の出荷目標は前年同期比で一割増とする。"
    "物流倉庫の契約更新は四月末までに判断する。\n"
    "3. 次回までの宿題\n価格改定の影響試算を営業部がまとめる。次回は三月十六日に開催する。"
)


def _doc(doc_id: str, text: str) -> dict:
    return new_document(doc_id, f"file:///{doc_id}.txt", text, {})


def test_normalize_cleans_and_rejects_empty(stage_runner):
    docs, rejected = stage_runner(Normalize(), [_doc("a", "本文\r\n"), _doc("b", " \r\n\t")])
    assert [(doc["id"], doc["text"]) for doc in docs] == [("a", "本文")]
    assert [(r["id"], r["stage"], r["reason"]) for r in rejected] == [("b", "normalize", "empty")]


def test_langid_keeps_japanese_and_rejects_others(stage_runner):
    docs, rejected = stage_runner(LanguageId(["ja"]), [
        _doc("ja", MINUTES),
        _doc("en", "Please find attached the quarterly report for the board meeting."),
        _doc("zh", "请各部门在本周五之前提交下季度的预算计划，谢谢大家的配合。"),
    ])
    assert [(doc["id"], doc["lang"]) for doc in docs] == [("ja", "ja")]
    assert docs[0]["lang_score"] > 0.9
    assert sorted((r["id"], r["reason"], r["detail"]["lang"]) for r in rejected) == [
        ("en", "lang_not_allowed", "en"), ("zh", "lang_not_allowed", "zh")]


def test_langid_all_languages_records_and_keeps_everything(stage_runner):
    docs, rejected = stage_runner(LanguageId(None), [
        _doc("ja", MINUTES), _doc("en", "The shipment leaves the warehouse on Monday.")])
    assert rejected == []
    assert {doc["id"]: doc["lang"] for doc in docs} == {"ja": "ja", "en": "en"}


def test_exact_dedup_keeps_smallest_id_across_width_and_spacing(stage_runner):
    docs, rejected = stage_runner(ExactDedup(), [
        _doc("b", "会議は１０時から。"), _doc("a", "会議は10時から。 "), _doc("c", "別の文書")])
    assert sorted(doc["id"] for doc in docs) == ["a", "c"]
    assert [(r["id"], r["reason"], r["detail"]) for r in rejected] == [
        ("b", "exact_duplicate", {"duplicate_of": "a"})]


def test_near_dedup_removes_light_edits_and_keeps_different_texts(stage_runner):
    edited = MINUTES.replace("三月十六日", "三月十七日")
    other = MINUTES.replace("製品企画", "人事").replace("販売計画", "採用計画")[::-1]
    docs, rejected = stage_runner(NearDedup(threshold=0.8), [
        _doc("v2", edited), _doc("v1", MINUTES), _doc("other", other)])
    assert sorted(doc["id"] for doc in docs) == ["other", "v1"]
    assert [(r["id"], r["reason"], r["detail"]) for r in rejected] == [
        ("v2", "near_duplicate", {"duplicate_of": "v1"})]


def test_near_dedup_handles_texts_shorter_than_a_shingle(stage_runner):
    docs, rejected = stage_runner(NearDedup(), [_doc("x", "はい"), _doc("y", "いいえ")])
    assert sorted(doc["id"] for doc in docs) == ["x", "y"]
    assert rejected == []
