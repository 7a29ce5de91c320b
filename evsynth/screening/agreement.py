"""Agreement of two reviewers' screening decisions, with the plain-words reading next to it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evsynth.agreement import agreement_from_table
from evsynth.markdown import escape

BINARY = ["include", "exclude"]
TABLE_COLUMNS = ["stage", "reviewer_a", "reviewer_b", "decision_a", "decision_b", "n"]


def stage_agreement(pairs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(agreement rows ``stage,statistic,value,ci_low,ci_high,n``, the 2 x 2 table in long form).

    Categories are include (first, the "positive" category of the prevalence and bias indices) and
    exclude, after 'maybe' was mapped by config.
    """
    rows, tables = [], []
    for stage, group in pairs.groupby("stage", sort=True):
        counts = pd.crosstab(pd.Categorical(group["binary_a"], BINARY), pd.Categorical(group["binary_b"], BINARY),
                             dropna=False).reindex(index=BINARY, columns=BINARY, fill_value=0)
        statistics = agreement_from_table(counts.to_numpy())
        statistics.insert(0, "stage", stage)
        rows.append(statistics)
        reviewers_a = "; ".join(sorted(group["reviewer_a"].unique()))
        reviewers_b = "; ".join(sorted(group["reviewer_b"].unique()))
        for a in BINARY:
            for b in BINARY:
                tables.append({"stage": stage, "reviewer_a": reviewers_a, "reviewer_b": reviewers_b,
                               "decision_a": a, "decision_b": b, "n": int(counts.loc[a, b])})
    agreement = (pd.concat(rows, ignore_index=True) if rows
                 else pd.DataFrame(columns=["stage", "statistic", "value", "ci_low", "ci_high", "n"]))
    return agreement, pd.DataFrame(tables, columns=TABLE_COLUMNS)


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _ci(row: pd.Series, percent: bool = False) -> str:
    if not np.isfinite(row["ci_low"]):
        return ""
    if percent:
        return f" (95% CI {_pct(row['ci_low'])} to {_pct(row['ci_high'])})"
    return f" (95% CI {row['ci_low']:.2f} to {row['ci_high']:.2f})"


# Landis & Koch (1977), Biometrics 33:159: the usual words for kappa, by upper bound (below 0: poor).
KAPPA_BANDS = [(0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"), (1.0, "almost perfect")]
LOW_KAPPA = 0.60  # moderate or below: what a reader of a screening report would call low


def kappa_reading(kappa: float) -> str:
    """Landis & Koch's word for kappa as printed (2 decimals), so the word matches the number shown."""
    kappa = round(kappa, 2)
    return "poor" if kappa < 0 else next(word for bound, word in KAPPA_BANDS if kappa <= bound)


def rare_inclusions_text(include_rate: float, kappa: float, percent_agreement: float) -> str:
    """The paragraph read when inclusions are rare: whether kappa is low depends on kappa itself."""
    text = (f"Inclusions were rare: {_pct(include_rate)} of these decisions were 'include'. When one answer is "
            "this common, two reviewers agree on most records by chance alone, and kappa's correction for chance "
            "weighs the few records either reviewer would include heavily. ")
    if not np.isfinite(kappa):
        return text + ("Cohen's kappa is undefined here (every decision was the same answer); read the table "
                       "above.")
    if round(kappa, 2) <= LOW_KAPPA:
        return text + (f"Here Cohen's kappa ({kappa:.2f}, {kappa_reading(kappa)} on Landis & Koch's scale) is "
                       f"low, while the reviewers agreed on {_pct(percent_agreement)} of records. Kappa here measures "
                       "agreement on the few records either reviewer would include; Gwet's AC1 and PABAK, which "
                       "depend less on how rare inclusions are, describe overall agreement. Read them together "
                       "with the table above.")
    return text + (f"Even so, Cohen's kappa is {kappa:.2f} ({kappa_reading(kappa)} on Landis & Koch's scale): "
                   "the reviewers also agree, beyond chance, on which of those few records to include.")


def agreement_summary(agreement: pd.DataFrame, table: pd.DataFrame) -> str:
    """Markdown: the numbers of each stage and what they mean, in words a reader can check.

    When inclusions are rare (include rate below 20% or prevalence index beyond +/-0.5, Byrt et al.
    1993), kappa's chance correction uses up nearly all the agreement, so kappa can sit near zero
    while the reviewers agree on almost every record. The text calls kappa low only when it is
    (``kappa_reading``), so a high kappa with rare inclusions is not described as low.
    """
    lines = []
    for stage, rows in agreement.groupby("stage", sort=True):
        values = rows.set_index("statistic")
        cells = table[table["stage"] == stage].set_index(["decision_a", "decision_b"])["n"]
        first = table[table["stage"] == stage].iloc[0]
        reviewer_a, reviewer_b = escape(first["reviewer_a"]), escape(first["reviewer_b"])
        n = int(values.loc["percent_agreement", "n"])
        both_in, both_out = int(cells[("include", "include")]), int(cells[("exclude", "exclude")])
        only_a, only_b = int(cells[("include", "exclude")]), int(cells[("exclude", "include")])
        include_rate = (2 * both_in + only_a + only_b) / (2 * n)
        kappa, ac1 = values.loc["cohen_kappa"], values.loc["gwet_ac1"]
        lines += [f"### {escape(stage)}", "",
                  f"{reviewer_a} and {reviewer_b} both screened {n} records: both included "
                  f"{both_in}, both excluded {both_out}, only {reviewer_a} included {only_a}, only "
                  f"{reviewer_b} included {only_b}.", "",
                  f"- Percent agreement (concordance): {_pct(values.loc['percent_agreement', 'value'])}"
                  f"{_ci(values.loc['percent_agreement'], percent=True)}",
                  f"- Cohen's kappa: {kappa['value']:.2f}{_ci(kappa)}",
                  f"- Gwet's AC1: {ac1['value']:.2f}{_ci(ac1)}",
                  f"- PABAK: {values.loc['pabak', 'value']:.2f}{_ci(values.loc['pabak'])}",
                  f"- Prevalence index: {values.loc['prevalence_index', 'value']:.2f}; "
                  f"bias index: {values.loc['bias_index', 'value']:.2f}", ""]
        prevalence = values.loc["prevalence_index", "value"]
        if include_rate < 0.2 or abs(prevalence) > 0.5:
            lines += [rare_inclusions_text(include_rate, kappa["value"],
                                           values.loc["percent_agreement", "value"]), ""]
        if n < 50:
            lines += [f"Only {n} records were screened by both reviewers, so the intervals are wide.", ""]
    return "\n".join(lines)


VOCABULARY = ("include", "exclude", "maybe")


def read_generic_decisions(path, maybe_counts_as: str = "include") -> pd.DataFrame:
    """A table with ``record_id`` (or ``cluster_id``), ``reviewer``, ``decision`` and two reviewers,
    optionally ``stage``; returned as pairs for ``stage_agreement``."""
    from pathlib import Path

    from evsynth.errors import InputError
    from evsynth.screening.decisions import pair_decisions
    from evsynth.tables import read_raw_table

    path = Path(path)
    frame = read_raw_table(path)
    if "record_id" not in frame.columns and "cluster_id" in frame.columns:
        frame = frame.rename(columns={"cluster_id": "record_id"})
    missing = [c for c in ("record_id", "reviewer", "decision") if c not in frame.columns]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)} (found: {', '.join(frame.columns)})",
                         row=1, expected="a header with record_id, reviewer, decision")
    frame = frame.apply(lambda column: column.str.strip())
    if "stage" not in frame.columns:
        frame["stage"] = "all"
    frame["decision"] = frame["decision"].str.lower()
    frame["row"] = range(2, len(frame) + 2)
    frame["source"] = str(path)
    for column in ("record_id", "reviewer", "decision"):
        empty = frame[frame[column] == ""]
        if len(empty):
            raise InputError(path, f"'{column}' is empty", row=int(empty["row"].iloc[0]), field=column,
                             expected="a value in every row")
    bad = frame[~frame["decision"].isin(VOCABULARY)]
    if len(bad):
        raise InputError(path, f"value '{bad['decision'].iloc[0]}' is not allowed", row=int(bad["row"].iloc[0]),
                         field="decision", expected=", ".join(VOCABULARY[:-1]) + " or " + VOCABULARY[-1])
    reviewers = sorted(frame["reviewer"].unique())
    if len(reviewers) != 2:
        raise InputError(path, f"{len(reviewers)} reviewer(s) found ({', '.join(reviewers)})", field="reviewer",
                         expected="exactly two reviewers")
    key = ["record_id", "reviewer", "stage"]
    for _, group in frame[frame.duplicated(key, keep=False)].groupby(key, sort=True):
        if group["decision"].nunique() > 1:
            second = group.iloc[1]
            raise InputError(path, f"reviewer {second['reviewer']} decided record '{second['record_id']}' twice "
                             f"with different answers ('{group['decision'].iloc[0]}' in row "
                             f"{group['row'].iloc[0]})", row=int(second["row"]), field="decision",
                             expected="one decision per record and reviewer")
    frame = frame.drop_duplicates(key).rename(columns={"record_id": "cluster_id"})
    pairs = pair_decisions(frame, reviewers, maybe_counts_as)
    if pairs.empty:
        raise InputError(path, "no record was decided by both reviewers", field="record_id",
                         expected="records decided by both reviewers")
    return pairs
