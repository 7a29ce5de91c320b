"""Replaying screening on a labelled dataset: how early does the ranking put the inclusions?

A simulation starts from I known includes and E known excludes chosen by the seed, ranks the rest,
reveals the labels of the top K records (a reviewer screening one batch of the worksheet), retrains
and repeats until every inclusion is found. The initial known records count as screened.

``evsynth simulate DATASET.csv --label COLUMN --priors I,E --seed S --batch K --out FILE.json``
writes the figures of ``metrics`` and the seconds per retraining.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from evsynth.errors import InputError
from evsynth.screening.prioritise import PrioritySettings, record_texts, scores, text_features

TITLE_COLUMNS = ("title", "primary_title")
ABSTRACT_COLUMNS = ("abstract", "notes_abstract")


def read_labelled(path: str | Path, label: str) -> pd.DataFrame:
    """An ASReview-style labelled CSV: ``title``, ``abstract`` (and ``keywords``), and 0/1 in ``label``.

    Returns ``title, abstract, keywords, label`` in file order. A missing column, a label other
    than 0 or 1 (an empty cell included), or no include at all stops with the file, row and column.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file does not exist", expected="a labelled CSV (title, abstract, a 0/1 label column)")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as error:
        raise InputError(path, f"not a readable CSV ({error})", expected="a UTF-8 CSV with a header row") from None
    columns = {str(c).strip().lower(): c for c in frame.columns}
    title = next((columns[c] for c in TITLE_COLUMNS if c in columns), None)
    abstract = next((columns[c] for c in ABSTRACT_COLUMNS if c in columns), None)
    if title is None and abstract is None:
        raise InputError(path, "no title or abstract column (found: " + ", ".join(map(str, frame.columns)) + ")",
                         row=1, field="title", expected="a column 'title' and/or 'abstract'")
    label_column = columns.get(label.strip().lower())
    if label_column is None:
        raise InputError(path, f"no label column '{label}' (found: " + ", ".join(map(str, frame.columns)) + ")",
                         row=1, field=label, expected="the column named by --label, holding 0 or 1")
    # 1.0 / 0.0: what a spreadsheet or pandas writes for a column of whole numbers with a gap
    values = frame[label_column].str.strip().replace({"1.0": "1", "0.0": "0"})
    bad = values[~values.isin(["0", "1"])]
    if len(bad):
        raise InputError(path, f"label '{bad.iloc[0]}' is not 0 or 1" + (f" ({len(bad)} such rows)" if len(bad) > 1
                         else ""), row=int(bad.index[0]) + 2, field=str(label_column),
                         expected="1 (included) or 0 (excluded) in every row")
    labels = values.astype(int).to_numpy()
    if not labels.any():
        raise InputError(path, f"no record is included (every '{label_column}' is 0)", field=str(label_column),
                         expected="at least one record labelled 1")
    out = pd.DataFrame({"title": frame[title] if title is not None else "",
                        "abstract": frame[abstract] if abstract is not None else "",
                        "keywords": frame[columns["keywords"]] if "keywords" in columns else "",
                        "label": labels})
    if not any(record_texts(out)):
        raise InputError(path, "every title and abstract is empty", field=str(title or abstract),
                         expected="records with text to rank by")
    return out


def choose_priors(labels: np.ndarray, n_include: int, n_exclude: int, seed: int,
                  source: str = "dataset") -> np.ndarray:
    """Row indices of the initial known records: ``n_include`` includes then ``n_exclude`` excludes,
    drawn by numpy's default_rng(seed)."""
    labels = np.asarray(labels)
    included, excluded = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    if n_include < 1 or n_exclude < 0:
        raise InputError(source, f"priors {n_include},{n_exclude}", field="--priors",
                         expected="I,E with I at least 1 include and E at least 0 excludes")
    if n_include > len(included) or n_exclude > len(excluded):
        raise InputError(source, f"asked for {n_include} includes and {n_exclude} excludes as priors; the data "
                         f"has {len(included)} and {len(excluded)}", field="--priors",
                         expected="no more known records than the data holds")
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.choice(included, n_include, replace=False),
                           rng.choice(excluded, n_exclude, replace=False)]).astype(int)


@dataclass
class Simulation:
    order: np.ndarray  # row indices in the order screened, the priors first
    retrain_seconds: list[float] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)


def simulate(matrix, labels: np.ndarray, priors: Sequence[int], batch: int, settings: PrioritySettings,
             seed: int = 1, excludes_in_a_row: int | None = None, until_found: int | None = None) -> Simulation:
    """Screen in batches of ``batch`` records, retraining before each batch, until every include is found
    (with ``until_found``: until that many are, the order cut at the record that found the last).

    With ``excludes_in_a_row``, screen instead as a reviewer who cannot know that everything is found:
    until the ranking has given that many excludes in a row (the cue to stop reading the ranking and
    start the random sample of ``stopping``), or every record is screened.

    Ties between equal scores are broken by a permutation drawn from ``seed``.
    """
    labels = np.asarray(labels, dtype=int)
    n = len(labels)
    rank_noise = np.random.default_rng(seed).permutation(n)  # tie-break: lower wins
    screened = np.zeros(n, dtype=bool)
    order = list(int(i) for i in priors)
    screened[order] = True
    found, total = int(labels[screened].sum()), int(labels.sum())
    if until_found is not None:
        total = min(total, until_found)
    result = Simulation(np.array([], dtype=int))
    since_include = 0
    while (found < total or excludes_in_a_row is not None) and not screened.all():
        if excludes_in_a_row is not None and since_include >= excludes_in_a_row:
            break
        labelled = np.asarray(order)
        start = time.perf_counter()
        score, basis = scores(matrix, labelled, labels[labelled], settings)
        awaiting = np.flatnonzero(~screened)
        take = min(batch, len(awaiting))
        top = awaiting[np.lexsort((rank_noise[awaiting], -score[awaiting]))[:take]]
        result.retrain_seconds.append(time.perf_counter() - start)
        result.bases.append(basis)
        screened[top] = True
        order.extend(int(i) for i in top)
        found += int(labels[top].sum())
        hits = np.flatnonzero(labels[top])
        since_include = take - 1 - int(hits[-1]) if len(hits) else since_include + take
    result.order = np.asarray(order, dtype=int)
    if until_found is not None and found > total:  # the batch ran past the record that found enough
        result.order = result.order[:int(np.searchsorted(np.cumsum(labels[result.order]), total)) + 1]
    return result


def metrics(screened_labels: Sequence[int], n_records: int, n_included: int) -> dict:
    """Figures of one screening order (the labels in the order screened, priors first).

    ``n_to_95``: records screened when ceil(0.95 x includes) were found; ``n_to_100``: when all were;
    ``wss95`` = 0.95 - n_to_95 / n_records (work saved over sampling at 95% recall, Cohen et al. 2006);
    ``recall_at_10pct`` / ``25pct``: share of includes among the first ceil(10% / 25% x records).
    An order that stops once every include is found gives the full recall to any later point.
    """
    found = np.cumsum(np.asarray(screened_labels, dtype=int))
    n_records, n_included = int(n_records), int(n_included)
    if found[-1] != n_included:
        raise ValueError(f"the order finds {found[-1]} of {n_included} includes")

    def ceil_percent(percent: int, of: int) -> int:  # integers: 0.1 * 1700 is 170.00000000000003
        return -(-percent * of // 100)

    def screened_to(count: int) -> int:
        return int(np.searchsorted(found, count) + 1)

    def recall_after(percent: int) -> float:
        cut = ceil_percent(percent, n_records)
        return round(int(found[min(cut, len(found)) - 1]) / n_included, 6)

    n_to_95 = screened_to(ceil_percent(95, n_included))
    return {"n_records": n_records, "n_included": n_included, "n_to_95": n_to_95,
            "n_to_100": screened_to(n_included), "wss95": round(0.95 - n_to_95 / n_records, 6),
            "recall_at_10pct": recall_after(10), "recall_at_25pct": recall_after(25)}


def parse_priors(text: str) -> tuple[int, int]:
    try:
        n_include, n_exclude = (int(part) for part in text.split(","))
    except ValueError:
        raise InputError("command line", f"--priors {text!r}", field="--priors",
                         expected="I,E: two whole numbers, e.g. 1,1") from None
    return n_include, n_exclude


def run_simulation(dataset: str | Path, label: str, priors: tuple[int, int], seed: int, batch: int,
                   settings: PrioritySettings | None = None) -> dict:
    """The record ``evsynth simulate`` writes: the figures, the seconds per retraining and the inputs."""
    if batch < 1:
        raise InputError("command line", f"--batch {batch}", field="--batch",
                         expected="a whole number of records from 1 up")
    settings = settings or PrioritySettings(seed=seed)
    data = read_labelled(dataset, label)
    labels = data["label"].to_numpy()
    chosen = choose_priors(labels, *priors, seed, source=str(dataset))
    started = time.perf_counter()
    matrix, _ = text_features(data, settings)
    features_seconds = time.perf_counter() - started
    run = simulate(matrix, labels, chosen, batch, settings, seed)
    figures = metrics(labels[run.order], len(labels), int(labels.sum()))
    return {**figures,
            "seconds_per_retraining": round(float(np.mean(run.retrain_seconds)), 6) if run.retrain_seconds else 0.0,
            "retrainings": len(run.retrain_seconds), "seconds_features": round(features_seconds, 6),
            "dataset": Path(dataset).name, "label": label, "priors": {"include": priors[0], "exclude": priors[1]},
            "prior_rows": [int(i) + 2 for i in chosen],  # as a spreadsheet numbers rows (header is 1)
            "seed": seed, "batch": batch,
            "model": {key: value for key, value in asdict(settings).items()
                      if key not in ("description", "known_relevant")}}


def write_simulation(record: dict, out: str | Path) -> None:
    from evsynth.fileio import atomic_path

    with atomic_path(Path(out)) as tmp:
        tmp.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def add_arguments(parser) -> None:
    """The ``evsynth simulate`` command's arguments."""
    parser.add_argument("dataset", help="labelled CSV (ASReview style): title, abstract[, keywords], a 0/1 column")
    parser.add_argument("--label", required=True, help="the column holding 1 (included) / 0 (excluded)")
    parser.add_argument("--priors", default="1,1", help="I,E: known includes and excludes to start from (default 1,1)")
    parser.add_argument("--seed", type=int, default=1, help="chooses the priors and breaks ties (default 1)")
    parser.add_argument("--batch", type=int, default=1,
                        help="records screened between retrainings, as a reviewer screens the top of a sheet "
                             "(default 1)")
    parser.add_argument("--out", required=True, help="JSON file for the figures")


def run_command(args) -> int:
    import sys

    record = run_simulation(args.dataset, args.label, parse_priors(args.priors), args.seed, args.batch)
    write_simulation(record, args.out)
    print(f"{record['dataset']}: {record['n_included']} of {record['n_records']} included; 95% found after "
          f"{record['n_to_95']} records (WSS@95 {record['wss95']:.3f}), all after {record['n_to_100']}; "
          f"{record['seconds_per_retraining']:.3f} s per retraining -> {args.out}", file=sys.stderr)
    return 0
