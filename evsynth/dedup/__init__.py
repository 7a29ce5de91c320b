"""Deduplication: link the records of several search exports into clusters of the same work.

Records are linked, never deleted: every exported record keeps its row and gets a cluster_id,
each cluster yields one unique record with the best fields of its members, and the pairs that are
neither clearly the same nor clearly different are left to a person, whose verdicts are applied
on the next run.

One module per concern:

- :mod:`normalise`  comparison keys of each record (titles, authors, journals, pages, kinds);
- :mod:`journals`   journal names vs ISO abbreviations and acronyms;
- :mod:`blocking`   candidate pairs from several blocking keys (near-linear);
- :mod:`scoring`    per-field similarities (rapidfuzz), the evidence score;
- :mod:`rules`      the named matching rules that decide each pair;
- :mod:`clusters`   connected components with a guard against chaining;
- :mod:`verdicts`   a person's same/different verdicts, checked;
- :mod:`merge`      one unique record per cluster;
- :mod:`summary`    counts for the report and PRISMA;
- :mod:`pipeline`   :func:`deduplicate`, tying it together;
- :mod:`cli`        :func:`run_cli` behind ``evsynth dedup FILE... --out DIR``.
"""

from evsynth.dedup.stage import write_outputs
from evsynth.dedup.pipeline import DedupResult, deduplicate

__all__ = ["DedupResult", "deduplicate", "write_outputs"]
