#!/usr/bin/env python3
"""Regenerate the SYNTHETIC example review: ``python scripts/make_example_review.py --out DIR``.

The generator is the package ``scripts/example_review/``; this file only runs it (its name is the
command that ``data/raw/README.md`` and ``proquest.bib`` give, which stay byte for byte as written).
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # so that `python scripts/make_example_review.py` finds both packages
    sys.path.insert(0, str(REPO))

from scripts.example_review.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
