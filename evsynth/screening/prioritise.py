"""Screening prioritisation: rank the records awaiting a decision by every decision made so far.

Features are TF-IDF weights of the words and word pairs of a record's title, abstract and keywords
(scikit-learn), each field weighted on its own and then joined (``fields="separate"``: a title's
few words count as much as an abstract's many, and as much as the keywords), or of the three as one
text (``fields="joined"``); the model is a logistic regression whose classes are weighted by their inverse
frequency, so a few dozen includes among thousands of excludes still shape the ranking. Before any
include exists there is nothing to learn from: records are ranked by cosine similarity to the
review's own description (its question and inclusion criteria) and to any records named as known
relevant, and the ranked frame says which basis was used.

``prioritise(unique, decisions, settings)`` is what the screening stage calls; the simulation uses
the same pieces (``record_texts``, ``vectorise``, ``scores``) with the features computed once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from evsynth.errors import InputError
from evsynth.identity import sample_score

TEXT_FIELDS = ("title", "abstract", "keywords")
RANKED_COLUMNS = ["cluster_id", "priority", "relevance", "basis"]

BASIS_MODEL = "model"
BASIS_SIMILARITY = "similarity"
BASIS_FILE_ORDER = "file order"


@dataclass(frozen=True)
class PrioritySettings:
    """How records are ranked. Every field is checked by ``priority_settings``."""

    seed: int = 1  # breaks ties between equal scores, the same way on every run
    classifier: str = "logistic"  # "logistic" (logistic regression) or "svm" (linear SVM, squared hinge)
    C: float = 1.0  # inverse regularisation strength of the classifier
    ngram_max: int = 2  # word n-grams from 1 to this
    min_df: int = 1  # a term must occur in at least this many records
    sublinear_tf: bool = True  # 1 + log(tf): a word said ten times is not ten times the evidence
    class_weight: str = "balanced"  # "balanced" (inverse class frequency) or "none"
    # The include class's weight is multiplied by this after balancing: missing an include costs far
    # more than reading an exclude. 10 was chosen leave-one-set-out on the screening benchmarks.
    include_weight: float = 10.0
    keywords: bool = True  # the records' keywords count as text, beside title and abstract
    fields: str = "separate"  # "separate": TF-IDF of each field, weighted and joined; "joined": of one text
    title_weight: float = 1.0  # with fields "separate": the weight of each field's unit-length TF-IDF
    abstract_weight: float = 1.0
    keywords_weight: float = 1.0
    maybe_counts_as: str = "include"  # a 'maybe' decision trains the model as this
    description: str = ""  # the review's question and inclusion criteria, used before any include exists
    known_relevant: tuple[str, ...] = ()  # cluster_ids a person names as relevant before screening


_CHOICES = {"class_weight": ("balanced", "none"), "maybe_counts_as": ("include", "exclude"),
            "classifier": ("logistic", "svm"), "fields": ("separate", "joined")}
_RANGES = {"C": (0.0, None), "include_weight": (0.0, None), "ngram_max": (1, 3), "min_df": (1, None),
           "title_weight": (0.0, None), "abstract_weight": (0.0, None), "keywords_weight": (0.0, None)}
_ABOVE = ("C", "include_weight")  # ranges whose low end is excluded


def priority_settings(values: Mapping | None = None, *, source: str = "config",
                      prefix: str = "screening.model") -> PrioritySettings:
    """PrioritySettings from a mapping (config section or keyword values), every value checked.

    A wrong name, type or range stops with an InputError naming ``prefix.setting`` and what it takes.
    """
    values = dict(values or {})
    known = {f.name: f for f in fields(PrioritySettings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise InputError(source, f"unknown setting '{prefix}.{unknown[0]}'", field=f"{prefix}.{unknown[0]}",
                         expected="one of " + ", ".join(known))
    checked = {}
    for name, value in values.items():
        where = f"{prefix}.{name}"
        default = known[name].default
        if name == "known_relevant":
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
                raise InputError(source, f"{where} is {value!r}", field=where, expected="a list of cluster_ids")
            checked[name] = tuple(v.strip() for v in value)
            continue
        if isinstance(default, bool):
            ok = isinstance(value, bool)
            expected = "true or false"
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool)
            expected = "a whole number"
        elif isinstance(default, float):
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and np.isfinite(value)
            expected = "a number"
            value = float(value) if ok else value
        else:
            ok = isinstance(value, str)
            expected = "text"
        if not ok:
            raise InputError(source, f"{where} is {value!r} ({type(value).__name__})", field=where,
                             expected=expected)
        if name in _CHOICES and value not in _CHOICES[name]:
            raise InputError(source, f"{where} is {value!r}", field=where,
                             expected=" or ".join(repr(c) for c in _CHOICES[name]))
        if name in _RANGES:
            low, high = _RANGES[name]
            if (name in _ABOVE and value <= low) or (name not in _ABOVE and value < low) \
                    or (high is not None and value > high):
                expected = ("a number above 0" if name in _ABOVE else "a number from 0 up" if isinstance(default, float)
                            else f"a whole number from {low}" + (f" to {high}" if high is not None else " up"))
                raise InputError(source, f"{where} is {value!r}", field=where, expected=expected)
        checked[name] = value
    return PrioritySettings(**checked)


def _field_text(value) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        return " ".join(str(v) for v in value if v is not None)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def record_texts(records: pd.DataFrame, keywords: bool = True) -> list[str]:
    """Title, abstract and (with ``keywords``) keywords of each record as one text (a missing field is
    empty)."""
    present = [name for name in TEXT_FIELDS if name in records.columns and (keywords or name != "keywords")]
    columns = [[_field_text(v) for v in records[name]] for name in present]
    return [" ".join(parts).strip() for parts in zip(*columns)] if columns else [""] * len(records)


HASH_FEATURES = 2**22  # buckets for terms: ~4 million, so distinct terms rarely share one
PARALLEL_FROM = 20_000  # texts from which counting is split over two processes


def _term_counts(texts: Sequence[str], settings: PrioritySettings):
    """Counts of each text's words and word n-grams, each term hashed to a column."""
    from sklearn.feature_extraction.text import HashingVectorizer

    counter = HashingVectorizer(ngram_range=(1, settings.ngram_max), strip_accents="unicode",
                                n_features=HASH_FEATURES, alternate_sign=False, norm=None, dtype=np.float64)
    if len(texts) < PARALLEL_FROM:
        return counter.transform(texts)
    from joblib import Parallel, delayed

    half = len(texts) // 2
    parts = Parallel(n_jobs=2)(delayed(counter.transform)(chunk) for chunk in (texts[:half], texts[half:]))
    from scipy import sparse  # here, not at import: every CLI command imports this module's settings

    return sparse.vstack(parts, format="csr")


def vectorise(texts: Sequence[str], settings: PrioritySettings, query: str = ""):
    """(TF-IDF matrix of ``texts`` with unit-length rows, the ``query`` text in the same space).

    The weights are scikit-learn's TfidfVectorizer's (smooth idf, optional 1 + log tf, l2 norm), but
    terms are hashed rather than looked up in a vocabulary built first: a third of the time, and
    the counting can be split over processes. Columns no record uses are dropped.
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    texts = list(texts)
    counts = _term_counts(texts, settings)
    frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    used = np.flatnonzero(frequency >= settings.min_df)
    counts = counts[:, used]  # float64 CSR: what liblinear takes, no copy at each retraining
    weigher = TfidfTransformer(sublinear_tf=settings.sublinear_tf)
    matrix = weigher.fit_transform(counts).tocsr()
    if not query:
        return matrix, None
    return matrix, weigher.transform(_term_counts([query], settings)[:, used])


def model_scores(matrix, labelled: np.ndarray, labels: np.ndarray, settings: PrioritySettings) -> np.ndarray:
    """Classifier scores of every row (log-odds of include, or the SVM's margin), trained on the
    labelled rows with the class weights of the settings."""
    labels = np.asarray(labels)
    n_in, n_out = int(labels.sum()), int(len(labels) - labels.sum())
    if settings.class_weight == "balanced":  # scikit-learn's "balanced": n / (2 n_class)
        weights = {0: len(labels) / (2 * n_out), 1: len(labels) / (2 * n_in) * settings.include_weight}
    else:
        weights = {0: 1.0, 1: settings.include_weight}
    if settings.classifier == "svm":
        from sklearn.svm import LinearSVC

        model = LinearSVC(C=settings.C, loss="squared_hinge", class_weight=weights, random_state=0, max_iter=5000)
    else:
        from sklearn.linear_model import LogisticRegression

        # The dual problem has one variable per labelled record, not per term: far faster here, where
        # terms outnumber the records decided so far (same optimum for the L2 penalty).
        # random_state: liblinear visits the records in a random order; fixed, the same decisions give
        # the same scores on every run.
        model = LogisticRegression(C=settings.C, solver="liblinear", dual=True, max_iter=1000, random_state=0,
                                   class_weight=weights)
    model.fit(matrix[labelled], labels)
    return model.decision_function(matrix)


def similarity_scores(matrix, includes: np.ndarray, query) -> np.ndarray:
    """Cosine similarity of every row to the centroid of the description and the known includes."""
    parts = [matrix[includes]] if len(includes) else []
    if query is not None:
        parts.append(query)
    from scipy import sparse

    centroid = np.asarray(sparse.vstack(parts).mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    return matrix @ (centroid / norm) if norm else np.zeros(matrix.shape[0])


def scores(matrix, labelled: np.ndarray, labels: np.ndarray, settings: PrioritySettings,
           query=None) -> tuple[np.ndarray, str]:
    """(a score for every row, the basis): the model once an include and an exclude are known,
    else similarity to the description and the known includes, else zeros (file order)."""
    labels = np.asarray(labels)
    includes = labelled[labels == 1]
    if len(includes) and (labels == 0).any():
        return model_scores(matrix, labelled, labels, settings), BASIS_MODEL
    if len(includes) or query is not None:
        return similarity_scores(matrix, includes, query), BASIS_SIMILARITY
    return np.zeros(matrix.shape[0]), BASIS_FILE_ORDER


def record_labels(decisions: pd.DataFrame, maybe_counts_as: str = "include") -> pd.Series:
    """One 0/1 label per decided record: 1 when any decision on it (any reviewer, stage or round)
    is include. A disagreement therefore trains as include: the record looked relevant to someone."""
    if decisions.empty:
        return pd.Series(dtype=int)
    decided = decisions[decisions["decision"].fillna("").astype(str).str.strip() != ""]
    binary = decided["decision"].str.strip().str.lower().replace({"maybe": maybe_counts_as})
    return (binary == "include").groupby(decided["cluster_id"]).any().astype(int)


def _unit_rows(matrix):
    from scipy import sparse

    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


def text_features(records: pd.DataFrame, settings: PrioritySettings, query: str = ""):
    """(TF-IDF matrix of ``records``, the ``query`` text in the same space or None), as the settings say.

    ``fields="separate"``: each field's TF-IDF (own idf, unit-length rows) times its weight, the
    fields side by side, each row scaled to unit length again; the query is a text of every field.
    A record's title then weighs as much as its abstract, however long the abstract is.
    """
    if settings.fields == "joined":
        return vectorise(record_texts(records, settings.keywords), settings, query)
    from scipy import sparse

    weights = {"title": settings.title_weight, "abstract": settings.abstract_weight,
               "keywords": settings.keywords_weight if settings.keywords else 0.0}
    blocks, query_blocks = [], []
    for name, weight in weights.items():
        if name not in records.columns or weight == 0:
            continue
        texts = [_field_text(v) for v in records[name]]
        if not any(texts):
            continue
        matrix, query_vector = vectorise(texts, settings, query)
        blocks.append(matrix * weight)
        query_blocks.append(query_vector * weight if query_vector is not None else None)
    if not blocks:
        return vectorise([""] * len(records), settings, query)
    matrix = _unit_rows(sparse.hstack(blocks, format="csr")).tocsr()
    if not query:
        return matrix, None
    return matrix, _unit_rows(sparse.hstack(query_blocks, format="csr")).tocsr()


def record_features(unique: pd.DataFrame, settings: PrioritySettings, source: str = "unique records"):
    """(TF-IDF matrix of the records, the description's vector or None): what ``prioritise`` needs of
    the text. It depends only on the records and the settings, not on the decisions, so a caller
    that reranks the same records often can compute it once and pass it as ``features``."""
    texts = record_texts(unique, settings.keywords)
    if not any(texts):
        raise InputError(source, "no record has a title, abstract or keywords to rank by", field="title",
                         expected="records with text, or screening order 'file'")
    return text_features(unique, settings, settings.description.strip())


def prioritise(unique: pd.DataFrame, decisions: pd.DataFrame, settings: PrioritySettings | None = None,
               source: str = "unique records", features=None) -> pd.DataFrame:
    """The records of ``unique`` awaiting a decision, ranked: ``cluster_id, priority, relevance, basis``.

    ``decisions`` holds ``cluster_id`` and ``decision`` (include / exclude / maybe) of every decision
    so far; ``priority`` 1 is the record to read first. Deterministic given the decisions and the seed.
    ``features``: ``record_features(unique, settings)``, when the caller has it already.
    """
    settings = settings or PrioritySettings()
    ids = unique["cluster_id"].astype(str).to_numpy()
    matrix, query = features if features is not None else record_features(unique, settings, source)
    labels = record_labels(decisions, settings.maybe_counts_as)
    for cid in settings.known_relevant:
        if cid not in set(ids):
            raise InputError(source, f"known relevant record '{cid}' is not a unique record of this review",
                             field="screening.model.known_relevant", expected="a cluster_id of unique records")
        labels.loc[cid] = 1
    position = {cid: index for index, cid in enumerate(ids)}
    labelled = np.array([position[cid] for cid in labels.index if cid in position], dtype=int)
    label_values = np.array([labels[cid] for cid in labels.index if cid in position], dtype=int)
    score, basis = scores(matrix, labelled, label_values, settings, query)
    awaiting = np.setdiff1d(np.arange(len(ids)), labelled)
    tiebreak = np.array([sample_score(f"priority-{settings.seed}", cid) for cid in ids[awaiting]])
    order = awaiting[np.lexsort((tiebreak, -np.round(score[awaiting], 12)))] if basis != BASIS_FILE_ORDER \
        else awaiting
    n_in, n_out = int(label_values.sum()), int(len(label_values) - label_values.sum())
    words = {BASIS_MODEL: f"model trained on {n_in + n_out} decided records ({n_in} include, {n_out} exclude)",
             BASIS_SIMILARITY: "similarity to " + " and ".join(
                 (["the review's description"] if query is not None else [])
                 + ([f"{n_in} known relevant record(s)"] if n_in else [])) + " (no include and exclude yet)",
             BASIS_FILE_ORDER: "file order (no include yet and no description of the review to compare with)"}
    return pd.DataFrame({"cluster_id": ids[order], "priority": np.arange(1, len(order) + 1),
                         "relevance": np.round(score[order], 6), "basis": words[basis]},
                        columns=RANKED_COLUMNS)
