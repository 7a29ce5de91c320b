"""People's tables that look fine but are not: formulas, columns named twice, a missing column, XML bombs."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from evsynth.cli import main
from evsynth.errors import InputError
from evsynth.inputs import validate_tables
from evsynth.screening import screen
from evsynth.tables import read_table

HEADER = ["cluster_id", "reviewer", "stage", "decision"]
IDS = ["C-a", "C-b", "C-c", "C-d"]


def workbook(path: Path, rows: list[list], title: str = "decisions") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def with_saved_values(path: Path, values: dict[str, str]) -> Path:
    """Store a result for formula cells, as Excel and LibreOffice do when they save (openpyxl stores none).

    openpyxl writes the empty value as ``<v/>`` or, with lxml installed, ``<v></v>``.
    """
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, value in values.items():
        sheet = re.sub(rf'<c r="{cell}"><f>([^<]*)</f>(?:<v\s*/>|<v></v>)', rf'<c r="{cell}" t="str"><f>\1</f><v>{value}</v>',
                       sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def decisions_with_formulas(path: Path) -> Path:
    return workbook(path, [HEADER, ["C-a", "DT", "title_abstract", "include"],
                           ["C-b", "DT", "title_abstract", '=IF(1=1,"exclude","include")'],
                           ["C-c", "DT", "title_abstract", "=D2"], ["C-d", "DT", "title_abstract", "=D3"]])


def unique() -> pd.DataFrame:
    return pd.DataFrame({"cluster_id": IDS, "title": [f"Record {c}" for c in IDS], "abstract": "", "authors": [[]] * 4,
                         "year": pd.array([2016] * 4, dtype="Int64"), "journal": "", "doi": ""})


# --- 1: formula cells ---------------------------------------------------------------------------

def test_a_formula_without_a_saved_value_names_sheet_cell_row_and_column(tmp_path):
    path = decisions_with_formulas(tmp_path / "DT.xlsx")
    with pytest.raises(InputError) as caught:
        read_table(path, "screening_decisions")
    message = str(caught.value)
    assert message.startswith(f"{path}, row 3, field 'decision': cell D3 of sheet 'decisions' holds the formula "
                              "=IF(1=1,\"exclude\",\"include\") but no saved value (3 such cells: D3, D4, D5)")
    assert "expected" in message
    # the screening stage stops too: the three decisions are never read as 'undecided'
    with pytest.raises(InputError, match=r"DT\.xlsx, row 3, field 'decision': cell D3 of sheet 'decisions'"):
        screen(unique(), [path], fraction=0.5, seed=1)


def test_formulas_with_saved_values_are_read_and_counted(tmp_path):
    path = with_saved_values(decisions_with_formulas(tmp_path / "DT.xlsx"),
                             {"D3": "exclude", "D4": "include", "D5": "exclude"})
    frame = read_table(path, "screening_decisions")
    assert list(frame["decision"]) == ["include", "exclude", "include", "exclude"]
    assert frame.attrs["formula_cells"] == ["D3", "D4", "D5"]
    result = screen(unique(), [path], fraction=0.5, seed=1)
    status = dict(zip(result.status["key"], result.status["value"]))
    assert status["records_decided"] == 4 and status["passed_to_full_text"] == 2
    summary = validate_tables({"screening": {"decisions": ["DT.xlsx"]}}, tmp_path)
    assert summary.loc[0, ["rows", "formula_cells"]].tolist() == [4, "D3, D4, D5"]


def test_validate_command_says_how_many_formulas_it_read(tmp_path, capsys):
    path = with_saved_values(decisions_with_formulas(tmp_path / "DT.xlsx"),
                             {"D3": "exclude", "D4": "include", "D5": "exclude"})
    assert main(["validate", str(path), "--kind", "screening_decisions"]) == 0
    assert "4 rows, valid screening_decisions table; 3 formula cells read from their saved values (D3, D4, D5)" \
        in capsys.readouterr().out


# --- 5: a column named twice --------------------------------------------------------------------

@pytest.mark.parametrize("header", [["cluster_id", "reviewer", "stage", "decision", "Decision"],
                                    ["cluster_id", "reviewer", "stage", "decision", "decision"],
                                    ["cluster_id", "reviewer", "stage", "decision", " DECISION "]])
def test_a_column_named_twice_names_the_file_and_the_columns(tmp_path, header):
    path = tmp_path / "DT.csv"
    path.write_text(",".join(header) + "\nC-a,DT,title_abstract,include,exclude\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_table(path, "screening_decisions")
    assert str(caught.value) == (
        f"{path}, row 1, field 'decision': columns D ('{header[3]}') and E ('{header[4]}') both name 'decision' "
        "(column names are matched ignoring case and surrounding spaces); expected each column once")
    xlsx = workbook(tmp_path / "DT.xlsx", [header, ["C-a", "DT", "title_abstract", "include", "exclude"]])
    with pytest.raises(InputError, match=r"DT\.xlsx, row 1, field 'decision': columns D .* and E .* both name"):
        read_table(xlsx, "screening_decisions")


def test_the_agreement_command_refuses_a_column_named_twice(tmp_path, capsys):
    path = tmp_path / "both.csv"
    path.write_text("record_id,reviewer,decision,Decision\nr1,DT,include,exclude\nr1,RN,include,include\n",
                    encoding="utf-8")
    assert main(["agreement", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "columns C ('decision') and D ('Decision') both name 'decision'" in capsys.readouterr().err


# --- 6: no decision column ----------------------------------------------------------------------

def test_a_decisions_table_without_a_decision_column_says_so(tmp_path):
    path = tmp_path / "DT.csv"
    path.write_text("cluster_id,reviewer,stage,verdict\nC-a,DT,title_abstract,include\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        screen(unique(), [path], fraction=0.5, seed=1)
    assert str(caught.value) == (f"{path}, row 1, field 'decision': there is no 'decision' column (found: cluster_id, "
                                 "reviewer, stage, verdict); expected a header with cluster_id, reviewer, stage, "
                                 "decision (a decision cell may be empty: not yet decided)")


# --- 7: XML entity declarations inside a workbook -----------------------------------------------

def billion_laughs(path: Path, part: str = "xl/worksheets/sheet1.xml") -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">' for i in range(1, 10))
    xml = parts[part].decode()
    xml = re.sub(r"^<\?xml[^>]*\?>", "", xml)
    xml = f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{entities}]>' + xml
    xml = xml.replace("</sheetData>", '<row r="9"><c r="A9" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>')
    parts[part] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


EXPECTED_BOMB = ("declares XML entities (a DOCTYPE in xl/worksheets/sheet1.xml), which Excel and LibreOffice never "
                 "write: an entity expansion attack ('billion laughs') would make reading it use gigabytes of "
                 "memory, so it is not read")


def test_an_entity_bomb_in_a_table_names_the_file_and_says_why(tmp_path):
    path = billion_laughs(workbook(tmp_path / "sites.xlsx", [["site", "rater"], ["Ulm", "DT"]]))
    with pytest.raises(InputError) as caught:
        read_table(path, "measure_sites")
    assert str(caught.value).startswith(f"{path}: {EXPECTED_BOMB}; expected ")


def test_an_entity_bomb_in_an_export_names_the_file_and_says_why(tmp_path):
    from evsynth.readers import read_export

    path = billion_laughs(workbook(tmp_path / "export.xlsx", [["Title", "Year"], ["Peer support", "2016"]]))
    with pytest.raises(InputError) as caught:
        read_export(path)
    assert str(caught.value).startswith(f"{path}: {EXPECTED_BOMB}; expected ")
