"""A Presidio ``NlpEngine`` that tokenizes with SudachiPy directly: GiNZA's tokens at 6x the speed.

The pattern and name recognizers need Sudachi's tokens and part-of-speech tags
(``名詞-固有名詞-人名-姓``), not GiNZA's neural components. Going through spaCy's
Japanese tokenizer costs about 4x Sudachi itself: it re-splits every token in
modes A and B, builds morphology and scans the text once per token to align
spaces. This engine asks Sudachi (split mode C, ``sudachidict-core``) once and
builds the same spaCy ``Doc`` from the morphemes' own offsets: same words, same
tags, same spaces and gap tokens as ``ja_ginza``'s tokenizer, no entities.

Space handling follows spaCy's ``get_dtokens_and_spaces``: one ASCII space
after a word becomes that word's trailing whitespace, any other run of
whitespace is one ``空白`` token:

>>> engine = SudachiNlpEngine()
>>> engine.load()
>>> doc = engine.doc("担当 山田太郎様\\u3000TEL  03")
>>> for token in doc:
...     print(repr(token.text), token.tag_, repr(token.whitespace_))
'担当' 名詞-普通名詞-サ変可能 ' '
'山田' 名詞-固有名詞-人名-姓 ''
'太郎' 名詞-固有名詞-人名-名 ''
'様' 接尾辞-名詞的-一般 ''
'\\u3000' 空白 ''
'TEL' 名詞-普通名詞-サ変可能 ' '
' ' 空白 ''
'03' 名詞-数詞 ''

A spaCy vocab keeps every word it has seen (phone numbers and IDs included),
so over a large corpus it only grows; past ``MAX_LEXEMES`` the engine starts a
fresh one (documents already built keep theirs) and memory per worker stays flat.

Sudachi's tokenizer is not thread-safe (Beam runs several bundles per process on
threads), so each thread gets its own tokenizer over one shared dictionary.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

import spacy
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
from spacy.attrs import IDX
from spacy.tokens import Doc

LANGUAGE = "ja"
#: spaCy's tag for whitespace tokens (``spacy.lang.ja``).
GAP_TAG = "空白"
#: Words a vocab may hold before it is replaced by a fresh one (~100 MB).
MAX_LEXEMES = 200_000


class SudachiNlpEngine(NlpEngine):
    """Sudachi tokens as a spaCy ``Doc`` for Presidio; no NER, no lemmas-as-keywords.

    ``NlpArtifacts.lemmas`` stays empty: every Kiyome recognizer scores its own
    keyword window, so Presidio's lemma-based context enhancement has nothing to do.
    """

    def __init__(self, dictionary: str = "core") -> None:
        self.dictionary_name = dictionary
        self._dictionary = None
        self._local = threading.local()
        self.vocab = None
        #: Sudachi part-of-speech id -> spaCy tag string (GiNZA's "名詞-固有名詞-人名-姓").
        self._tags: dict[int, str] = {}

    # -- NlpEngine -------------------------------------------------------------

    def load(self) -> None:
        """Open the Sudachi dictionary (memory-mapped, shared) and a blank ``ja`` vocab."""
        from sudachipy import Dictionary

        self._dictionary = Dictionary(dict=self.dictionary_name)
        self.vocab = self._fresh_vocab()

    @staticmethod
    def _fresh_vocab():
        return spacy.blank(LANGUAGE, config={
            "nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}}).vocab

    @property
    def dictionary(self):
        """The loaded Sudachi dictionary (shared with the ``n_tokens`` counter)."""
        return self._dictionary

    def is_loaded(self) -> bool:
        return self._dictionary is not None

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        return self.artifacts(self.doc(text))

    def process_batch(
        self, texts: Iterable[str], language: str, batch_size: int = 1, n_process: int = 1,
        as_tuples: bool = False,
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        if as_tuples:
            raise NotImplementedError("as_tuples is not supported")
        for text in texts:
            yield text, self.process_text(text, language)

    def is_stopword(self, word: str, language: str) -> bool:
        return False

    def is_punct(self, word: str, language: str) -> bool:
        return self.vocab[word].is_punct

    def get_supported_entities(self) -> list[str]:
        return []

    def get_supported_languages(self) -> list[str]:
        return [LANGUAGE]

    # -- tokens ------------------------------------------------------------------

    def _tokenizer(self):
        tokenizer = getattr(self._local, "tokenizer", None)
        if tokenizer is None:
            from sudachipy import SplitMode

            if self._dictionary is None:
                raise ValueError("NLP engine is not loaded. Consider calling .load()")
            tokenizer = self._local.tokenizer = self._dictionary.create(SplitMode.C)
        return tokenizer

    def doc(self, text: str) -> Doc:
        """The spaCy ``Doc`` GiNZA's tokenizer would build for ``text``, minus NER."""
        words: list[str] = []
        tags: list[str] = []
        spaces: list[bool] = []
        tag_of = self._tags
        pos = 0  # end of the last word or gap token taken
        morphemes = self._tokenizer().tokenize(text)
        for morpheme in morphemes:
            begin, end = morpheme.begin(), morpheme.end()
            surface = text[begin:end]
            if not surface or surface.isspace():
                continue  # whitespace is read from the text between words
            if begin > pos:
                _take_gap(text[pos:begin], words, tags, spaces)
            words.append(surface)
            pos_id = morpheme.part_of_speech_id()
            tag = tag_of.get(pos_id)
            if tag is None:
                tag = tag_of[pos_id] = "-".join(
                    p for p in morpheme.part_of_speech()[:4] if p != "*")
            tags.append(tag)
            spaces.append(False)
            pos = end
        if pos < len(text):
            _take_gap(text[pos:], words, tags, spaces)
        vocab = self.vocab
        if len(vocab) > MAX_LEXEMES:
            vocab = self.vocab = self._fresh_vocab()
        doc = Doc(vocab, words=words, spaces=spaces, tags=tags)
        # Sudachi's own morpheme count (spaces included): the shard's n_tokens.
        doc.user_data["sudachi_morphemes"] = len(morphemes)
        return doc

    def artifacts(self, doc: Doc) -> NlpArtifacts:
        """Presidio's view of ``doc``: tokens and offsets; no entities, no keywords."""
        return NlpArtifacts(
            entities=[], tokens=doc, tokens_indices=doc.to_array(IDX).tolist(), lemmas=[],
            nlp_engine=self, language=LANGUAGE,
        )

    def empty_artifacts(self) -> NlpArtifacts:
        """Artifacts without tokens, for requests no token-reading recognizer serves."""
        return NlpArtifacts(entities=[], tokens=None, tokens_indices=[], lemmas=[],
                            nlp_engine=self, language=LANGUAGE)


def _take_gap(gap: str, words: list[str], tags: list[str], spaces: list[bool]) -> None:
    """Whitespace between words: one leading ASCII space becomes the previous word's
    trailing space, the rest one ``空白`` token (spaCy's ``get_dtokens_and_spaces``)."""
    if gap[0] == " " and words and not spaces[-1] and tags[-1] != GAP_TAG:
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        words.append(gap)
        tags.append(GAP_TAG)
        spaces.append(False)
