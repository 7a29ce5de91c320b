"""PRISMA 2020 flow counts, computed from the outputs of ingest, deduplication and screening.

Written in the CSV format of the PRISMA2020 R package (Haddaway et al. 2022; its
``inst/extdata/PRISMA.csv`` template: columns ``data,node,box,description,boxtext,tooltips,url,n``),
so the counts can be fed to the Shiny app or ``PRISMA_flowdiagram()`` unchanged.

Records from other sources (``source_type: other``) that were deduplicated and screened together
with the database records are counted in the databases-and-registers column, and named in
``database_specific_results``, so that column adds up (identified - duplicates = screened); the
other-methods column then stays at zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# (data, node, box, description, boxtext, tooltips, url): the rows of the PRISMA2020 template.
TEMPLATE = [
    ("NA", "node4", "prevstud", "Grey title box; Previous studies", "Previous studies",
     "Grey title box; Previous studies", "prevstud.html"),
    ("previous_studies", "node5", "box1", "Studies included in previous version of review",
     "Studies included in previous version of review", "Studies included in previous version of review",
     "previous_studies.html"),
    ("previous_reports", "NA", "box1", "Reports of studies included in previous version of review",
     "Reports of studies included in previous version of review", "NA", "previous_reports.html"),
    ("NA", "node6", "newstud", "Yellow title box; Identification of new studies via databases and registers",
     "Identification of new studies via databases and registers",
     "Yellow title box; Identification of new studies via databases and registers", "newstud.html"),
    ("database_results", "node7", "box2", "Records identified from: Databases", "Databases",
     "Records identified from: Databases and Registers", "database_results.html"),
    ("database_specific_results", "NA", "box2", "Records identified from: specific databases",
     "Specific Databases", "NA", "database_results.html"),
    ("register_results", "NA", "box2", "Records identified from: Registers", "Registers", "NA", "NA"),
    ("register_specific_results", "NA", "box2", "Records identified from: specific registers",
     "Specific Registers", "NA", "database_results.html"),
    ("NA", "node16", "othstud", "Grey title box; Identification of new studies via other methods",
     "Identification of new studies via other methods",
     "Grey title box; Identification of new studies via other methods", "othstud.html"),
    ("website_results", "node17", "box11", "Records identified from: Websites", "Websites",
     "Records identified from: Websites, Organisations and Citation Searching", "website_results.html"),
    ("organisation_results", "NA", "box11", "Records identified from: Organisations", "Organisations", "NA", "NA"),
    ("citations_results", "NA", "box11", "Records identified from: Citation searching", "Citation searching",
     "NA", "NA"),
    ("duplicates", "node8", "box3", "Duplicate records", "Duplicate records", "Duplicate records",
     "duplicates.html"),
    ("excluded_automatic", "NA", "box3", "Records marked as ineligible by automation tools",
     "Records marked as ineligible by automation tools", "NA", "NA"),
    ("excluded_other", "NA", "box3", "Records removed for other reasons", "Records removed for other reasons",
     "NA", "NA"),
    ("records_screened", "node9", "box4", "Records screened (databases and registers)", "Records screened",
     "Records screened (databases and registers)", "records_screened.html"),
    ("records_excluded", "node10", "box5", "Records excluded (databases and registers)", "Records excluded",
     "Records excluded (databases and registers)", "records_excluded.html"),
    ("dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)",
     "Reports sought for retrieval", "Reports sought for retrieval (databases and registers)",
     "dbr_sought_reports.html"),
    ("dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)",
     "Reports not retrieved", "Reports not retrieved (databases and registers)", "dbr_notretrieved_reports.html"),
    ("other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)",
     "Reports sought for retrieval", "Reports sought for retrieval (other)", "other_sought_reports.html"),
    ("other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)", "Reports not retrieved",
     "Reports not retrieved (other)", "other_notretrieved_reports.html"),
    ("dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (databases and registers)",
     "dbr_assessed.html"),
    ("dbr_excluded", "node14", "box9", "Reports excluded (databases and registers): [separate reasons and "
     "numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded",
     "Reports excluded (databases and registers)", "dbrexcludedrecords.html"),
    ("other_assessed", "node20", "box14", "Reports assessed for eligibility (other)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (other)", "other_assessed.html"),
    ("other_excluded", "node21", "box15", "Reports excluded (other): [separate reasons and numbers using ; "
     "e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded", "Reports excluded (other)",
     "other_excluded.html"),
    ("new_studies", "node15", "box10", "New studies included in review", "New studies included in review",
     "New studies included in review", "new_studies.html"),
    ("new_reports", "NA", "box10", "Reports of new included studies", "Reports of new included studies", "NA",
     "NA"),
    ("total_studies", "node22", "box16", "Total studies included in review", "Total studies included in review",
     "Total studies included in review", "total_studies.html"),
    ("total_reports", "NA", "box16", "Reports of total included studies", "Reports of total included studies",
     "NA", "NA"),
    ("identification", "node1", "identification", "Blue identification box", "Identification",
     "Blue identification box", "identification.html"),
    ("screening", "node2", "screening", "Blue screening box", "Screening", "Blue screening box", "screening.html"),
    ("included", "node3", "included", "Blue included box", "Included", "Blue included box", "included.html"),
]
PRISMA_COLUMNS = ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]


@dataclass
class PrismaFlow:
    """The numbers of the flow diagram; lists keep their order (largest first)."""

    databases: list[tuple[str, int]]
    registers: list[tuple[str, int]]
    duplicates: int
    records_screened: int
    records_excluded: int
    records_awaiting: int
    reports_sought: int
    reports_not_retrieved: int
    reports_assessed: int
    reports_awaiting: int
    exclusion_reasons: list[tuple[str, int]]
    new_studies: int
    new_reports: int
    checks: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def identified(self) -> int:
        return sum(n for _, n in self.databases) + sum(n for _, n in self.registers)

    @property
    def reports_excluded(self) -> int:
        return sum(n for _, n in self.exclusion_reasons)


def _by_source(identification: pd.DataFrame, kinds: tuple[str, ...]) -> list[tuple[str, int]]:
    chosen = identification[identification["source_type"].isin(kinds)]
    totals = chosen.groupby("database", sort=False)["records"].sum()
    return sorted(((str(name), int(n)) for name, n in totals.items()), key=lambda item: (-item[1], item[0]))


def flow_counts(identification: pd.DataFrame, duplicates: int, outcome: pd.DataFrame,
                full_text: pd.DataFrame) -> PrismaFlow:
    """The flow from the identification counts, the duplicates removed, the title/abstract outcome
    (``cluster_id, decision`` with include/exclude/pending) and the full-text decisions."""
    databases = _by_source(identification, ("database", "other"))
    registers = _by_source(identification, ("register",))
    identified = sum(n for _, n in databases + registers)
    unique_records = identified - duplicates
    decided = outcome[outcome["decision"].isin(["include", "exclude"])]
    screened = len(decided)
    excluded = int((decided["decision"] == "exclude").sum())
    sought = screened - excluded
    not_retrieved = int((full_text["decision"] == "not_retrieved").sum())
    assessed_rows = full_text[full_text["decision"].isin(["include", "exclude"])]
    reasons = (assessed_rows.loc[assessed_rows["decision"] == "exclude", "exclusion_reason"]
               .value_counts())
    exclusion_reasons = sorted(((str(r), int(n)) for r, n in reasons.items()), key=lambda item: (-item[1], item[0]))
    included = assessed_rows[assessed_rows["decision"] == "include"]
    flow = PrismaFlow(
        databases=databases, registers=registers, duplicates=int(duplicates), records_screened=screened,
        records_excluded=excluded, records_awaiting=unique_records - screened, reports_sought=sought,
        reports_not_retrieved=not_retrieved, reports_assessed=len(assessed_rows),
        reports_awaiting=sought - not_retrieved - len(assessed_rows), exclusion_reasons=exclusion_reasons,
        new_studies=int(included["study_id"].nunique()), new_reports=len(included))
    # Each box is the one above it minus what left the flow beside it (plus what is still awaited).
    flow.checks = [
        ("identified - duplicates = screened + awaiting screening", identified - duplicates,
         screened + flow.records_awaiting),
        ("screened - excluded = sought", screened - excluded, sought),
        ("sought - not retrieved = assessed + awaiting full text", sought - not_retrieved,
         flow.reports_assessed + flow.reports_awaiting),
        ("assessed - excluded = reports included", flow.reports_assessed - flow.reports_excluded, flow.new_reports),
    ]
    return flow


def _listing(items: list[tuple[str, int]]) -> str:
    return "; ".join(f"{name}, {n}" for name, n in items)


def prisma2020_table(flow: PrismaFlow, previous: tuple[int, int] | None = None,
                     total: tuple[int, int] | None = None) -> pd.DataFrame:
    """The PRISMA2020 package's CSV, with every ``n`` filled from the flow; for an updated review,
    ``previous`` and ``total`` are the (studies, reports) of the previous version and in all."""
    previous = previous or (0, 0)
    total = total or (flow.new_studies, flow.new_reports)
    values = {
        "previous_studies": previous[0], "previous_reports": previous[1],
        "database_results": sum(n for _, n in flow.databases),
        "database_specific_results": _listing(flow.databases),
        "register_results": sum(n for _, n in flow.registers),
        "register_specific_results": _listing(flow.registers),
        "website_results": 0, "organisation_results": 0, "citations_results": 0,
        "duplicates": flow.duplicates, "excluded_automatic": 0, "excluded_other": 0,
        "records_screened": flow.records_screened, "records_excluded": flow.records_excluded,
        "dbr_sought_reports": flow.reports_sought, "dbr_notretrieved_reports": flow.reports_not_retrieved,
        "other_sought_reports": 0, "other_notretrieved_reports": 0,
        "dbr_assessed": flow.reports_assessed, "dbr_excluded": _listing(flow.exclusion_reasons),
        "other_assessed": 0, "other_excluded": "",
        "new_studies": flow.new_studies, "new_reports": flow.new_reports,
        "total_studies": total[0], "total_reports": total[1],
    }
    rows = [(*template, values.get(template[0], 0)) for template in TEMPLATE]
    return pd.DataFrame(rows, columns=PRISMA_COLUMNS)


def flow_checks_table(flow: PrismaFlow) -> pd.DataFrame:
    return pd.DataFrame([(name, left, right, left == right) for name, left, right in flow.checks],
                        columns=["check", "left", "right", "holds"])
