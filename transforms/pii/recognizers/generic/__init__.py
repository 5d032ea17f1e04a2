"""Language-agnostic recognizers rewritten to behave next to kana/kanji."""

from .email_recognizer import JaEmailRecognizer
from .intl_phone_recognizer import IntlPhoneRecognizer
from .latin_name_recognizer import LatinNameRecognizer

__all__ = ["IntlPhoneRecognizer", "JaEmailRecognizer", "LatinNameRecognizer"]
