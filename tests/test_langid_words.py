"""Word-frequency evidence for short Latin-script text (transforms/langid/words.py).

The UI strings here are in neither the test set nor the development set; lid.176
alone gets each of the first five wrong.
"""

from __future__ import annotations

import numpy as np
import pytest

from kiyome.transforms.langid import identify, lid176, load_model, words
from kiyome.transforms.langid.decide import PLAUSIBLE, SHORT_CAP, with_word_evidence
from tests.child import python_output

NON_LATIN = {"ja", "zh", "ko", "ru", "uk", "th", "ar", "hi", "he", "el"}


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.mark.parametrize(("text", "lang"), [
    ("Annulla", "it"), ("Scarica", "it"), ("Guardar cambios", "es"), ("Spara som", "sv"),
    ("Lưu tệp", "vi"),
    ("Herunterladen", "de"), ("Télécharger", "fr"), ("Transferir arquivo", "pt"),
    ("Opslaan als", "nl"), ("Zapisz jako", "pl"), ("Save as", "en"),
])
def test_short_ui_strings_get_their_language(model, text, lang):
    decision = identify(model, text)
    assert decision.lang == lang
    assert 0 < decision.score <= SHORT_CAP["words"]


def test_lid176_alone_misses_the_first_five(model):
    """The cases above are ones the word evidence decides, not ones lid.176 already gets."""
    misses = [("Annulla", "it"), ("Scarica", "it"), ("Guardar cambios", "es"),
              ("Spara som", "sv"), ("Lưu tệp", "vi")]
    assert all(lid176(model, text)[0] != lang for text, lang in misses)


def test_every_latin_script_plausible_language_has_a_list():
    assert set(words.LANGS) == PLAUSIBLE - NON_LATIN
    assert len(words.table().alphabets) == len(words.LANGS)


def test_evidence_prefers_the_language_that_writes_the_word():
    for text, lang in [("Speichern", "de"), ("Enregistrer", "fr"), ("Annulla", "it"),
                       ("Baixar", "pt"), ("Descargar", "es")]:
        scores = words.evidence(text)
        assert max(scores, key=scores.get) == lang, text


def test_a_word_no_list_has_gives_no_language_an_edge():
    scores = words.evidence("Zqxwvk")
    assert len(set(scores.values())) == 1


def test_alphabets_come_out_of_the_lists():
    alphabets = words.table().alphabets
    assert "ñ" in alphabets["es"] and "ñ" not in alphabets["pt"]
    assert "ã" in alphabets["pt"] and "ã" not in alphabets["es"]
    assert "ç" in alphabets["fr"] and "ç" not in alphabets["it"]
    assert "ą" in alphabets["pl"] and "ř" in alphabets["cs"] and "ơ" in alphabets["vi"]
    assert not alphabets["en"]


def test_a_letter_outside_an_alphabet_counts_against_the_language():
    scores = words.evidence("Zqxwvã")  # in no list: only the letter speaks
    assert scores["pt"] > scores["es"] and scores["pt"] > scores["en"]
    assert scores["pt"] - scores["es"] == pytest.approx(words.ALIEN_CB / 100 * np.log(10))


def test_word_evidence_answers_only_latin_script_languages():
    probs = with_word_evidence({"ru": 0.6, "en": 0.3, "de": 0.1}, "Speichern")
    assert set(probs) == set(words.LANGS)
    assert sum(probs.values()) == pytest.approx(1.0)
    assert max(probs, key=probs.get) == "de"


def test_table_is_compact_and_sorted():
    table = words.table()
    assert table.keys.nbytes + table.centibels.nbytes < 10 * 2**20
    assert len(table.keys) > 500_000
    assert np.all(table.keys[1:] >= table.keys[:-1])


def test_lists_load_only_for_short_latin_script_text():
    """A worker that sees only kana, Cyrillic or long documents never loads wordfreq; short
    kanji-only text loads only the Japanese and Chinese lists (hanzi.py), not the 20 others."""
    code = (
        "import sys\n"
        "from kiyome.transforms.langid import identify, load_model, words, hanzi\n"
        "m = load_model()\n"
        "identify(m, '来週の定例会議は第二会議室で行います。'); identify(m, 'Ввод данных')\n"
        "identify(m, 'The shipment leaves the warehouse on Monday morning. ' * 6)\n"
        "print('wordfreq' in sys.modules)\n"
        "identify(m, '议事录')\n"
        "print(hanzi.lexicons.cache_info().currsize, words.table.cache_info().currsize)\n"
        "identify(m, 'Speichern unter')\n"
        "print(words.table.cache_info().currsize)\n")
    assert python_output(code).split() == ["False", "1", "0", "1"]
