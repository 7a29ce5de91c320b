"""The report: one offline page of every result, supplementary tables, and what changed since the last version."""

from evsynth.report.stage import build_report, report_settings

__all__ = ["build_report", "report_settings"]
