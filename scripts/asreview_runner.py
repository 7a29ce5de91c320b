"""Run ASReview's ``simulate`` command (its default model) on one labelled CSV and keep what it did.

ASReview is not a dependency of evsynth: it pins rispy 0.9, evsynth pins rispy 0.10, so pip cannot put
both in one environment. ``asreview_environment`` makes a virtual environment of its own (pinned
versions below) in the cache directory, outside the repository, on first use; results are cached
there too, one JSON per (dataset content, label, priors, seed, batch), because a run costs minutes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

# ASReview and the scikit-learn it runs on (the same as evsynth's, so both fit with one library).
ASREVIEW_PINS = ["asreview==3.0.8", "scikit-learn==1.7.2"]
DEFAULT_CACHE = Path.home() / ".cache" / "evsynth-bench"
DEFAULT_MODEL_CONFIG = """
import dataclasses, json, sys
from asreview.models.models import get_ai_config
config = get_ai_config()
model = dataclasses.asdict(config["value"])
model["n_query"] = int(sys.argv[2])
with open(sys.argv[1], "w") as handle:
    json.dump(model, handle)
print(config["name"])
"""


def asreview_environment(cache: Path) -> Path:
    """The ``asreview`` executable of the cached environment, created with ASREVIEW_PINS if absent."""
    venv = cache / "asreview-venv"
    executable = venv / "bin" / "asreview"
    stamp = venv / "pins.txt"
    if executable.exists() and stamp.exists() and stamp.read_text().split() == ASREVIEW_PINS:
        return executable
    print(f"installing {' '.join(ASREVIEW_PINS)} into {venv} (once)", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *ASREVIEW_PINS], check=True)
    stamp.write_text("\n".join(ASREVIEW_PINS) + "\n")
    return executable


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def asreview_order(dataset: Path, label: str, prior_idx: list[int], seed: int, batch: int, cache: Path,
                   cached_only: bool = False) -> dict | None:
    """{'order': row indices in the order ASReview screened them (priors first), 'labels': their
    labels, 'seconds_per_retraining': ...}, from the cache or by running ``asreview simulate``.

    ASReview reads ``label_included``; for another label column the CSV is copied (outside the
    repository) with that column renamed to ``label_included`` and the original one dropped.
    """
    key = f"{dataset.stem}-{_file_digest(dataset)}-{label}-p{'_'.join(map(str, prior_idx))}-s{seed}-k{batch}"
    cached = cache / "asreview-results" / f"{key}.json"
    if cached.exists():
        return json.loads(cached.read_text())
    if cached_only:
        return None
    executable = asreview_environment(cache)
    with tempfile.TemporaryDirectory(prefix="asreview-") as tmp:
        source = dataset.resolve()  # ASReview runs in the temporary directory (below)
        if label != "label_included":
            frame = pd.read_csv(dataset, dtype=str, keep_default_na=False)
            frame = frame.drop(columns=[c for c in ("label_included",) if c in frame.columns])
            source = Path(tmp) / dataset.name
            frame.rename(columns={label: "label_included"}).to_csv(source, index=False)
        project = Path(tmp) / "simulation.asreview"
        # ASReview 3.0.8 ignores --n-query unless the model is given explicitly: the config file is
        # its own default model (get_ai_config(), ELAS u4) with n_query set to the batch size.
        model = Path(tmp) / "default_model.json"
        model_name = subprocess.run([str(executable.parent / "python"), "-c", DEFAULT_MODEL_CONFIG, str(model),
                                     str(batch)], cwd=tmp, check=True, capture_output=True,
                                    text=True).stdout.strip()
        # cwd: importing ASReview leaves a dataset-index cache file in the working directory
        subprocess.run([str(executable), "simulate", str(source), "--prior-idx", *map(str, prior_idx),
                        "--seed", str(seed), "--config-file", str(model), "-o", str(project)],
                       cwd=tmp, check=True, capture_output=True)
        with zipfile.ZipFile(project) as archive:
            archive.extract("results.db", tmp)
        with sqlite3.connect(Path(tmp) / "results.db") as db:
            results = pd.read_sql("SELECT record_id, label, classifier, time FROM results ORDER BY rowid", db)
    # Rows labelled after a retraining carry the classifier's name; ASReview timestamps each label,
    # so the time per retraining is the time between the first records of successive batches.
    trained = results[results["classifier"].notna()]
    batch_starts = trained["time"].to_numpy()[::batch]
    seconds = float(np.mean(np.diff(batch_starts))) if len(batch_starts) > 1 else float("nan")
    record = {"order": [int(i) for i in results["record_id"]], "labels": [int(v) for v in results["label"]],
              "seconds_per_retraining": seconds, "asreview": ASREVIEW_PINS[0], "model": model_name}
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(record) + "\n")
    return record
