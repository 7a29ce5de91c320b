"""Does the ranking hold? Subgroup and sensitivity analyses, leave-one-study-out and the bootstrap.

Each analysis selects studies, counts and ranks the themes with ``evsynth.synthesis.vote_counts``
(the one counting and ranking rule) and compares the result with the full synthesis:
themes dropped, themes crossing the threshold, changes among the strongest, rank shifts,
Kendall's tau-b and Spearman's rho, and a verdict a reviewer can quote.
"""

from evsynth.robustness.compare import Comparison, compare, verdict
from evsynth.robustness.resample import bootstrap, bootstrap_table, leave_one_out
from evsynth.robustness.settings import Analysis, configured_analyses, select_studies
from evsynth.robustness.stage import analyse, run_robustness, write_robustness

__all__ = ["Analysis", "Comparison", "analyse", "bootstrap", "bootstrap_table", "compare", "configured_analyses",
           "leave_one_out", "run_robustness", "select_studies", "verdict", "write_robustness"]
