"""``python -m bench``: the whole benchmark suite (see bench/run.py)."""

import os
import sys

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from bench.run import main

sys.exit(main())
