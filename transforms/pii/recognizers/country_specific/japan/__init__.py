"""Japan-specific recognizers (``COUNTRY_CODE = "jp"``)."""

from .jp_address_recognizer import JpAddressRecognizer
from .jp_my_number_recognizer import JpMyNumberRecognizer
from .jp_person_name_recognizer import JpPersonNameRecognizer
from .jp_phone_recognizer import JpPhoneRecognizer
from .jp_postal_code_recognizer import JpPostalCodeRecognizer

__all__ = [
    "JpAddressRecognizer",
    "JpMyNumberRecognizer",
    "JpPersonNameRecognizer",
    "JpPhoneRecognizer",
    "JpPostalCodeRecognizer",
]
