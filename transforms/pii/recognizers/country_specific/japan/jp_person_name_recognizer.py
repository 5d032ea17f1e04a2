"""Personal names from Sudachi's part-of-speech tags, plus kana readings after フリガナ.

GiNZA's NER is one signal for PERSON; this is a second, cheap one that reuses
the tokens already in ``nlp_artifacts``: Sudachi tags ``山田`` as
``名詞-固有名詞-人名-姓`` and ``太郎`` as ``…人名-名``. A run of such tokens
(family + optional space + given) is a name candidate; honorifics (様, さん…)
and titles (部長…) after it or field labels (氏名, 担当…) before it raise the
score, and the honorific stays outside the span. A surname followed by a
company or place word (山田商事, 松本駅) is not a person.

The value of a name field (``氏名：東海林 翔琉``, ``お名前：さくら``) is taken
whole when it holds a proper noun and no organisation/department word, and an
untagged given name between a name run and an honorific (``五十嵐 心愛さん``)
joins the span.

Without ``nlp_artifacts`` only the patterns run: kana readings (full and
half-width) after フリガナ, and romaji names — with an honorific
(``Yamada-san``, ``Taro YAMADA様``) 0.85; ``Taro YAMADA``/``YAMADA Taro`` 0.6 with
a common surname, else 0.3; ``Taro Yamada`` 0.5 only with a common surname;
a field label just before lifts them to 0.85:

>>> r = JpPersonNameRecognizer()
>>> def patterns(text):
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, ["PERSON"])]
>>> patterns("フリガナ：ヤマダ　タロウ")
[('ヤマダ\\u3000タロウ', 0.85)]
>>> patterns("ﾌﾘｶﾞﾅ ﾔﾏﾀﾞ ﾀﾛｳ / Yamada-sanとTaro YAMADA様、Kenji ARAKAWA")
[('ﾔﾏﾀﾞ ﾀﾛｳ', 0.85), ('Yamada', 0.85), ('Taro YAMADA', 0.85), ('Kenji ARAKAWA', 0.3)]
>>> patterns("Apache Beam, Data Platform, Yamada Shoji Co., Ltd.")
[]

With Sudachi tokens (``spacy.blank("ja")`` tags like GiNZA does):

>>> import spacy
>>> from presidio_analyzer.nlp_engine import NlpArtifacts
>>> nlp = spacy.blank("ja", config={"nlp": {"tokenizer": {"split_mode": "C"}}})
>>> def spans(text):
...     doc = nlp(text)
...     art = NlpArtifacts([], doc, [t.idx for t in doc], [t.lemma_ for t in doc], None, "ja")
...     return [(text[x.start:x.end], x.score) for x in r.analyze(text, ["PERSON"], art)]
>>> spans("山田太郎様、佐藤部長、担当：鈴木 花子")
[('山田太郎', 0.85), ('佐藤', 0.85), ('鈴木 花子', 0.85)]
>>> spans("山田商事株式会社の会議は東京駅で待ち合わせ")
[]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import regex
from presidio_analyzer import (
    AnalysisExplanation,
    EntityRecognizer,
    Pattern,
    RecognizerResult,
)

from ...context_window import CharWindowPatternRecognizer
from ...ja_chars import fold_width
from ...ja_lexicon import (
    DEPARTMENT_SUFFIXES,
    HONORIFICS,
    LABELS,
    NAME_TAG_PREFIX,
    NON_PERSON_ENE,
    ORG_LONG,
    ORG_PREFIXES,
    PLACE_TAG_PREFIX,
    PROPER_NOUN_TAG_PREFIX,
    ROMAJI_HONORIFICS,
    ROMAJI_ORG_WORDS,
    ROMAJI_SURNAMES,
    TITLES,
    is_org_word,
)
from ...token_index import tag_positions, word_positions

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts
    from spacy.tokens import Doc, Span, Token

_PUNCT_TAGS = ("補助記号", "空白")
_KANJI_NAME = regex.compile(r"[\p{Han}々]{1,3}")
_READING_AFTER = regex.compile(
    r"[ 　]?[（(][ 　]?(?P<pii>[ァ-ヴー]{1,12}(?:[ 　・][ァ-ヴー]{1,12})?"
    r"|[ぁ-ゖー]{1,12}[ 　][ぁ-ゖー]{1,12}"
    r"|(?-i:[A-Z][A-Za-z]{1,15}(?: [A-Z][A-Za-z]{1,15}){1,2}))[ 　]?[)）]"
)
#: Kanji Sudachi splits off given names as a suffix (悠人 -> 悠 + 人, 陽子 -> 陽 + 子).
NAME_FINAL_KANJI = frozenset("人子郎介輔佑祐斗也哉美恵奈菜香花乃代江枝夫雄男彦平太樹希紀実里理衣")
_HAS_NON_ASCII = regex.compile(r"[^\x00-\x7f]")
_KANA_ONLY = regex.compile(r"[ぁ-ゖァ-ヴーｦ-ﾟ]{2,8}")

_KANA_WORD = "[ァ-ヴー]{1,12}"
_HIRA_WORD = "[ぁ-ゖー]{1,12}"
_HALF_WORD = "[ｦ-ﾟ]{1,14}"
READING_REGEX = (
    r"(?:フリガナ|ふりがな|ﾌﾘｶﾞﾅ|よみがな|読み仮名|氏名カナ|カナ氏名|(?<![ァ-ヴー])カナ)"
    r"[)）】\]]?(?:[ 　\t]*[:：][ 　\t]*|[ 　\t]+)\n?[ 　\t]*"
    rf"(?P<pii>{_KANA_WORD}(?:[ 　]{_KANA_WORD})?|{_HIRA_WORD}(?:[ 　]{_HIRA_WORD})?"
    rf"|{_HALF_WORD}(?:[ 　]{_HALF_WORD})?)"
    r"(?![ァ-ヴーぁ-ゖｦ-ﾟ])"
)


# -- romaji -------------------------------------------------------------------
#: One Hepburn-ish romaji word: (C)(y)V syllables, syllabic n, doubled consonants (Hattori).
_ROMAJI_WORD = regex.compile(
    r"(?:(?:sh|ch|ts|[kgnhbpmr]y|[kgsztdnhbpmrwyfj])?[aiueoāīūēō]h?"
    r"|n(?![aiueoy])|m(?=[bp])|([kgstdpbc])(?=\1)|t(?=ch))+"
)
_CAP = "[A-Z][a-z]{1,15}"
_UPPER = "[A-Z]{2,16}"
_R_BEFORE = "(?<![A-Za-z0-9@._/\\-])"
_R_AFTER = "(?![A-Za-z0-9@_])"
_R_NOT_ORG = (
    "(?![ ,.-]*(?i:" + "|".join(sorted(ROMAJI_ORG_WORDS, key=len, reverse=True)) + ")(?![A-Za-z]))"
)
_JA_HONORIFIC_AFTER = "(?=[ 　]?(?:様|さま|さん|氏|殿|君|くん|ちゃん|先生|先輩))"
_R_HONORIFIC = "(?:" + "|".join(ROMAJI_HONORIFICS) + ")"
_R_WORD = f"(?:{_CAP}|{_UPPER})"
#: A common surname, capitalised or upper-case (Sato, SATO).
_R_SURNAME = (
    "(?:"
    + "|".join(
        f"{w.capitalize()}|{w.upper()}" for w in sorted(ROMAJI_SURNAMES, key=len, reverse=True)
    )
    + ")"
)
#: Yamada-san, Hanako-chan (romaji honorific), Taro YAMADA様 / Sato様 (Japanese honorific;
#: one unknown word + 様 is more often a company: Toyota様, Hitachi様).
ROMAJI_HONORIFIC_REGEX = (
    rf"(?-i:{_R_BEFORE}(?:(?P<pii>{_R_WORD}(?: {_R_WORD})?)[- ]{_R_HONORIFIC}(?![A-Za-z])"
    rf"|(?P<pii>{_R_WORD} {_R_WORD}|{_R_SURNAME}){_JA_HONORIFIC_AFTER}))"
)
#: Taro YAMADA / YAMADA Taro: the upper-case family name of Japanese romaji style.
ROMAJI_UPPER_REGEX = (
    rf"(?-i:{_R_BEFORE}(?P<pii>{_CAP} {_UPPER}|{_UPPER} {_CAP}){_R_AFTER}{_R_NOT_ORG})"
)
#: YAMADA TARO / NGUYEN VAN AN (passport style): shape only unless labelled.
ROMAJI_ALLCAPS_REGEX = (
    rf"(?-i:{_R_BEFORE}(?P<pii>{_UPPER}(?: {_UPPER}){{1,2}}){_R_AFTER}{_R_NOT_ORG})"
)
#: Taro Yamada: counted only when one word is a common surname.
ROMAJI_CAP_REGEX = rf"(?-i:{_R_BEFORE}(?P<pii>{_CAP} {_CAP}){_R_AFTER}{_R_NOT_ORG})"


def is_romaji_name(value: str) -> bool:
    """Every word is romaji-shaped and none is a company/place word.

    >>> is_romaji_name("Taro YAMADA"), is_romaji_name("Apache Beam"), is_romaji_name("Hattori")
    (True, False, True)
    """
    words = value.lower().split()
    return bool(words) and all(
        _ROMAJI_WORD.fullmatch(w) and w not in ROMAJI_ORG_WORDS for w in words
    )


# -- labelled fields ---------------------------------------------------------------
#: The value of a 氏名/担当/宛先… field: a kanji, katakana, hiragana or half-width name.
_FIELD_VALUE = regex.compile(
    r"(?:[ 　\t]*[:：][ 　\t]*|[ 　\t]+)"
    r"(?P<v>[\p{Han}々ヶ]{1,4}(?:[ 　](?:[\p{Han}々ヶ]{1,4}|[ぁ-ゖー]{2,6}|[ァ-ヴー]{2,6}))?"
    r"|[ァ-ヴー]{1,8}(?:[ 　・][ァ-ヴー]{1,8}){1,3}|[ァ-ヴー]{2,8}"
    r"|[ぁ-ゖー]{2,8}(?:[ 　][ぁ-ゖー]{1,8})?"
    r"|[ｦ-ﾟ]{2,10}(?:[ 　･][ｦ-ﾟ]{1,10}){0,3})"
    r"(?=[ 　]*(?:$|\n|[様殿（(<＜、,，/／|｜]|さん|さま|くん|ちゃん|先生|氏))"
)
#: Labels whose value is a name and nothing else.
NAME_LABELS = frozenset("氏名 お名前 名前 姓名 申請人 申請者 渡航者 契約者 名義人".split())
_FOREIGN_KANA_NAME = regex.compile(r"[ァ-ヴー]{1,8}(?:[・ 　][ァ-ヴー]{1,8}){1,3}")
#: A given name Sudachi did not tag, between the name run and an honorific (翔琉様, 心愛 様).
_GIVEN_BEFORE_HONORIFIC = regex.compile(
    r"(?:(?P<spaced>[ 　][\p{Han}々]{1,3})|(?P<glued>[\p{Han}々]{1,2}))"
    r"(?=[ 　]?(?:様|さま|さん|氏|殿|君|くん|ちゃん|先生|先輩|と申し))"
)
#: Self-introduction after a name: 村上 翼と申します.
_INTRO_AFTER = regex.compile(r"[ 　]?(?:と申し|と言います|といいます)")
#: Chat/log line prefixes before a speaker name: "[10:02] 山口: …", "10:02 山口：".
_SPEAKER_PREFIX = regex.compile(
    r"[ \t　]*(?:[\[［(（]?[0-9０-９]{1,2}[:：][0-9０-９]{2}(?:[:：][0-9０-９]{2})?[\]］)）]?)?"
    r"[ \t　]*"
)


def _is_name(token: Token) -> bool:
    return token.tag_.startswith(NAME_TAG_PREFIX)


_SORTED_HONORIFICS = sorted(HONORIFICS, key=len, reverse=True)


def tags_end_with(doc: Doc, first: int, last: int, suffix: str) -> bool:
    """The last 人名 token of ``doc[first:last+1]`` is tagged …``suffix`` (姓 or 名)."""
    tags = [doc[j].tag_ for j in range(first, last + 1) if _is_name(doc[j])]
    return bool(tags) and tags[-1].endswith(suffix)


def _is_place_name_before_honorific(doc: Doc, i: int) -> bool:
    """原田様: a surname Sudachi read as a place, directly followed by an honorific;
    松本部長: the same before a title when GiNZA calls it a Person (not 横浜支店長)."""
    if not (
        doc[i].tag_.startswith(PLACE_TAG_PREFIX)
        and len(doc[i]) <= 4
        and i + 1 < len(doc)
        and not doc[i].whitespace_
    ):
        return False
    if doc[i + 1].text in HONORIFICS:
        return True
    end = doc[i].idx + len(doc[i])
    return doc[i].ent_type_ == "Person" and title_at(doc.text, end) is not None


_SORTED_TITLES = sorted(TITLES, key=len, reverse=True)
#: Kanji that start a title phrase (副社長, 元部長, 前社長, 新課長…), never end a name here.
_TITLE_PREFIXES = frozenset("副元前新現次総代故旧同")
#: Trailing words a name-field value may carry that are not the name.
_NOT_IN_FIELD_VALUE = sorted([*TITLES, *HONORIFICS, "印", "御中", "各位"], key=len, reverse=True)


def title_at(text: str, pos: int) -> str | None:
    """The longest title (部長, 代表取締役…) starting at ``pos``, after at most one space
    and one prefix kanji (副社長, 元部長)."""
    if text[pos : pos + 1] in (" ", "　"):
        pos += 1
    found = next((t for t in _SORTED_TITLES if text.startswith(t, pos)), None)
    if found is None and text[pos : pos + 1] in _TITLE_PREFIXES:
        found = next((t for t in _SORTED_TITLES if text.startswith(t, pos + 1)), None)
    return found


def _name_before_split_title(doc: Doc, i: int) -> int | None:
    """森部|長より: Sudachi read 森 + the 部 of 部長 as the place 森部. Returns the name's end.

    Only for tokens GiNZA calls a Person, so 阿部|長官 (token 阿部) is untouched.
    """
    token = doc[i]
    if (
        len(token) < 2
        or token.ent_type_ != "Person"
        or not token.tag_.startswith(PROPER_NOUN_TAG_PREFIX)
        or _is_name(token)
    ):
        return None
    end = token.idx + len(token) - 1
    title = title_at(doc.text, end)
    if title is None or len(title) < 2 or doc.text[end - 1] in " 　":
        return None
    return end


def _is_kana_proper(token: Token) -> bool:
    """あすか tagged 地名: a kana-only proper noun (a given name after 姓 + space)."""
    return (
        token.tag_.startswith(PROPER_NOUN_TAG_PREFIX)
        and _KANA_ONLY.fullmatch(token.text) is not None
    )


def _is_gap(token: Token) -> bool:
    """A single space between family and given name (U+3000 is its own token)."""
    return token.text in (" ", "　")


class JpPersonNameRecognizer(CharWindowPatternRecognizer):
    """Runs of Sudachi 人名 tokens with honorific/title/label cues; kana readings."""

    COUNTRY_CODE = "jp"
    ENTITY = "PERSON"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Name reading after フリガナ", READING_REGEX, 0.85),
        Pattern("Romaji name + honorific", ROMAJI_HONORIFIC_REGEX, 0.85),
        Pattern("Romaji name, upper-case family name", ROMAJI_UPPER_REGEX, 0.6),
        Pattern("Romaji name, common surname", ROMAJI_CAP_REGEX, 0.5),
        Pattern("Latin name in capitals", ROMAJI_ALLCAPS_REGEX, 0.6),
    ]
    #: English prose is full of Latin words: the honorific pattern needs a romaji or
    #: Japanese honorific right after a Latin letter.
    PATTERN_PREFILTERS: ClassVar[dict[str, str]] = {
        "Romaji name + honorific": (
            "[a-z][- ](?:" + "|".join(ROMAJI_HONORIFICS) + ")(?![a-z])"
            "|[a-z] ?(?:様|さま|さん|氏|殿|君|くん|ちゃん|先生|先輩)"
        ),
    }
    #: Field labels right before a romaji name (the kanji paths read labels from tokens).
    CONTEXT: ClassVar[list[str]] = [
        "氏名", "名前", "お名前", "担当", "宛先", "差出人", "申請者", "申請人", "送信者",
        "作成者", "渡航者", "搭乗者", "旅行者", "契約者", "名義", "ローマ字", "Name", "Contact",
        "Author", "Surname", "Given",
    ]
    CONTEXT_WINDOW: ClassVar[tuple[int, int]] = (12, 0)
    STRONG_SCORE: ClassVar[float] = 0.85
    FULL_NAME_SCORE: ClassVar[float] = 0.6
    WEAK_SCORE: ClassVar[float] = 0.3

    #: Latin candidates that only a field label may lift (Taro Arakawa, MARIA SANTOS).
    LABEL_ONLY_SCORE: ClassVar[float] = 0.1

    def score_match(self, value: str, score: float) -> float:
        """Latin candidates: romaji shape, common surnames, no company/place words."""
        if not value.isascii():
            return score  # kana readings
        words = value.split()
        if any(w.lower() in ROMAJI_ORG_WORDS for w in words):
            return 0.0
        romaji = is_romaji_name(value)
        if score >= self.STRONG_SCORE:
            return score if romaji else 0.0  # an honorific follows (Yamada-san, not Toyota様)
        if not romaji:
            return self.LABEL_ONLY_SCORE
        if any(w.lower() in ROMAJI_SURNAMES for w in words):
            return score
        # Taro Yamada-shaped pairs are everywhere (place and product names): label
        # only; an upper-case family name (Kenji ARAKAWA) still counts as a shape.
        if all(w[1:].islower() for w in words):
            return self.LABEL_ONLY_SCORE
        return min(score, self.WEAK_SCORE)

    def score_without_context(self, value: str, score: float) -> float:
        """Without a field label, label-only Latin candidates are dropped."""
        return 0.0 if score <= self.LABEL_ONLY_SCORE else score

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Reading pattern, then name runs over the NLP tokens (if any)."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        doc = getattr(nlp_artifacts, "tokens", None) if nlp_artifacts else None
        if doc is not None and len(doc):
            results.extend(self._name_runs(text, doc))
            results.extend(self._field_values(text, doc))
        deduped = EntityRecognizer.remove_duplicates(results)
        return sorted(deduped, key=lambda r: (r.start, r.end, -r.score))

    # -- labelled fields -----------------------------------------------------

    def _field_values(self, text: str, doc: Doc) -> list[RecognizerResult]:
        """氏名：東海林 翔琉 / お名前：さくら: the whole value of a name field.

        Sudachi may tag only part of an unusual name (翔 of 翔琉); the field gives
        the span. The value must hold a proper noun (or a GiNZA Person token) and
        no organisation, department or title word (担当：未定, 宛先：総務部 御中).
        """
        results = []
        for index in word_positions(doc, LABELS):
            token = doc[index]
            m = _FIELD_VALUE.match(text, token.idx + len(token))
            if m is None:
                continue
            start, end = m.span("v")
            parts = regex.split(r"[ 　]", text[start:end], maxsplit=1)
            head = doc.char_span(start, start + len(parts[0]), alignment_mode="expand")
            if (
                len(parts) == 2
                and parts[0].endswith(DEPARTMENT_SUFFIXES)
                and head is not None
                and not any(t.tag_.startswith(PROPER_NOUN_TAG_PREFIX) for t in head)
            ):
                start += len(parts[0]) + 1  # 担当：人事部 伊藤 (not 氏名：阿部 太郎)
            for word in _NOT_IN_FIELD_VALUE:
                if text.endswith(word, start, end) and end - len(word) > start:
                    end -= len(word)  # 承認者：松本部長, お客様：青木浩 様, 代表 山口亮介　印
                    while text[end - 1] in " 　":
                        end -= 1
                    break
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            # 氏名：リ・ウェイ: a foreign name in katakana parts needs no dictionary entry.
            foreign = token.text in NAME_LABELS and _FOREIGN_KANA_NAME.fullmatch(text, start, end)
            if not self._is_name_value(span, end, require_proper=not foreign):
                continue
            results.append(self._result(start, end, self.STRONG_SCORE, "value of a name field"))
        return results

    @staticmethod
    def _is_name_value(span: Span, end: int, require_proper: bool = True) -> bool:
        """Proper noun inside, no organisation/title/label/department token (森部|長 is
        a place token cut by the value's end, not a department)."""
        tokens = [t for t in span if t.text.strip()]
        if not tokens or tokens[0].text in ORG_PREFIXES:
            return False
        for t in tokens:
            if (
                is_org_word(t.text)
                or t.text.endswith(ORG_LONG)
                or "Organization" in t.ent_type_
                or t.text in TITLES
                or t.text.lower() in LABELS
                or t.ent_type_ in NON_PERSON_ENE
                or (
                    t.text.endswith(DEPARTMENT_SUFFIXES)
                    and not t.tag_.startswith(PROPER_NOUN_TAG_PREFIX)
                    and t.idx + len(t) <= end
                )
            ):
                return False
        return not require_proper or any(
            t.tag_.startswith(PROPER_NOUN_TAG_PREFIX) or t.ent_type_ == "Person" for t in tokens
        )

    # -- token runs ----------------------------------------------------------

    def _name_runs(self, text: str, doc: Doc) -> list[RecognizerResult]:
        results = []
        n = len(doc)
        i = 0
        # Every run starts on a proper noun (人名, 地名 before 様, GiNZA Person + title).
        for candidate in tag_positions(doc, PROPER_NOUN_TAG_PREFIX):
            if candidate < i:
                continue
            i = candidate
            if _is_place_name_before_honorific(doc, i):
                results.extend(self._score_run(text, doc, i, i) or [])
                i += 1
                continue
            split = _name_before_split_title(doc, i)
            if split is not None:
                results.append(self._result(doc[i].idx, split, self.STRONG_SCORE, "name + title"))
                i += 1
                continue
            if not _is_name(doc[i]):
                i += 1
                continue
            last = i
            k = i + 1
            while k < n and last - i < 4:
                if _is_name(doc[k]):
                    last = k
                    k += 1
                elif _is_gap(doc[k]) and k + 1 < n and _is_name(doc[k + 1]):
                    k += 1
                elif (
                    _is_gap(doc[k])
                    and k + 1 < n
                    and doc[last].tag_.endswith("姓")
                    and _is_kana_proper(doc[k + 1])
                ):
                    last = k + 1
                    break
                else:
                    break
            result = self._score_run(text, doc, i, last)
            if result is not None:
                results.extend(result)
            i = last + 1
        return self._propagate(text, results)

    def _propagate(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """A lone 中村 is the 中村 大輔 named with confidence elsewhere in the same text."""
        known: set[str] = set()
        for r in results:
            if r.score >= self.FULL_NAME_SCORE:
                known.update(regex.split(r"[ 　・]", text[r.start : r.end]))
                known.add(text[r.start : r.end])
        for r in results:
            if r.score < self.FULL_NAME_SCORE and text[r.start : r.end] in known:
                r.score = self.FULL_NAME_SCORE
                if r.analysis_explanation is not None:
                    r.analysis_explanation.append_textual_explanation_line(
                        "same name found with higher confidence in this text"
                    )
        return results

    def _score_run(
        self, text: str, doc: Doc, first: int, last: int
    ) -> list[RecognizerResult] | None:
        start = doc[first].idx
        # 前田 悠人: Sudachi tags 人 as a suffix; it is the end of the given name.
        if (
            last + 1 < len(doc)
            and not doc[last].whitespace_
            and doc[last + 1].tag_.startswith("接尾辞")
            and doc[last + 1].text in NAME_FINAL_KANJI
            and doc[last].tag_.endswith("名")
        ):
            last += 1
        end = doc[last].idx + len(doc[last])
        if "\n" in text[start:end] or len(doc[last].whitespace_) > 1:
            return None
        nxt = self._next_content(doc, last)
        prev = self._prev_content(doc, first)
        next_text = nxt.text if nxt is not None else ""
        directly_next = doc[last + 1] if last + 1 < len(doc) else None

        # 山田商事, 松本駅, 株式会社山田: organisations and places, not people.
        attached = directly_next is not None and not doc[last].whitespace_
        if attached and next_text not in TITLES and is_org_word(directly_next.text):
            return None
        if prev is not None and prev.text in ORG_PREFIXES and first - prev.i <= 1:
            return None

        # 山田翔琉様: an unknown given name glued to the honorific ("琉様").
        if attached and directly_next is not None:
            for h in HONORIFICS:
                stem = directly_next.text[: -len(h)]
                if directly_next.text.endswith(h) and stem and _KANJI_NAME.fullmatch(stem):
                    end = directly_next.idx + len(stem)
                    next_text = h
                    break

        # 東海林 翔琉様 / 五十嵐 心愛さん: a given name Sudachi left untagged before an honorific.
        g = _GIVEN_BEFORE_HONORIFIC.match(text, end)
        if (
            g is None
            and not doc[last].whitespace_
            and tags_end_with(doc, first, last, "名")
            and title_at(text, end) is None
            and text[end : end + 1] not in _TITLE_PREFIXES
        ):
            # 木村太|一部長: one kanji of the given name glued to a title (not 山田|副社長).
            title = title_at(text, end + 1) if text[end : end + 1] not in (" ", "　") else None
            if title and regex.fullmatch(r"[\p{Han}々]", text[end : end + 1]):
                end += 1
                next_text = title
        if g is not None and next_text not in HONORIFICS:
            given = (g.group("spaced") or g.group("glued")).strip(" 　")
            lone_surname = tags_end_with(doc, first, last, "姓")
            if (
                given not in TITLES
                and not is_org_word(given)
                and ((g.group("spaced") and lone_surname) or g.group("glued"))
            ):
                end = g.end()
                rest = text[end:].lstrip(" 　")
                next_text = next((h for h in _SORTED_HONORIFICS if rest.startswith(h)), "")

        honorific = (
            next_text in HONORIFICS
            or next_text in TITLES
            or title_at(text, end) is not None
            or _INTRO_AFTER.match(text, end) is not None
        )
        # チャット「田中：了解です」「[10:02] 山口: …」: a name opening a line, then a colon.
        line_start = text.rfind("\n", 0, start) + 1
        speaker = (
            _SPEAKER_PREFIX.fullmatch(text, line_start, start) is not None
            and next_text in (":", "：")
        )
        label = (
            prev is not None
            and prev.text.lower() in LABELS
            and self._same_line(text, prev, start)
        )
        label = label or speaker or self._after_department(doc, first)
        tags = [doc[j].tag_ for j in range(first, last + 1) if _is_name(doc[j])]
        full_name = bool(tags) and any(t.endswith("姓") for t in tags) and tags[-1].endswith("名")
        full_name = full_name or (bool(tags) and first < last and _is_kana_proper(doc[last]))
        non_person = any(doc[j].ent_type_ in NON_PERSON_ENE for j in range(first, last + 1))

        if not _HAS_NON_ASCII.search(fold_width(text[start:end])) and not (honorific or label):
            return None  # romaji tagged 人名 inside e-mail addresses, URLs, code
        if honorific or label:
            score = self.STRONG_SCORE
        elif non_person:
            return None
        elif full_name:
            score = self.FULL_NAME_SCORE
        else:
            score = self.WEAK_SCORE
        found = [self._result(start, end, score, "Sudachi 人名 tokens")]

        # 小野寺 美穂子（オノデラ ミホコ）: the reading right after the name.
        after = end + len(next_text) if honorific and text.startswith(next_text, end) else end
        m = _READING_AFTER.match(text, end) or _READING_AFTER.match(text, after)
        if m is not None:
            reading = self._result(m.start("pii"), m.end("pii"), score, "reading after name")
            found.append(reading)
        return found

    @staticmethod
    def _next_content(doc: Doc, last: int) -> Token | None:
        """Next token, skipping a single space token."""
        j = last + 1
        if j < len(doc) and _is_gap(doc[j]):
            j += 1
        return doc[j] if j < len(doc) else None

    @staticmethod
    def _prev_content(doc: Doc, first: int) -> Token | None:
        """Previous token, skipping punctuation such as ： and spaces (max 3)."""
        j = first - 1
        skipped = 0
        while j >= 0 and doc[j].tag_.startswith(_PUNCT_TAGS) and skipped < 3:
            j -= 1
            skipped += 1
        return doc[j] if j >= 0 else None

    @staticmethod
    def _after_department(doc: Doc, first: int) -> bool:
        """開発部の中村 / 営業部の菊地 / 人事部 伊藤: a department, の or a space, the name."""
        return (
            first >= 2
            and (doc[first - 1].text == "の" or _is_gap(doc[first - 1]))
            and doc[first - 2].text.endswith(DEPARTMENT_SUFFIXES)
            and not doc[first - 2].tag_.startswith(PROPER_NOUN_TAG_PREFIX)
        ) or (
            first >= 1
            and doc[first - 1].whitespace_ == " "
            and doc[first - 1].text.endswith(DEPARTMENT_SUFFIXES)
            and not doc[first - 1].tag_.startswith(PROPER_NOUN_TAG_PREFIX)
        )

    @staticmethod
    def _same_line(text: str, prev: Token, start: int) -> bool:
        return "\n" not in text[prev.idx + len(prev) : start]

    def _result(self, start: int, end: int, score: float, why: str) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=start,
            end=end,
            score=score,
            analysis_explanation=AnalysisExplanation(
                recognizer=self.name, original_score=score, textual_explanation=why
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
            },
        )
