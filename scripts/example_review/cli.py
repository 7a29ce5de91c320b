"""The command: ``python scripts/make_example_review.py --out DIR`` (what ``make example`` runs)."""

from __future__ import annotations

import argparse

from . import __doc__ as PACKAGE_DOC
from .example import DEFAULT_SEED, build_example, summary, write_example


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make_example_review.py", description=PACKAGE_DOC.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="review directory; data/raw/ is written under it")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if not __debug__:
        parser.error("the generator checks what it builds with assert statements: run without python -O")
    example = build_example(args.seed)
    write_example(example, args.out)
    print(summary(example))
    return 0
