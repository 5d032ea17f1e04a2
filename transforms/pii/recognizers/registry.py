"""The one place where Japanese recognizers are registered.

Adding a recognizer = one import and one line in :func:`japanese_recognizers`;
``detect.build_analyzer`` and any YAML/registry tooling read this list.

>>> for entity in sorted({e for r in japanese_recognizers() for e in r.supported_entities}):
...     print(entity)
EMAIL_ADDRESS
JP_ADDRESS
JP_MY_NUMBER
JP_POSTAL_CODE
LOCATION
PERSON
PHONE_NUMBER
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from .country_specific.japan.jp_address_recognizer import JpAddressRecognizer
from .country_specific.japan.jp_my_number_recognizer import JpMyNumberRecognizer
from .country_specific.japan.jp_person_name_recognizer import JpPersonNameRecognizer
from .country_specific.japan.jp_phone_recognizer import JpPhoneRecognizer
from .country_specific.japan.jp_postal_code_recognizer import JpPostalCodeRecognizer
from .generic.email_recognizer import JaEmailRecognizer
from .generic.intl_phone_recognizer import IntlPhoneRecognizer
from .generic.latin_name_recognizer import LatinNameRecognizer
from .ginza_recognizer import GinzaRecognizer

LANGUAGE = "ja"


def japanese_recognizers(ner: bool = True) -> list[EntityRecognizer]:
    """Fresh instances of every recognizer for language ``ja``.

    ``ner=False`` leaves out the GiNZA NER recognizer (for an engine without NER).
    """
    recognizers: list[EntityRecognizer] = [
        JaEmailRecognizer(supported_language=LANGUAGE),
        JpPhoneRecognizer(supported_language=LANGUAGE),
        IntlPhoneRecognizer(supported_language=LANGUAGE),
        JpMyNumberRecognizer(supported_language=LANGUAGE),
        JpPostalCodeRecognizer(supported_language=LANGUAGE),
        JpAddressRecognizer(supported_language=LANGUAGE),
        JpPersonNameRecognizer(supported_language=LANGUAGE),
        LatinNameRecognizer(supported_language=LANGUAGE),
    ]
    if ner:
        recognizers.append(GinzaRecognizer(supported_language=LANGUAGE))
    return recognizers
