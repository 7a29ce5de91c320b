"""The report: one offline page of every result, supplementary tables, and what changed since the last version."""

from __future__ import annotations

import importlib

__all__ = ["build_report", "report_settings"]


def __getattr__(name: str):
    # Loaded on first use: every CLI command imports evsynth.report.cli to list its arguments, and the
    # report's stage brings the other stages' modules (scipy among them), a second of start-up for `evsynth ingest`.
    if name in __all__:
        return getattr(importlib.import_module("evsynth.report.stage"), name)
    raise AttributeError(f"module 'evsynth.report' has no attribute {name!r}")
