"""Dates of birth: Western and 和暦 dates, but only where the context says "birth".

A date alone is not personal data: meeting dates, deadlines, 入社日 and 提出日
fill business text. This recognizer matches every well-formed date, checks it
against the calendar (month/day validity, era ranges: 昭和64年1月8日 does not
exist, 平成 starts 1989-01-08), and keeps it **only** with birth context:

* a keyword within 40 characters before (生年月日, 誕生日, 生まれ, DOB,
  Date of birth, 年齢…) or within 12 after (``…生まれ``, ``（満40歳）``);
* ``生`` directly after the date (``昭和60年4月12日生``);
* a name form: 氏名/お名前 within 80 characters before, on the same or the
  previous lines.

A nearer field label for another date (入社日, 提出日, 締切, 会議…) drops the
match, and so does a weekday, a time or a range right after it (``(月)``,
``10:00``, ``〜``, ``まで``): those are events, not birthdays. Every kept match
scores 0.85; without context nothing is returned.

Forms: ``1985年4月12日``, ``1985/04/12``, ``1985-4-12``, ``１９８５．４．１２``,
``昭和60年4月12日``, ``昭和六十年四月十二日``, ``平成元年1月8日``, ``㍼60年4月12日``,
``S60.4.12``, ``H2/1/2``, ``R元.5.1``, ``昭和60.4.12``, ``April 12, 1985``, ``12 Apr 1985``.

>>> r = JpDateOfBirthRecognizer()
>>> def spans(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, ["DATE_OF_BIRTH"])]
>>> spans("生年月日：昭和60年4月12日（満41歳）")
[('昭和60年4月12日', 0.85)]
>>> spans("1985/04/12生まれ、入社日：2010年4月1日")
[('1985/04/12', 0.85)]
>>> spans("DOB: S60.4.12")
[('S60.4.12', 0.85)]
>>> spans("Date of birth: April 12, 1985. Meeting: May 1, 2026")
[('April 12, 1985', 0.85)]
>>> spans("生年月日 昭和64年1月8日")  # 平成 had started
[]
>>> spans("提出日：2026年3月2日、会議は2026/03/05(木)")
[]
>>> spans("生年月日：昭和24年9月17日\\n確認日：2026/09/22")
[('昭和24年9月17日', 0.85)]
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, ClassVar

import regex
from presidio_analyzer import Pattern, RecognizerResult

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import HYPHEN_CHARS, fold_width, to_ascii_digits

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KNUM = "[〇一二三四五六七八九十]"
_N12 = rf"(?:[0-9０-９]{{1,2}}|{_KNUM}{{1,3}})"
_SP = "[ 　]?"
#: Era name, square-ligature or (only before a digit) M/T/S/H/R.
_ERA = "(?P<era>明治|大正|昭和|平成|令和|[㍾㍽㍼㍻㋿])"
_ERA_LETTER = "(?<![A-Za-zＡ-Ｚａ-ｚ0-9０-９])(?P<era>[MTSHRＭＴＳＨＲmtshr])"
_ERA_YEAR = rf"(?P<y>元|{_N12})"
#: Date separators between numbers (one kind per date, enforced by a back-reference).
_SEP = rf"(?P<sep>[/／.．]|[{HYPHEN_CHARS}])"
_END = "(?![0-9０-９])"

DATE_ERA_KANJI_REGEX = (
    rf"{_ERA}{_SP}{_ERA_YEAR}{_SP}年{_SP}(?P<m>{_N12}){_SP}月{_SP}(?P<d>{_N12}){_SP}日"
)
DATE_ERA_SEP_REGEX = (
    rf"(?:{_ERA}|{_ERA_LETTER}[.．]?){_SP}{_ERA_YEAR}{_SEP}"
    rf"(?P<m>[0-9０-９]{{1,2}})(?P=sep)(?P<d>[0-9０-９]{{1,2}}){_END}"
)
_YEAR4 = "(?P<y>(?:1[89]|20|１[８９]|２０)[0-9０-９]{2}|[一][八九][〇一二三四五六七八九]{2})"
DATE_WESTERN_KANJI_REGEX = (
    rf"(?<![0-9０-９]){_YEAR4}{_SP}年{_SP}(?P<m>{_N12}){_SP}月{_SP}(?P<d>{_N12}){_SP}日"
)
DATE_WESTERN_SEP_REGEX = (
    rf"(?<![0-9０-９.．/／A-Za-zＡ-Ｚａ-ｚ]){_YEAR4}{_SEP}(?P<m>[0-9０-９]{{1,2}})(?P=sep)"
    rf"(?P<d>[0-9０-９]{{1,2}}){_END}(?![.．/／][0-9０-９])"
)
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
_MONTH = (
    "(?P<mn>" + "|".join([*_MONTH_NAMES, "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                          "sept", "sep", "oct", "nov", "dec"]) + r")\.?"
)
_ORD = "(?:st|nd|rd|th)?"
_EN_YEAR = "(?P<y>(?:18|19|20)[0-9]{2})"
#: April 12, 1985 / 12 April 1985 / 12-Apr-1985 (English forms and signatures).
DATE_ENGLISH_REGEX = (
    rf"(?<![A-Za-z])(?:{_MONTH} (?P<d>[0-9]{{1,2}}){_ORD},? {_EN_YEAR}"
    rf"|(?P<d>[0-9]{{1,2}}){_ORD}[ -]{_MONTH}[ ,-]+{_EN_YEAR})(?![0-9])"
)

#: Era -> (Gregorian offset, first day, last day); boundaries inclusive as published.
ERAS: dict[str, tuple[int, datetime.date, datetime.date]] = {
    "明治": (1867, datetime.date(1868, 1, 1), datetime.date(1912, 7, 30)),
    "大正": (1911, datetime.date(1912, 7, 30), datetime.date(1926, 12, 25)),
    "昭和": (1925, datetime.date(1926, 12, 25), datetime.date(1989, 1, 7)),
    "平成": (1988, datetime.date(1989, 1, 8), datetime.date(2019, 4, 30)),
    "令和": (2018, datetime.date(2019, 5, 1), datetime.date(2099, 12, 31)),
}
_ERA_ALIASES = {
    "㍾": "明治", "㍽": "大正", "㍼": "昭和", "㍻": "平成", "㋿": "令和",
    "M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和",
}
_MIN_YEAR, _MAX_YEAR = 1868, 2099

_PATTERNS = [
    regex.compile(p, regex.IGNORECASE)
    for p in (
        DATE_ERA_KANJI_REGEX,
        DATE_ERA_SEP_REGEX,
        DATE_WESTERN_KANJI_REGEX,
        DATE_WESTERN_SEP_REGEX,
        DATE_ENGLISH_REGEX,
    )
]

#: After the date: 生 / 生まれ / 誕生 (``昭和60年4月12日生``, ``1985年4月12日 生``).
_BORN_AFTER = regex.compile(
    r"[ 　]?(?:[（(][^）)\n]{0,12}[)）])?[ 　]?(?:生|産まれ|誕生)"
    r"|[ 　]?[（(、,][ 　]?(?:満|当時)?[ 　]?[0-9０-９]{1,3}[ 　]?[歳才]"
)
#: After the date: a weekday, a time or a range marks an event, not a birthday.
_EVENT_AFTER = regex.compile(
    r"[ 　]?(?:[（(][ 　]?[月火水木金土日祝][曜]?[日]?[ 　]?[)）]|[月火水木金土日]曜"
    r"|[0-9０-９]{1,2}[:：時]|[~〜～－-][ 　]?[0-9０-９]|まで|から|より|迄|以降|以前|付で|付け"
    r"|(?:予定|開催|締切|〆切|必着|期限|入社|提出|納品|実施|着任|施行)(?![日:：]))"
)
_FORM_LABEL = regex.compile(r"氏名|お名前|名前|フリガナ|ふりがな|Name", regex.IGNORECASE)
#: The field label right before a date on its line (確認日：, 在留期間満了日：, 変更希望日).
_DATE_FIELD_BEFORE = regex.compile(
    r"(?P<label>[^\s:：、。,()（）]{1,14}(?:日|日付|日時|期限|期間|期日|時期|Date))"
    r"[ 　]*[:：]?[ 　]*$",
    regex.IGNORECASE,
)
_BIRTH_LABEL = regex.compile(r"生|誕|birth|DOB", regex.IGNORECASE)


def kanji_to_int(text: str) -> int:
    """Parse a number in ASCII/full-width digits or kanji numerals.

    >>> [kanji_to_int(s) for s in ("12", "１２", "十二", "六十", "三十一", "一九八五", "元")]
    [12, 12, 12, 60, 31, 1985, 1]
    """
    if text == "元":
        return 1
    digits = to_ascii_digits(text)
    if digits:
        return int(digits)
    if "十" not in text:  # positional: 一九八五
        return int("".join(str(_KANJI_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)


def _month_number(name: str) -> int:
    name = name.lower()
    return next(i for i, full in enumerate(_MONTH_NAMES, 1) if full.startswith(name[:3]))


def parse_date(value: str) -> datetime.date | None:
    """The calendar date a matched value denotes, or None if it does not exist.

    >>> parse_date("平成元年1月8日"), parse_date("H2/1/2"), parse_date("昭和64年1月8日")
    (datetime.date(1989, 1, 8), datetime.date(1990, 1, 2), None)
    >>> parse_date("1985-2-29"), parse_date("㋿元年5月1日")
    (None, datetime.date(2019, 5, 1))
    """
    for pattern in _PATTERNS:
        m = pattern.fullmatch(value)
        if m is None:
            continue
        try:
            year = kanji_to_int(m.group("y"))
            name = m.groupdict().get("mn")
            month = _month_number(name) if name else kanji_to_int(m.group("m"))
            day = kanji_to_int(m.group("d"))
        except (KeyError, ValueError):
            return None
        era = m.groupdict().get("era")
        if era:
            era = _ERA_ALIASES.get(fold_width(era).upper(), era)
            offset, first, last = ERAS[era]
            year += offset
        if not _MIN_YEAR <= year <= _MAX_YEAR:
            return None
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            return None
        if era and not first <= date <= last:
            return None
        return date
    return None


class JpDateOfBirthRecognizer(CharWindowPatternRecognizer):
    """Calendar-valid Western/和暦 dates next to birth keywords or in a name form."""

    COUNTRY_CODE = "jp"
    ENTITY = "DATE_OF_BIRTH"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("和暦 年月日", DATE_ERA_KANJI_REGEX, 0.85),
        Pattern("和暦 separators (S60.4.12)", DATE_ERA_SEP_REGEX, 0.85),
        Pattern("西暦 年月日", DATE_WESTERN_KANJI_REGEX, 0.85),
        Pattern("西暦 separators (1985/04/12)", DATE_WESTERN_SEP_REGEX, 0.85),
        Pattern("English (April 12, 1985)", DATE_ENGLISH_REGEX, 0.85),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "生年月日", "誕生日", "誕生", "生まれ", "産まれ", "出生", "生年", "年齢",
        "DOB", "D.O.B", "Date of birth", "Birth date", "Birthdate", "Birthday", "Born",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "入社日", "入社", "退社", "退職日", "退職", "提出日", "提出", "締切", "締め切り", "〆切",
        "期限", "期日", "納期", "納品日", "会議", "打ち合わせ", "打合せ", "ミーティング",
        "面談", "面接", "開催日", "開催", "日時", "作成日", "発行日", "更新日", "改訂日",
        "契約日", "申込日", "申請日", "受付日", "登録日", "実施日", "施行日", "有効期限",
        "支払日", "支払期日", "満了日", "満了", "発送日", "到着日", "予約日", "訪問日",
        "来社", "予定日", "予定",
        "着任日", "異動日", "記入日", "診察日", "Deadline", "Due", "Meeting", "Date:",
        "Issued", "Updated", "Created",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (40, 12)
    NEGATIVE_WINDOW: ClassVar[int] = 30
    #: No date counts without a keyword, 生/誕生/産まれ or an age after it, or a name form.
    PREFILTER = "生|産まれ|歳|才|" + _FORM_LABEL.pattern
    PREFILTER_WITH_CONTEXT = True
    _EN_MONTH = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    PATTERN_PREFILTERS: ClassVar[dict[str, str]] = {
        "English (April 12, 1985)": (
            rf"{_EN_MONTH}[a-z]*\.? [0-9]|[0-9](?:st|nd|rd|th)?[ -]{_EN_MONTH}"),
    }
    CONTEXT_SCORE: ClassVar[float] = 0.85
    FORM_WINDOW: ClassVar[int] = 80

    def score_match(self, value: str, score: float) -> float:
        """Drop dates that do not exist (2月30日, 昭和64年1月8日)."""
        return score if parse_date(value) is not None else 0.0

    def score_without_context(self, value: str, score: float) -> float:
        """A date without birth context is not a date of birth."""
        return 0.0

    def has_extra_context(self, text: str, start: int, end: int) -> bool:
        """``…日生`` right after, or a 氏名 field on this or the previous lines."""
        if _BORN_AFTER.match(text, end):
            return True
        lo = max(0, start - self.FORM_WINDOW)
        before = text[lo:start]
        return before.count("\n") <= 2 and _FORM_LABEL.search(fold_width(before)) is not None

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Context-scored dates, minus those followed by a weekday, time or range."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [
            r
            for r in results
            if (not _EVENT_AFTER.match(text, r.end) or _BORN_AFTER.match(text, r.end))
            and not self._other_date_field(text, r.start)
        ]

    @staticmethod
    def _other_date_field(text: str, start: int) -> bool:
        """The date is the value of another date field on its line (確認日：2026/09/22)."""
        line = text[max(text.rfind("\n", 0, start) + 1, start - 40) : start]
        m = _DATE_FIELD_BEFORE.search(fold_width(line))
        return m is not None and _BIRTH_LABEL.search(m.group("label")) is None
