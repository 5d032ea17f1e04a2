"""Quality of near-duplicate removal against a brute-force ground truth.

Japanese business documents are generated deterministically, then edited the
way company files drift: sentences inserted and deleted, headers and footers
changed, full-width/half-width and spacing changes, dates and versions bumped,
paragraphs reordered, and heavier rewrites that push pairs across the 0.8
threshold. Every pair is labelled by the exact Jaccard of the NFKC'd
(whitespace-folded, as dedup sees them) character 5-gram sets; duplicate
groups are the connected components of the pairs at >= 0.8.

A removal is correct when the removed document and the one it was removed for
are in the same true group. Precision = correct removals / removals; recall =
correct removals (at most |group| - 1 per group) / sum of (|group| - 1).
"""

from __future__ import annotations

import itertools
import random

import pytest

from kiyome.transforms.dedup.minhash import char_ngrams
from kiyome.transforms.dedup.near import NearDedup
from kiyome.transforms.normalize import key_text
from kiyome.transforms.records import new_document

THRESHOLD = 0.8

DEPTS = ["営業部", "開発チーム", "人事課", "経理担当", "品質保証部", "物流センター", "広報室",
         "法務部", "情報システム部", "製造課", "購買部", "総務部", "研究所", "東日本支社",
         "西日本支社", "カスタマーサポート", "企画室", "監査室", "海外事業部", "デザイン室"]
TOPICS = ["新製品の出荷計画", "年度予算の見直し", "顧客満足度調査の結果", "在庫管理システムの更新",
          "採用面接の日程", "安全衛生委員会の議題", "取引先との契約条件", "品質不良の原因分析",
          "社内研修の内容", "省エネ対策の進捗", "展示会への出展準備", "サーバー移行の手順",
          "請求書の処理方法", "倉庫のレイアウト変更", "新人配属の方針", "販売代理店の評価",
          "価格改定の影響試算", "社用車のリース契約", "情報漏えい対策の強化",
          "在宅勤務の運用ルール",
          "海外拠点との連携", "部品調達の遅れ", "広告出稿の効果測定", "福利厚生制度の改定",
          "工場の設備点検", "会議室の予約方法", "取締役会の報告事項", "ウェブサイトの改修",
          "顧客データの整理", "年末年始の営業日程"]
VERBS = ["について報告した", "を検討している", "の資料をまとめた", "に関する方針を決定した",
         "を来週までに提出する", "の見直しを提案した", "について意見を交換した", "の進捗を確認した",
         "に遅れが出ている", "の担当者を決めた", "を関係部署に共有した", "の課題を洗い出した",
         "について再度協議する", "の予算を申請した", "を次回の議題とする"]
CLAUSES = ["{m}月{d}日までに", "前年比{p}%増の見込みで、", "対象は{n}件あり、",
           "先方の要望を受けて、",
           "前回の指摘を踏まえ、", "現場の声を反映し、", "費用は約{n}万円で、", "", "", ""]


def _sentence(rng: random.Random) -> str:
    clause = rng.choice(CLAUSES).format(m=rng.randint(1, 12), d=rng.randint(1, 28),
                                        p=rng.randint(1, 40), n=rng.randint(2, 900))
    return f"{rng.choice(DEPTS)}は{clause}{rng.choice(TOPICS)}{rng.choice(VERBS)}。"


def _base(rng: random.Random) -> dict:
    dept = rng.choice(DEPTS)
    return {
        "header": f"【社外秘】{dept} 定例報告 第{rng.randint(1, 9)}版 "
                  f"2026年{rng.randint(1, 12)}月{rng.randint(1, 28)}日 v1.{rng.randint(0, 9)}",
        "paragraphs": [[_sentence(rng) for _ in range(rng.randint(3, 6))]
                       for _ in range(rng.randint(3, 5))],
        "footer": f"以上 作成者：{dept} 問い合わせ：内線{rng.randint(1000, 9999)}",
    }


def _render(doc: dict) -> str:
    body = "\n\n".join("".join(p) for p in doc["paragraphs"])
    return f"{doc['header']}\n{body}\n{doc['footer']}"


FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def _edit(doc: dict, rng: random.Random) -> dict | str:
    """One realistic edit; returns the edited structure (or final text for surface edits)."""
    doc = {"header": doc["header"], "footer": doc["footer"],
           "paragraphs": [list(p) for p in doc["paragraphs"]]}
    paras = doc["paragraphs"]
    kind = rng.choice(["insert", "delete", "header", "footer", "date", "version", "reorder",
                       "rewrite", "rewrite", "width", "spacing"])
    if kind == "insert":
        rng.choice(paras).insert(rng.randint(0, 3), _sentence(rng))
    elif kind == "delete":
        para = max(paras, key=len)
        para.pop(rng.randrange(len(para)))
    elif kind == "header":
        doc["header"] = f"【部外秘】{rng.choice(DEPTS)} 報告書 改訂{rng.randint(1, 9)}"
    elif kind == "footer":
        doc["footer"] = f"本資料の無断転載を禁じます。{rng.choice(DEPTS)}"
    elif kind == "date":
        doc["header"] = doc["header"].replace("2026年", "2027年")
        doc["paragraphs"] = [[s.replace("月", "月上旬の", 1) if rng.random() < 0.2 else s
                              for s in p] for p in paras]
    elif kind == "version":
        doc["header"] = doc["header"].replace("版", "版（改）").replace("v1.", "v2.")
    elif kind == "reorder":
        rng.shuffle(paras)
    elif kind == "rewrite":  # replace several sentences: pushes pairs across the threshold
        for _ in range(rng.randint(1, 6)):
            para = rng.choice(paras)
            para[rng.randrange(len(para))] = _sentence(rng)
    elif kind == "width":
        return _render(doc).translate(FULL_WIDTH)
    elif kind == "spacing":
        return _render(doc).replace("。", "。 ").replace("、", "、\u3000")
    return doc


def _corpus(seed: int = 20260301) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    texts: list[str] = []
    for _ in range(70):  # families: a base and its drifting versions
        current = _base(rng)
        texts.append(_render(current))
        for _ in range(rng.randint(0, 5)):
            for _ in range(rng.randint(1, 3)):
                edited = _edit(current, rng)
                if isinstance(edited, str):
                    texts.append(edited)
                    break
                current = edited
            else:
                texts.append(_render(current))
    texts += [_render(_base(rng)) for _ in range(80)]  # unrelated documents
    order = list(range(len(texts)))
    rng.shuffle(order)  # ids carry no family order
    return [(f"doc{rank:04d}", texts[i]) for rank, i in enumerate(order)]


def _truth(corpus: list[tuple[str, str]]) -> tuple[dict[str, str], list[float]]:
    """Ground-truth group (smallest id) of each document by brute force, and all similarities."""
    grams = {doc_id: char_ngrams(key_text(text), 5) for doc_id, text in corpus}
    parent = {doc_id: doc_id for doc_id, _ in corpus}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    sims = []
    for (a, ga), (b, gb) in itertools.combinations(grams.items(), 2):
        inter = len(ga & gb)
        sim = inter / (len(ga) + len(gb) - inter)
        sims.append(sim)
        if sim >= THRESHOLD:
            ra, rb = find(a), find(b)
            parent[max(ra, rb)] = min(ra, rb)
    return {doc_id: find(doc_id) for doc_id in parent}, sims


@pytest.fixture(scope="module")
def corpus():
    return _corpus()


def test_corpus_spans_the_threshold(corpus):
    _, sims = _truth(corpus)
    near = sum(1 for s in sims if 0.6 <= s < THRESHOLD)
    dup = sum(1 for s in sims if s >= THRESHOLD)
    hard = sum(1 for s in sims if THRESHOLD <= s < 0.9)
    assert len(corpus) >= 250
    assert dup >= 100 and hard >= 20 and near >= 20, (dup, hard, near)


def test_precision_and_recall_of_duplicate_removal(stage_runner, corpus):
    group, _ = _truth(corpus)
    docs, rejected = stage_runner(NearDedup(threshold=THRESHOLD),
                                  [new_document(i, f"file:///{i}.txt", t, {}) for i, t in corpus])
    assert len(docs) + len(rejected) == len(corpus)
    removed = {r["id"]: r["detail"]["duplicate_of"] for r in rejected}
    correct = [d for d, kept in removed.items() if group[d] == group[kept]]
    sizes: dict[str, int] = {}
    for root in group.values():
        sizes[root] = sizes.get(root, 0) + 1
    expected = sum(size - 1 for size in sizes.values())
    per_group: dict[str, int] = {}
    for d in correct:
        per_group[group[d]] = per_group.get(group[d], 0) + 1
    found = sum(min(n, sizes[root] - 1) for root, n in per_group.items())

    precision = len(correct) / len(removed) if removed else 1.0
    recall = found / expected
    print(f"near dedup quality: docs={len(corpus)} true_groups>1="
          f"{sum(1 for s in sizes.values() if s > 1)} expected_removals={expected} "
          f"removed={len(removed)} precision={precision:.4f} recall={recall:.4f}")
    assert precision >= 0.99
    assert recall >= 0.97
    # one document kept per predicted group, with the group's size
    kept_sizes = {d["dup_cluster"]: d["dup_cluster_size"] for d in docs}
    assert sum(kept_sizes.values()) == len(corpus)
