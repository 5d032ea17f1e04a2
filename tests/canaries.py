"""Canary personal data: one value of every entity type the default policy masks
(LOCATION and corporate numbers it keeps; CONFIDENTIAL drops the document).

``canary_lines(i)`` gives the lines planted in the ``i``-th input file and
``canary_values(i)`` the strings that must never appear in anything a run
writes. Values differ per file, so a leak names its file.
"""

from __future__ import annotations

from tests.pii_testset.generate import Gen, luhn_check, my_number_check

SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
            "吉田", "山田")
GIVEN = ("花子", "一郎", "美咲", "健太", "陽子", "大輔", "真由美", "翔太", "恵子", "拓也",
         "直美", "誠")


def _my_number(i: int) -> str:
    base = f"{31415926535 + 7919 * i:011d}"
    return base + str(my_number_check(base))


def _card(i: int) -> str:
    partial = f"4{538221 + 97 * i:06d}{31415926 + i:08d}"
    value = partial + str(luhn_check(partial))
    return " ".join(value[k:k + 4] for k in range(0, 16, 4))


def canary_fields(i: int) -> dict[str, tuple[str, list[str]]]:
    """Entity -> (line planted, values that must not survive)."""
    surname, given = SURNAMES[i % len(SURNAMES)], GIVEN[i % len(GIVEN)]
    phone = f"090-{2100 + i}-{6100 + i}"
    email = f"canary{i}.tanaka@example.co.jp"
    my_number, card = _my_number(i), _card(i)
    postal = f"154-00{10 + i}"
    address = f"東京都世田谷区若林{i % 5 + 1}丁目{i % 7 + 2}番{i % 9 + 3}号"
    birth = f"1985年{i % 12 + 1}月{i % 20 + 5}日"
    passport = f"TK{3141590 + i}"
    ip = f"203.0.113.{10 + i}"
    return {
        "PERSON": (f"担当：{surname} {given}様", [f"{surname} {given}", f"{surname}{given}"]),
        "PHONE_NUMBER": (f"携帯電話：{phone}", [phone, phone.replace("-", "")]),
        "EMAIL_ADDRESS": (f"メールアドレス：{email}", [email, f"canary{i}.tanaka"]),
        "JP_MY_NUMBER": (f"マイナンバー：{my_number}", [my_number]),
        "CREDIT_CARD": (f"クレジットカード番号：{card}", [card, card.replace(" ", "")]),
        "JP_POSTAL_CODE": (f"〒{postal}", [postal]),
        "JP_ADDRESS": (f"住所：{address}", [address, address[7:]]),
        "DATE_OF_BIRTH": (f"生年月日：{birth}", [birth]),
        "JP_PASSPORT": (f"旅券番号：{passport}", [passport]),
        "IP_ADDRESS": (f"接続元IPアドレス：{ip}", [ip]),
        **_identifiers(i),
    }


def _identifiers(i: int) -> dict[str, tuple[str, list[str]]]:
    """The other identifiers, in the labelled set generator's shapes (seeded per file)."""
    gen = Gen(100 + i)
    labelled = {
        "JP_DRIVERS_LICENSE": ("運転免許証番号：", gen.drivers_licence()),
        "JP_RESIDENCE_CARD": ("在留カード番号：", gen.residence_card()),
        "JP_BASIC_PENSION_NUMBER": ("基礎年金番号：", gen.pension()),
        "JP_EMPLOYMENT_INSURANCE_NUMBER": ("雇用保険被保険者番号：", gen.employment_insurance()),
        "JP_HEALTH_INSURANCE": ("保険者番号：", gen.insurer_number()),
        "JP_RESIDENT_CODE": ("住民票コード：", gen.resident_code()),
        "JP_BANK_ACCOUNT": ("口座番号：普通 ", gen.bank_account()),
        "JP_INVOICE_NUMBER": ("登録番号：", gen.invoice_number()),
    }
    return {entity: (label + value, [value]) for entity, (label, value) in labelled.items()}


def canary_lines(i: int) -> list[str]:
    return [line for line, _ in canary_fields(i).values()]


def canary_values(i: int) -> list[str]:
    return [value for _, values in canary_fields(i).values() for value in values]
