"""Screening: the double-screening sample, worksheets, decisions (also from ASReview, Rayyan, Covidence), agreement."""

from __future__ import annotations

import importlib

_WHERE = {"binary": "decisions", "double_screening_sample": "decisions", "read_decisions": "decisions",
          "ScreeningResult": "stage", "screen": "stage"}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    # Loaded on first use: the CLI imports evsynth.screening's command modules to list their arguments,
    # and the stage brings scipy (agreement statistics), start-up every other command need not pay.
    if name in _WHERE:
        return getattr(importlib.import_module(f"evsynth.screening.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'evsynth.screening' has no attribute {name!r}")
