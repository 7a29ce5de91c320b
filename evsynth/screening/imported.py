"""Screening decisions made in another tool: ASReview, Rayyan or Covidence exports.

Each export is read as the tool writes it and every decided row becomes one evsynth decision
(cluster_id, reviewer, stage, decision, note), the record matched to its cluster by, in turn,
an id evsynth gave it (cluster_id or record_id), the DOI, the PMID, or the title (folded to words).
A row that matches no cluster, or more than one, is listed in ``unmatched`` with the reason;
nothing is dropped.

- ASReview LAB's exported dataset (CSV, TSV, XLSX): the label in ``asreview_label`` (LAB 2) or
  ``included`` (LAB 1, beside ``asreview_ranking``), 1 = relevant, 0 = irrelevant, empty or -1 =
  not screened; ``asreview_note`` or ``exported_notes_N`` as the note. One file is one reviewer's
  project: the reviewer is the file's name without extension unless one is given.
- Rayyan (articles.csv, or RIS with the notes in N1): ``RAYYAN-INCLUSION: {"Ana"=>"Included",
  "Ben"=>"Excluded"}`` in the notes gives one decision per reviewer (Included, Excluded, Maybe);
  ``RAYYAN-EXCLUSION-REASONS`` and ``RAYYAN-LABELS`` go into the note.
- Covidence (CSV with a ``Covidence #`` column, or RIS): a file is the export of one list, named by
  Covidence ``review_<n>_<list>_<csv|ris>_<time>``: ``irrelevant`` (excluded at title/abstract) is
  ``exclude``; ``select`` (full text review), ``included`` and ``excluded`` (excluded at full text,
  so passed at title/abstract) are ``include``; ``screen`` holds no decision yet. The reviewer is
  ``Covidence`` (the team's agreed list) unless one is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evsynth.errors import InputError
from evsynth.screening.decisions import DECISION_COLUMNS

STAGE = "title_abstract"
TOOLS = ("asreview", "rayyan", "covidence")
UNMATCHED_COLUMNS = ["source", "row", "tool", "reviewer", "decision", "given_id", "title", "doi", "pmid", "reason"]

_TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xlsm")
_ASREVIEW_LABELS = ("asreview_label", "included", "label_included", "included_label", "final_included")
_RAYYAN_INCLUSION = re.compile(r"RAYYAN-INCLUSION:\s*\{([^}]*)\}")
_RAYYAN_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=>\s*"((?:[^"\\]|\\.)*)"')
_RAYYAN_SECTION = re.compile(r"(RAYYAN-EXCLUSION-REASONS|RAYYAN-LABELS):\s*(.*?)\s*(?=\|\s*[A-Z][A-Z-]+:|$)", re.S)
_RAYYAN_DECISIONS = {"included": "include", "excluded": "exclude", "maybe": "maybe"}
_ASREVIEW_RIS = re.compile(r"\bASReview_(relevant|irrelevant|not_seen)\b")
# Covidence's list names as they appear in its export file names.
_COVIDENCE_LISTS = {"irrelevant": "exclude", "select": "include", "included": "include", "excluded": "include",
                    "screen": ""}
_COVIDENCE_NOTE = {"select": "Covidence list: full text review", "included": "Covidence list: included",
                   "excluded": "Covidence list: excluded at full text", "irrelevant": "Covidence list: irrelevant"}
_FILE_WORDS = re.compile(r"[a-z]+")
_PMID = re.compile(r"^\s*(?:PMID:?\s*|PUBMED\s+)?(\d{1,9})\s*$", re.I)


@dataclass
class ImportedDecisions:
    """One export's decisions (columns as ``decisions.read_decisions`` gives) and its unmatched rows."""

    tool: str
    decisions: pd.DataFrame
    unmatched: pd.DataFrame
    matched_by: pd.Series  # per decision row: 'id', 'doi', 'pmid' or 'title'


# --- reading the files ---------------------------------------------------------------------------

def _head(path: Path, size: int = 65536) -> str:
    with open(path, "rb") as handle:
        raw = handle.read(size)
    return raw.decode("utf-8-sig", errors="replace")


def _is_ris(head: str) -> bool:
    first = next((line for line in head.splitlines() if line.strip()), "")
    return bool(re.match(r"TY  -", first.lstrip("\ufeff")))


def detect_tool(path: str | Path) -> str | None:
    """'asreview', 'rayyan' or 'covidence' when the file is that tool's export, else None (from content)."""
    path = Path(path)
    if not path.is_file():
        return None
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from python_calamine import CalamineWorkbook

        try:  # the header row only (calamine: a worksheet of thousands of rows is not loaded for it)
            first = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(nrows=1)
        except Exception:  # noqa: BLE001 - not a workbook we can read: the table reader says why
            return None
        names = [str(c).strip().lower() for c in (first[0] if first else [])]
        return _tool_from_header(names, "")
    head = _head(path)
    if _is_ris(head):
        if "RAYYAN-INCLUSION" in head:
            return "rayyan"
        if _ASREVIEW_RIS.search(head):
            return "asreview"
        if re.search(r"^NS  -", head, re.M):
            return "covidence"
        return None
    first = next((line for line in head.splitlines() if line.strip()), "")
    names = [n.strip().strip('"').strip().lower() for n in re.split(r"[,\t;]", first)]
    return _tool_from_header(names, head)


def _tool_from_header(names: list[str], head: str) -> str | None:
    if "cluster_id" in names and "decision" in names:
        return None  # evsynth's own worksheet
    if "covidence #" in names:
        return "covidence"
    if "asreview_label" in names or ("included" in names and "asreview_ranking" in names) \
            or any(n.startswith("exported_notes") for n in names):
        return "asreview"
    if "key" in names and "notes" in names and ("RAYYAN-INCLUSION" in head or "\nrayyan-" in head):
        return "rayyan"
    return None


def _read_table(path: Path) -> pd.DataFrame:
    """The export as text cells ('' when empty), column names stripped and lower-cased."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            table = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        else:
            first = next((line for line in _head(path, 8192).splitlines() if line.strip()), "")
            sep = "\t" if first.count("\t") > first.count(",") else ";" if first.count(";") > first.count(",") else ","
            table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=sep)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        raise InputError(path, f"cannot be read as a table ({error})",
                         expected="the CSV, TSV or XLSX file the screening tool exported") from None
    table.columns = [str(c).strip().lower() for c in table.columns]
    table["_row"] = range(2, len(table) + 2)
    return table


def _read_ris(path: Path) -> pd.DataFrame:
    """One row per RIS record: its tags (repeated tags joined by ' | ') and the line of its TY tag."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    records: list[dict] = []
    current: dict | None = None
    tag = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"^([A-Z][A-Z0-9])  -(?: (.*)|$)", line)
        if match:
            tag, value = match.group(1), (match.group(2) or "").strip()
            if tag == "TY":
                current = {"_row": number}
                records.append(current)
            elif tag == "ER":
                current, tag = None, None
            elif current is not None and value:
                current[tag] = f"{current[tag]} | {value}" if tag in current else value
        elif current is not None and tag and line.strip():
            current[tag] = f"{current.get(tag, '')} {line.strip()}".strip()
    if not records:
        raise InputError(path, "no RIS record found", line=1, expected="records starting 'TY  - ' and ending 'ER  - '")
    frame = pd.DataFrame(records).fillna("")
    # The columns the tables use, so one matching step serves both.
    names = {"TI": "title", "T1": "title", "DO": "doi", "UR": "url", "N1": "notes", "ID": "id", "AN": "accession number",
             "LB": "label"}
    for tag_name, column in names.items():
        if tag_name in frame.columns:
            frame[column] = frame[column].where(frame[column] != "", frame[tag_name]) \
                if column in frame.columns else frame[tag_name]
    return frame


def _cells(table: pd.DataFrame, *names: str) -> pd.Series:
    """The first of these columns present, else empty text."""
    for name in names:
        if name in table.columns:
            return table[name].astype(str).str.strip()
    return pd.Series([""] * len(table), index=table.index, dtype=object)


# --- one row per decision, before matching -------------------------------------------------------

def _asreview_rows(path: Path, table: pd.DataFrame, reviewer: str | None) -> pd.DataFrame:
    name = reviewer or path.stem
    if "notes" in table.columns and "asreview_label" not in table.columns and "included" not in table.columns:
        # RIS: the label is a word in the notes (ASReview_relevant / ASReview_irrelevant).
        found = table["notes"].str.extract(_ASREVIEW_RIS, expand=False).fillna("")
        labels = found.map({"relevant": "1", "irrelevant": "0"}).fillna("")
    else:
        column = next((c for c in _ASREVIEW_LABELS if c in table.columns), None)
        if column is None:
            raise InputError(path, "an ASReview export without a label column", row=1, field="asreview_label",
                             expected="the dataset ASReview LAB exports, with asreview_label (or included)")
        labels = table[column].astype(str).str.strip()
    decision = labels.map(lambda v: {"1": "include", "1.0": "include", "0": "exclude", "0.0": "exclude"}.get(v, ""))
    bad = labels[(decision == "") & ~labels.isin(["", "-1", "-1.0", "nan", "<NA>"])]
    if len(bad):
        index = bad.index[0]
        raise InputError(path, f"label '{bad.iloc[0]}' is not an ASReview label", row=int(table.at[index, "_row"]),
                         field=column, expected="1 (relevant), 0 (irrelevant) or empty (not screened)")
    notes = _cells(table, "asreview_note", *sorted((c for c in table.columns if c.startswith("exported_notes")),
                                                    reverse=True))
    return pd.DataFrame({"reviewer": name, "decision": decision, "note": notes, "_row": table["_row"],
                         "_given": _cells(table, "record_id", "id")}, index=table.index)


def _rayyan_rows(path: Path, table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    notes = _cells(table, "notes")
    given = _cells(table, "key", "id")
    for index, text in notes.items():
        found = _RAYYAN_INCLUSION.search(text)
        extra = "; ".join(f"{'exclusion reasons' if key.endswith('REASONS') else 'labels'}: {value.strip()}"
                          for key, value in _RAYYAN_SECTION.findall(text) if value.strip())
        if not found:
            rows.append((index, "", "", extra))
            continue
        pairs = _RAYYAN_PAIR.findall(found.group(1))
        if not pairs:
            rows.append((index, "", "", extra))
        for name, value in pairs:
            decision = _RAYYAN_DECISIONS.get(value.strip().lower())
            if decision is None:
                raise InputError(path, f"Rayyan decision '{value}' of reviewer '{name}' is not one Rayyan writes",
                                 row=int(table.at[index, "_row"]), field="notes",
                                 expected='RAYYAN-INCLUSION: {"Name"=>"Included"|"Excluded"|"Maybe"}')
            rows.append((index, name.strip(), decision, extra))
    frame = pd.DataFrame(rows, columns=["_index", "reviewer", "decision", "note"])
    frame["_row"] = table.loc[frame["_index"], "_row"].to_numpy()
    frame["_given"] = given.loc[frame["_index"]].to_numpy()
    return frame.set_index("_index")


def covidence_list(path: Path) -> str:
    """The Covidence list a file is the export of, from the name Covidence gave it."""
    found = [word for word in _FILE_WORDS.findall(path.stem.lower()) if word in _COVIDENCE_LISTS]
    if len(set(found)) != 1:
        raise InputError(path, "the file name does not say which Covidence list was exported"
                         + (f" (it names {', '.join(sorted(set(found)))})" if found else ""),
                         field="file name", expected="the name Covidence gives the export, e.g. "
                         "review_123456_irrelevant_csv_20240101120000.csv: one of irrelevant (excluded at title/"
                         "abstract), select (full text review), included, excluded (at full text), screen")
    return found[0]


def _covidence_rows(path: Path, table: pd.DataFrame, reviewer: str | None) -> pd.DataFrame:
    listed = covidence_list(path)
    decision = _COVIDENCE_LISTS[listed]
    notes = _cells(table, "notes", "n1")
    note = _COVIDENCE_NOTE.get(listed, "")
    full = notes.map(lambda text: "; ".join(part for part in (note, text.strip()) if part))
    return pd.DataFrame({"reviewer": reviewer or "Covidence", "decision": decision, "note": full,
                         "_row": table["_row"], "_given": _cells(table, "covidence #")}, index=table.index)


# --- matching to clusters ------------------------------------------------------------------------

class _ClusterIndex:
    """Look-ups from an id, DOI, PMID or title key to the cluster(s) holding it."""

    def __init__(self, unique: pd.DataFrame) -> None:
        from evsynth.dedup.normalise import words
        from evsynth.records import normalise_doi

        self.words, self.normalise_doi = words, normalise_doi
        self.ids: dict[str, set[str]] = {}
        self.dois: dict[str, set[str]] = {}
        self.pmids: dict[str, set[str]] = {}
        self.titles: dict[str, set[str]] = {}
        cids = unique["cluster_id"].astype(str).tolist()
        members = (unique["record_ids"].fillna("").astype(str).str.split("; ").tolist()
                   if "record_ids" in unique.columns else [[] for _ in cids])
        for cid, records in zip(cids, members):
            self.ids.setdefault(cid, set()).add(cid)
            for record_id in records:
                if record_id:
                    self.ids.setdefault(record_id, set()).add(cid)
                    self.ids.setdefault(f"C-{record_id}", set()).add(cid)
        for column, table, key in (("doi", self.dois, self.doi_key), ("pmid", self.pmids, self.pmid_key),
                                   ("title", self.titles, self.title_key)):
            if column in unique.columns:
                for cid, value in zip(cids, unique[column].tolist()):
                    found = key(value)
                    if found:
                        table.setdefault(found, set()).add(cid)

    def doi_key(self, value) -> str:
        return self.normalise_doi(str(value)) or "" if isinstance(value, str) and value else ""

    @staticmethod
    def pmid_key(value) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        match = _PMID.match(str(value))
        return match.group(1).lstrip("0") if match else ""

    def title_key(self, value) -> str:
        if not isinstance(value, str) or not value.strip():
            return ""
        key = self.words(value)
        return key if len(key) >= 10 else ""  # a few letters ('Editorial') would match too much

    def match(self, given: list[str], doi: str, pmid: str, title: str) -> tuple[str | None, str, str]:
        """(cluster_id or None, matched_by, reason when unmatched)."""
        ambiguous = ""
        for kind, table, key in (("id", self.ids, None), ("doi", self.dois, doi), ("pmid", self.pmids, pmid),
                                 ("title", self.titles, title)):
            candidates: set[str] = set()
            if kind == "id":
                for value in given:
                    candidates |= self.ids.get(value, set())
            elif key:
                candidates = table.get(key, set())
            if len(candidates) == 1:
                return next(iter(candidates)), kind, ""
            if len(candidates) > 1 and not ambiguous:
                ambiguous = f"its {kind} matches {len(candidates)} unique records ({', '.join(sorted(candidates))})"
        if ambiguous:
            return None, "", ambiguous
        if not (doi or pmid or title):
            return None, "", "no id, DOI, PMID or title to match"
        return None, "", "no unique record has its id, DOI, PMID or title"


def import_decisions(path: str | Path, unique: pd.DataFrame, *, reviewer: str | None = None,
                     tool: str | None = None) -> ImportedDecisions:
    """Decisions of an ASReview, Rayyan or Covidence export, matched to the unique records' clusters.

    ``tool`` is detected from the content when not given; ``reviewer`` names the reviewer of an
    ASReview or Covidence export (default: the file name without extension, and 'Covidence').
    Stops with an InputError naming file, row and field on a label or decision the tool does not
    write, and on a file that holds no decided row.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file does not exist", expected="an ASReview, Rayyan or Covidence export")
    tool = tool or detect_tool(path)
    if tool not in TOOLS:
        raise InputError(path, "not an ASReview, Rayyan or Covidence export", row=1,
                         expected="ASReview's exported dataset (asreview_label or included), Rayyan's articles.csv "
                                  "(RAYYAN-INCLUSION in notes) or a Covidence export (Covidence # column, or RIS)")
    table = _read_ris(path) if _is_ris(_head(path, 4096)) else _read_table(path)
    if tool == "asreview":
        rows = _asreview_rows(path, table, reviewer)
    elif tool == "rayyan":
        rows = _rayyan_rows(path, table)
    else:
        rows = _covidence_rows(path, table, reviewer)
    rows = rows[rows["decision"] != ""]
    if rows.empty:
        raise InputError(path, f"the {tool} export holds no screening decision", row=2,
                         expected={"asreview": "rows labelled 1 or 0 in asreview_label (or included)",
                                   "rayyan": 'notes with RAYYAN-INCLUSION: {"Name"=>"Included"}',
                                   "covidence": "the export of a list with decisions (irrelevant, select, "
                                                "included or excluded)"}[tool])

    index = _ClusterIndex(unique)
    title = _cells(table, "title", "primary_title")
    doi = _cells(table, "doi")
    url = _cells(table, "url")
    pmid = _cells(table, "pmid", "pubmed_id", "pubmed id", "pubmed")
    accession = _cells(table, "accession number")
    ids = [_cells(table, name) for name in ("cluster_id", "record_id", "evsynth_id", "key", "id")
           if name in table.columns]
    from evsynth.readers.common import doi_from_url

    keys = {}
    for position in rows.index.unique():
        record_doi = index.doi_key(doi.at[position]) or (doi_from_url(url.at[position]) or "")
        record_pmid = index.pmid_key(pmid.at[position]) or index.pmid_key(accession.at[position])
        given = [series.at[position] for series in ids if series.at[position]]
        keys[position] = (index.match(given, record_doi, record_pmid, index.title_key(title.at[position])),
                          record_doi, record_pmid)

    matched, unmatched, how = [], [], []
    for position, row in rows.iterrows():
        (cluster_id, matched_by, reason), record_doi, record_pmid = keys[position]
        if cluster_id is None:
            unmatched.append({"source": str(path), "row": int(row["_row"]), "tool": tool, "reviewer": row["reviewer"],
                              "decision": row["decision"], "given_id": row["_given"], "title": title.at[position],
                              "doi": record_doi, "pmid": record_pmid, "reason": reason})
            continue
        matched.append({"cluster_id": cluster_id, "reviewer": row["reviewer"], "stage": STAGE,
                        "decision": row["decision"], "note": row["note"], "source": str(path), "row": int(row["_row"]),
                        "given_id": row["_given"] or cluster_id})
        how.append(matched_by)
    decisions = pd.DataFrame(matched, columns=DECISION_COLUMNS)
    return ImportedDecisions(tool, decisions, pd.DataFrame(unmatched, columns=UNMATCHED_COLUMNS),
                             pd.Series(how, dtype=object, name="matched_by"))
