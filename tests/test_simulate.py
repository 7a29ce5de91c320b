"""``evsynth simulate``: replaying screening on a labelled CSV, its figures by hand, its bad input."""

import json

import numpy as np
import pandas as pd
import pytest

from evsynth.cli import main
from evsynth.errors import InputError
from evsynth.screening.prioritise import PrioritySettings, record_texts, vectorise
from evsynth.screening.simulate import choose_priors, metrics, read_labelled, run_simulation, simulate

TOPICS = ["bridge cables corrosion", "river embankment soil", "traffic noise barriers", "railway track wear",
          "harbour sediment dredging", "tunnel ventilation fans", "airport runway lighting", "canal lock gates"]


def _dataset(path, n_excluded=30, n_included=5):
    """Includes share 'peer support mental health'; each exclude is one engineering topic + a number."""
    rows = [(f"Peer support in mental health services, study {i}", "Peer workers and mental health.", 1)
            for i in range(n_included)]
    rows += [(f"{TOPICS[i % len(TOPICS)]} report {i}", f"Measurements of {TOPICS[i % len(TOPICS)]}.", 0)
             for i in range(n_excluded)]
    order = np.random.default_rng(0).permutation(len(rows))
    frame = pd.DataFrame([rows[i] for i in order], columns=["title", "abstract", "label_included"])
    frame.insert(0, "record_id", range(1, len(frame) + 1))
    frame.to_csv(path, index=False)
    return path


def test_metrics_by_hand():
    # 20 records, 4 includes, screened in this order: includes at positions 1, 3, 4 and 9.
    order = [1, 0, 1, 1, 0, 0, 0, 0, 1, 0]
    figures = metrics(order, 20, 4)
    assert figures["n_to_95"] == 9  # ceil(0.95 * 4) = 4 includes, the 4th is the 9th record
    assert figures["n_to_100"] == 9
    assert figures["wss95"] == pytest.approx(0.95 - 9 / 20)
    assert figures["recall_at_10pct"] == 0.25  # first 10% = 2 records: 1 of 4
    assert figures["recall_at_25pct"] == 0.75  # first 5 records: 3 of 4
    # 10% of 1,700 is 170 records exactly (not 171 from 0.1 * 1700 = 170.00000000000003).
    long = [0] * 169 + [1] + [1] + [0] * 10
    assert metrics(long, 1700, 2)["recall_at_10pct"] == 0.5


def test_recall_target_rounds_up():
    # 21 includes: 95% is 19.95, so 20 must be found.
    order = [1] * 19 + [0, 1, 0, 1]
    assert metrics(order, 100, 21)["n_to_95"] == 21


def test_separable_data_finds_every_include_straight_after_the_priors(tmp_path):
    data = read_labelled(_dataset(tmp_path / "d.csv"), "label_included")
    labels = data["label"].to_numpy()
    priors = choose_priors(labels, 1, 1, seed=3)
    assert labels[priors].tolist() == [1, 0]
    matrix, _ = vectorise(record_texts(data), PrioritySettings())
    run = simulate(matrix, labels, priors, batch=1, settings=PrioritySettings(), seed=3)
    # The 4 other includes share every word of the known include: the model puts them first.
    assert run.order[:2].tolist() == priors.tolist()
    assert labels[run.order].tolist() == [1, 0, 1, 1, 1, 1]
    assert len(run.retrain_seconds) == 4 and set(run.bases) == {"model"}
    again = simulate(matrix, labels, priors, batch=1, settings=PrioritySettings(), seed=3)
    assert again.order.tolist() == run.order.tolist()


def test_batches_retrain_once_per_batch(tmp_path):
    data = read_labelled(_dataset(tmp_path / "d.csv", n_excluded=40, n_included=12), "label_included")
    labels = data["label"].to_numpy()
    priors = choose_priors(labels, 1, 1, seed=1)
    matrix, _ = vectorise(record_texts(data), PrioritySettings())
    run = simulate(matrix, labels, priors, batch=5, settings=PrioritySettings(), seed=1)
    # 11 includes left: the first two batches of 5 hold 10 of them, the third the last one.
    assert len(run.order) == 2 + 15 and len(run.retrain_seconds) == 3
    assert labels[run.order].sum() == 12
    # Until 7 of the 12 are found: the same order, cut at the record that found the 7th (the second
    # batch holds it), as the benchmark's tuning uses it for WSS@95.
    part = simulate(matrix, labels, priors, batch=5, settings=PrioritySettings(), seed=1, until_found=7)
    seventh = int(np.searchsorted(np.cumsum(labels[run.order]), 7)) + 1
    assert 7 < seventh <= 12 and part.order.tolist() == run.order[:seventh].tolist()
    assert len(part.retrain_seconds) == 2 and labels[part.order].sum() == 7


def test_command_writes_the_figures(tmp_path, capsys):
    path = _dataset(tmp_path / "d.csv")
    out = tmp_path / "sim.json"
    code = main(["simulate", str(path), "--label", "label_included", "--priors", "1,1", "--seed", "3",
                 "--batch", "1", "--out", str(out)])
    assert code == 0
    record = json.loads(out.read_text())
    assert {k: record[k] for k in ("n_records", "n_included", "n_to_95", "n_to_100")} == {
        "n_records": 35, "n_included": 5, "n_to_95": 6, "n_to_100": 6}
    assert record["wss95"] == pytest.approx(0.95 - 6 / 35, abs=1e-6)
    # 10% of 35 rounded up is 4 records (include, exclude, include, include): 3 of 5; 25% is 9: all 5.
    assert record["recall_at_10pct"] == 0.6 and record["recall_at_25pct"] == 1.0
    assert record["retrainings"] == 4 and record["seconds_per_retraining"] > 0
    assert record["priors"] == {"include": 1, "exclude": 1} and len(record["prior_rows"]) == 2
    assert "WSS@95" in capsys.readouterr().err
    assert run_simulation(path, "label_included", (1, 1), 3, 1)["n_to_100"] == 6


def _write(path, header, rows):
    path.write_text("\n".join(",".join(str(v) for v in row) for row in [header, *rows]) + "\n", encoding="utf-8")
    return path


def test_labels_written_as_floats_are_read(tmp_path):
    path = _write(tmp_path / "f.csv", ["title", "abstract", "label_included"], [["a", "b", "1.0"], ["c", "d", "0.0"]])
    assert read_labelled(path, "label_included")["label"].tolist() == [1, 0]


@pytest.mark.parametrize("header, rows, label, message, field", [
    (["record_id", "label_included"], [[1, 1]], "label_included", "no title or abstract column", "title"),
    (["title", "abstract", "included"], [["a", "b", 1]], "label_included", "no label column 'label_included'",
     "label_included"),
    (["title", "abstract", "label_included"], [["a", "b", 1], ["c", "d", 2]], "label_included",
     "label '2' is not 0 or 1", "label_included"),
    (["title", "abstract", "label_included"], [["a", "b", "1"], ["c", "d", ""]], "label_included",
     "label '' is not 0 or 1", "label_included"),
    (["title", "abstract", "label_included"], [["a", "b", "1"], ["c", "d", "0.5"]], "label_included",
     "label '0.5' is not 0 or 1", "label_included"),
    (["title", "abstract", "label_included"], [["a", "b", 0], ["c", "d", 0]], "label_included",
     "no record is included", "label_included"),
])
def test_bad_datasets_name_file_and_column(tmp_path, header, rows, label, message, field):
    path = _write(tmp_path / "bad.csv", header, rows)
    with pytest.raises(InputError) as error:
        read_labelled(path, label)
    assert message in str(error.value) and error.value.field == field and str(path) in str(error.value)


def test_bad_label_row_is_the_spreadsheet_row(tmp_path, capsys):
    path = _write(tmp_path / "bad.csv", ["title", "abstract", "label_included"],
                  [["a", "b", 1], ["c", "d", 0], ["e", "f", "yes"]])
    code = main(["simulate", str(path), "--label", "label_included", "--out", str(tmp_path / "o.json")])
    assert code == 2
    assert f"{path}, row 4, field 'label_included': label 'yes' is not 0 or 1" in capsys.readouterr().err
    assert not (tmp_path / "o.json").exists()


@pytest.mark.parametrize("priors, message", [("1", "--priors"), ("0,1", "at least 1 include"),
                                             ("9,1", "the data has 5 and 30")])
def test_bad_priors(tmp_path, capsys, priors, message):
    path = _dataset(tmp_path / "d.csv")
    code = main(["simulate", str(path), "--label", "label_included", "--priors", priors,
                 "--out", str(tmp_path / "o.json")])
    assert code == 2 and message in capsys.readouterr().err


def test_ranking_phase_can_end_after_excludes_in_a_row(tmp_path):
    # One include is written like an engineering report: the ranking finds the 4 others first and
    # then reads excludes; with excludes_in_a_row=3 the ranked phase ends after the third of them.
    path = _dataset(tmp_path / "d.csv")
    frame = pd.read_csv(path)
    hidden = frame.index[frame["label_included"] == 1][-1]
    frame.loc[hidden, ["title", "abstract"]] = ["Canal lock gates report 99", "Measurements of canal lock gates."]
    frame.to_csv(path, index=False)
    data = read_labelled(path, "label_included")
    labels = data["label"].to_numpy()
    priors = np.array([int(frame.index[frame["label_included"] == 1][0]), int(frame.index[frame["label_included"] == 0][0])])
    matrix, _ = vectorise(record_texts(data), PrioritySettings())
    run = simulate(matrix, labels, priors, 1, PrioritySettings(), 1, excludes_in_a_row=3)
    assert labels[run.order].tolist() == [1, 0, 1, 1, 1, 0, 0, 0]
