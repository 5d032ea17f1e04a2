"""Japanese Presidio recognizers (layout mirrors presidio's predefined_recognizers).

``generic/`` holds language-agnostic ones adapted to Japanese text,
``country_specific/japan/`` the ``Jp*`` recognizers (``COUNTRY_CODE = "jp"``);
``registry.japanese_recognizers()`` is the single list the analyzer uses.
"""

import os

# Presidio imports tldextract, which fetches the public suffix list on first use
# unless this is set before the import (offline CI, corporate networks).
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
