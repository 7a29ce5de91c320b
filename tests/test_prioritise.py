"""Ranking records awaiting a decision: basis, order, scores against scikit-learn, settings checked."""

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from evsynth.errors import InputError
from evsynth.screening.prioritise import (
    PrioritySettings,
    prioritise,
    priority_settings,
    record_features,
    record_texts,
)

PEER = ["Peer support workers in community mental health teams", "Peer support work: a qualitative study of "
        "mental health services", "Implementing peer support in mental health wards"]
OTHER = ["Corrosion of steel bridge cables", "Soil mechanics of river embankments", "Bridge deck fatigue under "
         "traffic loads", "Traffic noise near river embankments"]


def _unique(titles=PEER + OTHER, keywords=None):
    frame = pd.DataFrame({"cluster_id": [f"C-{i:02d}" for i in range(len(titles))], "title": titles,
                          "abstract": "", "year": 2020})
    if keywords is not None:
        frame["keywords"] = keywords
    return frame


def _decisions(*pairs):
    return pd.DataFrame(pairs, columns=["cluster_id", "decision"])


def test_model_ranks_by_the_decisions_and_scores_as_scikit_learn_does():
    unique = _unique()
    ranked = prioritise(unique, _decisions(("C-00", "include"), ("C-03", "exclude")))
    assert list(ranked.columns) == ["cluster_id", "priority", "relevance", "basis"]
    assert set(ranked["cluster_id"]) == set(unique["cluster_id"]) - {"C-00", "C-03"}  # decided: not ranked
    assert list(ranked["priority"]) == [1, 2, 3, 4, 5]
    assert set(ranked["cluster_id"][:2]) == {"C-01", "C-02"}  # the two other peer-support records first
    assert ranked["basis"].iloc[0] == "model trained on 2 decided records (1 include, 1 exclude)"
    # The reference: the same TF-IDF and class-weighted logistic regression fitted directly. Balanced
    # weights of one include and one exclude are 1 and 1; the default include_weight makes the first 10.
    texts = record_texts(unique)
    matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode").fit_transform(texts)
    model = LogisticRegression(C=1.0, solver="liblinear", dual=True, class_weight={0: 1.0, 1: 10.0}, max_iter=1000,
                               random_state=0)
    model.fit(matrix[[0, 3]], [1, 0])
    expected = model.decision_function(matrix)
    by_id = dict(zip(unique["cluster_id"], expected))
    assert np.allclose(ranked["relevance"], [round(by_id[c], 6) for c in ranked["cluster_id"]], atol=1e-6)
    assert (np.diff(ranked["relevance"]) <= 0).all()


def test_before_any_include_similarity_to_the_description():
    unique = _unique()
    settings = PrioritySettings(description="peer support in mental health services")
    ranked = prioritise(unique, _decisions(("C-04", "exclude")), settings)
    assert set(ranked["cluster_id"][:3]) == set(unique["cluster_id"][:3])
    assert ranked["basis"].iloc[0] == "similarity to the review's description (no include and exclude yet)"
    # Cosine similarity of each record's TF-IDF vector to the description's (vectoriser fitted on records).
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")
    matrix = vectoriser.fit_transform(record_texts(unique))
    query = vectoriser.transform([settings.description]).toarray().ravel()
    cosine = matrix.toarray() @ (query / np.linalg.norm(query))
    by_id = dict(zip(unique["cluster_id"], cosine))
    assert np.allclose(ranked["relevance"], [by_id[c] for c in ranked["cluster_id"]], atol=1e-6)
    assert (ranked["relevance"].iloc[3:] == 0).all()  # no word in common with the description


def test_known_relevant_records_rank_their_neighbours_first():
    settings = priority_settings({"known_relevant": ["C-01"]})
    ranked = prioritise(_unique(), _decisions(), settings)
    assert set(ranked["cluster_id"][:2]) == {"C-00", "C-02"} and "C-01" not in set(ranked["cluster_id"])
    assert ranked["basis"].iloc[0] == "similarity to 1 known relevant record(s) (no include and exclude yet)"


def test_no_include_and_no_description_keeps_file_order_and_says_so():
    ranked = prioritise(_unique(), _decisions(("C-06", "exclude")))
    assert list(ranked["cluster_id"]) == [f"C-{i:02d}" for i in range(6)]
    assert ranked["basis"].iloc[0].startswith("file order")


def test_maybe_trains_as_include_unless_set_otherwise():
    decisions = _decisions(("C-00", "maybe"), ("C-03", "exclude"))
    assert prioritise(_unique(), decisions)["basis"].iloc[0].endswith("(1 include, 1 exclude)")
    strict = prioritise(_unique(), decisions, PrioritySettings(maybe_counts_as="exclude"))
    assert strict["basis"].iloc[0].startswith("file order")


def test_keywords_count_and_lists_are_read():
    keywords = [["peer support"], [], [], [], [], [], ["peer support"]]
    titles = ["Service A", "Service B", "Service C", "Service D", "Service E", "Service F", "Service G"]
    ranked = prioritise(_unique(titles, keywords), _decisions(("C-00", "include"), ("C-01", "exclude")))
    assert ranked["cluster_id"].iloc[0] == "C-06"


def test_ties_are_broken_by_the_seed_the_same_way_every_run():
    unique = _unique(["Same words here"] * 6 + ["Peer support"])
    decisions = _decisions(("C-06", "include"), ("C-05", "exclude"))
    first = prioritise(unique, decisions, PrioritySettings(seed=1))
    assert first.equals(prioritise(unique, decisions, PrioritySettings(seed=1)))
    orders = {tuple(prioritise(unique, decisions, PrioritySettings(seed=s))["cluster_id"]) for s in range(1, 6)}
    assert len(orders) > 1  # a different seed breaks the ties differently


def test_no_text_in_any_record_is_an_error():
    with pytest.raises(InputError, match="no record has a title, abstract or keywords"):
        prioritise(_unique(["", ""]), _decisions())


def test_known_relevant_must_be_a_record():
    with pytest.raises(InputError) as error:
        prioritise(_unique(), _decisions(), PrioritySettings(known_relevant=("C-99",)))
    assert error.value.field == "screening.model.known_relevant" and "C-99" in str(error.value)


@pytest.mark.parametrize("values, field, expected", [
    ({"C": "high"}, "screening.model.C", "a number"),
    ({"C": 0}, "screening.model.C", "a number above 0"),
    ({"ngram_max": 4}, "screening.model.ngram_max", "a whole number from 1 to 3"),
    ({"ngram_max": 1.5}, "screening.model.ngram_max", "a whole number"),
    ({"seed": True}, "screening.model.seed", "a whole number"),
    ({"class_weight": "equal"}, "screening.model.class_weight", "'balanced' or 'none'"),
    ({"classifier": "forest"}, "screening.model.classifier", "'logistic' or 'svm'"),
    ({"include_weight": -1}, "screening.model.include_weight", "a number above 0"),
    ({"keywords": 1}, "screening.model.keywords", "true or false"),
    ({"sublinear_tf": "yes"}, "screening.model.sublinear_tf", "true or false"),
    ({"known_relevant": [3]}, "screening.model.known_relevant", "a list of cluster_ids"),
    ({"learning_rate": 1}, "screening.model.learning_rate", "one of seed, classifier, C"),
])
def test_settings_of_the_wrong_type_or_range_name_the_setting(values, field, expected):
    with pytest.raises(InputError) as error:
        priority_settings(values, source="config/config.yaml")
    assert error.value.field == field and expected in error.value.expected
    assert str(error.value).startswith("config/config.yaml, field '" + field)


def test_settings_accept_good_values():
    settings = priority_settings({"C": 2, "ngram_max": 1, "known_relevant": "C-01", "class_weight": "none"})
    assert settings == PrioritySettings(C=2.0, ngram_max=1, known_relevant=("C-01",), class_weight="none")


def test_features_computed_once_give_the_same_ranking():
    unique, settings = _unique(), PrioritySettings(description="mental health")
    decisions = _decisions(("C-00", "include"), ("C-03", "exclude"))
    features = record_features(unique, settings)
    assert prioritise(unique, decisions, settings, features=features).equals(prioritise(unique, decisions, settings))


def test_svm_and_include_weight_score_as_scikit_learn_does():
    from sklearn.svm import LinearSVC

    unique = _unique()
    settings = PrioritySettings(classifier="svm", C=0.11, include_weight=9.8)
    decisions = _decisions(("C-00", "include"), ("C-03", "exclude"), ("C-04", "exclude"))
    ranked = prioritise(unique, decisions, settings)
    matrix, _ = record_features(unique, settings)
    # balanced: n / (2 n_class) = 3 / 4 for exclude, 3 / 2 for include, times 9.8
    model = LinearSVC(C=0.11, class_weight={0: 0.75, 1: 1.5 * 9.8}, random_state=0, max_iter=5000)
    model.fit(matrix[[0, 3, 4]], [1, 0, 0])
    by_id = dict(zip(unique["cluster_id"], model.decision_function(matrix)))
    assert np.allclose(ranked["relevance"], [round(by_id[c], 6) for c in ranked["cluster_id"]], atol=1e-6)


def test_separate_fields_weigh_title_abstract_and_keywords_each_on_its_own():
    # Reference: scikit-learn's TfidfVectorizer fitted on each field alone, rows times 1 (title), 2
    # (abstract) and 0.5 (keywords), side by side, each row scaled to unit length. Hashing orders the
    # columns differently, so the records' cosine similarities (rows times rows) are compared.
    titles = ["Peer support workers", "Peer support in wards", "Bridge cables", "River embankments"]
    abstracts = ["A long abstract about mental health services and the peer workers employed in them",
                 "", "Corrosion of steel cables in long bridges", "Soil and water"]
    keywords = ["mental health", "peer support", "", "soil"]
    unique = _unique(titles, keywords).assign(abstract=abstracts)
    matrix, _ = record_features(unique, PrioritySettings(abstract_weight=2.0, keywords_weight=0.5))
    blocks = []
    for texts, weight in ((titles, 1.0), (abstracts, 2.0), (keywords, 0.5)):
        vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")
        blocks.append(vectoriser.fit_transform(texts).toarray() * weight)
    reference = np.hstack(blocks)
    reference /= np.linalg.norm(reference, axis=1, keepdims=True)
    assert np.allclose((matrix @ matrix.T).toarray(), reference @ reference.T, atol=1e-9)
    # The second record has no abstract: its title and keywords carry all of its length.
    assert (matrix @ matrix.T).toarray()[1, 1] == pytest.approx(1.0)
    # fields "joined" is the TF-IDF of one text of the three fields
    joined, _ = record_features(unique, PrioritySettings(fields="joined"))
    one_text = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode").fit_transform(
        record_texts(unique)).toarray()
    assert np.allclose((joined @ joined.T).toarray(), one_text @ one_text.T, atol=1e-9)


def test_field_weights_are_checked():
    with pytest.raises(InputError) as error:
        priority_settings({"keywords_weight": -1})
    assert error.value.field == "screening.model.keywords_weight" and "from 0 up" in str(error.value)
    with pytest.raises(InputError) as error:
        priority_settings({"fields": "both"})
    assert error.value.field == "screening.model.fields"
