"""The comparison keys: titles, notices, authors, pages, journal abbreviations, title numbers."""

from __future__ import annotations

import pytest

from evsynth.dedup.journals import names_similarity
from evsynth.dedup.normalise import journal_names, parse_author, parse_pages, parse_title, title_language
from evsynth.dedup.scoring import title_numbers


@pytest.mark.parametrize("raw, key, kind", [
    ("[Research on fast track surgery in lung cancer surgery] LA: Chi",
     "research on fast track surgery in lung cancer surgery", "article"),
    ("U.K. controlled trial of streptokinase.[Erratum appears in N Engl J Med. 2005;352:2146]",
     "u k controlled trial of streptokinase", "article"),
    ("Erratum to: How do requirements evolve over time?", "erratum to how do requirements evolve over time",
     "erratum"),
    ("Correction of scoliosis in adolescents", "correction of scoliosis in adolescents", "article"),
    ("RETRACTED: Effects of X on Y", "effects of x on y", "article"),
    ("Retraction notice to: Effects of X on Y", "retraction notice to effects of x on y", "retraction"),
    ("Re: Effects of X on Y", "re effects of x on y", "comment"),
    ("Efficacy of &lt;i&gt;TNF-α&lt;/i&gt; blockade", "efficacy of tnf alpha blockade", "article"),
])
def test_titles(raw, key, kind):
    info = parse_title(raw)
    assert (info.key, info.kind) == (key, kind)


def test_two_titles_in_one_field_keep_the_second():
    info = parse_title("Utilidad de los antimicrobianos en la toracostomía; Are antimicrobials useful in thoracostomy?")
    assert info.key == "utilidad de los antimicrobianos en la toracostomia"
    assert info.alt == "are antimicrobials useful in thoracostomy"
    assert info.translated


def test_journal_name_in_the_title_field_is_removed():
    names = journal_names("Lancet Oncology")
    assert parse_title("Lancet Oncology: Afatinib for lung adenocarcinoma", names).key == "afatinib for lung adenocarcinoma"


def test_language_of_a_title():
    assert title_language("the effect of exercise on mood") == "en"
    assert title_language("zum aktuellen stand des plattformkapitalismus und der arbeit") == "other"


@pytest.mark.parametrize("raw, expected", [
    ("Gillard, Steve", ("gillard", "steve")), ("Gillard S", ("gillard", "s")), ("S. Gillard", ("gillard", "s")),
    ("van Schalkwyk, E. M.", ("schalkwyk", "e")), ("Lynch Jr, T. J.", ("lynch", "t")),
    ("Ekmekçio?lu, O.", ("ekmekciolu", "o")), ("Азьмук, Н. А.", ("azmuk", "n")), ("Smith J, et al.", ("smith", "j")),
])
def test_authors(raw, expected):
    assert parse_author(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("742-8; discussion 748-9", ("742", "748")), ("233-8, 230-5, 246-51", ("230", "235")),
    ("S33-38", ("s33", "s38")), ("e43268", ("e43268", "")), ("376 -- 383", ("376", "383")),
    # ranges a spreadsheet took for dates: '1-8' as 1 August, '7-23' as 23 July, '9-17' as Sep 2017
    ("01-Aug", ("1", "8")), ("23-Jul", ("7", "23")), ("Sep-17", ("9", "17")),
    ("01-Jun-2015", ("", "")), ("Suppl-41", ("", "")),
])
def test_pages(raw, expected):
    assert parse_pages(raw) == expected


@pytest.mark.parametrize("a, b, same", [
    ("European Journal of Cardio-Thoracic Surgery", "Eur J Cardiothorac Surg", True),
    ("The Journal of thoracic and cardiovascular surgery", "Jthoraccardiovascsurg", True),
    ("Deutsche Medizinische Wochenschrift", "Dtsch-Med-Wochenschr", True),
    ("Journal of the National Cancer Institute", "J Natl Cancer Inst", True),
    ("JPEN. Journal of parenteral and enteral nutrition", "Jpen: Journal of Parenteral & Enteral Nutrition", True),
    ("Americas Conference on Information Systems", "AMCIS 2017 Proceedings", True),
    ("Journal of Clinical Oncology", "J Oncol", False),
    ("Lancet", "Lancet Oncology", False),
])
def test_journal_abbreviations(a, b, same):
    assert (names_similarity(journal_names(a), journal_names(b)) >= 0.9) is same


def test_title_numbers():
    assert title_numbers("linomide in ms part i trial design") == ("1 p1", True)
    assert title_numbers("linomide in ms part 1 trial design")[0] == title_numbers("linomide in ms part i trial design")[0]
    assert title_numbers("focus 2 a randomized trial")[0] != title_numbers("focus 1 a randomized trial")[0]
    assert title_numbers("effects of exercise") == ("", False)
    assert title_numbers("results of the trial in adults 2")[1]  # a trailing part number
    assert title_numbers("outcomes of patients with covid 19")[0] == title_numbers("outcomes of patients with covid19")[0]


def _arrow_records(titles, authors, journals):
    import pandas as pd
    import pyarrow as pa

    # two chunks, as two exports compacted one after the other (evsynth.dedup.storage)
    half = len(titles) // 2
    return pd.DataFrame({
        "record_id": [f"r{k}" for k in range(len(titles))],
        "title": pd.arrays.ArrowExtensionArray(pa.chunked_array([pa.array(titles[:half], pa.string()),
                                                                 pa.array(titles[half:], pa.string())])),
        "authors": pd.arrays.ArrowExtensionArray(pa.chunked_array(
            [pa.array(authors[:half], pa.list_(pa.string())), pa.array(authors[half:], pa.list_(pa.string()))])),
        "journal": pd.arrays.ArrowExtensionArray(pa.array(journals, pa.string())),
    })


def test_keys_of_arrow_columns_are_those_of_python_columns():
    """Records held in Arrow (the CLI) get the keys records held as Python objects (the workflow) get."""
    import numpy as np
    import pandas as pd

    from evsynth.dedup.normalise import prepare

    titles = ["Lancet Oncology: Trial of drug X in advanced lung cancer", None, "  Effects of X on Y  ",
              "Effects of X on Y", "Lancet Oncology", "[Wirkung von X] Effects of X"]
    authors = [["Smith, J.", None, "et al.", "van der Berg, A"], None, [], [f"N{k}, A" for k in range(14)],
               ["Иванов, И. И.", "Anonymous"], ["Müller, Jürgen", "O'Neil, Mary-Ann"]]
    journals = ["Lancet Oncology", None, "Stroke", "Stroke", "Lancet Oncology", "Der Nervenarzt"]
    arrow = prepare(_arrow_records(titles, authors, journals))
    python = prepare(pd.DataFrame({"record_id": [f"r{k}" for k in range(6)], "title": titles,
                                   "authors": authors, "journal": journals}))
    assert list(arrow.title) == ["trial of drug x in advanced lung cancer", "", "effects of x on y",
                                 "effects of x on y", "", "wirkung von x"]
    assert list(arrow.authors[:2]) == ["smith berg", ""]
    assert arrow.authors[3] == " ".join(f"n{k}" for k in range(12))
    assert list(arrow.n_authors) == [2, 0, 0, 12, 1, 2]
    assert list(arrow.first_author) == ["smith", "", "", "n0", "ivanov", "muller"]
    assert list(arrow.authors_other_script) == [False, False, False, False, True, False]
    for name in ("title", "title_alt", "translated", "kind", "authors", "authors_given", "first_author",
                 "n_authors", "authors_other_script", "language"):
        assert np.array_equal(getattr(arrow, name), getattr(python, name)), name
