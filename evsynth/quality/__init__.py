"""Quality appraisal (the shipped CASP checklists and any a review adds): checklists as data,
percentage scores, grades, agreement and figures.

``appraise`` validates a long answers table and computes every table; ``write_appraisal`` writes
them with the figures; ``stage`` is the workflow's rule.
"""

from evsynth.quality.run import OUTPUTS, Appraisal, appraise, write_appraisal

__all__ = ["OUTPUTS", "Appraisal", "appraise", "write_appraisal"]
