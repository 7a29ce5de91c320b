"""Screening: the double-screening sample, worksheets, reviewers' decisions and their agreement."""

from evsynth.screening.decisions import binary, double_screening_sample, read_decisions
from evsynth.screening.stage import ScreeningResult, screen

__all__ = ["ScreeningResult", "binary", "double_screening_sample", "read_decisions", "screen"]
