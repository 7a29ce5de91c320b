"""Thematic synthesis: codebook, study x theme matrix, vote counts, audit trail, published tables.

The functions most later stages need:

- ``read_codebook`` / ``Codebook``: the validated hierarchy theme > subtheme > code (a networkx graph);
- ``read_extracts``: coded extracts checked against the codebook and the included units;
- ``analysis_units``: one row per counting unit (publication or study) with its attributes;
- ``presence_matrix``: unit x node 0/1 matrix (a unit counts once for a node when any of its
  extracts is coded to the node or beneath it);
- ``vote_counts``: n, N, proportion, percent, rank and flag per column of such a matrix, on any
  subset (or bootstrap resample) of units;
- ``rank_by_strength``: the one ranking rule (ties share the smallest rank).
"""

from evsynth.synthesis.codebook import Codebook, read_codebook
from evsynth.synthesis.extracts import analysis_units, read_extracts
from evsynth.synthesis.matrix import direction_table, presence_matrix
from evsynth.synthesis.votes import rank_by_strength, round_percent, vote_counts, wilson_interval

__all__ = [
    "Codebook", "read_codebook", "analysis_units", "read_extracts", "direction_table", "presence_matrix",
    "rank_by_strength", "round_percent", "vote_counts", "wilson_interval",
]
