"""Generate the SYNTHETIC example review shipped in ``data/raw/``.

    python scripts/make_example_review.py --out DIR      (make example)

writes ``DIR/data/raw/`` of a made-up systematic review whose aggregate figures equal those published
in a real review of influences on implementing mental health peer support work (the seed in
``shared/seeds``); the figures, each with the seed's sentence it comes from, are in
``seed_figures.yaml``. No record is a real publication: titles, authors, abstracts, identifiers and
DOIs (all under the test prefix 10.5555) are invented. Journal names and ISSNs are real so that the
exports look like what the databases give.

Everything is drawn from ``random.Random`` instances seeded from ``--seed`` and a component name, so
two runs write byte-identical files. What the generator plans is asserted before anything is
written; it never grades, rolls up or rounds (that is evsynth's work, which the tests check
against ``seed_figures.yaml``).

One module per part of the review: ``searches`` (databases, identifiers, the export files) with
``publications``, ``duplicates`` and ``exports`` (how each database writes a record), ``screening``,
``full_text``, ``extraction`` (the included studies), ``quality`` (CASP answers), ``coding``
(codebook, themes, extracts) and ``measure``; ``example`` puts them together. Words and names are
data files in ``data/`` (``vocabulary``).

``build_example()`` returns the truth (each exported record's file, position and true publication;
the included studies; every table) without touching the disk. Screening tables are keyed to
``cluster_id``s, which depend on the ``record_id``s that ``evsynth.ingest`` assigns, so they are made
after the exports are written and read back (``write_example``).
"""

from .example import DEFAULT_SEED, Example, build_example, summary, write_example

__all__ = ["DEFAULT_SEED", "Example", "build_example", "summary", "write_example"]
