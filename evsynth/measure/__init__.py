"""The Implementation Measure: items derived from the synthesis (the themes at or above its threshold),
site ratings, sum scores, item spread with floor and ceiling flags, and group means for validity."""

from evsynth.measure.items import measure_items, rating_scale, read_ratings, read_sites
from evsynth.measure.scores import item_statistics, round_ratio, site_scores, validity_groups
from evsynth.measure.stage import evaluate, run_measure, write_measure

__all__ = ["evaluate", "item_statistics", "measure_items", "rating_scale", "read_ratings", "read_sites",
           "round_ratio", "run_measure", "site_scores", "validity_groups", "write_measure"]
