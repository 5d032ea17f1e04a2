"""The one place where Japanese recognizers are registered.

Adding a recognizer = one import and one line in :func:`japanese_recognizers`;
``detect.build_detector`` and any YAML/registry tooling read this list.

``extra_context`` (entity -> keywords a compliance officer lists in the policy)
adds words to the keyword window of every recognizer of that entity.

>>> for entity in sorted({e for r in japanese_recognizers() for e in r.supported_entities}):
...     print(entity)
CONFIDENTIAL
CREDIT_CARD
DATE_OF_BIRTH
EMAIL_ADDRESS
IP_ADDRESS
JP_ADDRESS
JP_BANK_ACCOUNT
JP_BASIC_PENSION_NUMBER
JP_CORPORATE_NUMBER
JP_DRIVERS_LICENSE
JP_EMPLOYMENT_INSURANCE_NUMBER
JP_HEALTH_INSURANCE
JP_INVOICE_NUMBER
JP_MY_NUMBER
JP_PASSPORT
JP_POSTAL_CODE
JP_RESIDENCE_CARD
JP_RESIDENT_CODE
LOCATION
PERSON
PHONE_NUMBER
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from presidio_analyzer import EntityRecognizer

from .confidential_marker_recognizer import ConfidentialMarkerRecognizer
from .context_window import CharWindowPatternRecognizer
from .country_specific.japan.jp_address_recognizer import JpAddressRecognizer
from .country_specific.japan.jp_bank_account_recognizer import JpBankAccountRecognizer
from .country_specific.japan.jp_basic_pension_number_recognizer import (
    JpBasicPensionNumberRecognizer,
)
from .country_specific.japan.jp_corporate_number_recognizer import JpCorporateNumberRecognizer
from .country_specific.japan.jp_date_of_birth_recognizer import JpDateOfBirthRecognizer
from .country_specific.japan.jp_drivers_license_recognizer import JpDriversLicenseRecognizer
from .country_specific.japan.jp_employment_insurance_number_recognizer import (
    JpEmploymentInsuranceNumberRecognizer,
)
from .country_specific.japan.jp_health_insurance_recognizer import JpHealthInsuranceRecognizer
from .country_specific.japan.jp_invoice_number_recognizer import JpInvoiceNumberRecognizer
from .country_specific.japan.jp_my_number_recognizer import JpMyNumberRecognizer
from .country_specific.japan.jp_passport_recognizer import JpPassportRecognizer
from .country_specific.japan.jp_person_name_recognizer import JpPersonNameRecognizer
from .country_specific.japan.jp_phone_recognizer import JpPhoneRecognizer
from .country_specific.japan.jp_postal_code_recognizer import JpPostalCodeRecognizer
from .country_specific.japan.jp_residence_card_recognizer import JpResidenceCardRecognizer
from .country_specific.japan.jp_resident_code_recognizer import JpResidentCodeRecognizer
from .generic.credit_card_recognizer import JaCreditCardRecognizer
from .generic.email_recognizer import JaEmailRecognizer
from .generic.intl_phone_recognizer import IntlPhoneRecognizer
from .generic.ip_recognizer import JaIpRecognizer
from .generic.latin_name_recognizer import LatinNameRecognizer
from .ginza_recognizer import GinzaRecognizer

LANGUAGE = "ja"


def japanese_recognizers(
    ner: bool = True, extra_context: Mapping[str, Sequence[str]] | None = None
) -> list[EntityRecognizer]:
    """Fresh instances of every recognizer for language ``ja``.

    ``ner=False`` leaves out the GiNZA NER recognizer (for an engine without NER).
    ``extra_context`` maps an entity to extra keywords for the character window
    of each pattern recognizer of that entity (GiNZA NER has no window). An
    entity no recognizer emits, or a bare string instead of a list of words,
    raises, so a typo in a policy is never silently ignored.
    """
    extra = _check_extra_context(extra_context)

    def make(cls: type[CharWindowPatternRecognizer], **kwargs) -> CharWindowPatternRecognizer:
        words = extra.get(cls.ENTITY)
        if words:
            kwargs["context"] = [*cls.CONTEXT, *words]
        return cls(supported_language=LANGUAGE, **kwargs)

    recognizers: list[EntityRecognizer] = [
        make(JaEmailRecognizer),
        make(JpPhoneRecognizer),
        make(IntlPhoneRecognizer),
        make(JpMyNumberRecognizer),
        make(JpPostalCodeRecognizer),
        make(JpAddressRecognizer),
        make(JpPersonNameRecognizer),
        make(LatinNameRecognizer),
        make(JpCorporateNumberRecognizer),
        make(JpInvoiceNumberRecognizer),
        make(JpPassportRecognizer),
        make(JpDriversLicenseRecognizer),
        make(JpResidenceCardRecognizer),
        make(JpBasicPensionNumberRecognizer),
        make(JpEmploymentInsuranceNumberRecognizer),
        make(JpHealthInsuranceRecognizer),
        make(JpResidentCodeRecognizer),
        make(JpBankAccountRecognizer),
        make(JaIpRecognizer),
        make(JaCreditCardRecognizer),
        make(JpDateOfBirthRecognizer),
        make(ConfidentialMarkerRecognizer),
    ]
    ginza = GinzaRecognizer(supported_language=LANGUAGE)
    known = {e for r in [*recognizers, ginza] for e in r.supported_entities}
    unknown = sorted(set(extra) - known)
    if unknown:
        raise ValueError(f"extra_context names entities no recognizer emits: {unknown}")
    if ner:
        recognizers.append(ginza)
    return recognizers


def ner_recognizers(
    extra_context: Mapping[str, Sequence[str]] | None = None,
) -> list[EntityRecognizer]:
    """The recognizers of the NER pass: GiNZA's entities and the name recognizer,
    which also reads GiNZA's labels (a surname inside a Company entity is no person).
    """
    extra = _check_extra_context(extra_context)
    words = extra.get(JpPersonNameRecognizer.ENTITY)
    person = JpPersonNameRecognizer(
        supported_language=LANGUAGE,
        **({"context": [*JpPersonNameRecognizer.CONTEXT, *words]} if words else {}))
    return [person, GinzaRecognizer(supported_language=LANGUAGE)]


def _check_extra_context(
    extra_context: Mapping[str, Sequence[str]] | None,
) -> dict[str, list[str]]:
    """Copy of ``extra_context`` with words as lists; a bare string is an error."""
    checked: dict[str, list[str]] = {}
    for entity, words in (extra_context or {}).items():
        if isinstance(words, str) or not all(isinstance(w, str) for w in words):
            raise TypeError(f"extra_context[{entity!r}] must be a list of strings")
        checked[entity] = [w for w in words if w.strip()]
    return checked
