"""Generate the labelled Japanese PII test set and its hard negatives (deterministic).

    python tests/pii_testset/generate.py [OUT_DIR [SEED]]

writes ``labelled.jsonl`` and ``hard_negatives.jsonl`` (default: next to this
file). Same seed, same Faker version (pinned in pyproject) -> byte-identical
files; ``tests/test_pii_quality.py`` checks that.

Every PII value is written through :meth:`Doc.pii`, which records its character
offsets, so the gold spans cannot drift from the text. Conventions (README.md):
a span is the value only — honorifics (様, さん, 部長), labels (マイナンバー：),
marks (〒) and 第…号 stay outside; an address runs from the prefecture or city
to the room number.
"""

from __future__ import annotations

import datetime
import json
import random
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from faker import Faker

SEED = 20261128
HERE = Path(__file__).resolve().parent
LABELLED = "labelled.jsonl"
HARD_NEGATIVES = "hard_negatives.jsonl"
DOCS_PER_TEMPLATE = 6
NEGATIVES_PER_CATEGORY = 24

#: Hyphen-like separators seen between digit groups (reference §2.15).
HYPHENS = ["-", "－", "‐", "‑", "–", "—", "―", "−", "ー", "ｰ"]
FULL_WIDTH = str.maketrans(
    string.digits + string.ascii_letters + "@.-",
    "０１２３４５６７８９"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ＠．－",
)

MY_NUMBER_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
#: 公安委員会コード (first two digits of a driver's licence number).
LICENCE_COMMISSIONS = (
    10, 11, 12, 13, 14, 20, 21, 22, 23, 24, 25, 30, *range(40, 56), *range(60, 66),
    *range(70, 75), *range(80, 84), *range(90, 98),
)
ERAS = (  # name, abbreviation, first Gregorian year (元年), last Gregorian year used here
    ("昭和", "S", 1926, 1988),
    ("平成", "H", 1989, 2018),
    ("令和", "R", 2019, 2026),
)
#: Real prefecture / municipality pairs (Faker's are random combinations).
MUNICIPALITIES = [
    ("東京都", "千代田区"), ("東京都", "世田谷区"), ("東京都", "練馬区"), ("東京都", "八王子市"),
    ("東京都", "武蔵野市"), ("大阪府", "大阪市北区"), ("大阪府", "堺市堺区"), ("大阪府", "豊中市"),
    ("神奈川県", "横浜市港北区"), ("神奈川県", "川崎市中原区"), ("神奈川県", "藤沢市"),
    ("愛知県", "名古屋市中区"), ("愛知県", "豊田市"), ("福岡県", "福岡市博多区"),
    ("北海道", "札幌市中央区"), ("北海道", "旭川市"), ("京都府", "京都市左京区"),
    ("埼玉県", "さいたま市浦和区"), ("埼玉県", "川口市"), ("千葉県", "船橋市"),
    ("千葉県", "香取郡神崎町"), ("兵庫県", "神戸市中央区"), ("宮城県", "仙台市青葉区"),
    ("広島県", "広島市中区"), ("静岡県", "浜松市中央区"), ("長野県", "松本市"),
    ("茨城県", "つくば市"), ("岡山県", "岡山市北区"), ("熊本県", "熊本市中央区"),
    ("新潟県", "新潟市中央区"), ("沖縄県", "那覇市"), ("石川県", "金沢市"),
]
BUILDING_WORDS = ["サンシャイン", "グラン", "パーク", "ロイヤル", "エスポワール", "ルミエール",
                  "シャルム", "ベル", "リバーサイド", "アーバン"]
BUILDING_SUFFIXES = ["ハイツ", "マンション", "ビル", "レジデンス", "ハウス", "コート", "荘",
                     "ヒルズ", "パレス", "テラス"]
MAIL_DOMAINS = ["example.co.jp", "example.jp", "example.com", "example.ne.jp", "example.org"]


# --------------------------------------------------------------------------- checksums


def my_number_check(base11: str) -> int:
    r = sum(int(d) * w for d, w in zip(base11, MY_NUMBER_WEIGHTS, strict=True)) % 11
    return 0 if r <= 1 else 11 - r


def corporate_check(base12: str) -> int:
    total = sum(int(base12[12 - n]) * (1 if n % 2 else 2) for n in range(1, 13))
    return 9 - total % 9


def luhn_check(partial: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def ean13_check(base12: str) -> int:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(base12))
    return (10 - total % 10) % 10


# --------------------------------------------------------------------------- documents


@dataclass
class Doc:
    """Text built piece by piece; :meth:`pii` records the gold spans."""

    parts: list[str] = field(default_factory=list)
    spans: list[dict] = field(default_factory=list)
    length: int = 0

    def t(self, text: str) -> Doc:
        self.parts.append(text)
        self.length += len(text)
        return self

    def pii(self, entity: str, text: str) -> Doc:
        if not text:
            raise ValueError(f"empty {entity} value")
        self.spans.append({"start": self.length, "end": self.length + len(text),
                           "entity": entity})
        return self.t(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class Person:
    family: str
    given: str
    family_kana: str
    given_kana: str
    family_romaji: str
    given_romaji: str


class Gen:
    """Random PII values in the shapes Japanese documents use."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.fake = Faker("ja_JP")
        self.fake.seed_instance(seed)

    # -- helpers
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, items):
        return self.rng.choice(items)

    def digits(self, n: int, first: str = "0123456789") -> str:
        return self.pick(first) + "".join(self.pick(string.digits) for _ in range(n - 1))

    def hyphen(self) -> str:
        return "-" if self.chance(0.45) else self.pick(HYPHENS)

    def maybe_wide(self, text: str, p: float = 0.2) -> str:
        return text.translate(FULL_WIDTH) if self.chance(p) else text

    def grouped(self, groups: list[str], seps: list[str]) -> str:
        sep = self.pick(seps)
        if sep == "HY":
            sep = self.hyphen()
        return self.maybe_wide(sep.join(groups))

    # -- people and organisations
    def person(self) -> Person:
        family, family_kana, family_romaji = self.fake.last_name_pair()
        pair = self.fake.first_name_male_pair() if self.chance(0.5) else \
            self.fake.first_name_female_pair()
        given, given_kana, given_romaji = pair
        return Person(family, given, family_kana, given_kana, family_romaji, given_romaji)

    def full_name(self, p: Person) -> str:
        sep = self.pick(["", "", " ", "　"])
        return f"{p.family}{sep}{p.given}"

    def kana_name(self, p: Person) -> str:
        return f"{p.family_kana}{self.pick([' ', '　', '　'])}{p.given_kana}"

    def company(self) -> str:
        return self.fake.company()

    # -- contact data
    def email(self, p: Person | None = None) -> str:
        if p is not None:
            local = self.pick([
                f"{p.given_romaji}.{p.family_romaji}".lower(),
                f"{p.family_romaji[0]}{p.given_romaji}".lower(),
                f"{p.family_romaji}_{p.given_romaji[0]}".lower(),
            ])
        else:
            local = self.fake.user_name()
        address = f"{local}@{self.pick(MAIL_DOMAINS)}"
        if self.chance(0.1):
            return address.translate(FULL_WIDTH)
        if self.chance(0.1):
            return address.replace("@", "＠")
        return address

    def phone(self, mobile: bool | None = None) -> str:
        if mobile is None:
            mobile = self.chance(0.5)
        if mobile:
            groups = [self.pick(["090", "080", "070"]), self.digits(4, "123456789"),
                      self.digits(4)]
        else:
            area = self.pick(["03", "06", "045", "052", "075", "092", "011", "022", "0466"])
            local = 6 if len(area) == 4 else (8 - len(area) + 2)
            groups = [area, self.digits(local - 4, "2345678"), self.digits(4)]
        style = self.rng.random()
        if style < 0.1:
            text = "".join(groups)
        elif style < 0.2 and not mobile:
            text = f"{groups[0]}({groups[1]}){groups[2]}"
        elif style < 0.3:
            text = "+81 " + " ".join([groups[0][1:], *groups[1:]])
        else:
            sep = self.hyphen()
            text = sep.join(groups)
        return self.maybe_wide(text, 0.15)

    def postal(self) -> str:
        code = self.fake.zipcode()
        return self.maybe_wide(code.replace("-", self.hyphen()), 0.2)

    def town(self) -> str:
        while True:  # Faker also has landmark "towns" (丸の内ＪＰタワー): skip those
            town = self.fake.town()
            if all("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in town) \
                    and not any(word in town for word in ("ヒルズ", "タワー", "ビル")):
                return town

    def building(self, town: str) -> str:
        word, suffix = self.pick(BUILDING_WORDS), self.pick(BUILDING_SUFFIXES)
        return self.pick([f"{town}{suffix}", f"{word}{town}", f"{word}{suffix}{town}",
                          f"{word}{suffix}", f"コーポ{town}", f"メゾン{town}",
                          f"第{self.rng.randint(2, 5)}{town}ビル"])

    def address(self) -> str:
        prefecture, city = self.pick(MUNICIPALITIES)
        town = self.town()
        chome, ban, gou = self.rng.randint(1, 9), self.rng.randint(1, 40), self.rng.randint(1, 25)
        head = (prefecture if self.chance(0.75) else "") + city + town
        style = self.rng.random()
        if style < 0.4:
            block = f"{chome}丁目{ban}番{gou}号"
        elif style < 0.5:
            kanji = "一二三四五六七八九"[chome - 1]
            block = f"{kanji}丁目{ban}番{gou}号"
        elif style < 0.6:
            block = f"{self.rng.randint(1, 2000)}番地{self.rng.randint(1, 30)}"
        else:
            sep = self.hyphen() if self.chance(0.4) else "-"
            block = self.maybe_wide(f"{chome}{sep}{ban}{sep}{gou}", 0.25)
        room = ""
        if self.chance(0.6):
            number = self.rng.choice([101, 102, 203, 305, 402, 501, 708, 1102, 1205])
            room = self.pick([" ", "", "　"]) + self.building(self.town()) + self.pick([
                f"{number}号室", f"{number}", f" {number}号室", f"#{number}"])
        return head + block + room

    # -- identifiers with check digits
    def my_number(self) -> str:
        base = self.digits(11)
        value = base + str(my_number_check(base))
        return self.grouped([value[:4], value[4:8], value[8:]],
                            ["", "", " ", "HY", "HY", "　"])

    def corporate_digits(self) -> str:
        base = self.digits(12)
        return str(corporate_check(base)) + base

    def corporate_number(self) -> str:
        value = self.corporate_digits()
        if self.chance(0.2):
            return self.grouped([value[0], value[1:5], value[5:9], value[9:]], ["HY"])
        return self.maybe_wide(value, 0.15)

    def invoice_number(self) -> str:
        value = self.corporate_digits()
        sep = self.pick(["", "", "", "-", " "])
        return self.maybe_wide(f"T{sep}{value}", 0.15)

    def card_number(self) -> str:
        brand = self.rng.random()
        if brand < 0.15:  # American Express: 15 digits, 4-6-5
            partial = self.pick(["34", "37"]) + self.digits(12)
            value = partial + str(luhn_check(partial))
            groups = [value[:4], value[4:10], value[10:]]
        else:
            prefix = self.pick(["4", "4", "51", "53", "55", "35"])
            if prefix == "35":
                prefix = "35" + self.pick(["28", "40", "62", "89"])
            partial = prefix + self.digits(15 - len(prefix))
            value = partial + str(luhn_check(partial))
            groups = [value[i:i + 4] for i in range(0, 16, 4)]
        return self.grouped(groups, ["", " ", " ", "-", "-"])

    def passport(self) -> str:
        letters = self.pick(["TK", "TR", "TZ", "MZ", "ME", "MU", "RE", "RK", "TH", "AZ"])
        return self.maybe_wide(letters + self.digits(7), 0.15)

    def drivers_licence(self) -> str:
        prefix = str(self.pick(LICENCE_COMMISSIONS))
        year = f"{self.rng.randint(0, 99):02d}"
        value = prefix + year + self.digits(6) + self.digits(1) + self.pick("0000123")
        return self.maybe_wide(value, 0.15)  # printed as one run: 第 123456789012 号

    def residence_card(self) -> str:
        letters = string.ascii_uppercase
        value = (self.pick(letters) + self.pick(letters) + self.digits(8)
                 + self.pick(letters) + self.pick(letters))
        return self.maybe_wide(value, 0.15)

    def pension(self) -> str:
        return self.grouped([self.digits(4, "123456789"), self.digits(6)],
                            ["HY", "HY", "HY", ""])

    def employment_insurance(self) -> str:
        return self.grouped([self.digits(4, "123456789"), self.digits(6), self.digits(1)],
                            ["HY"])

    def insurer_number(self) -> str:
        return self.maybe_wide(self.pick(["01", "06", "31", "32", "34"]) + self.digits(6), 0.15)

    def resident_code(self) -> str:
        return self.maybe_wide(self.digits(11), 0.15)

    def bank_account(self) -> str:
        return self.maybe_wide(self.digits(7, "0123456789"), 0.15)

    def yucho_account(self) -> str:
        symbol = "1" + self.digits(4)
        number = self.digits(7) + "1"
        return self.maybe_wide(symbol + self.hyphen() + number, 0.15)

    def ip(self) -> str:
        style = self.rng.random()
        if style < 0.15:
            return self.fake.ipv6()
        if style < 0.45:
            return self.pick(["192.168", "10.0", "172.16"]) + \
                f".{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
        return self.fake.ipv4_public()

    def birth_date(self) -> str:
        day = datetime.date(1940, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 23000))
        style = self.rng.random()
        if style < 0.45:
            for name, abbr, first, last in ERAS:
                if first <= day.year <= last:
                    era_start = {1926: datetime.date(1926, 12, 25),
                                 1989: datetime.date(1989, 1, 8),
                                 2019: datetime.date(2019, 5, 1)}[first]
                    if day < era_start:
                        name, abbr, first = ("昭和", "S", 1926) if first == 1989 else \
                            ("平成", "H", 1989)
                    year = day.year - first + 1
                    if style < 0.3:
                        y = "元" if year == 1 else str(year)
                        return self.maybe_wide(f"{name}{y}年{day.month}月{day.day}日", 0.2)
                    sep = self.pick([".", "/", "-"])
                    return f"{abbr}{year}{sep}{day.month}{sep}{day.day}"
        if style < 0.75:
            return self.maybe_wide(f"{day.year}年{day.month}月{day.day}日", 0.2)
        sep = self.pick(["/", "-", "."])
        return f"{day.year}{sep}{day.month:02d}{sep}{day.day:02d}"

    def date(self) -> str:
        """A non-birth date (meeting, deadline): not PII."""
        day = datetime.date(2026, 1, 5) + datetime.timedelta(days=self.rng.randint(0, 360))
        if self.chance(0.5):
            return f"{day.month}月{day.day}日"
        return f"{day.year}/{day.month:02d}/{day.day:02d}"

    def amount(self) -> str:
        return f"{self.rng.randint(1, 2000) * 100:,}円"


# --------------------------------------------------------------------------- templates
# Each template writes one document. Keep lines short: full-width counts double.


def name_with_suffix(d: Doc, g: Gen, p: Person, suffixes=("様", "さん", "氏")) -> None:
    d.pii("PERSON", g.full_name(p)).t(g.pick(list(suffixes)))


def label(g: Gen, *options: str) -> str:
    return g.pick(list(options)) + g.pick(["：", ":", " ", "　", "："])


def signature(d: Doc, g: Gen, p: Person) -> None:
    d.t("\n--\n" + g.company() + " " + g.pick(["営業部", "総務部", "経理部", "開発部"]) + "\n")
    d.pii("PERSON", g.full_name(p))
    if g.chance(0.3):
        d.t(" / ").pii("PERSON", f"{p.given_romaji} {p.family_romaji.upper()}")
    d.t("\n" + label(g, "TEL", "Tel", "電話")).pii("PHONE_NUMBER", g.phone(False))
    if g.chance(0.5):
        d.t("\n" + label(g, "携帯", "Mobile")).pii("PHONE_NUMBER", g.phone(True))
    d.t("\n" + label(g, "Mail", "E-mail", "メール")).pii("EMAIL_ADDRESS", g.email(p))


def postal_and_address(d: Doc, g: Gen) -> None:
    if g.chance(0.7):
        d.t("〒").pii("JP_POSTAL_CODE", g.postal()).t(g.pick([" ", "　", "\n"]))
    else:  # bare code before the address, as on envelopes
        d.pii("JP_POSTAL_CODE", g.postal()).t(g.pick([" ", "　"]))
    d.pii("JP_ADDRESS", g.address())


def tpl_employee_form(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("【社員情報登録票】\n" + label(g, "氏名")).pii("PERSON", g.full_name(p))
    d.t("\n" + label(g, "フリガナ", "ふりがな", "氏名（カナ）")).pii("PERSON", g.kana_name(p))
    d.t("\n生年月日：").pii("DATE_OF_BIRTH", g.birth_date())
    d.t("\n現住所：")
    postal_and_address(d, g)
    d.t("\n電話番号：").pii("PHONE_NUMBER", g.phone())
    d.t("\nメールアドレス：").pii("EMAIL_ADDRESS", g.email(p))
    d.t(f"\n入社日：{g.date()}　所属：{g.pick(['営業部', '人事部', '情報システム部'])}")


def tpl_social_insurance(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("社会保険・雇用保険 資格取得届（控）\n被保険者氏名　").pii("PERSON", g.full_name(p))
    d.t("\n生年月日　").pii("DATE_OF_BIRTH", g.birth_date())
    d.t("\n" + label(g, "基礎年金番号")).pii("JP_BASIC_PENSION_NUMBER", g.pension())
    d.t("\n" + label(g, "雇用保険被保険者番号", "雇用保険番号"))
    d.pii("JP_EMPLOYMENT_INSURANCE_NUMBER", g.employment_insurance())
    d.t(f"\n資格取得日　{g.date()}\n備考：前職の離職票は{g.date()}までに提出予定。")


def tpl_onboarding_mail(d: Doc, g: Gen) -> None:
    p, me = g.person(), g.person()
    d.pii("PERSON", g.full_name(p)).t("様\n\nこの度はご入社おめでとうございます。人事部の")
    d.pii("PERSON", me.family).t("です。\n入社手続きのため、以下の書類を")
    d.t(f"{g.date()}までにご提出ください。\n・マイナンバーカードの写し\n・年金手帳\n"
        "・給与振込口座届\nご不明点はお気軽にお問い合わせください。")
    signature(d, g, me)


def tpl_business_mail(d: Doc, g: Gen) -> None:
    p, me = g.person(), g.person()
    d.t(g.company() + "\n").pii("PERSON", g.full_name(p)).t(g.pick(["様", " 様", "部長"]))
    d.t("\n\nいつもお世話になっております。\n")
    d.t(f"先日ご相談いただいた件、見積書を添付いたします。ご確認のほど"
        f"よろしくお願いいたします。\n合計金額：{g.amount()}（税込）")
    signature(d, g, me)


def tpl_minutes(d: Doc, g: Gen) -> None:
    a, b, c = g.person(), g.person(), g.person()
    d.t(f"議事録（{g.date()} 第3会議室）\n出席者：")
    d.pii("PERSON", a.family).t("部長、").pii("PERSON", g.full_name(b)).t("課長、")
    d.pii("PERSON", c.family).t("さん\n")
    d.t("1. 来期予算について\n　").pii("PERSON", a.family)
    d.t("部長より、販促費を前年比10%削減する方針が示された。\n2. システム移行\n　")
    d.pii("PERSON", c.family).t("さんがベンダーと日程調整し、")
    d.t(f"{g.date()}までに報告する。\n次回：{g.date()} 10:00〜")


def tpl_support_ticket(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t(f"チケット番号 #{g.rng.randint(10000, 99999)}\n" + label(g, "お客様名"))
    d.pii("PERSON", g.full_name(p)).t(" 様\n連絡先：").pii("PHONE_NUMBER", g.phone())
    d.t(" / ").pii("EMAIL_ADDRESS", g.email(p))
    d.t("\n接続元IP：").pii("IP_ADDRESS", g.ip())
    d.t(f"\n内容：{g.date()}以降、管理画面にログインできないとのこと。"
        "パスワード再設定メールが届かない。\n対応：メールサーバのログを確認中。")


def tpl_chat(d: Doc, g: Gen) -> None:
    a, b = g.person(), g.person()
    d.t("[10:02] ").pii("PERSON", a.family).t(": ").pii("PERSON", b.family)
    d.t("さん、先方の携帯番号わかります？\n[10:03] ").pii("PERSON", b.family)
    d.t(": ").pii("PHONE_NUMBER", g.phone(True)).t(" です！\n[10:03] ").pii("PERSON", a.family)
    d.t(": ありがとう。メールはどこに送ればいい？\n[10:04] ").pii("PERSON", b.family)
    d.t(": メールは").pii("EMAIL_ADDRESS", g.email()).t("でお願いします")


def tpl_contract(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t(f"業務委託契約書\n\n{g.company()}（以下「甲」という）と{g.company()}"
        "（以下「乙」という）は、次のとおり契約を締結する。\n第1条（目的）甲は乙に対し、"
        "ソフトウェア保守業務を委託する。\n\n乙　所在地：")
    d.pii("JP_ADDRESS", g.address()).t("\n" + label(g, "法人番号"))
    d.pii("JP_CORPORATE_NUMBER", g.corporate_number()).t("\n代表取締役　")
    d.pii("PERSON", g.full_name(p)).t("　印")


def tpl_invoice(d: Doc, g: Gen) -> None:
    d.t(f"請求書\n{g.company()} 御中\n請求日：{g.date()}\nご請求金額：{g.amount()}\n")
    d.t(label(g, "登録番号", "適格請求書発行事業者登録番号"))
    d.pii("JP_INVOICE_NUMBER", g.invoice_number())
    d.t(f"\nお振込先：{g.pick(['みずほ銀行', '三井住友銀行', '横浜銀行'])} "
        f"{g.pick(['本店営業部', '新宿支店', '梅田支店'])}　普通預金　")
    d.pii("JP_BANK_ACCOUNT", g.bank_account())
    d.t(f"\n支払期限：{g.date()}\n※振込手数料は貴社にてご負担ください。")


def tpl_card_application(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("クレジットカード変更申込書\nお名前：").pii("PERSON", g.full_name(p))
    d.t("（").pii("PERSON", g.kana_name(p)).t("）\n生年月日：").pii("DATE_OF_BIRTH", g.birth_date())
    d.t("\n" + label(g, "カード番号", "クレジットカード番号")).pii("CREDIT_CARD", g.card_number())
    d.t(f"\n有効期限：{g.rng.randint(1, 12):02d}/{g.rng.randint(27, 31)}\nご自宅電話：")
    d.pii("PHONE_NUMBER", g.phone(False))


def tpl_travel_booking(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("海外出張 航空券手配依頼\n渡航者：").pii("PERSON", g.full_name(p))
    d.t(" (").pii("PERSON", f"{p.family_romaji.upper()} {p.given_romaji.upper()}")
    d.t(")\n" + label(g, "旅券番号", "パスポート番号", "Passport No."))
    d.pii("JP_PASSPORT", g.passport())
    d.t("\n生年月日：").pii("DATE_OF_BIRTH", g.birth_date())
    d.t(f"\n出発日：{g.date()}　成田→シンガポール\n座席は通路側を希望。")


def tpl_rental_car(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("レンタカー予約確認\n予約者：").pii("PERSON", g.full_name(p)).t(" 様\n")
    if g.chance(0.5):
        d.t(label(g, "運転免許証番号", "免許証番号", "運転免許番号"))
        d.pii("JP_DRIVERS_LICENSE", g.drivers_licence())
    else:
        d.t("運転免許証 第").pii("JP_DRIVERS_LICENSE", g.drivers_licence()).t("号")
    d.t("\n緊急連絡先：").pii("PHONE_NUMBER", g.phone(True))
    d.t(f"\n貸出：{g.date()} 9:00 新大阪駅前店\n車種：コンパクトカー")


def tpl_foreign_employee(d: Doc, g: Gen) -> None:
    given = g.pick(["グエン・バン・アン", "リ・ウェイ", "マリア・サントス", "チャン・ティ・ラン"])
    d.t("外国人雇用状況届出（控）\n氏名：").pii("PERSON", given)
    d.t("\n" + label(g, "在留カード番号", "在留カード"))
    d.pii("JP_RESIDENCE_CARD", g.residence_card())
    d.t("\n旅券番号：").pii("JP_PASSPORT", g.passport())
    d.t("\n生年月日：").pii("DATE_OF_BIRTH", g.birth_date())
    d.t(f"\n在留期間満了日：{g.date()}\n担当：人事部 ")
    d.pii("PERSON", g.person().family)


def tpl_resident_record(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("住民票の写し等交付請求書\n請求者氏名：").pii("PERSON", g.full_name(p))
    d.t("\n住所：").pii("JP_ADDRESS", g.address())
    d.t("\n" + label(g, "住民票コード")).pii("JP_RESIDENT_CODE", g.resident_code())
    d.t("\n生年月日：").pii("DATE_OF_BIRTH", g.birth_date())
    d.t("\n使用目的：年金手続きのため　必要通数：1通")


def tpl_health_insurance(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("受診申込書\n患者氏名：").pii("PERSON", g.full_name(p))
    d.t("\n生年月日：").pii("DATE_OF_BIRTH", g.birth_date())
    d.t("\n" + label(g, "保険者番号")).pii("JP_HEALTH_INSURANCE", g.insurer_number())
    d.t("\n被保険者証 記号：").pii("JP_HEALTH_INSURANCE", g.digits(4, "123456789"))
    d.t("　番号：").pii("JP_HEALTH_INSURANCE", str(g.rng.randint(1, 999)))
    d.t(f"\n受診日：{g.date()}　診療科：内科")


def tpl_payroll_account(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("給与振込口座届\n社員番号：").t(g.digits(6)).t("\n氏名：").pii("PERSON", g.full_name(p))
    if g.chance(0.6):
        d.t(f"\n金融機関：{g.pick(['三菱UFJ銀行', 'りそな銀行', '千葉銀行'])}　"
            f"{g.pick(['渋谷支店', '本店', '船橋支店'])}\n預金種目：普通　"
            "口座番号：").pii("JP_BANK_ACCOUNT", g.bank_account())
    else:
        d.t("\nゆうちょ銀行　記号番号：").pii("JP_BANK_ACCOUNT", g.yucho_account())
    d.t("\n口座名義（カナ）：").pii("PERSON", g.kana_name(p))
    d.t(f"\n適用開始：{g.date()}支給分から")


def tpl_access_log(d: Doc, g: Gen) -> None:
    d.t("不審なログインの報告\n以下のアクセスを検知しました。\n")
    for _ in range(2):
        d.t(f"{g.date()} {g.rng.randint(0, 23):02d}:{g.rng.randint(0, 59):02d} 送信元 ")
        d.pii("IP_ADDRESS", g.ip()).t(" ユーザー ").pii("EMAIL_ADDRESS", g.email()).t("\n")
    d.t("該当アカウントは一時停止済み。情報システム部 ").pii("PERSON", g.person().family)


def tpl_incident(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("【インシデント報告】\n報告者：").pii("PERSON", g.full_name(p))
    d.t(f"（内線{g.rng.randint(1000, 9999)}）\n発生日時：{g.date()}\n概要：社外の")
    d.pii("IP_ADDRESS", g.ip()).t("から社内VPNへの連続ログイン失敗を確認。")
    d.t("対象アカウントの利用者は").pii("PERSON", g.person().family)
    d.t("さん。パスワード変更を依頼済み。")


def tpl_address_change(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("お届け先変更のご依頼\n会員名：").pii("PERSON", g.full_name(p)).t(" 様\n旧住所：")
    d.pii("JP_ADDRESS", g.address()).t("\n新住所：")
    postal_and_address(d, g)
    d.t("\nご連絡先：").pii("PHONE_NUMBER", g.phone())
    d.t(f"\n変更希望日：{g.date()}以降の発送分")


def tpl_inquiry_form(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("お問い合わせフォーム\nお名前：").pii("PERSON", g.full_name(p))
    d.t("\nメールアドレス：").pii("EMAIL_ADDRESS", g.email(p))
    d.t("\n電話番号：").pii("PHONE_NUMBER", g.phone())
    d.t("\nお問い合わせ内容：先月購入した加湿器の電源が入りません。"
        "交換は可能でしょうか。")


def tpl_keyword_after(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("お世話になっております、").pii("PERSON", p.family).t("です。\n先ほどの件ですが、")
    d.pii("PHONE_NUMBER", g.phone(True)).t("が私の携帯番号です。\nまた、")
    d.pii("JP_MY_NUMBER", g.my_number()).t("が私のマイナンバーです。")
    d.t("書類と一緒にお送りします。\n")
    d.pii("DATE_OF_BIRTH", g.birth_date()).t("生まれです。")


def tpl_year_end(d: Doc, g: Gen) -> None:
    p, s = g.person(), g.person()
    d.t("年末調整 扶養控除等申告書\n" + label(g, "氏名")).pii("PERSON", g.full_name(p))
    d.t("\n" + label(g, "個人番号", "マイナンバー")).pii("JP_MY_NUMBER", g.my_number())
    d.t("\n生年月日：").pii("DATE_OF_BIRTH", g.birth_date())
    d.t("\n配偶者氏名：").pii("PERSON", f"{p.family}{g.pick(['', ' '])}{s.given}")
    d.t("\n配偶者の個人番号：").pii("JP_MY_NUMBER", g.my_number())
    d.t(f"\n提出日：{g.date()}")


def tpl_supplier_registration(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t(f"取引先登録申請書\n会社名：{g.company()}\n所在地：")
    postal_and_address(d, g)
    d.t("\n" + label(g, "法人番号")).pii("JP_CORPORATE_NUMBER", g.corporate_number())
    d.t("\nインボイス登録番号：").pii("JP_INVOICE_NUMBER", g.invoice_number())
    d.t("\n代表者：").pii("PERSON", g.full_name(p))
    d.t("\n担当者連絡先：").pii("PHONE_NUMBER", g.phone(False))


def tpl_order_confirmation(d: Doc, g: Gen) -> None:
    p = g.person()
    d.pii("PERSON", g.full_name(p)).t(" 様\n\nご注文ありがとうございます。\n")
    d.t(f"ご注文番号：{g.digits(12, '2')}\nお支払い：クレジットカード（")
    d.pii("CREDIT_CARD", g.card_number()).t("）\nお届け先：")
    postal_and_address(d, g)
    d.t(f"\nお届け予定日：{g.date()}")


def tpl_refund(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("返金先口座のご案内\n").pii("PERSON", g.full_name(p)).t("様より以下の口座の連絡あり。\n")
    if g.chance(0.5):
        d.t(f"{g.pick(['住信SBIネット銀行', '楽天銀行', 'PayPay銀行'])} "
            f"{g.pick(['法人第一支店', 'イチゴ支店', 'ビジネス営業部'])} 普通 ")
        d.pii("JP_BANK_ACCOUNT", g.bank_account())
    else:
        d.t("ゆうちょ銀行 ").pii("JP_BANK_ACCOUNT", g.yucho_account())
    d.t("\n電話：").pii("PHONE_NUMBER", g.phone()).t(f"\n返金額：{g.amount()}")


def tpl_resignation(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("退職手続きチェックリスト\n対象者：").pii("PERSON", g.full_name(p))
    d.t(f"（退職日 {g.date()}）\n□ 雇用保険被保険者証　番号 ")
    d.pii("JP_EMPLOYMENT_INSURANCE_NUMBER", g.employment_insurance())
    d.t("\n□ 年金手帳　基礎年金番号 ").pii("JP_BASIC_PENSION_NUMBER", g.pension())
    d.t("\n□ 退職後の連絡先　").pii("PHONE_NUMBER", g.phone(True))
    d.t("\n□ 離職票送付先　")
    postal_and_address(d, g)


def tpl_participant_list(d: Doc, g: Gen) -> None:
    d.t(f"セミナー参加者名簿（{g.date()}開催）\n")
    for i in range(3):
        p = g.person()
        d.t(f"{i + 1}. {g.company()}　").pii("PERSON", g.full_name(p)).t(g.pick(["様", "氏", ""]))
        d.t("　").pii("EMAIL_ADDRESS", g.email(p)).t("\n")
    d.t("※名簿の社外持ち出しは禁止です。")


def tpl_phone_memo(d: Doc, g: Gen) -> None:
    caller, to = g.person(), g.person()
    d.t("【電話メモ】\n").pii("PERSON", to.family).t("さんへ\n")
    d.t(f"{g.company()}の").pii("PERSON", g.full_name(caller))
    d.t("様よりお電話がありました。\n折り返しをお願いします。\n")
    d.t(label(g, "TEL", "電話番号", "連絡先")).pii("PHONE_NUMBER", g.phone())
    d.t(f"\n受付：{g.rng.randint(9, 18)}時頃　受付者：").pii("PERSON", g.person().family)


def tpl_english_signature(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("Dear Mr. ").pii("PERSON", p.family_romaji).t(",\n\n")
    d.t("Thank you for your quick reply. 添付の資料をご確認ください。\n\nBest regards,\n")
    d.pii("PERSON", f"{p.given_romaji} {p.family_romaji.upper()}").t(" (")
    d.pii("PERSON", g.full_name(p)).t(")\n" + g.company() + "\nTel: ")
    d.pii("PHONE_NUMBER", g.phone(False)).t("\nEmail: ").pii("EMAIL_ADDRESS", g.email(p))


def tpl_chat_fullwidth(d: Doc, g: Gen) -> None:
    a = g.person()
    d.pii("PERSON", a.family).t("：資料送りました。確認お願いします\n")
    local = a.family_romaji.lower()
    d.t("返信先はこちら→").pii("EMAIL_ADDRESS", f"{local}＠{g.pick(MAIL_DOMAINS)}")
    d.t("\n").pii("PERSON", g.person().family).t("：了解です！メールは")
    d.pii("EMAIL_ADDRESS", g.email()).t("です")


def tpl_lease_application(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("賃貸住宅入居申込書\n申込者：").pii("PERSON", g.full_name(p))
    d.t("（フリガナ ").pii("PERSON", g.kana_name(p)).t("）\n生年月日 ")
    d.pii("DATE_OF_BIRTH", g.birth_date()).t("\n現住所 ")
    postal_and_address(d, g)
    d.t(f"\n勤務先 {g.company()}　年収 {g.rng.randint(300, 900)}万円\n携帯電話 ")
    d.pii("PHONE_NUMBER", g.phone(True))


def tpl_insurance_claim(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("保険金請求書\n被保険者：").pii("PERSON", g.full_name(p)).t(" 様\n生年月日：")
    d.pii("DATE_OF_BIRTH", g.birth_date())
    d.t(f"\n事故日：{g.date()}\nお支払い先口座：普通 ").pii("JP_BANK_ACCOUNT", g.bank_account())
    d.t("\n保険料引落しカード：").pii("CREDIT_CARD", g.card_number())


def tpl_contact_tree(d: Doc, g: Gen) -> None:
    d.t("緊急連絡網（営業二課）\n")
    for _ in range(3):
        p = g.person()
        d.pii("PERSON", g.full_name(p)).t(g.pick(["　", " ", "："]))
        d.pii("PHONE_NUMBER", g.phone(True)).t("\n")
    d.t("災害時は上から順に連絡すること。")


def tpl_vpn_request(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("VPNアカウント発行申請\n申請者：").pii("PERSON", g.full_name(p))
    d.t("\nメール：").pii("EMAIL_ADDRESS", g.email(p))
    d.t("\n固定IPアドレス：").pii("IP_ADDRESS", g.ip())
    d.t(f"\n利用期間：{g.date()}〜{g.date()}\n承認者：").pii("PERSON", g.person().family)
    d.t("部長")


def tpl_job_application(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("履歴書\nふりがな　").pii("PERSON", g.kana_name(p))
    d.t("\n氏名　").pii("PERSON", g.full_name(p))
    d.t("\n").pii("DATE_OF_BIRTH", g.birth_date()).t("生（満").t(str(g.rng.randint(22, 60)))
    d.t("歳）\n現住所　")
    postal_and_address(d, g)
    d.t("\n電話　").pii("PHONE_NUMBER", g.phone()).t("\nE-mail　").pii("EMAIL_ADDRESS", g.email(p))


def tpl_sms(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("【配送のお知らせ】").pii("PERSON", p.family).t("様宛のお荷物を")
    d.t(f"{g.date()}にお届けします。お届け先：〒").pii("JP_POSTAL_CODE", g.postal()).t(" ")
    d.pii("JP_ADDRESS", g.address())


def tpl_followup_mail(d: Doc, g: Gen) -> None:
    a, b, me = g.person(), g.person(), g.person()
    d.t("関係者各位\n\n本日の打ち合わせでは、").pii("PERSON", g.full_name(a))
    d.t("氏および").pii("PERSON", g.full_name(b))
    d.t("氏にご説明いただきました。\n議事録を共有いたします。\n")
    d.t(f"次回は{g.date()}を予定しております。")
    signature(d, g, me)


def tpl_direct_debit(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("口座振替依頼書\n預金者氏名：").pii("PERSON", g.full_name(p))
    d.t(f"\n金融機関：{g.pick(['静岡銀行', '京都銀行', '福岡銀行'])}　"
        f"店番{g.digits(3)}\n当座 ").pii("JP_BANK_ACCOUNT", g.bank_account())
    d.t("\nご住所：").pii("JP_ADDRESS", g.address())
    d.t("\nお電話：").pii("PHONE_NUMBER", g.phone(False))


def tpl_kyc(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("本人確認記録\nお客様：").pii("PERSON", g.full_name(p)).t(" 様\n確認書類：")
    kind = g.rng.randint(0, 3)
    if kind == 0:
        d.t("運転免許証　番号 ").pii("JP_DRIVERS_LICENSE", g.drivers_licence())
    elif kind == 1:
        d.t("パスポート　番号 ").pii("JP_PASSPORT", g.passport())
    elif kind == 2:
        d.t("在留カード　番号 ").pii("JP_RESIDENCE_CARD", g.residence_card())
    else:
        d.t("マイナンバーカード（個人番号 ").pii("JP_MY_NUMBER", g.my_number()).t("）")
    d.t("\n生年月日：").pii("DATE_OF_BIRTH", g.birth_date())
    d.t(f"\n確認日：{g.date()}　確認者：").pii("PERSON", g.person().family)


def tpl_mynumber_collection(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("マイナンバー収集のお願い\n").pii("PERSON", g.full_name(p))
    d.t("さん\n番号法に基づき、個人番号をご提出ください。\n回答：")
    d.pii("JP_MY_NUMBER", g.my_number()).t("\n本人確認書類：運転免許証 ")
    d.pii("JP_DRIVERS_LICENSE", g.drivers_licence())


def tpl_freelance_invoice(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("請求書（個人事業主）\n発行者：").pii("PERSON", g.full_name(p)).t("\n")
    d.t("適格請求書発行事業者 登録番号 ").pii("JP_INVOICE_NUMBER", g.invoice_number())
    d.t("\n住所：").pii("JP_ADDRESS", g.address())
    d.t(f"\nデザイン制作費 {g.amount()}\n振込先 ゆうちょ銀行 ")
    d.pii("JP_BANK_ACCOUNT", g.yucho_account())


def tpl_card_phone_call(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("【通話記録】").pii("PERSON", p.family).t("様よりカード紛失の連絡。")
    d.t("カード番号は").pii("CREDIT_CARD", g.card_number()).t("とのこと。利用停止済み。")
    d.t("本人確認のため生年月日（").pii("DATE_OF_BIRTH", g.birth_date()).t("）を確認。")
    d.t("折返し先 ").pii("PHONE_NUMBER", g.phone(True))


def tpl_server_inventory(d: Doc, g: Gen) -> None:
    d.t("サーバ管理台帳\nホスト名: web-01　IP: ").pii("IP_ADDRESS", g.ip())
    d.t("\nホスト名: db-01　IP: ").pii("IP_ADDRESS", g.ip())
    d.t("\n管理者: ").pii("PERSON", g.full_name(g.person()))
    d.t(" (").pii("EMAIL_ADDRESS", g.email()).t(")\nOS: Ubuntu 24.04 / PostgreSQL 16.4")


def tpl_corporate_notice(d: Doc, g: Gen) -> None:
    d.t(f"{g.company()}（法人番号 ").pii("JP_CORPORATE_NUMBER", g.corporate_number())
    d.t("）は、本店所在地を下記へ移転いたしました。\n新所在地：")
    postal_and_address(d, g)
    d.t("\n代表電話：").pii("PHONE_NUMBER", g.phone(False))
    d.t("\n代表取締役社長　").pii("PERSON", g.full_name(g.person()))


def tpl_receipt(d: Doc, g: Gen) -> None:
    d.t(f"領収書\n{g.company()} 様\n金額 {g.amount()}（うち消費税10%対象）\n")
    d.t("但し 書籍代として\n発行元：合同会社ブックス\n登録番号")
    d.pii("JP_INVOICE_NUMBER", g.invoice_number())
    d.t(f"\n発行日 {g.date()}\nお支払い カード ************{g.digits(4)}")


def tpl_company_profile(d: Doc, g: Gen) -> None:
    d.t(f"会社概要\n商号　　{g.company()}\n法人番号　").pii(
        "JP_CORPORATE_NUMBER", g.corporate_number())
    d.t("\n所在地　").pii("JP_ADDRESS", g.address())
    d.t(f"\n設立　{g.rng.randint(1950, 2020)}年\n資本金　{g.rng.randint(1, 90)},000万円\n代表者　")
    d.pii("PERSON", g.full_name(g.person()))
    d.t("\n適格請求書発行事業者登録番号　").pii("JP_INVOICE_NUMBER", g.invoice_number())


def tpl_residence_renewal(d: Doc, g: Gen) -> None:
    name = g.pick(["NGUYEN VAN AN", "LI WEI", "MARIA SANTOS", "TRAN THI LAN", "KIM MINJUN"])
    d.t("在留期間更新許可申請の件\n申請人：").pii("PERSON", name)
    d.t(f"（国籍：{g.pick(['ベトナム', '中国', 'フィリピン', '韓国'])}）\n")
    if g.chance(0.5):
        d.pii("JP_RESIDENCE_CARD", g.residence_card()).t("（在留カード番号）")
    else:
        d.t("在留カード番号 ").pii("JP_RESIDENCE_CARD", g.residence_card())
    d.t("\n生年月日 ").pii("DATE_OF_BIRTH", g.birth_date())
    d.t(f"\n現在の在留期限：{g.date()}\n取次：行政書士 ").pii("PERSON", g.person().family)


def tpl_resident_code_notice(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("住民票コード通知票（再交付）\n").pii("PERSON", g.full_name(p)).t(" 様\n")
    d.t("あなたの住民票コードは ").pii("JP_RESIDENT_CODE", g.resident_code())
    d.t(" です。\n住所：").pii("JP_ADDRESS", g.address())
    d.t(f"\n交付日：{g.date()}\n○○市長")


def tpl_card_chat(d: Doc, g: Gen) -> None:
    a, b = g.person(), g.person()
    d.pii("PERSON", a.family).t("：出張の宿、法人カードで押さえてもらえますか\n")
    d.pii("PERSON", b.family).t("：了解です。番号は ").pii("CREDIT_CARD", g.card_number())
    d.t(" で合ってますか？\n").pii("PERSON", a.family).t("：それ私のクレジットカードです！")


def tpl_bid_document(d: Doc, g: Gen) -> None:
    d.t(f"入札参加資格審査申請書\n申請者：{g.company()}\n")
    d.pii("JP_CORPORATE_NUMBER", g.corporate_number()).t("（法人番号）\n")
    d.t("所在地：")
    postal_and_address(d, g)
    d.t("\n担当者：").pii("PERSON", g.full_name(g.person()))
    d.t("\n電話：").pii("PHONE_NUMBER", g.phone(False))


def tpl_pension_inquiry(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("年金記録の照会\n").pii("PERSON", g.full_name(p)).t("と申します。年金の記録について")
    d.t("お伺いしたいです。\n").pii("JP_BASIC_PENSION_NUMBER", g.pension())
    d.t("が私の基礎年金番号です。\n生年月日は").pii("DATE_OF_BIRTH", g.birth_date())
    d.t("です。\n日中の連絡先：").pii("PHONE_NUMBER", g.phone(True))


def tpl_driving_record(d: Doc, g: Gen) -> None:
    p = g.person()
    d.t("運転記録証明書 申込書\n氏名 ").pii("PERSON", g.full_name(p))
    d.t("\n生年月日 ").pii("DATE_OF_BIRTH", g.birth_date())
    d.t("\n免許証番号 ").pii("JP_DRIVERS_LICENSE", g.drivers_licence())
    d.t(f"\n証明期間 過去{g.pick(['1', '3', '5'])}年\n提出先：総務部 安全運転管理者")


TEMPLATES: list[Callable[[Doc, Gen], None]] = [
    tpl_employee_form, tpl_social_insurance, tpl_onboarding_mail, tpl_business_mail,
    tpl_minutes, tpl_support_ticket, tpl_chat, tpl_contract, tpl_invoice,
    tpl_card_application, tpl_travel_booking, tpl_rental_car, tpl_foreign_employee,
    tpl_resident_record, tpl_health_insurance, tpl_payroll_account, tpl_access_log,
    tpl_incident, tpl_address_change, tpl_inquiry_form, tpl_keyword_after, tpl_year_end,
    tpl_supplier_registration, tpl_order_confirmation, tpl_refund, tpl_resignation,
    tpl_participant_list, tpl_phone_memo, tpl_english_signature, tpl_chat_fullwidth,
    tpl_lease_application, tpl_insurance_claim, tpl_contact_tree, tpl_vpn_request,
    tpl_job_application, tpl_sms, tpl_followup_mail, tpl_direct_debit, tpl_kyc,
    tpl_mynumber_collection, tpl_freelance_invoice, tpl_card_phone_call,
    tpl_server_inventory, tpl_corporate_notice, tpl_receipt, tpl_company_profile,
    tpl_residence_renewal, tpl_resident_code_notice, tpl_card_chat, tpl_bid_document,
    tpl_pension_inquiry, tpl_driving_record,
]


def labelled_documents(g: Gen) -> list[dict]:
    docs = []
    for round_ in range(DOCS_PER_TEMPLATE):
        for template in TEMPLATES:
            d = Doc()
            template(d, g)
            name = template.__name__.removeprefix("tpl_")
            docs.append({"id": f"{name}-{round_:02d}", "text": d.text, "spans": d.spans})
    return docs


# --------------------------------------------------------------------------- hard negatives
# Each example marks the look-alike that must NOT be detected as personal data.

SURNAMES = ["山田", "佐藤", "鈴木", "田中", "高橋", "伊藤", "渡辺", "中村", "小林", "加藤",
            "吉田", "松本", "井上", "木村", "清水", "山口", "森", "池田", "橋本", "石川"]
COMPANY_SUFFIXES = ["商事株式会社", "製薬", "自動車工業", "工務店", "建設株式会社", "電機",
                    "印刷", "物産", "運輸", "食品工業"]
PLACES = ["東京駅", "大阪支社", "新宿駅西口", "名古屋営業所", "品川駅港南口", "札幌支店",
          "博多駅筑紫口", "上野駅", "中野支店", "松本駅", "岡山支店", "長野駅", "横浜支店",
          "京都駅八条口", "仙台営業所", "渋谷駅ハチ公口", "福岡支社", "梅田駅", "千葉支店",
          "神戸三宮駅", "高田馬場駅", "吉祥寺駅", "広島支社", "金沢駅"]


def _neg(d: Doc, text: str) -> Doc:
    d.spans.append({"start": d.length, "end": d.length + len(text)})
    return d.t(text)


def _order_number(g: Gen, i: int) -> str:
    if i % 2 == 0:  # half pass the My Number check digit, half of those date-prefixed
        if i % 4 == 0:
            year = g.pick(["2026", "2025"])
            base = f"{year}{g.rng.randint(1, 12):02d}{g.rng.randint(1, 28):02d}" + g.digits(3)
        else:
            base = g.digits(11, "123456789")
        return base + str(my_number_check(base))
    return g.digits(12, "123456789")


def _failing_number(g: Gen, i: int) -> str:
    while True:
        if i % 2 == 0:
            value = g.digits(12, "123456789")
            if my_number_check(value[:11]) != int(value[11]):
                return value
        else:
            value = g.digits(13, "123456789")
            if corporate_check(value[1:]) != int(value[0]):
                return value


def _jan(g: Gen) -> str:
    base = g.pick(["49", "45"]) + g.digits(10)
    return base + str(ean13_check(base))


def _version(g: Gen, i: int) -> str:
    forms = [
        lambda: f"v{g.rng.randint(1, 9)}.{g.rng.randint(0, 20)}.{g.rng.randint(0, 30)}",
        lambda: f"{g.rng.randint(1, 3)}.{g.rng.randint(0, 15)}.0-rc{g.rng.randint(1, 4)}",
        lambda: f"{g.rng.randint(1, 12)}.{g.rng.randint(0, 9)}.{g.rng.randint(0, 99)}",
        lambda: f"10.0.{g.rng.randint(19041, 26100)}.{g.rng.randint(100, 5000)}",
        lambda: f"{g.rng.randint(1, 9)}.{g.rng.randint(0, 9)}.{g.rng.randint(0, 9)}."
                f"{g.rng.randint(0, 99)}",  # shaped like an IPv4 address
        lambda: f"Ver.{g.rng.randint(1, 5)}.{g.rng.randint(0, 9)}",
    ]
    return forms[i % len(forms)]()


def _plain_date(g: Gen, i: int) -> str:
    day = datetime.date(2018, 1, 1) + datetime.timedelta(days=g.rng.randint(0, 3300))
    if i % 3 == 0 and day >= datetime.date(2019, 5, 1):
        year = day.year - 2018
        return f"令和{'元' if year == 1 else year}年{day.month}月{day.day}日"
    if i % 3 == 0:
        return f"平成{day.year - 1988}年{day.month}月{day.day}日"
    if i % 3 == 1:
        return f"{day.year}年{day.month}月{day.day}日"
    return g.pick([f"{day.year}/{day.month:02d}/{day.day:02d}",
                   f"{day.year}-{day.month:02d}-{day.day:02d}",
                   f"R{max(day.year - 2018, 1)}.{day.month}.{day.day}"])


def _product_code(g: Gen, i: int) -> str:
    up = string.ascii_uppercase
    forms = [
        lambda: f"HK-{g.rng.randint(1000, 9999)}-{g.pick(['BL', 'WH', 'RD', 'GY'])}",
        lambda: g.pick(up) + g.pick(up) + g.digits(7),  # passport-shaped
        lambda: f"{g.digits(4, '123456789')}-{g.digits(6)}",  # pension-shaped
        lambda: f"KX-PZ{g.rng.randint(100, 999)}DL",
        lambda: f"{g.digits(4, '123456789')}-{g.digits(6)}-{g.digits(1)}",  # EI-shaped
        lambda: f"SKU-{g.pick(up)}{g.pick(up)}-{g.digits(4)}",
    ]
    return forms[i % len(forms)]()


NEGATIVE_SENTENCES: dict[str, list[str]] = {
    "order_number": [
        "注文番号：{v}\nご注文ありがとうございました。発送まで今しばらくお待ちください。",
        "受注番号 {v} の出荷が完了しました。",
        "{v}（注文番号）の納期について回答をお願いします。",
        "ご注文番号{v}の商品は本日発送いたしました。",
        "受注No.{v}　数量 3　単価 1,200円",
        "お問い合わせの際は注文番号（{v}）をお知らせください。",
    ],
    "invoice_slip_number": [
        "請求書番号：{v}\n上記の通りご請求申し上げます。",
        "伝票番号 {v} の入金を確認しました。",
        "{v} の請求書を再発行してください。",
        "納品書兼請求書（伝票番号{v}）を同封します。",
    ],
    "failed_check_digit": [
        "管理コード {v} のレコードを更新しました。",
        "照合キー：{v}",
        "シリアル番号は{v}です。",
        "ID {v} のジョブが失敗しました。再実行してください。",
    ],
    "jan_code": [
        "JANコード：{v}\n商品名：ミネラルウォーター 500ml",
        "バーコード{v}を読み取ってください。",
        "商品（JAN {v}）の在庫が残りわずかです。",
        "EAN {v} / 入数 24",
    ],
    "version_string": [
        "{v} にアップデートしてください。",
        "バージョン{v}で不具合が修正されました。",
        "ライブラリを{v}へ更新後、テストが通ることを確認。",
        "ファームウェア {v} の配布を開始します。",
    ],
    "non_birth_date": [
        "次回の会議は{v}に開催します。",
        "提出日：{v}",
        "入社日 {v}　配属：営業部",
        "申請の締切は{v}です。期限厳守でお願いします。",
        "契約開始日：{v}　契約期間：1年",
        "生年月日欄は記入不要です。提出期限：{v}",
    ],
    "company_with_surname": [
        "{v}との取引は来月から開始します。",
        "{v}より見積書が届きました。",
        "本日、{v}の工場を見学しました。",
        "取引先：{v}　支払条件：月末締め翌月末払い",
    ],
    "place_name": [
        "{v}で待ち合わせしましょう。",
        "{v}に異動になりました。",
        "明日は{v}に10時集合です。",
        "会場は{v}から徒歩5分です。",
    ],
    "price_quantity": [
        "合計金額は{v}（税込）です。",
        "在庫数：{v}",
        "前年比で{v}の増加となりました。",
        "お見積り金額 {v}",
    ],
    "product_code": [
        "品番：{v}　カラー：ブルー",
        "型番{v}の後継機種をご案内します。",
        "部品番号 {v} を2個発注してください。",
        "{v} は生産終了となりました。",
    ],
}


def _negative_value(g: Gen, category: str, i: int) -> str:
    if category == "order_number":
        return _order_number(g, i)
    if category == "invoice_slip_number":
        return g.pick([
            f"INV-{g.pick(['2025', '2026'])}-{g.digits(5)}",
            g.digits(10, "123456789"),
            f"{g.pick(['2025', '2026'])}{g.rng.randint(1, 12):02d}{g.rng.randint(1, 28):02d}"
            f"-{g.digits(4)}",
            f"{g.digits(4, '123456789')}-{g.digits(6)}",
            f"D{g.digits(8)}",
        ])
    if category == "failed_check_digit":
        return _failing_number(g, i)
    if category == "jan_code":
        return _jan(g)
    if category == "version_string":
        return _version(g, i)
    if category == "non_birth_date":
        return _plain_date(g, i)
    if category == "company_with_surname":
        company = SURNAMES[i % len(SURNAMES)] + g.pick(COMPANY_SUFFIXES)
        return "株式会社" + company if i % 5 == 0 and "株式会社" not in company else company
    if category == "place_name":
        return PLACES[i % len(PLACES)]
    if category == "price_quantity":
        n = g.rng.randint(1000, 99_999_999)
        return g.pick([f"{n:,}円", f"{n:,}個", f"¥{n:,}", f"{n:,}本", f"{n:,}件"])
    if category == "product_code":
        return _product_code(g, i)
    raise ValueError(category)


def hard_negatives(g: Gen) -> list[dict]:
    examples = []
    for category, sentences in NEGATIVE_SENTENCES.items():
        for i in range(NEGATIVES_PER_CATEGORY):
            before, after = sentences[i % len(sentences)].split("{v}")
            d = Doc()
            d.t(before)
            _neg(d, _negative_value(g, category, i))
            d.t(after)
            examples.append({"id": f"{category}-{i:02d}", "text": d.text,
                             "category": category,
                             "spans": [{"start": s["start"], "end": s["end"]} for s in d.spans]})
    return examples


def _jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def generate(out_dir: Path = HERE, seed: int = SEED) -> tuple[Path, Path]:
    """Write both files to ``out_dir``; returns their paths.

    Another ``seed`` gives a fresh draw of the same templates: a held-out check that
    recognizers were not tuned to the committed values.
    """
    g = Gen(seed)
    labelled = labelled_documents(g)
    negatives = hard_negatives(Gen(seed + 1))
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = out_dir / LABELLED, out_dir / HARD_NEGATIVES
    for path, rows in zip(paths, (labelled, negatives), strict=True):
        path.write_text(_jsonl(rows), encoding="utf-8", newline="\n")
    return paths


if __name__ == "__main__":
    # python generate.py [OUT_DIR [SEED]]
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for written in generate(out, int(sys.argv[2]) if len(sys.argv) > 2 else SEED):
        print(f"wrote {written} ({written.stat().st_size:,} bytes)")
