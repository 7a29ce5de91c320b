#!/usr/bin/env python3
"""Generate the SYNTHETIC example review shipped in ``data/raw/``.

    python scripts/make_example_review.py --out DIR

writes ``DIR/data/raw/`` of a made-up systematic review whose aggregate figures equal those published
in a real review of influences on implementing mental health peer support work (the seed in
``shared/seeds``): 5813 unique publications found by eight searches, a 5% double-screened sample with
93% concordance, 53 included publications with their countries, designs and CASP grades, the study
counts of 14 themes (with the subgroup and sensitivity findings), and the Implementation Measure
ratings of six sites. No record is a real publication: titles, authors, abstracts, identifiers and
DOIs (all under the test prefix 10.5555) are invented. Journal names and ISSNs are real so that the
exports look like what the databases give.

Everything is drawn from ``random.Random`` instances seeded from ``--seed`` and a component name, so
two runs write byte-identical files. Every aggregate is asserted before anything is written; a failed
assertion stops the script.

Tests import this file by path (``scripts/`` is not a package) and call ``build_example()``, which
returns the truth (each exported record's file, position and true publication; the included
studies; every table) without touching the disk. Screening tables are keyed to ``cluster_id``s, which
depend on the ``record_id``s that ``evsynth.ingest`` assigns, so they are made after the exports are
written and read back (``write_example``).
"""

import argparse
import csv
import functools
import io
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # so that `python scripts/make_example_review.py` finds the package
    sys.path.insert(0, str(REPO))

from evsynth import identity  # noqa: E402

DEFAULT_SEED = 20180716
N_UNIQUE = 5813
N_INCLUDED = 53
SCREENING_SEED = 20180724
SAMPLE_FRACTION = 0.05
SYNTHETIC_NOTE = "Synthetic record (evsynth example review); not a real publication."

# The eight searches of config/config.yaml: file -> (database, date, writer format).
SEARCHES = [
    ("MEDLINE (PubMed)", "2018-07-16", "data/raw/searches/medline_pubmed.nbib", "medline"),
    ("EMBASE (Ovid)", "2018-07-16", "data/raw/searches/embase_ovid.ris", "embase"),
    ("PsycINFO (Ovid)", "2018-07-16", "data/raw/searches/psycinfo_ovid.ris", "psycinfo"),
    ("CINAHL (EBSCO)", "2018-07-17", "data/raw/searches/cinahl_ebsco.ris", "cinahl"),
    ("Scopus", "2018-07-17", "data/raw/searches/scopus.csv", "scopus"),
    ("Web of Science", "2018-07-18", "data/raw/searches/wos_savedrecs.txt", "wos"),
    ("ProQuest Dissertations & Theses", "2018-07-18", "data/raw/searches/proquest.bib", "proquest"),
    ("Other sources", "2018-07-31", "data/raw/searches/other_sources.csv", "other"),
]
DB_FILE = {fmt: path for _, _, path, fmt in SEARCHES}
DB_NAME = {fmt: name for name, _, _, fmt in SEARCHES}
BIBLIO_DBS = ["medline", "embase", "psycinfo", "cinahl", "scopus", "wos"]


def rng_for(seed: int, name: str) -> random.Random:
    """An independent, reproducible stream per component (str seeds are hashed with SHA-512)."""
    return random.Random(f"{seed}:{name}")


def ratio_half_up(numerator: int, denominator: int, places: int = 1) -> Decimal:
    """numerator / denominator rounded as the paper does: 56/32 = 1.75 -> 1.8 (half up, not to even)."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(numerator) / Decimal(denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def percent(numerator: int, denominator: int) -> int:
    return int((Decimal(100 * numerator) / Decimal(denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------------------------------
# Vocabulary: people
# --------------------------------------------------------------------------------------------------
SURNAMES = """
Abbott Acheampong Adebayo Agarwal Ahmed Akhtar Albers Alvarez Amankwah Andersen Andrade Arnold
Asante Ashworth Atkinson Bailey Baker Balogun Banerjee Barker Barnes Bauer Baxter Becker Bell Bennett
Berg Bergström Bernard Bianchi Bishop Blackwood Boateng Bose Bowen Boyle Bradley Brennan Brooks Bruno
Buchanan Burke Byrne Callaghan Campbell Carmichael Carter Castillo Chakraborty Chan Chandra Chen
Cheung Choi Christensen Clarke Coleman Collins Connolly Conti Cooper Costa Côté Cunningham Dalton
Das Daugherty Dawson DeLuca Desai Dietrich Dixon Doherty Donnelly Dowling Doyle Dubois Duffy Dunne
Eckert Edwards Egan Eriksson Evans Fagan Farrell Fernandes Ferreira Fischer Fitzgerald Fleming Flores
Foley Forde Foster Fox Francis Fraser Friedman Fujita Gallagher Ganguly García Gardner Gibson Gilbert
Goldberg Gómez Gonzalez Gordon Graham Grant Green Griffin Gunawardena Gupta Haas Hahn Hall Halvorsen
Hamilton Hanlon Harper Harrison Hartmann Hashimoto Hayes Healy Hedlund Henderson Hernández Hill
Hoffmann Holmes Hopkins Horvath Howard Huang Hughes Hussain Ito Iyer Jackson Jäger Jansen Jensen
Johansson Johnson Jones Joshi Kaplan Kaur Keane Keller Kelly Kennedy Khan Kim King Kirby Klein
Koenig Kowalski Kramer Krishnan Kumar Lam Lambert Larsen Lau Lawson Lee Lefèvre Lehmann Levi Lewis
Li Lindberg Liu Lloyd Lombardi Lopez Lynch MacDonald Maguire Mahoney Malik Mann Marino Martin
Martínez Mason Matsumoto Maxwell McCarthy McGrath McKenzie McLaughlin Mehta Mensah Meyer Mitchell
Moore Morales Morgan Mori Morris Mukherjee Müller Murphy Murray Nair Nakamura Nash Navarro Neumann
Ng Nguyen Nielsen Noonan Novak Nowak Nunes O'Brien O'Connor O'Donnell O'Neill O'Sullivan Obi Ochieng
Odhiambo Ogunleye Okafor Okonkwo Oliveira Olsen Osei Owusu Palmer Papadopoulos Park Patel Pearson
Peeters Pereira Pérez Petersen Phillips Pillai Popescu Powell Quinn Rahman Ramírez Rao Reddy Reilly
Reyes Richter Riley Rivera Roberts Robinson Rodrigues Rossi Russo Ryan Saito Sánchez Santos Sato
Schäfer Schmidt Schneider Schröder Schulz Scott Sen Shapiro Sharma Shaw Sheehan Singh Smith Sørensen
Stewart Sullivan Suzuki Sweeney Takahashi Tanaka Taylor Thompson Torres Tran Tshabalala Turner
Van den Berg Van Dijk Vargas Verhoeven Vogel Wagner Walsh Wang Ward Watanabe Watson Weber Wei Weiss
Whelan White Williams Wilson Wolf Wong Wright Wu Yamamoto Yang Yilmaz Young Zhang Zhao Zimmermann
Ødegaard Şahin Núñez Dvořák Wójcik Nyström
""".split()
# "Van den Berg" and "Van Dijk" were split above; join the particles back.
_joined: list[str] = []
for _word in SURNAMES:
    if _joined and _joined[-1] in ("Van", "Van den"):
        _joined[-1] = f"{_joined[-1]} {_word}"
    else:
        _joined.append(_word)
SURNAMES = [name for name in _joined if name not in ("Van", "Van den")]

GIVEN_NAMES = """
Aaron Abigail Adaeze Adam Aditi Adrian Agnes Aidan Aisha Akira Alan Alejandro Alice Alison Amara Amir
Amy Ana Andrea Andrew Angela Anna Anne Anton Ari Arjun Astrid Barbara Ben Bernadette Bjørn Brian
Bridget Camille Carla Carlos Caroline Catherine Chiara Chidi Chloe Christina Claire Colm Daniel David
Deborah Declan Deepa Diana Diego Dorothy Edward Eileen Elena Elif Elizabeth Emeka Emily Emma Eric
Esther Eva Fatima Fiona Florian François Frank Gabriel Gareth Georgia Gerard Grace Hannah Haruka Helen
Henrik Hiroshi Ian Ingrid Inés Irene Isaac Jacob James Jan Jane Jennifer Jessica Joanna John Jonas
Jordan José Joseph Julia Julian Jürgen Karen Kate Katharina Kenji Kevin Kirsten Kwame Laura Leah
Lena Liam Linda Lisa Louise Lucy Luis Maeve Manuel Margaret Maria Mark Martha Martin Mary Matthew Mei
Michael Michelle Miriam Mohammed Nadia Naomi Neil Nicola Niamh Nikhil Nora Oliver Olivia Omar Patricia
Patrick Paul Peter Philippa Priya Rachel Rahul Raúl Rebecca Renée Richard Robert Roisin Ruth Samuel
Sandra Sarah Sean Seo-yeon Sergio Simon Siobhan Sofia Søren Stefan Stephen Susan Tamar Thomas Timothy
Tomás Ursula Valentina Victoria Wei William Yasmin Yuki Zoë
""".split()
MIDDLE_INITIALS = list("ABCDEFGHJKLMNPRSTW")

# Researchers prominent in the field of the seed review are not used as synthetic authors.
_AVOID = {"Slade", "Repper", "Davidson", "Chinman", "Salzer", "Mahlke", "Puschner", "Moran", "Ibrahim",
          "Gillard", "Nakimuli"}
SURNAMES = [name for name in SURNAMES if name not in _AVOID]

_TRANSLIT = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L",
                           "đ": "d", "ı": "i", "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-",
                           "—": "-"})


def ascii_fold(text: str) -> str:
    """Drop diacritics as older Web of Science records and hand-typed lists do (Müller -> Muller)."""
    text = text.translate(_TRANSLIT)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


@dataclass(frozen=True)
class Person:
    surname: str
    given: str  # first given name
    middle: str  # middle initial or ""

    def initials(self) -> str:
        first = self.given.split("-")
        letters = "".join(part[0].upper() for part in first)
        return letters + self.middle

    def full(self, period: bool = True) -> str:
        """'Surname, Given M.' (CINAHL, ProQuest, WoS AF) or 'Surname, Given M' (PubMed FAU)."""
        middle = f" {self.middle}{'.' if period else ''}" if self.middle else ""
        return f"{self.surname}, {self.given}{middle}"


# --------------------------------------------------------------------------------------------------
# Vocabulary: journals (real names, ISO abbreviations and ISSNs; the articles in them are invented)
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Journal:
    key: str
    full: str
    iso: str  # ISO 4 abbreviation, with periods (Ovid JA, Scopus, WoS JI)
    nlm: str | None  # NLM title abbreviation (PubMed TA); None if not indexed for MEDLINE
    jt: str | None  # PubMed JT
    j9: str | None  # WoS 29-character abbreviation; None if not in Web of Science
    issn: str
    field: str  # psychiatry | psychology | nursing | services | medicine | social
    founded: int
    doi: str  # DOI suffix pattern
    title_case: bool = False
    language: str = "eng"
    cinahl: bool = False
    psycinfo: bool = False


def _j(key, full, iso, nlm, jt, j9, issn, fld, founded, doi, title_case=False, language="eng",
       cinahl=None, psycinfo=None):
    if cinahl is None:
        cinahl = fld in ("nursing", "services", "social")
    if psycinfo is None:
        psycinfo = fld in ("psychiatry", "psychology", "services", "social")
    return Journal(key, full, iso, nlm, jt, j9, issn, fld, founded, doi, title_case, language, cinahl,
                   psycinfo)


JOURNALS = [
    _j("ps", "Psychiatric Services", "Psychiatr. Serv.", "Psychiatr Serv",
       "Psychiatric services (Washington, D.C.)", "PSYCHIATR SERV", "1075-2730", "services", 1950,
       "appi.ps.{year}{n6}", cinahl=True),
    _j("prj", "Psychiatric Rehabilitation Journal", "Psychiatr. Rehabil. J.", "Psychiatr Rehabil J",
       "Psychiatric rehabilitation journal", "PSYCHIATR REHABIL J", "1095-158X", "services", 1977,
       "prj{n7z}", cinahl=True),
    _j("cmhj", "Community Mental Health Journal", "Community Ment. Health J.", "Community Ment Health J",
       "Community mental health journal", "COMMUNITY MENT HLT J", "0010-3853", "services", 1965,
       "s10597-{yy}-{n4}-{d1}"),
    _j("ijmhn", "International Journal of Mental Health Nursing", "Int. J. Ment. Health Nurs.",
       "Int J Ment Health Nurs", "International journal of mental health nursing", "INT J MENT HEALTH NU",
       "1445-8330", "nursing", 1991, "inm.{n5}"),
    _j("jpmhn", "Journal of Psychiatric and Mental Health Nursing", "J. Psychiatr. Ment. Health Nurs.",
       "J Psychiatr Ment Health Nurs", "Journal of psychiatric and mental health nursing",
       "J PSYCHIATR MENT HLT", "1351-0126", "nursing", 1994, "jpm.{n5}"),
    _j("jmh", "Journal of Mental Health", "J. Ment. Health", "J Ment Health",
       "Journal of mental health (Abingdon, England)", "J MENT HEALTH", "0963-8237", "services", 1992,
       "09638237.{year}.{n7}"),
    _j("bmcpsy", "BMC Psychiatry", "BMC Psychiatry", "BMC Psychiatry", "BMC psychiatry",
       "BMC PSYCHIATRY", "1471-244X", "psychiatry", 2001, "s12888-{yy}-{n4}-{d1}", title_case=False),
    _j("bjp", "British Journal of Psychiatry", "Br. J. Psychiatry", "Br J Psychiatry",
       "The British journal of psychiatry : the journal of mental science", "BRIT J PSYCHIAT",
       "0007-1250", "psychiatry", 1855, "bjp.bp.{yy}{n6}"),
    _j("sppe", "Social Psychiatry and Psychiatric Epidemiology", "Soc. Psychiatry Psychiatr. Epidemiol.",
       "Soc Psychiatry Psychiatr Epidemiol", "Social psychiatry and psychiatric epidemiology",
       "SOC PSYCH PSYCH EPID", "0933-7954", "psychiatry", 1966, "s00127-{yy}-{n4}-{d1}"),
    _j("apmh", "Administration and Policy in Mental Health and Mental Health Services Research",
       "Adm. Policy Ment. Health", "Adm Policy Ment Health", "Administration and policy in mental health",
       "ADM POLICY MENT HLTH", "0894-587X", "services", 1973, "s10488-{yy}-{n4}-{d1}"),
    _j("imhn", "Issues in Mental Health Nursing", "Issues Ment. Health Nurs.", "Issues Ment Health Nurs",
       "Issues in mental health nursing", "ISSUES MENT HEALTH N", "0161-2840", "nursing", 1978,
       "01612840.{year}.{n7}"),
    _j("schbul", "Schizophrenia Bulletin", "Schizophr. Bull.", "Schizophr Bull", "Schizophrenia bulletin",
       "SCHIZOPHRENIA BULL", "0586-7614", "psychiatry", 1969, "schbul/sb{c1}{n3}"),
    _j("anzjp", "Australian and New Zealand Journal of Psychiatry", "Aust. N. Z. J. Psychiatry",
       "Aust N Z J Psychiatry", "The Australian and New Zealand journal of psychiatry",
       "AUST NZ J PSYCHIAT", "0004-8674", "psychiatry", 1967, "00048674{yy}{n6}"),
    _j("psyq", "Psychiatric Quarterly", "Psychiatr. Q.", "Psychiatr Q", "The Psychiatric quarterly",
       "PSYCHIAT QUART", "0033-2720", "psychiatry", 1927, "s11126-{yy}-{n4}-{d1}", title_case=True),
    _j("jnmd", "Journal of Nervous and Mental Disease", "J. Nerv. Ment. Dis.", "J Nerv Ment Dis",
       "The Journal of nervous and mental disease", "J NERV MENT DIS", "0022-3018", "psychiatry", 1874,
       "NMD.{n13}"),
    _j("hscc", "Health & Social Care in the Community", "Health Soc. Care Community",
       "Health Soc Care Community", "Health & social care in the community", "HEALTH SOC CARE COMM",
       "0966-0410", "social", 1993, "hsc.{n5}"),
    _j("jan", "Journal of Advanced Nursing", "J. Adv. Nurs.", "J Adv Nurs", "Journal of advanced nursing",
       "J ADV NURS", "0309-2402", "nursing", 1976, "jan.{n5}"),
    _j("eip", "Early Intervention in Psychiatry", "Early Interv. Psychiatry", "Early Interv Psychiatry",
       "Early intervention in psychiatry", "EARLY INTERV PSYCHIA", "1751-7885", "psychiatry", 2007,
       "eip.{n5}"),
    _j("mhrj", "Mental Health Review Journal", "Ment. Health Rev. J.", None, None, None, "1361-9322",
       "services", 1996, "MHRJ-{m2}-{year}-{n4}", title_case=True),
    _j("jmhtep", "Journal of Mental Health Training, Education and Practice",
       "J. Ment. Health Train. Educ. Pract.", None, None, None, "1755-6228", "services", 2006,
       "JMHTEP-{m2}-{year}-{n4}", title_case=True),
    _j("mhsi", "Mental Health and Social Inclusion", "Ment. Health Soc. Incl.", None, None, None,
       "2042-8308", "social", 1997, "MHSI-{m2}-{year}-{n4}", title_case=True),
    _j("ajpr", "American Journal of Psychiatric Rehabilitation", "Am. J. Psychiatr. Rehabil.", None, None,
       None, "1548-7768", "services", 1996, "15487768.{year}.{n6}", title_case=True),
    _j("qhr", "Qualitative Health Research", "Qual. Health Res.", "Qual Health Res",
       "Qualitative health research", "QUAL HEALTH RES", "1049-7323", "social", 1991, "1049732{n9}"),
    _j("ssm", "Social Science & Medicine", "Soc. Sci. Med.", "Soc Sci Med", "Social science & medicine (1982)",
       "SOC SCI MED", "0277-9536", "social", 1967, "j.socscimed.{year}.{m2}.{n3}"),
    _j("bmjopen", "BMJ Open", "BMJ Open", "BMJ Open", "BMJ open", "BMJ OPEN", "2044-6055", "medicine",
       2011, "bmjopen-{year}-{n6}"),
    _j("impsci", "Implementation Science", "Implement. Sci.", "Implement Sci", "Implementation science : IS",
       "IMPLEMENT SCI", "1748-5908", "services", 2006, "s13012-{yy}-{n4}-{d1}"),
    _j("bmchsr", "BMC Health Services Research", "BMC Health Serv. Res.", "BMC Health Serv Res",
       "BMC health services research", "BMC HEALTH SERV RES", "1472-6963", "services", 2001,
       "s12913-{yy}-{n4}-{d1}"),
    _j("jbhsr", "Journal of Behavioral Health Services & Research", "J. Behav. Health Serv. Res.",
       "J Behav Health Serv Res", "The journal of behavioral health services & research",
       "J BEHAV HEALTH SER R", "1094-3412", "services", 1974, "s11414-{yy}-{n4}-{d1}"),
    _j("psyres", "Psychiatry Research", "Psychiatry Res.", "Psychiatry Res", "Psychiatry research",
       "PSYCHIAT RES", "0165-1781", "psychiatry", 1979, "j.psychres.{year}.{m2}.{n3}"),
    _j("jad", "Journal of Affective Disorders", "J. Affect. Disord.", "J Affect Disord",
       "Journal of affective disorders", "J AFFECT DISORDERS", "0165-0327", "psychiatry", 1979,
       "j.jad.{year}.{m2}.{n3}"),
    _j("aps", "Acta Psychiatrica Scandinavica", "Acta Psychiatr. Scand.", "Acta Psychiatr Scand",
       "Acta psychiatrica Scandinavica", "ACTA PSYCHIAT SCAND", "0001-690X", "psychiatry", 1926,
       "acps.{n5}"),
    _j("eurpsy", "European Psychiatry", "Eur. Psychiatry", "Eur Psychiatry",
       "European psychiatry : the journal of the Association of European Psychiatrists", "EUR PSYCHIAT",
       "0924-9338", "psychiatry", 1986, "j.eurpsy.{year}.{m2}.{n3}"),
    _j("pprax", "Psychiatrische Praxis", "Psychiatr. Prax.", "Psychiatr Prax", "Psychiatrische Praxis",
       "PSYCHIAT PRAX", "0303-4259", "psychiatry", 1974, "s-00{n2}-{n6}", language="ger"),
    _j("tvp", "Tijdschrift voor Psychiatrie", "Tijdschr. Psychiatr.", "Tijdschr Psychiatr",
       "Tijdschrift voor psychiatrie", "TIJDSCHR PSYCHIATR", "0303-7339", "psychiatry", 1959,
       "tvp.{year}.{n4}", language="dut"),
    _j("eaap", "East Asian Archives of Psychiatry", "East Asian Arch. Psychiatry", "East Asian Arch Psychiatry",
       "East Asian archives of psychiatry", "EAST ASIAN ARCH PSYC", "2078-9947", "psychiatry", 1991,
       "eaap.{year}.{n4}"),
    _j("ijprs", "Israel Journal of Psychiatry and Related Sciences", "Isr. J. Psychiatry Relat. Sci.",
       "Isr J Psychiatry Relat Sci", "The Israel journal of psychiatry and related sciences",
       "ISR J PSYCHIATR REL", "0333-7308", "psychiatry", 1963, "ijp.{year}.{n4}"),
    _j("ijpm", "Irish Journal of Psychological Medicine", "Ir. J. Psychol. Med.", "Ir J Psychol Med",
       "Irish journal of psychological medicine", "IR J PSYCHOL MED", "0790-9667", "psychiatry", 1982,
       "ipm.{year}.{n2}"),
    _j("cjcmh", "Canadian Journal of Community Mental Health", "Can. J. Commun. Ment. Health", None, None,
       None, "0713-3936", "services", 1982, "cjcmh-{year}-{n3}", title_case=True),
    _j("jcp", "Journal of Community Psychology", "J. Community Psychol.", "J Community Psychol",
       "Journal of community psychology", "J COMMUNITY PSYCHOL", "0090-4392", "psychology", 1973,
       "jcop.{n5}"),
    _j("ajcp", "American Journal of Community Psychology", "Am. J. Community Psychol.",
       "Am J Community Psychol", "American journal of community psychology", "AM J COMMUN PSYCHOL",
       "0091-0562", "psychology", 1973, "ajcp.{n5}"),
    _j("swmh", "Social Work in Mental Health", "Soc. Work Ment. Health", None, None, None, "1533-2985",
       "social", 2002, "15332985.{year}.{n7}", title_case=True),
    _j("jclp", "Journal of Clinical Psychology", "J. Clin. Psychol.", "J Clin Psychol",
       "Journal of clinical psychology", "J CLIN PSYCHOL", "0021-9762", "psychology", 1945, "jclp.{n5}"),
    _j("psymed", "Psychological Medicine", "Psychol. Med.", "Psychol Med", "Psychological medicine",
       "PSYCHOL MED", "0033-2917", "psychiatry", 1970, "S003329171{n7}"),
    _j("jcn", "Journal of Clinical Nursing", "J. Clin. Nurs.", "J Clin Nurs", "Journal of clinical nursing",
       "J CLIN NURS", "0962-1067", "nursing", 1992, "jocn.{n5}"),
    _j("ppc", "Perspectives in Psychiatric Care", "Perspect. Psychiatr. Care", "Perspect Psychiatr Care",
       "Perspectives in psychiatric care", "PERSPECT PSYCHIATR C", "0031-5990", "nursing", 1963,
       "ppc.{n5}"),
    _j("apn", "Archives of Psychiatric Nursing", "Arch. Psychiatr. Nurs.", "Arch Psychiatr Nurs",
       "Archives of psychiatric nursing", "ARCH PSYCHIAT NURS", "0883-9417", "nursing", 1987,
       "j.apnu.{year}.{m2}.{n3}"),
    _j("ijsp", "International Journal of Social Psychiatry", "Int. J. Soc. Psychiatry", "Int J Soc Psychiatry",
       "The International journal of social psychiatry", "INT J SOC PSYCHIATR", "0020-7640", "psychiatry",
       1955, "00207640{yy}{n6}"),
    _j("jdd", "Journal of Dual Diagnosis", "J. Dual Diagn.", "J Dual Diagn", "Journal of dual diagnosis",
       "J DUAL DIAGN", "1550-4263", "psychiatry", 2005, "15504263.{year}.{n7}"),
    _j("jts", "Journal of Traumatic Stress", "J. Trauma. Stress", "J Trauma Stress",
       "Journal of traumatic stress", "J TRAUMA STRESS", "0894-9867", "psychology", 1988, "jts.{n5}"),
    _j("milmed", "Military Medicine", "Mil. Med.", "Mil Med", "Military medicine", "MIL MED", "0026-4075",
       "medicine", 1955, "MILMED-D-{yy}-{n5}"),
    _j("jrh", "Journal of Rural Health", "J. Rural Health", "J Rural Health", "The Journal of rural health",
       "J RURAL HEALTH", "0890-765X", "medicine", 1985, "jrh.{n5}", cinahl=True),
    _j("hex", "Health Expectations", "Health Expect.", "Health Expect",
       "Health expectations : an international journal of public participation in health care and health policy",
       "HEALTH EXPECT", "1369-6513", "social", 1998, "hex.{n5}"),
    _j("ijns", "International Journal of Nursing Studies", "Int. J. Nurs. Stud.", "Int J Nurs Stud",
       "International journal of nursing studies", "INT J NURS STUD", "0020-7489", "nursing", 1963,
       "j.ijnurstu.{year}.{m2}.{n3}"),
    _j("jpnmhs", "Journal of Psychosocial Nursing and Mental Health Services",
       "J. Psychosoc. Nurs. Ment. Health Serv.", "J Psychosoc Nurs Ment Health Serv",
       "Journal of psychosocial nursing and mental health services", "J PSYCHOSOC NURS MEN", "0279-3695",
       "nursing", 1963, "02793695-{year}{m2}{n2}-{n2}"),
    _j("fpsyt", "Frontiers in Psychiatry", "Front. Psychiatry", "Front Psychiatry", "Frontiers in psychiatry",
       "FRONT PSYCHIATRY", "1664-0640", "psychiatry", 2010, "fpsyt.{year}.{n5}"),
    _j("pec", "Patient Education and Counseling", "Patient Educ. Couns.", "Patient Educ Couns",
       "Patient education and counseling", "PATIENT EDUC COUNS", "0738-3991", "medicine", 1983,
       "j.pec.{year}.{m2}.{n3}"),
    _j("jsat", "Journal of Substance Abuse Treatment", "J. Subst. Abuse Treat.", "J Subst Abuse Treat",
       "Journal of substance abuse treatment", "J SUBST ABUSE TREAT", "0740-5472", "psychology", 1984,
       "j.jsat.{year}.{m2}.{n3}"),
    _j("psychosis", "Psychosis", "Psychosis", None, None, "PSYCHOSIS", "1752-2439", "psychiatry", 2009,
       "17522439.{year}.{n7}"),
    _j("work", "Work", "Work", "Work", "Work (Reading, Mass.)", "WORK", "1051-9815", "medicine", 1990,
       "WOR-{n6}"),
    _j("disrehab", "Disability and Rehabilitation", "Disabil. Rehabil.", "Disabil Rehabil",
       "Disability and rehabilitation", "DISABIL REHABIL", "0963-8288", "medicine", 1992,
       "09638288.{year}.{n7}", cinahl=True),
    _j("jmhpe", "Journal of Mental Health Policy and Economics", "J. Ment. Health Policy Econ.",
       "J Ment Health Policy Econ", "The journal of mental health policy and economics",
       "J MENT HEALTH POLICY", "1091-4358", "services", 1998, "jmhpe.{year}.{n3}"),
    _j("lancetpsy", "Lancet Psychiatry", "Lancet Psychiatry", "Lancet Psychiatry", "The lancet. Psychiatry",
       "LANCET PSYCHIAT", "2215-0366", "psychiatry", 2014, "S2215-0366({yy}){n5}-{d1}"),
    _j("mhp", "Mental Health Practice", "Ment. Health Pract.", None, None, None, "1465-8720", "nursing",
       1997, "mhp.{year}.e{n4}", title_case=True),
    _j("nurstimes", "Nursing Times", "Nurs. Times", "Nurs Times", "Nursing times", None, "0954-7762",
       "nursing", 1905, "nt.{year}.{n4}", title_case=True),
    _j("rivpsi", "Rivista di Psichiatria", "Riv. Psichiatr.", "Riv Psichiatr", "Rivista di psichiatria",
       "RIV PSICHIATR", "0035-6484", "psychiatry", 1966, "{n4}.{n5}", language="ita"),
    _j("jbp", "Jornal Brasileiro de Psiquiatria", "J. Bras. Psiquiatr.", None, None, "J BRAS PSIQUIATR",
       "0047-2085", "psychiatry", 1948, "0047-2085{n12}", language="por"),
    _j("ssz", "Seishin Shinkeigaku Zasshi", "Seishin Shinkeigaku Zasshi", "Seishin Shinkeigaku Zasshi",
       "Seishin shinkeigaku zasshi = Psychiatria et neurologia Japonica", None, "0033-2658", "psychiatry",
       1935, "ssz.{year}.{n4}", language="jpn"),
]
# Journals of the non-English reports a reviewer can read (German, Dutch) and cannot (the rest).
FOREIGN_JOURNALS = ["pprax", "tvp"]
INELIGIBLE_LANGUAGE_JOURNALS = ["rivpsi", "jbp", "ssz"]
JOURNAL_BY_KEY = {journal.key: journal for journal in JOURNALS}
ENGLISH_JOURNALS = [j.key for j in JOURNALS if j.language == "eng"]
# Journals that carry conference abstracts (Embase and Web of Science index their supplements).
CONFERENCE_JOURNALS = ["eurpsy", "eip", "schbul", "anzjp", "aps"]

# --------------------------------------------------------------------------------------------------
# Vocabulary: what mental health services research is about (titles and abstracts are built from it)
# --------------------------------------------------------------------------------------------------
TOPICS = [
    "assertive community treatment", "intensive case management", "crisis resolution and home treatment",
    "early intervention services for psychosis", "individual placement and support", "supported employment",
    "cognitive behavioural therapy for psychosis", "family psychoeducation", "illness management and recovery",
    "wellness recovery action planning", "shared decision making", "recovery colleges", "collaborative care",
    "housing first", "trauma-informed care", "motivational interviewing", "psychiatric advance directives",
    "self-management education", "mindfulness-based cognitive therapy", "telepsychiatry",
    "smartphone-based self-monitoring", "adherence therapy", "community mental health teams",
    "discharge planning", "clubhouse programmes", "open dialogue", "anti-stigma campaigns",
    "mental health first aid training", "critical time intervention", "vocational rehabilitation",
    "smoking cessation support", "physical health monitoring", "lifestyle interventions", "social prescribing",
    "befriending", "care coordination", "integrated primary mental health care",
    "strengths-based case management", "dialectical behaviour therapy", "cognitive remediation",
    "exercise programmes", "art therapy", "crisis houses", "home-based treatment", "group psychotherapy",
    "nurse-led clinics", "joint crisis plans", "supported housing", "day hospital treatment", "liaison psychiatry",
    "stepped care", "psychological first aid", "problem-solving therapy", "behavioural activation",
    "metacognitive training", "clozapine clinics", "long-acting injectable antipsychotics",
    "community treatment orders", "seclusion reduction programmes", "restraint minimisation",
    "suicide prevention programmes", "safety planning", "brief admission", "dual diagnosis services",
    "forensic community teams", "prison in-reach services", "street triage", "school-based mental health services",
    "youth mental health services", "perinatal mental health services", "carer support groups",
    "digital mental health interventions", "computerised cognitive behavioural therapy", "e-mental health",
    "case formulation", "routine outcome monitoring", "cultural consultation", "interpreter-mediated care",
    "medication reviews", "lithium monitoring", "psychiatric rehabilitation", "social skills training",
]
POPULATIONS = [
    "adults with severe mental illness", "people with schizophrenia", "people with first-episode psychosis",
    "veterans with posttraumatic stress disorder", "people with bipolar disorder", "older adults with depression",
    "young people at clinical high risk of psychosis", "homeless adults with mental illness",
    "people with co-occurring mental health and substance use disorders", "women with perinatal depression",
    "refugees and asylum seekers", "people with borderline personality disorder", "people with anxiety disorders",
    "university students", "forensic mental health patients", "people with eating disorders",
    "carers of people with psychosis", "people with treatment-resistant depression", "people after self-harm",
    "Latino adults with depression", "African American mental health service users",
    "rural residents with mental illness", "people with intellectual disability and mental illness",
    "frequent users of psychiatric emergency services", "people leaving prison", "long-stay inpatients",
    "people with obsessive-compulsive disorder", "adults with attention-deficit/hyperactivity disorder",
    "people with dementia and depression", "unemployed people with mental illness",
    "people with serious mental illness and diabetes", "mental health service users",
    "people detained under mental health legislation", "older people in care homes",
    "adolescents with depression", "people with chronic psychosis", "people with personality disorder",
    "lesbian, gay and bisexual adults", "Indigenous Australians", "Chinese immigrants",
]
SETTINGS = [
    "in community mental health services", "on acute inpatient wards", "in primary care",
    "in the Veterans Health Administration", "in rural Australia", "in the English National Health Service",
    "in assertive outreach teams", "in Ontario", "in supported housing", "in emergency departments",
    "in forensic settings", "in low- and middle-income countries", "in Hong Kong", "in the Netherlands",
    "in Japan", "in Germany", "in Ireland", "in Scotland", "in New Zealand", "in Israel", "in residential care",
    "in university counselling services", "in state psychiatric hospitals", "in Medicaid-funded programmes",
    "in Norway", "in Denmark", "in Sweden", "in Italy", "in Spain", "in Belgium", "in Switzerland",
    "in urban India", "in Uganda", "in South Africa", "in Brazil", "in Chile", "in China", "in Singapore",
    "in Taiwan", "in South Korea", "in general hospitals", "in prisons", "in police custody", "in day centres",
    "in psychiatric rehabilitation units", "in a London borough", "in New York State", "in California",
    "in Wales", "in Quebec",
]
OUTCOMES = [
    "psychiatric readmission", "length of inpatient stay", "emergency department use", "symptom severity",
    "competitive employment", "housing stability", "treatment dropout", "quality of life", "hopelessness",
    "suicidal ideation", "medication adherence", "social functioning", "loneliness", "carer burden",
    "involuntary admission", "physical health", "service satisfaction", "personal recovery", "self-esteem",
    "substance use", "criminal justice contact", "weight gain", "cardiovascular risk", "sleep quality", "relapse",
]
CONCEPTS = [
    "recovery", "hope", "empowerment", "stigma", "self-stigma", "therapeutic alliance", "social inclusion",
    "personal recovery", "burnout", "job satisfaction", "organisational readiness for change", "self-efficacy",
    "service engagement", "coercion", "lived experience", "professional identity",
    "disclosure of mental illness", "clinical supervision", "emotional labour", "continuity of care",
    "health literacy", "resilience", "mental health literacy", "help-seeking", "illness identity", "citizenship",
    "autonomy", "trust", "agency", "user involvement", "risk management", "compassion fatigue", "moral distress",
    "staff morale", "team climate", "multidisciplinary working", "professional boundaries",
    "cultural competence", "spirituality", "meaning in life",
]
STAKEHOLDERS = [
    "mental health nurses", "psychiatrists", "service managers", "carers", "service users", "social workers",
    "occupational therapists", "clinicians", "team leaders", "commissioners", "general practitioners",
    "psychologists", "support workers", "police officers", "housing staff", "employment specialists",
]
DESIGN_SUFFIXES = [
    ": a randomised controlled trial", ": a qualitative study", ": a systematic review",
    ": a cross-sectional survey", ": a cohort study", ": results of a pilot study", ": a mixed-methods evaluation",
    ": a 12-month follow-up", ": protocol for a cluster randomised trial", ": a realist evaluation",
    ": a secondary analysis of trial data", ": a national survey", ": a Delphi study", ": an exploratory study",
    ": findings from a multisite study", ": a retrospective cohort study",
    ": an interpretative phenomenological analysis", ": a meta-analysis", ": a feasibility study",
    ": a longitudinal study", ": a population-based study", ": a case series", ": a scoping review",
    ": a cost-effectiveness analysis", ": a focus group study", ": a naturalistic study",
]
GENERAL_FRAMES = [
    "{Topic} for {pop}{dsuf}",
    "Effectiveness of {topic} for {pop} {set}{dsuf}",
    "{Out} among {pop} receiving {topic}",
    "Views of {stake} on {topic} {set}",
    "Predictors of {out} in {pop}{dsuf}",
    "{Conc} and {conc2} in {pop}",
    "Measuring {conc} in {pop}: development of a brief scale",
    "The impact of {topic} on {out} {set}",
    "Implementing {topic} {set}: lessons learned",
    "Cost-effectiveness of {topic} compared with usual care for {pop}",
    "{Conc} in {topic}: a conceptual review",
    "Trends in {out} among {pop} {set}, {y1}-{y2}",
    "Does {topic} reduce {out} in {pop}?",
    "Service user involvement in {topic} {set}",
    "Fidelity to {topic} {set}{dsuf}",
    "Training {stake} to deliver {topic}{dsuf}",
    "Long-term outcomes of {topic} for {pop}",
    "{Conc} as a mediator of {out} in {pop}",
    "Characteristics of {pop} using {topic} {set}",
    "Workforce challenges in {topic}: a survey of {stake}",
    "Associations between {conc} and {out} in {pop}{dsuf}",
    "Gender differences in {out} among {pop}",
    "Adapting {topic} for {pop} {set}",
    "A comparison of {topic} and {topic2} for {pop}",
    "Experiences of {conc} among {pop}{dsuf}",
    "{Out} after {topic}: a {nyears}-year follow-up of {pop}",
    "Ethnic disparities in access to {topic} {set}",
    "Policy and practice of {topic} {set}",
    "{Stake}' attitudes towards {conc} {set}",
    "The role of {conc} in {topic}",
    "Barriers to {topic} for {pop}{dsuf}",
    "{Topic} and {out} in {pop}: evidence from routine data",
    "What matters to {pop} about {topic}?",
    "Integrating {topic} with {topic2} {set}",
]
EDITORIAL_FRAMES = [
    "{Topic}: where next?", "Rethinking {conc} in mental health care", "The case for {topic}",
    "{Topic} comes of age", "Time to take {conc} seriously", "{Conc} and the future of {topic}",
    "Why {topic} matters for {pop}", "A new agenda for {topic}",
]
DISSERTATION_FRAMES = [
    "{Conc} among {pop}: an exploratory study", "An examination of {conc} in {topic}",
    "Exploring {conc} among {stake} working in {topic}", "{Topic} and {out} among {pop}",
    "The experience of {conc} for {pop}: a phenomenological inquiry",
    "Factors associated with {out} among {pop} {set}", "A program evaluation of {topic} {set}",
    "Perceptions of {topic} among {stake}",
]
UNIVERSITIES = [
    "Walden University", "Capella University", "Boston University", "Rutgers The State University of New Jersey",
    "University of Pennsylvania", "University of Michigan", "Fordham University", "Columbia University",
    "University of Toronto (Canada)", "McGill University (Canada)", "University of Manchester (United Kingdom)",
    "King's College London (United Kingdom)", "University of Melbourne (Australia)", "Adelphi University",
    "Yeshiva University", "Alliant International University", "University of Kansas", "Indiana University",
    "Smith College School for Social Work", "Chicago School of Professional Psychology",
    "California Institute of Integral Studies", "University of Southern California", "Loyola University Chicago",
    "Saybrook University", "Northcentral University", "Pacifica Graduate Institute", "Fielding Graduate University",
]
BOOKS = [
    ("Handbook of community psychiatry", "Springer", "New York, NY"),
    ("Textbook of psychiatric rehabilitation", "Oxford University Press", "Oxford"),
    ("Recovery in mental health: reshaping scientific and clinical responsibilities", "Wiley-Blackwell", "Chichester"),
    ("Oxford textbook of community mental health", "Oxford University Press", "Oxford"),
    ("Community mental health: challenges for the 21st century", "Routledge", "New York, NY"),
    ("Mental health services research handbook", "American Psychiatric Publishing", "Washington, DC"),
    ("Social psychiatry: theory and practice", "Cambridge University Press", "Cambridge"),
]

# Peer support work (the topic of the review): words for the relevant titles and abstracts.
PEER_TERMS_US = ["peer specialists", "peer support specialists", "peer providers", "consumer providers",
                 "certified peer specialists", "peer staff"]
PEER_TERMS_OTHER = ["peer support workers", "peer workers", "peer support staff", "lived experience workers",
                    "peer recovery workers"]
PEER_TERMS = PEER_TERMS_US + PEER_TERMS_OTHER
COUNTRY_SETTINGS = {
    "USA": ["in the Veterans Health Administration", "in community mental health centres in the Midwest",
            "in a state psychiatric hospital", "in New York State", "in Medicaid-funded behavioural health agencies",
            "in assertive community treatment teams in the United States", "in Pennsylvania",
            "in urban community mental health centres", "in rural Georgia", "in Connecticut", "in Oregon",
            "in a public mental health system in California", "in Michigan", "in Texas", "in Ohio"],
    "UK": ["in NHS mental health trusts", "in an inner London community mental health team",
           "in English early intervention services", "in Scottish mental health services",
           "on acute inpatient wards in England", "in Welsh community mental health services",
           "in a Northern England mental health trust"],
    "Australia": ["in public mental health services in Victoria", "in Queensland",
                  "in rural New South Wales", "in Australian community mental health services",
                  "in Western Australia"],
    "Canada": ["in Ontario community mental health agencies", "in British Columbia", "in Quebec"],
    "Republic of Ireland": ["in Irish mental health services", "in the Republic of Ireland"],
    "Belgium": ["in Flemish psychiatric hospitals"],
    "Germany": ["in German psychiatric hospitals"],
    "Hong Kong": ["in Hong Kong"],
    "Japan": ["in Japanese psychiatric day care"],
    "The Netherlands": ["in Dutch flexible assertive community treatment teams"],
    "Israel; USA": ["in Israel and the United States"],
}
COUNTRY_JOURNALS = {
    "USA": ["ps", "prj", "cmhj", "apmh", "jbhsr", "ajpr", "psyq", "jnmd", "ajcp", "jcp", "milmed", "jrh",
            "swmh", "apn", "ppc", "jpnmhs", "jdd", "jts"],
    "UK": ["jmh", "jpmhn", "mhrj", "jmhtep", "mhsi", "bjp", "hscc", "bmchsr", "hex"],
    "Australia": ["ijmhn", "anzjp", "ajpr", "jan", "hscc"],
    "Canada": ["cjcmh", "cmhj", "prj"],
    "Republic of Ireland": ["ijpm", "jpmhn"],
    "Belgium": ["bmcpsy"],
    "Germany": ["pprax"],
    "Hong Kong": ["eaap"],
    "Japan": ["ijsp"],
    "The Netherlands": ["bmchsr"],
    "Israel; USA": ["ijprs"],
}
COUNTRY_STAKEHOLDERS = ["mental health professionals", "team managers", "clinicians", "nurses",
                        "service users", "psychiatrists", "social workers", "supervisors"]
CLINICAL_POPULATIONS = [
    "adults with serious mental illness", "people with psychosis", "inpatients with severe mental illness",
    "adults with bipolar disorder", "veterans with serious mental illness", "people with schizophrenia",
    "adults recently discharged from psychiatric hospital", "people with severe depression",
]
WARDS = ["psychiatric hospital", "acute psychiatric wards", "inpatient care", "a psychiatric inpatient unit"]
TRIAL_INTERVENTIONS = ["illness self-management", "recovery education", "transition support",
                       "wellness planning", "community reintegration support", "hope-focused support"]
QUAL_QUOTES = [
    "Somewhere between staff and patient", "We are not glorified buddies", "Part of the team or apart from it",
    "Nobody told us what we were for", "It is a real job", "Walking in two worlds",
    "More than a friend, less than a clinician", "They saw the diagnosis first", "You have to believe in recovery",
    "The lone voice on the team", "Bringing hope through the door", "Learning to share the work",
]
AMERICAN = [("randomised", "randomized"), ("organisational", "organizational"), ("organisation", "organization"),
            ("programmes", "programs"), ("programme", "program"), ("behavioural", "behavioral"),
            ("centres", "centers"), ("centre", "center"), ("hospitalisation", "hospitalization")]
SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
               "the", "to", "with", "versus", "vs", "via", "than", "about", "after", "between", "among"}
STOPWORDS = SMALL_WORDS | {"study", "people", "with", "mental", "health", "services", "service", "adults",
                           "care", "illness", "is", "are", "do", "does", "what", "how", "who", "using",
                           "receiving", "their", "its", "s"}


def american(text: str) -> str:
    for british, us in AMERICAN:
        text = text.replace(british, us).replace(british.capitalize(), us.capitalize())
    return text


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def title_case(sentence: str) -> str:
    """'Peer support in the NHS: a qualitative study' -> 'Peer Support in the NHS: A Qualitative Study'."""
    words = sentence.split(" ")
    out = []
    start = True
    for word in words:
        core = word.strip("‘’'\"(")
        if start or (core.lower() not in SMALL_WORDS):
            if word[:1].isalpha():
                word = word[:1].upper() + word[1:]
            elif len(word) > 1 and word[0] in "‘'\"(" and word[1].isalpha():
                word = word[0] + word[1].upper() + word[2:]
        out.append(word)
        start = word.endswith(":") or word.endswith("?")
    # Hyphenated words: capitalise each part (Peer-Led), as journals using title case do.
    return " ".join("-".join(capitalise(part) if i and part[:1].isalpha() and part.lower() not in SMALL_WORDS
                              else part for i, part in enumerate(w.split("-"))) if "-" in w and w[:1].isupper()
                    else w for w in out)


def content_tokens(title: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", ascii_fold(title).lower())
    return frozenset(w for w in words if w not in STOPWORDS and len(w) > 1)


class TitleRegistry:
    """Keeps unique publications clearly distinct: a new title may share less than 60% of its content
    words (Jaccard) with every earlier one, except the hard cases that are built on purpose.

    Titles are columns of a 0/1 word x title matrix so that comparing a title with all earlier ones is
    one numpy sum over a few contiguous rows (a set comparison per title in Python took seconds)."""

    def __init__(self) -> None:
        import numpy as np
        self.np = np
        self.matrix = np.zeros((512, 8192), dtype=np.uint8)  # word x title
        self.sizes = np.zeros(8192, dtype=np.int32)
        self.words: dict = {}
        self.count = 0
        self.normalised: set = set()

    def _rows(self, tokens, create: bool) -> list:
        rows = []
        for token in sorted(tokens):
            if token not in self.words:
                if not create:
                    continue
                if len(self.words) == self.matrix.shape[0]:
                    self.matrix = self.np.vstack([self.matrix, self.np.zeros_like(self.matrix)])
                self.words[token] = len(self.words)
            rows.append(self.words[token])
        return rows

    def acceptable(self, title: str, limit: float = 0.6) -> bool:
        norm = " ".join(re.findall(r"[a-z0-9]+", ascii_fold(title).lower()))
        if norm in self.normalised:
            return False
        tokens = content_tokens(title)
        rows = self._rows(tokens, create=False)
        if len(tokens) < 2 or not rows or not self.count:
            return True
        shared = self.matrix[rows, : self.count].sum(axis=0, dtype=self.np.int32)
        union = self.sizes[: self.count] + len(tokens) - shared
        return not bool((shared >= limit * union).any())

    def add(self, title: str) -> None:
        norm = " ".join(re.findall(r"[a-z0-9]+", ascii_fold(title).lower()))
        self.normalised.add(norm)
        tokens = content_tokens(title)
        rows = self._rows(tokens, create=True)
        if self.count == self.matrix.shape[1]:
            self.matrix = self.np.hstack([self.matrix, self.np.zeros_like(self.matrix)])
            self.sizes = self.np.concatenate([self.sizes, self.np.zeros_like(self.sizes)])
        self.matrix[rows, self.count] = 1
        self.sizes[self.count] = len(tokens)
        self.count += 1


SLOTS = ["topic", "topic2", "conc", "conc2", "pop", "set", "out", "stake", "cpop", "cservice", "cond", "ward",
         "tinterv", "stakeq", "quote", "dsuf", "y1", "y2", "nyears", "csetting", "peer"]


def word_count(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------------------------------
# The codebook: the 14 influences of the seed review, in its order, with subthemes and codes.
# Each code carries a facilitator and a barrier passage (or an unclear one) for the coded extracts.
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Code:
    label: str
    description: str
    facilitator: str
    barrier: str


@dataclass(frozen=True)
class Subtheme:
    label: str
    description: str
    codes: tuple


@dataclass(frozen=True)
class Theme:
    label: str
    short: str  # the name used in the seed's text
    description: str
    directional: bool
    subthemes: tuple
    facilitator_phrase: str
    barrier_phrase: str


def _c(label, description, facilitator, barrier):
    return Code(label, description, facilitator, barrier)


THEMES = [
    Theme("Organisational culture", "organisational culture",
          "The values, norms and power relations of the host organisation as they bear on peer support work.",
          True, (
              Subtheme("Recovery-oriented values", "Whether the service values lived experience and recovery.", (
                  _c("Lived experience valued as expertise",
                     "Colleagues treat lived experience as a form of expertise.",
                     "Team members described the peer worker's lived experience as 'a different kind of "
                     "knowledge' that the team had been missing.",
                     "Clinicians questioned whether lived experience counted as expertise and deferred to "
                     "professional qualifications in team decisions."),
                  _c("Recovery orientation of the service",
                     "The service's stated and practised commitment to recovery.",
                     "Where the service had already adopted recovery principles, peer workers said their "
                     "role 'made sense' to colleagues from the first day.",
                     "Peer workers described a custodial, risk-focused service in which talk of recovery "
                     "was 'on the posters but not on the ward'."),
              )),
              Subtheme("Leadership support", "Visible backing for peer roles from managers and leaders.", (
                  _c("Managers champion peer roles",
                     "Line managers actively promote and protect peer roles.",
                     "A team manager who had championed the posts was credited with resolving early "
                     "conflicts about what peer workers could do.",
                     "When the sponsoring manager left, peer workers felt the posts 'lost their protector' "
                     "and were left out of team meetings."),
                  _c("Senior leadership commitment",
                     "Commitment to peer support work at board or executive level.",
                     "Executive sponsorship meant that peer support was written into the service strategy "
                     "and not treated as a pilot.",
                     "Senior managers were described as supporting peer work in principle while giving it "
                     "no priority in practice."),
              )),
              Subtheme("Stigma and power within teams", "How stigma and hierarchy shape the peer role.", (
                  _c("Dominance of the medical model",
                     "A biomedical framing of distress that leaves little room for peer perspectives.",
                     "Teams that had moved away from a purely medical framing were more open to the peer "
                     "worker's way of talking about distress.",
                     "'They saw the diagnosis first and me second,' one peer worker said of the consultant-led "
                     "team."),
                  _c("Tokenism",
                     "Peer roles created for appearance rather than contribution.",
                     "Staff contrasted the current posts with earlier 'token' roles and valued that peer "
                     "workers now had a real caseload.",
                     "Peer workers felt they had been hired 'to tick a box' and were rarely asked for their "
                     "view."),
                  _c("Peer workers treated as patients",
                     "Colleagues relate to peer workers as current or former patients.",
                     "Colleagues who had known peer workers only as colleagues were reported to treat them as "
                     "equals.",
                     "A peer worker described a nurse checking whether she had 'taken her medication' in "
                     "front of a service user."),
              )),
          ), "a recovery-oriented organisational culture", "a dominant medical model and stigma within teams"),
    Theme("PSW training", "PSW training",
          "Preparation and continuing education for peer support workers and for the teams they join.",
          True, (
              Subtheme("Role-specific training for peer workers", "Training designed for the peer role.", (
                  _c("Accredited peer training",
                     "Certification or accredited courses for peer workers.",
                     "Completing the state certification course gave peer specialists 'a shared language' "
                     "and credibility with colleagues.",
                     "Peer workers started work without any peer-specific training and 'learned by making "
                     "mistakes'."),
                  _c("Training in sharing lived experience",
                     "Training on the purposeful use of self-disclosure and boundaries.",
                     "Training on when and how to share their story helped peer workers use disclosure "
                     "purposefully.",
                     "Without guidance on disclosure, peer workers were unsure how much of their story to "
                     "share."),
              )),
              Subtheme("Ongoing learning", "Learning after appointment.", (
                  _c("Continuing professional development",
                     "Access to further training and development.",
                     "Regular learning days for peer staff were described as keeping the role 'fresh and "
                     "distinct'.",
                     "Peer workers were excluded from the training budget available to other staff."),
                  _c("Learning on the job",
                     "Induction, shadowing and mentoring in post.",
                     "A structured induction with shadowing of an experienced peer worker eased entry to the "
                     "team.",
                     "Induction was generic and did not explain how the team worked with peer staff."),
              )),
              Subtheme("Training for non-peer staff", "Preparing the team for peer colleagues.", (
                  _c("Team preparation",
                     "Briefing and training of existing staff before peer workers start.",
                     "Teams that had a session on the purpose of peer work before the posts started reported "
                     "fewer misunderstandings.",
                     "Staff said nobody had explained to them what peer workers were for."),
              )),
          ), "role-specific training for peer workers and their teams", "absent or generic training"),
    Theme("PSW role definition", "PSW role definition",
          "How clearly the peer role is defined, by whom, and how well the definition holds in practice.",
          True, (
              Subtheme("Clarity of the role", "Shared understanding of what the role is.", (
                  _c("Written job description",
                     "A job description specific to peer work.",
                     "A job description written with peer workers set out tasks that other staff did not "
                     "do.",
                     "The job description was copied from a support worker post and did not mention lived "
                     "experience."),
                  _c("Role understood by the team",
                     "Colleagues understand and respect the role.",
                     "Once the team understood the role, referrals to peer workers became routine.",
                     "'Nobody told us what we were for,' a peer worker said of the first months."),
              )),
              Subtheme("Role drift", "Pressure to take on non-peer tasks.", (
                  _c("Co-option into clinical tasks",
                     "Peer workers drawn into clinical or monitoring tasks.",
                     "Managers protected peer time from clinical tasks, which kept the role distinct.",
                     "Peer workers were asked to monitor medication and report risk, which they felt "
                     "compromised their relationship with service users."),
                  _c("Administrative and escort duties",
                     "Peer workers used to fill gaps in staffing.",
                     "Clear limits on escort duties were agreed with the ward manager.",
                     "On short-staffed shifts peer workers were used as escorts or to answer phones."),
              )),
              Subtheme("Who defines the role", "External and organisational definitions of the role.", (
                  _c("Externally defined standards",
                     "Role standards set by funders, certification bodies or policy.",
                     "State certification standards gave a shared definition of the role across agencies.",
                     "Funding rules defined the role narrowly around billable activities."),
                  _c("Organisationally negotiated role",
                     "Role definitions agreed within the organisation.",
                     "The role was negotiated with each team and reviewed after six months.",
                     "Each team interpreted the role differently, so peer workers moving between teams had to "
                     "start again."),
              )),
          ), "a clearly defined and protected role", "role ambiguity and role drift"),
    Theme("Staff willingness and ability to work with PSWs", "staff willingness and ability",
          "The readiness of non-peer staff to accept, work alongside and support peer colleagues.",
          True, (
              Subtheme("Attitudes of staff", "Staff beliefs about peer workers.", (
                  _c("Concerns about peer workers' fragility",
                     "Staff worry that the work will harm peer workers.",
                     "Staff who had worked with peer colleagues before were less worried about relapse.",
                     "Staff were reported to worry that peer workers would 'break down' under pressure."),
                  _c("Fear of role substitution",
                     "Staff fear that peer workers will replace qualified posts.",
                     "Nurses welcomed peer workers once it was clear the posts were additional.",
                     "Nurses saw the posts as a cheaper substitute for qualified staff."),
              )),
              Subtheme("Staff knowledge and experience", "Whether staff know how to work with peers.", (
                  _c("Prior experience of peer colleagues",
                     "Staff experience of working with peer workers.",
                     "Prior experience of peer colleagues in another service was the strongest predictor of "
                     "staff acceptance.",
                     "Most staff had never worked with a peer colleague and did not know how to involve them."),
                  _c("Understanding of peer values",
                     "Staff understanding of mutuality and hope in peer work.",
                     "Staff who understood mutuality in peer relationships referred more service users.",
                     "Staff described peer work as 'just being friendly' and saw no distinct skill in it."),
              )),
          ), "staff willing and able to work alongside peer colleagues",
          "staff scepticism and lack of experience with peer colleagues"),
    Theme("Resource availability", "resource availability",
          "Whether the material and staff resources needed for peer work are available.",
          True, (
              Subtheme("Physical resources", "Space, equipment and transport.", (
                  _c("Office space and equipment",
                     "A desk, phone and computer access for peer workers.",
                     "Peer workers had their own desks in the team office, which signalled belonging.",
                     "Peer workers had no desk or computer and wrote notes in the car."),
                  _c("Transport and travel",
                     "Means to meet service users in the community.",
                     "Pool cars allowed peer workers to meet people at home.",
                     "Without transport, community visits were limited to people near the office."),
              )),
              Subtheme("Staffing and time", "Staff capacity around the peer role.", (
                  _c("Supervisor capacity",
                     "Time of managers to supervise and support peer workers.",
                     "A dedicated coordinator had protected time to support the peer team.",
                     "Supervisors had no time set aside for peer staff alongside their caseloads."),
                  _c("Workload and caseload",
                     "The number of people each peer worker supports.",
                     "Small caseloads allowed time to build relationships.",
                     "High caseloads left no time for the relational work peer support depends on."),
              )),
          ), "dedicated time, space and equipment", "insufficient resources"),
    Theme("Financial arrangements", "financial arrangements",
          "Pay, conditions and the funding of peer support work.",
          True, (
              Subtheme("Pay and conditions", "What peer workers are paid and how.", (
                  _c("Pay level of peer posts",
                     "The salary and grade of the posts.",
                     "Pay on the same scale as support workers signalled that the role was valued.",
                     "Low pay led experienced peer workers to leave for other posts."),
                  _c("Effect on welfare benefits",
                     "Interaction between earnings and benefits.",
                     "Advice on benefits before starting let peer workers increase their hours safely.",
                     "Fear of losing disability benefits kept peer workers to a few hours a week."),
              )),
              Subtheme("Funding of the service", "How peer support is paid for.", (
                  _c("Sustainable funding",
                     "Recurrent rather than short-term funding.",
                     "Recurrent funding from the health authority allowed permanent contracts.",
                     "Short-term grant funding meant posts ended when the pilot finished."),
                  _c("Reimbursement rules",
                     "Billing and reimbursement of peer services.",
                     "Medicaid reimbursement made peer services financially sustainable for the agency.",
                     "Billing rules forced peer work into clinical documentation formats."),
              )),
          ), "secure funding and fair pay", "low pay and short-term funding"),
    Theme("Support for PSW well-being", "support for PSW well-being",
          "Supervision and workplace support for the well-being of peer workers.",
          True, (
              Subtheme("Supervision", "Regular supervision of peer workers.", (
                  _c("Line management supervision",
                     "Supervision from the team manager.",
                     "Regular supervision gave peer workers a place to reflect on difficult contacts.",
                     "Supervision was cancelled whenever the team was busy."),
                  _c("Peer supervision",
                     "Supervision by an experienced peer worker.",
                     "Supervision from a senior peer worker was valued because 'they get it'.",
                     "No supervisor had peer work experience, and peer workers felt misunderstood."),
              )),
              Subtheme("Workplace adjustments", "Adjustments for peer workers' health.", (
                  _c("Flexible working",
                     "Flexible hours and leave.",
                     "Flexible hours let peer workers manage their health without taking sick leave.",
                     "Rigid rotas made it hard to attend personal appointments."),
                  _c("Sickness and return-to-work policies",
                     "Policies when a peer worker becomes unwell.",
                     "A wellness plan agreed with the manager made returning after illness easier.",
                     "A peer worker who became unwell was treated under the disciplinary policy."),
              )),
          ), "regular supervision and workplace adjustments", "little support for peer workers' well-being"),
    Theme("Access to a peer network", "access to a peer network",
          "Contact with other peer workers inside or outside the organisation.",
          True, (
              Subtheme("Peer colleagues", "Other peer workers in the same service.", (
                  _c("More than one peer worker per team",
                     "Teams employing several peer workers.",
                     "Employing two peer workers per team meant nobody was 'the only one'.",
                     "Being the only peer worker on the team was described as isolating."),
              )),
              Subtheme("External networks", "Networks beyond the organisation.", (
                  _c("Regional peer networks",
                     "Regional or national networks and communities of practice.",
                     "A regional network of peer workers offered advice and solidarity.",
                     "Peer workers in rural services had no access to other peer workers."),
                  _c("Peer-led organisations as a base",
                     "Links with peer-led organisations outside the service.",
                     "Links with a local peer-led organisation kept peer workers connected to peer values.",
                     "Peer workers lost contact with the peer movement after joining clinical teams."),
              )),
          ), "contact with other peer workers", "isolation as the only peer worker"),
    Theme("PSW ability to self-manage their own well-being", "ability to self-manage well-being",
          "Peer workers' own strategies for staying well at work.",
          True, (
              Subtheme("Self-care strategies", "How peer workers look after their well-being.", (
                  _c("Personal wellness plans",
                     "Peer workers' own wellness plans and routines.",
                     "Peer workers used their own wellness plans to notice early signs of stress.",
                     "Some peer workers found it hard to look after themselves while supporting others."),
                  _c("Work-related stress and relapse",
                     "Stress at work and the risk of relapse.",
                     "Knowing their own triggers helped peer workers manage stressful contacts.",
                     "Work-related stress contributed to periods of illness for several peer workers."),
              )),
          ), "personal wellness strategies", "difficulty managing their own well-being"),
    Theme("Expectations held by PSWs", "expectations held by PSWs",
          "What peer workers expect of the job and of their careers.",
          True, (
              Subtheme("Expectations of the job", "The fit between expectation and experience.", (
                  _c("Realistic job preview",
                     "Accurate information about the job before starting.",
                     "A realistic description of the job at interview prevented disappointment.",
                     "Peer workers expected to change the service and were disappointed by their limited "
                     "influence."),
                  _c("Career progression",
                     "Routes to promotion for peer workers.",
                     "A senior peer worker grade gave a route for progression.",
                     "There was no career ladder beyond the entry-level post."),
              )),
          ), "realistic expectations of the role", "unmet expectations"),
    Theme("Organisational processes", "organisational processes",
          "Human resources, information and governance processes of the organisation.",
          True, (
              Subtheme("Human resources processes", "Recruitment and employment procedures.", (
                  _c("Recruitment and disclosure",
                     "Recruitment processes and disclosure of mental health history.",
                     "Recruitment panels that included peer workers selected candidates suited to the role.",
                     "Standard recruitment checks excluded candidates with a forensic history."),
                  _c("Access to records and systems",
                     "Peer workers' access to clinical records and IT systems.",
                     "Read access to the record let peer workers follow up people after discharge.",
                     "Peer workers were not given access to the record system and depended on colleagues."),
              )),
          ), "flexible human resources processes", "rigid organisational procedures"),
    Theme("Research design needs", "research design needs",
          "Requirements of a research study that shape how peer support is delivered.",
          True, (
              Subtheme("Trial requirements", "How a trial protocol shapes the peer role.", (
                  _c("Protocol constraints on peer practice",
                     "Fidelity and protocol requirements of a trial.",
                     "The trial manual allowed peer workers to tailor sessions while keeping core components.",
                     "Protocol requirements restricted peer workers to scripted sessions."),
              )),
          ), "a trial protocol that allowed flexibility", "research protocol constraints"),
    Theme("Match between PSW and patient", "match between PSW and patient",
          "Similarity between peer worker and service user in background, diagnosis or identity.",
          False, (
              Subtheme("Shared characteristics", "Which similarities matter for the relationship.", (
                  _c("Matching on background or diagnosis",
                     "Similar diagnosis, culture or life history.",
                     "Service users valued peer workers who shared their background.",
                     "Some service users preferred a peer worker with a different diagnosis."),
                  _c("Matching on gender or age",
                     "Similar gender or age.",
                     "Women valued being matched with a female peer worker.",
                     "Age differences were not reported to matter."),
              )),
          ), "the match between peer worker and patient", "the match between peer worker and patient"),
    Theme("Emotional intensity in the work", "emotional intensity",
          "The emotional demands of peer support work.",
          False, (
              Subtheme("Emotional demands", "What the work asks of peer workers emotionally.", (
                  _c("Re-living own experiences",
                     "The work recalls peer workers' own experiences.",
                     "Some peer workers said revisiting their experiences deepened their own recovery.",
                     "Others found that supporting people in crisis brought back painful memories."),
              )),
          ), "the emotional intensity of the work", "the emotional intensity of the work"),
]
THEME_IDS = [f"T{i:02d}" for i in range(1, len(THEMES) + 1)]
# Study counts per theme among the 53 included studies (the seed's percentages of 53).
THEME_COUNTS = [28, 22, 21, 18, 11, 8, 7, 7, 5, 3, 3, 1, 2, 1]
SEED_PERCENTAGES = [53, 42, 40, 34, 21, 15, 13, 13, 9, 6, 6, 2, 4, 2]
# The seed's CFIR mapping (Discussion); themes it does not map get a sensible domain, qualified.
CFIR = {
    "T01": [("inner setting", "")],
    "T02": [("inner setting", "if provided internally"), ("implementation process", "")],
    "T03": [("outer setting", "if externally defined"), ("implementation process", "if organisationally defined")],
    "T04": [("individuals", "")],
    "T05": [("outer setting", "")],
    "T06": [("outer setting", "")],
    "T07": [("inner setting", "")],
    "T08": [("inner setting", "if provided internally"), ("outer setting", "if provided externally")],
    "T09": [("individuals", "not mapped in the source review")],
    "T10": [("individuals", "not mapped in the source review")],
    "T11": [("inner setting", "not mapped in the source review")],
    "T12": [("intervention characteristics", "not mapped in the source review")],
    "T13": [("intervention characteristics", "not mapped in the source review")],
    "T14": [("individuals", "not mapped in the source review")],
}


def codebook_nodes() -> list[dict]:
    """Rows of codebook.csv in hierarchy order: theme, its subthemes, each with its codes."""
    rows = []
    for theme_id, theme in zip(THEME_IDS, THEMES):
        rows.append({"code_id": theme_id, "label": theme.label, "level": "theme", "parent_id": "",
                     "description": theme.description})
        for s_index, sub in enumerate(theme.subthemes, start=1):
            sub_id = f"{theme_id}.{s_index}"
            rows.append({"code_id": sub_id, "label": sub.label, "level": "subtheme", "parent_id": theme_id,
                         "description": sub.description})
            for c_index, code in enumerate(sub.codes, start=1):
                rows.append({"code_id": f"{sub_id}.c{c_index}", "label": code.label, "level": "code",
                             "parent_id": sub_id, "description": code.description})
    return rows


# --------------------------------------------------------------------------------------------------
# Included studies: attributes, which themes each codes, CASP answers, extracts
# --------------------------------------------------------------------------------------------------
COUNTRY_COUNTS = [("USA", 30), ("UK", 7), ("Australia", 5), ("Canada", 3), ("Republic of Ireland", 2),
                  ("Belgium", 1), ("Germany", 1), ("Hong Kong", 1), ("Japan", 1), ("The Netherlands", 1),
                  ("Israel; USA", 1)]
DESIGN_COUNTS = [("qualitative", 38), ("rct", 10), ("cohort", 4), ("case-control", 1)]
MODALITY_COUNTS = [("individual", 13), ("group", 6), ("both", 23), ("not stated", 11)]
GRADE_COUNTS = {"good": 47, "fair": 1, "poor": 5}
# The seed's checklists: its "10-item" RCT checklist is the 2006 one (the 2013 and later have 11).
CHECKLISTS = {"qualitative": ("casp-qualitative-2018", 10), "rct": ("casp-rct-2006", 10),
              "cohort": ("casp-cohort-2018", 12), "case-control": ("casp-case-control-2018", 11)}
CASP_NOTES = {
    "casp-qualitative-2018": {4: "Recruitment strategy not described", 5: "Data saturation not discussed",
                              6: "Researcher-participant relationship not considered",
                              7: "Ethics approval not reported", 8: "Analysis process not described in depth",
                              9: "Credibility of findings not discussed", 3: "Design not justified"},
    "casp-rct-2006": {3: "Allocation concealment not described", 4: "Assessors not blinded",
                      5: "Loss to follow-up not fully accounted for", 6: "Follow-up differed between groups",
                      7: "No power calculation", 9: "Effect sizes without confidence intervals",
                      10: "Outcomes limited to service use"},
    "casp-cohort-2018": {2: "Recruitment not representative", 3: "Exposure measure not validated",
                         4: "Outcome measure not validated", 5: "Confounders not adjusted for",
                         6: "Follow-up short", 8: "Precision not reported", 11: "Single site"},
    "casp-case-control-2018": {3: "Case selection unclear", 4: "Controls not matched",
                               5: "Exposure measured differently in cases and controls",
                               6: "Confounders not addressed", 8: "Confidence intervals not reported",
                               10: "Applicability to other services unclear"},
}


@dataclass
class StudySlot:
    slot: int
    country: str
    design: str
    modality: str
    grade: str
    themes: list = field(default_factory=list)  # theme indices 0..13
    casp_yes: int = 0
    pub_id: str = ""
    study_id: str = ""


def _expand(counts) -> list:
    return [value for value, n in counts for _ in range(n)]


def plan_studies(seed: int) -> list:
    """Attributes of the 53 included studies (slot order; study ids come later, by citation)."""
    rng = rng_for(seed, "studies")
    countries = _expand(COUNTRY_COUNTS)
    designs = _expand(DESIGN_COUNTS)
    modalities = _expand(MODALITY_COUNTS)
    rng.shuffle(countries)
    rng.shuffle(designs)
    rng.shuffle(modalities)
    slots = [StudySlot(i, countries[i], designs[i], modalities[i], "good") for i in range(N_INCLUDED)]
    # The one case-control study is the fair one (5/11 = 45.45%); five poor: 3 qualitative, 1 RCT, 1 cohort.
    for slot in slots:
        if slot.design == "case-control":
            slot.grade = "fair"
    for design, n in (("qualitative", 3), ("rct", 1), ("cohort", 1)):
        candidates = [s for s in slots if s.design == design and s.grade == "good"]
        for slot in rng.sample(candidates, n):
            slot.grade = "poor"
    return slots


def _order_signs(counts) -> list:
    n = len(counts)
    return [[(counts[a] > counts[b]) - (counts[a] < counts[b]) for b in range(n)] for a in range(n)]


def incidence_violations(slots, incidence) -> int:
    """How far a study x theme incidence is from every constraint of the seed (0 = all hold)."""
    n_themes = len(THEME_COUNTS)
    individual = [sum(1 for s in members if slots[s].modality == "individual") for members in incidence]
    group = [sum(1 for s in members if slots[s].modality == "group") for members in incidence]
    good = [sum(1 for s in members if slots[s].grade == "good") for members in incidence]
    per_study = Counter(s for members in incidence for s in members)
    v = 2 * sum(1 for slot in slots if per_study[slot.slot] == 0)
    v += sum(max(0, k - 6) for k in per_study.values())
    # Individual studies: organisational culture > role definition > resource availability > the rest,
    # and each of the eight strongest themes coded by at least one.
    v += max(0, individual[2] - individual[0] + 1) + max(0, individual[4] - individual[2] + 1)
    v += sum(max(0, individual[t] - individual[4] + 1) for t in range(n_themes) if t not in (0, 2, 4))
    v += sum(1 for t in range(8) if individual[t] == 0)
    # Group studies: no role definition, no support for well-being; organisational culture strongest.
    v += group[2] + group[6] + sum(max(0, group[t] - group[0] + 1) for t in range(1, n_themes))
    # Good studies: every theme present, same order and ties as in all 53.
    full_signs = _order_signs(THEME_COUNTS)
    good_signs = _order_signs(good)
    v += sum(1 for a in range(n_themes) for b in range(a + 1, n_themes) if full_signs[a][b] != good_signs[a][b])
    v += sum(1 for t in range(n_themes) if good[t] == 0)
    # Research design needs is a trial's concern: the study coding it is an RCT.
    v += sum(1 for s in incidence[11] if slots[s].design != "rct")
    return v


def solve_incidence(slots, seed: int) -> list:
    """Which studies code which theme: a seeded local search over sets of the published sizes."""
    rng = rng_for(seed, "incidence")
    everyone = list(range(len(slots)))
    for restart in range(50):
        incidence = [set(rng.sample(everyone, count)) for count in THEME_COUNTS]
        current = incidence_violations(slots, incidence)
        for _ in range(20000):
            if current == 0:
                return [sorted(members) for members in incidence]
            t = rng.randrange(len(incidence))
            out = rng.choice(sorted(incidence[t]))
            into = rng.choice([s for s in everyone if s not in incidence[t]])
            incidence[t].remove(out)
            incidence[t].add(into)
            candidate = incidence_violations(slots, incidence)
            if candidate <= current or rng.random() < 0.002:
                current = candidate
            else:
                incidence[t].remove(into)
                incidence[t].add(out)
    raise AssertionError("no study x theme incidence satisfies the seed's constraints")


def casp_target(slot: StudySlot, boundary: bool, rng: random.Random) -> int:
    """Number of 'yes' answers giving the study's grade (score = yes / items)."""
    items = CHECKLISTS[slot.design][1]
    if slot.grade == "fair":
        return {10: 5, 11: 5, 12: 7}[items]  # 5/11 = 45.45%: just fair
    if slot.grade == "poor":
        return rng.choice({10: [3, 4, 4], 11: [4], 12: [5]}[items])  # 40%, 30%, 41.7%
    if boundary:
        return 6  # exactly 6/10 = 60%: good
    if items == 12:
        return rng.choices([9, 10, 11, 12], weights=[3, 4, 3, 1])[0]
    return rng.choices([7, 8, 9, 10], weights=[2, 4, 3, 1])[0]


def casp_answers(slot: StudySlot, n_yes: int, rng: random.Random) -> list:
    checklist, items = CHECKLISTS[slot.design]
    # Items 1-2 are screening questions, almost always 'yes'; later items are the usual weak points.
    weights = [0.2 if i <= 2 else (2.0 if i in (4, 6, 7) else 1.0) for i in range(1, items + 1)]
    not_yes: list = []
    pool = list(range(1, items + 1))
    while len(not_yes) < items - n_yes:
        item = rng.choices(pool, weights=[weights[i - 1] for i in pool])[0]
        pool.remove(item)
        not_yes.append(item)
    answers = []
    for item in range(1, items + 1):
        if item in not_yes:
            answer = "can't tell" if rng.random() < 0.55 else "no"
            note = CASP_NOTES[checklist].get(item, "")
        else:
            answer, note = "yes", ""
        answers.append([item, answer, note])
    return answers


# --------------------------------------------------------------------------------------------------
# Publications (the true unique records)
# --------------------------------------------------------------------------------------------------
FT_REASONS = [  # full-text exclusion reasons and how many reports each excludes
    ("Not peer support work", 48), ("Wrong population", 34), ("No implementation findings", 42),
    ("Peer-run organisation", 20), ("Online peer support only", 14), ("Conference abstract", 18),
    ("Not primary research", 16), ("Peer navigation intervention", 7), ("Language not eligible", 4),
    ("Mutual aid or naturally occurring peer support", 8),
]
N_NOT_RETRIEVED = 7
CSERVICES = ["community mental health teams", "acute inpatient services", "early intervention in psychosis services",
             "assertive community treatment teams", "crisis services", "forensic mental health services",
             "primary care mental health services", "psychiatric rehabilitation services",
             "homeless outreach teams", "emergency psychiatric services", "recovery-oriented day services"]
OTHER_CONDITIONS = ["type 1 diabetes", "chronic pain", "cancer", "asthma", "epilepsy", "obesity", "HIV",
                    "autism", "cerebral palsy", "chronic kidney disease"]
REASON_FRAMES = {
    "Not peer support work": [
        "Peer victimisation and {out} in adolescents{dsuf}", "Peer review of {topic} {set}",
        "Peer education for HIV prevention among {pop}", "Peer relationships and {conc} among {pop}",
        "Peer-assisted learning about {topic} in nursing education", "Clinician-led support groups for {cpop}{dsuf}",
        "Peer consultation among {stake} {set}", "Family-to-family education for carers of {cpop}",
        "Volunteer befriending for {cpop} {csetting}", "Peer observation of {topic} teaching in psychiatric training",
        "Support workers without lived experience in {cservice}", "Peer influence on {out} among {pop}",
    ],
    "Wrong population": [
        "Peer recovery coaching for people with opioid use disorder {csetting}",
        "Peer support for adolescents with {cond}{dsuf}", "Peer mentoring for people living with {cond} {set}",
        "Peer support for parents of children with {cond}", "Peer support in diabetes self-management {csetting}",
        "Peer recovery support services in addiction treatment{dsuf}", "Peer support after traumatic brain injury {set}",
        "Peer support for people with dementia and their carers {csetting}",
        "Peer-delivered interventions for alcohol use disorders{dsuf}", "Peer support for new mothers {set}",
        "Peer support for young people leaving foster care {csetting}",
    ],
    "No implementation findings": [
        "Effects of peer support on {out} in {cpop}: secondary analysis of a randomised trial",
        "Psychometric properties of a fidelity scale for {peer}", "Peer support and {conc} among {cpop}{dsuf}",
        "Mechanisms of change in peer support for {cpop}", "Self-disclosure by {peer}: a content analysis",
        "Hope and {conc} among {peer}{dsuf}", "Job satisfaction of {peer} {csetting}",
        "Characteristics of people using peer support {csetting}",
        "Predictors of engagement with {peer} among {cpop}", "The cost of peer support for {cpop}: an economic model",
        "The relationship between {peer} and {cpop}: an observational study",
        "Personal recovery outcomes of peer support for {cpop}{dsuf}",
    ],
    "Peer-run organisation": [
        "Consumer-operated service programmes {csetting}{dsuf}", "Peer-run respite as an alternative to hospital {csetting}",
        "Peer-run warmlines for {cpop}", "Self-help agencies run by service users {csetting}",
        "Peer-run drop-in centres {csetting}", "Governance of user-run organisations {csetting}",
    ],
    "Online peer support only": [
        "Online peer support forums for {cpop}{dsuf}", "Moderated online peer support for {cpop}",
        "A smartphone app for peer support among {cpop}", "Internet-based peer support for carers of {cpop}",
        "Social media peer support among {cpop}{dsuf}",
    ],
    "Conference abstract": [
        "Implementing peer support work {csetting}", "Peer workers in {cservice}: early findings",
        "Evaluation of a peer support worker programme {csetting}", "Introducing {peer} to {cservice}",
        "What helps {peer} to thrive in {cservice}?", "Peer support work {csetting}: a service evaluation",
    ],
    "Not primary research": [
        "{Peer} in {cservice}: a narrative review", "Peer support: what is it and does it work for {cpop}?",
        "The place of lived experience in {cservice}", "Peer support work {csetting}: a policy analysis",
        "Commentary: the professionalisation of {peer}", "Why {peer} matter for recovery {csetting}",
    ],
    "Peer navigation intervention": [
        "Peer navigators for {cpop} with physical health needs{dsuf}", "Peer health navigation for {cpop} {csetting}",
        "A peer navigator programme to improve primary care use among {cpop}",
    ],
    "Language not eligible": [
        "Peer support workers in {cservice}{dsuf}", "The role of {peer} in {cservice}",
        "Peer support for {cpop}: experiences of staff",
    ],
    "Mutual aid or naturally occurring peer support": [
        "Mutual support groups for {cpop} {csetting}", "Informal peer support among inpatients on {ward}",
        "Naturally occurring peer support in supported housing {csetting}", "Hearing voices groups as mutual aid{dsuf}",
        "Twelve-step mutual aid for people with dual diagnosis {csetting}",
    ],
}
NOT_RETRIEVED_FRAMES = [
    "Peer counsellors in a psychiatric day programme", "Consumers as staff in {cservice}",
    "Former patients as mental health workers {csetting}", "Ex-patients employed in {cservice}: a report",
    "Prosumers in case management {csetting}", "Peer companions for {cpop}",
    "Consumer case managers {csetting}: an evaluation",
]
INCLUDED_FRAMES = {
    "qualitative": [
        "{Stakeq}' experiences of working with {peer} {csetting}: a qualitative study",
        "Introducing {peer} into {cservice}: barriers and facilitators",
        "‘{quote}’: perspectives of {stakeq} on peer support roles {csetting}",
        "Integrating {peer} in {cservice}: a focus group study",
        "The implementation of peer support work {csetting}: an ethnographic study",
        "How do {peer} fit into {cservice}? A qualitative study of {stakeq}",
        "Becoming part of the team: {peer} in {cservice}",
        "Organisational influences on peer support work {csetting}",
        "Challenges and supports for {peer} {csetting}: interviews with {stakeq}",
        "Making peer support work in {cservice}: lessons from {csetting_noun}",
        "Sustaining the roles of {peer} in {cservice}: a qualitative process evaluation",
        "Role clarity and role conflict among {peer} {csetting}",
        "What helps and hinders {peer} in {cservice}? A qualitative study",
        "Implementing {peer} in {cservice}: the views of {stakeq}",
    ],
    "rct": [
        "Peer support for {cpop} after discharge from {ward}: a randomised controlled trial",
        "A randomised trial of peer-delivered {tinterv} for {cpop}",
        "Effects of adding {peer} to {cservice}: a randomised controlled trial",
        "Peer-led {tinterv} for {cpop} {csetting}: a pragmatic randomised trial",
        "{Peer} versus usual care for {cpop}: a randomised controlled trial with process evaluation",
    ],
    "cohort": [
        "Outcomes of a peer support programme for {cpop} {csetting}: a cohort study",
        "Employment of {peer} and service use among {cpop}: a prospective cohort study",
        "Peer support and hospital use among {cpop} {csetting}: a longitudinal cohort study",
    ],
    "case-control": [
        "Peer support and psychiatric readmission among {cpop}: a case-control study",
    ],
}
PEERISH_FRAMES = REASON_FRAMES["Wrong population"] + REASON_FRAMES["Not peer support work"] + [
    "Peer tutoring in {topic} training for medical students", "Peer pressure and {out} among {pop}",
    "Peer support for people with {cond}: a survey of {stake}",
]
GENERAL_FRAMES.append("{Conc} & {conc2}: perspectives of {stake} {set}")


@dataclass
class Publication:
    pub_id: str
    kind: str  # article | conference_abstract | dissertation | chapter | editorial | letter | erratum | report
    title: str  # as published, sentence case (journals using title case are rendered in title case)
    authors: list
    year: int
    month: int
    journal: str | None = None
    volume: str = ""
    issue: str = ""
    pages: tuple | None = None  # (start, end) as ints
    article_number: str = ""
    doi: str | None = None
    abstract: list | None = None  # [(label, text)], label '' when unstructured
    keywords: list = field(default_factory=list)
    language: str = "eng"
    fate: str = "ta_excluded"  # included | ft_excluded | not_retrieved | ta_excluded
    reason: str = ""
    slot: int | None = None  # study slot of an included publication
    ids: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # school, degree, book, conference, erratum parent...
    peerish: bool = False
    hard_case: str = ""
    databases: list = field(default_factory=list)  # formats it is exported by, in SEARCHES order

    @property
    def journal_obj(self):
        return JOURNAL_BY_KEY[self.journal] if self.journal else None

    def published_title(self) -> str:
        j = self.journal_obj
        if j is not None and j.title_case and self.kind in ("article", "editorial", "letter", "erratum"):
            return title_case(self.title)
        return self.title

    def relevant(self) -> bool:
        return self.fate != "ta_excluded"


WRONG_POPULATIONS = [("opioid", "people with opioid use disorder"), ("addiction", "people in addiction treatment"),
                     ("alcohol", "people with alcohol use disorders"), ("brain injury", "people with brain injury"),
                     ("dementia", "people with dementia"), ("mothers", "new mothers"),
                     ("foster care", "young people leaving foster care"), ("diabetes", "people with diabetes")]


def abstract_values(values: dict, reason: str) -> dict:
    """Slot values for the abstract of a full-text-excluded report, consistent with its title."""
    frame = values.get("frame", "")
    values = dict(values)
    if reason != "Not peer support work":
        values["topic"] = "peer support"
    elif "{topic}" not in frame.lower():
        head = re.split(r" (?:for|among|in|and|of|on|about)(?= )", frame)[0]
        if head in ("Family-to-family education", "Clinician-led support groups", "Volunteer befriending",
                    "Peer education", "Peer consultation"):  # interventions, unlike 'peer victimisation'
            values["topic"] = head[:1].lower() + head[1:]
    if "{cpop}" in frame:
        values["pop"] = values["cpop"]
    elif "{cond}" in frame:
        values["pop"] = ("parents of children with " if "parents" in frame else "people with ") + values["cond"]
    elif reason == "Wrong population":
        values["pop"] = next((pop for key, pop in WRONG_POPULATIONS if key in frame), "the target population")
    if "{csetting}" in frame:
        values["set"] = values["csetting"]
    return values


def design_of_title(title: str) -> str:
    low = title.lower()
    if "randomi" in low or "trial" in low:
        return "rct"
    if any(k in low for k in ("qualitative", "interpretative", "focus group", "interviews", "ethnographic",
                              "phenomenolog", "experiences", "views", "perspectives")):
        return "qualitative"
    if re.search(r"(?<!peer )review|meta-analysis", low):
        return "review"
    if "survey" in low or "delphi" in low:
        return "survey"
    if any(k in low for k in ("cohort", "follow-up", "routine data", "longitudinal", "trends")):
        return "cohort"
    return "other"


ABSTRACT_BACKGROUND = [
    "Interest in {topic} for {pop} is growing, but evidence on its effects on {out} remains limited.",
    "Little is known about {conc} among {pop} {set}.",
    "{Conc} is a recurring concern for services that support {pop}.",
    "There is growing interest in {topic} as a way to address {out} among {pop}.",
    "Providers {set} are increasingly judged by {out} among {pop}.",
]
ABSTRACT_AIM = [
    "This study examined the association between {conc} and {out}.",
    "We aimed to evaluate {topic} {set}.",
    "The objective was to explore how {stake} experience {topic}.",
    "This paper describes the development and evaluation of {topic} for {pop}.",
]
ABSTRACT_METHODS = {
    "rct": ["A total of {n} participants were randomly allocated to {topic} or usual care and followed up for {m} months.",
            "{N} participants from {k} sites were randomised; the primary outcome was {out}."],
    "qualitative": ["Semi-structured interviews were conducted with {n2} {stake} and analysed thematically.",
                    "{K} focus groups with {stake} were audio-recorded, transcribed and analysed using framework analysis."],
    "review": ["Six electronic databases were searched and {k} studies met the inclusion criteria.",
               "We searched bibliographic databases and synthesised {k} eligible studies narratively."],
    "survey": ["A cross-sectional survey was completed by {n} {stake}.",
               "An online questionnaire was sent to {n} {stake}, of whom {pct}% responded."],
    "cohort": ["We followed a cohort of {n} {pop} using routinely collected records.",
               "Routine data for {n} {pop} were linked to hospital records over {m} months."],
    "other": ["Data from {n} participants were analysed using multilevel regression.",
              "We describe the development of {topic} and its evaluation over {m} months."],
}
ABSTRACT_RESULTS = {
    "rct": ["Participants receiving {topic} showed greater improvement in {out} than controls.",
            "There were no significant differences in {out} between groups at {m} months."],
    "qualitative": ["Three themes were identified: {conc}, {conc2} and the practicalities of {topic}.",
                    "Participants valued {topic} but described tensions around {conc}."],
    "review": ["Evidence was mixed and the quality of most studies was low.",
               "Most studies reported improvements in {out}, but effect sizes were small."],
    "survey": ["{Pct}% of respondents reported concerns about {conc}.",
               "Higher {conc} was associated with better {out}."],
    "cohort": ["{Topic} was associated with reduced {out} after adjustment for baseline characteristics.",
               "Changes in {out} over the follow-up period were modest."],
    "other": ["Levels of {conc} were associated with {out} after adjustment for confounders.",
              "The approach was feasible and acceptable to {stake}."],
}
ABSTRACT_CONCLUSIONS = [
    "{Topic} may be a useful addition to routine care for {pop}.",
    "Services should attend to {conc} when supporting {pop}.",
    "Further research is needed to clarify the role of {conc} in {out}.",
    "These findings have implications for commissioning {topic} {set}.",
]
ABSTRACT_LABELS = ["Background", "Methods", "Results", "Conclusions"]


def build_abstract(rng: random.Random, design: str, values: dict, extra_results: list | None = None) -> list:
    """A 40-90 word synthetic abstract, structured (labels) or not."""
    v = {
        "topic": rng.choice(TOPICS), "pop": rng.choice(POPULATIONS), "set": rng.choice(SETTINGS),
        "out": rng.choice(OUTCOMES), "conc": rng.choice(CONCEPTS), "conc2": rng.choice(CONCEPTS),
        "stake": rng.choice(STAKEHOLDERS), "n": str(rng.randint(40, 600)), "n2": str(rng.randint(8, 40)),
        "m": str(rng.choice([3, 6, 9, 12, 18, 24])), "k": str(rng.randint(3, 24)), "pct": str(rng.randint(18, 82)),
    }
    v.update(values)
    v["N"], v["K"], v["Pct"] = v["n"], capitalise(NUMBER_WORDS.get(int(v["k"]), v["k"])), v["pct"]

    def f(template: str) -> str:
        def replace(match):
            name = match.group(1)
            value = v[name] if name in v else v[name.lower()]
            return capitalise(value) if name[0].isupper() and name not in ("N", "K", "Pct") else value
        return re.sub(r"\{(\w+)\}", replace, template)

    background = f(rng.choice(ABSTRACT_BACKGROUND)) + " " + f(rng.choice(ABSTRACT_AIM))
    methods = f(rng.choice(ABSTRACT_METHODS[design]))
    results = " ".join(f(s) for s in (extra_results or [rng.choice(ABSTRACT_RESULTS[design])]))
    conclusions = f(rng.choice(ABSTRACT_CONCLUSIONS))
    parts = [background, methods, results, conclusions]
    words = sum(word_count(p) for p in parts)
    if words < 40:
        parts[2] += " " + f(rng.choice([s for s in ABSTRACT_RESULTS[design] if f(s) not in parts[2]]))
    while sum(word_count(p) for p in parts) > 90:
        sentences = parts[0].split(". ")
        if len(sentences) > 1:
            parts[0] = sentences[0] + "."
        else:
            parts[3] = ""
            break
    parts_labels = list(zip(ABSTRACT_LABELS, parts))
    parts_labels = [(label, text) for label, text in parts_labels if text]
    if rng.random() < 0.5:
        return [("", " ".join(text for _, text in parts_labels))]
    return parts_labels


NUMBER_WORDS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten",
                11: "eleven", 12: "twelve"}


def abstract_words(abstract) -> int:
    return sum(word_count(text) for _, text in abstract or [])


ONLINE_ONLY = {"bmcpsy", "bmchsr", "impsci", "bmjopen", "fpsyt"}
CONFERENCES = {
    "eurpsy": "European Congress of Psychiatry", "eip": "International Conference on Early Intervention in Mental Health",
    "schbul": "International Congress on Schizophrenia Research", "anzjp": "Annual Congress of Psychiatry",
    "aps": "Nordic Congress of Psychiatry",
}
DEGREES = [("Ph.D.", 6), ("Psy.D.", 3), ("D.S.W.", 1), ("M.S.W.", 1), ("Ed.D.", 1), ("D.N.P.", 1), ("M.A.", 1)]
REPORT_PUBLISHERS = ["Regional Mental Health Partnership", "Centre for Community Mental Health Practice",
                     "Peer Workforce Development Network"]


class PublicationFactory:
    """Draws the 5813 unique publications in a fixed order from one seeded stream."""

    def __init__(self, seed: int, slots: list):
        self.seed = seed
        self.rng = rng_for(seed, "publications")
        self.registry = TitleRegistry()
        self.slots = slots
        self.pubs: list = []
        self.dois: set = set()
        self.hard_cases: list = []

    # -- helpers -----------------------------------------------------------------------------------
    def new_pub(self, **kwargs) -> Publication:
        pub = Publication(pub_id=f"P{len(self.pubs) + 1:04d}", **kwargs)
        self.pubs.append(pub)
        return pub

    def person(self) -> Person:
        rng = self.rng
        return Person(rng.choice(SURNAMES), rng.choice(GIVEN_NAMES),
                      rng.choice(MIDDLE_INITIALS) if rng.random() < 0.55 else "")

    def authors(self, kind: str) -> list:
        rng = self.rng
        if kind in ("dissertation",):
            n = 1
        elif kind in ("editorial", "letter"):
            n = rng.choice([1, 1, 2, 3])
        elif kind == "conference_abstract":
            n = rng.choice([1, 2, 3, 3, 4, 5, 6])
        else:
            n = rng.choices([1, 2, 3, 4, 5, 6, 7, 8, 9, 12], weights=[6, 12, 16, 17, 14, 11, 8, 6, 5, 5])[0]
        people: list = []
        while len(people) < n:
            person = self.person()
            if all(p.surname != person.surname for p in people):
                people.append(person)
        return people

    def year(self, low: int = 1985, high: int = 2018) -> int:
        years = list(range(low, high + 1))
        weights = [(y - 1980) ** 1.6 * (0.55 if y == 2018 else 1.0) for y in years]
        return self.rng.choices(years, weights=weights)[0]

    def month(self, year: int) -> int:
        return self.rng.randint(1, 7 if year == 2018 else 12)

    def title(self, frames: list, extra=None, transform=None, limit: float = 0.6, all_slots: bool = False):
        for _ in range(500):
            frame = self.rng.choice(frames)
            needed = None if all_slots else {name.lower() for name in re.findall(r"\{(\w+)\}", frame)}
            values = self.slot_values(extra() if callable(extra) else extra, needed)
            text = self.fill(frame, values)
            if transform:
                text = transform(text)
            if self.registry.acceptable(text, limit):
                self.registry.add(text)
                values["frame"] = frame
                return text, values
        raise AssertionError(f"could not draw a distinct title from {frames[:2]}")

    def slot_values(self, extra: dict | None, needed: set | None = None) -> dict:
        """Values for a frame's slots (all slots when ``needed`` is None), drawn in a fixed order."""
        rng = self.rng
        keys = set(SLOTS) if needed is None else set(needed) | ({"csetting"} if "csetting_noun" in needed else set())
        keys -= set(extra or {})
        values: dict = {}
        if keys & {"topic", "topic2"}:
            values["topic"], values["topic2"] = rng.sample(TOPICS, 2)
        if keys & {"conc", "conc2"}:
            values["conc"], values["conc2"] = rng.sample(CONCEPTS, 2)
        for key, pool in (("pop", POPULATIONS), ("set", SETTINGS), ("out", OUTCOMES), ("stake", STAKEHOLDERS),
                          ("cpop", CLINICAL_POPULATIONS), ("cservice", CSERVICES), ("cond", OTHER_CONDITIONS),
                          ("ward", WARDS), ("tinterv", TRIAL_INTERVENTIONS), ("stakeq", COUNTRY_STAKEHOLDERS),
                          ("quote", QUAL_QUOTES)):
            if key in keys:
                values[key] = rng.choice(pool)
        if "dsuf" in keys:
            values["dsuf"] = rng.choice(DESIGN_SUFFIXES) if rng.random() < 0.6 else ""
        if keys & {"y1", "y2"}:
            y1 = rng.randint(1990, 2008)
            values["y1"], values["y2"] = str(y1), str(y1 + rng.randint(5, 10))
        if "nyears" in keys:
            values["nyears"] = str(rng.randint(2, 10))
        if keys & {"csetting", "peer"}:
            country = rng.choice(sorted(COUNTRY_SETTINGS))
            values["csetting"] = rng.choice(COUNTRY_SETTINGS[country])
            values["peer"] = rng.choice(PEER_TERMS_US if country in ("USA", "Israel; USA", "Canada") else PEER_TERMS_OTHER)
        values.update(extra or {})
        if "csetting" in values:
            values["csetting_noun"] = re.sub(r"^(in|on) (the )?", "", values["csetting"])
        return values

    @staticmethod
    def fill(frame: str, values: dict) -> str:
        def replace(match):
            name = match.group(1)
            value = values[name.lower()]
            return capitalise(value) if name[0].isupper() else value
        return re.sub(r"\{(\w+)\}", replace, frame)

    def journal_for(self, year: int, keys: list | None = None) -> str:
        keys = keys or ENGLISH_JOURNALS
        candidates = [k for k in keys if JOURNAL_BY_KEY[k].founded <= year] or keys
        return self.rng.choice(candidates)

    def doi_for(self, journal: Journal | None, year: int, pattern: str | None = None) -> str:
        rng = self.rng
        pattern = pattern or journal.doi
        for _ in range(100):
            def digits(match):
                spec = match.group(1)
                if spec == "year":
                    return str(year)
                if spec == "yy":
                    return f"{year % 100:02d}"
                if spec == "m2":
                    return f"{rng.randint(1, 12):02d}"
                if spec == "d1":
                    return str(rng.randint(0, 9))
                if spec == "c1":
                    return rng.choice("mnpqrstuvw")
                if spec == "n7z":
                    return f"000{rng.randint(0, 9999):04d}"
                width = int(spec[1:])
                return "".join(str(rng.randint(0, 9)) for _ in range(width))
            suffix = re.sub(r"\{(\w+)\}", digits, pattern)
            doi = f"10.5555/{suffix}"
            if doi.lower() not in self.dois:
                self.dois.add(doi.lower())
                return doi
        raise AssertionError("DOI space exhausted")

    def place(self, pub: Publication, doi_rate: float | None = None) -> None:
        """Volume, issue, pages or article number, and DOI of a journal item."""
        rng = self.rng
        j = pub.journal_obj
        pub.volume = str(max(1, pub.year - j.founded + 1))
        per_year = (4, 6, 12)[len(j.key) % 3]
        issue = 1 + (pub.month - 1) * per_year // 12
        pub.issue = str(issue)
        if pub.kind == "conference_abstract":
            pub.issue = rng.choice(["Supplement 1", "Suppl 1", "Supplement 2"])
            start = rng.randint(1, 900)
            pub.pages = (start, start)
            pub.extra["page_prefix"] = "S"
        elif j.key in ONLINE_ONLY:
            pub.article_number = (f"e0{rng.randint(10000, 99999)}" if j.key == "bmjopen"
                                  else str(rng.randint(1, 700)))
            pub.issue = "" if j.key != "bmjopen" else str(issue)
        else:
            span = {"erratum": (0, 0), "editorial": (1, 3), "letter": (0, 2)}.get(pub.kind, (5, 14))
            start = (issue - 1) * (1200 // per_year) + rng.randint(1, 1200 // per_year - 20)
            pub.pages = (start, start + rng.randint(*span))
        if doi_rate is None:
            doi_rate = 0.97 if pub.year >= 2005 else 0.85 if pub.year >= 2000 else 0.45 if pub.year >= 1995 else 0.12
        if pub.kind == "conference_abstract":
            doi_rate = 0.45 if pub.year >= 2012 else 0.0
        if rng.random() < doi_rate:
            pub.doi = self.doi_for(j, pub.year)

    def keywords(self, values: dict) -> list:
        words = [values.get("topic"), values.get("conc"), values.get("out")]
        words = [w for w in words if w and w != "peer support"]
        return words[: self.rng.randint(2, 3)]

    # -- the groups of publications ----------------------------------------------------------------
    def included(self) -> None:
        rng = self.rng
        surnames_used: set = set()
        single = next(s.slot for s in self.slots if s.design == "qualitative")
        double = next(s.slot for s in self.slots if s.design == "qualitative" and s.slot != single)
        for slot in self.slots:
            country = slot.country
            us = country in ("USA", "Israel; USA")
            year = rng.choices(range(2000, 2019), weights=[1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 7, 4])[0]
            journal = self.journal_for(year, COUNTRY_JOURNALS[country])
            extra = {"csetting": rng.choice(COUNTRY_SETTINGS[country]),
                     "peer": rng.choice(PEER_TERMS_US if country in ("USA", "Israel; USA", "Canada") else PEER_TERMS_OTHER)}
            transform = american if us else None
            title, values = self.title(INCLUDED_FRAMES[slot.design], extra, transform, all_slots=True)
            n_authors = 1 if slot.slot == single else 2 if slot.slot == double else rng.choice([3, 3, 4, 4, 5, 5, 6, 7, 8])
            while True:
                authors = self.authors("article")[:1]
                if authors[0].surname not in surnames_used and " " not in authors[0].surname:
                    break
            while len(authors) < n_authors:
                person = self.person()
                if all(p.surname != person.surname for p in authors):
                    authors.append(person)
            surnames_used.add(authors[0].surname)
            pub = self.new_pub(kind="article", title=title, authors=authors, year=year, month=self.month(year),
                               journal=journal, fate="included", slot=slot.slot,
                               language=JOURNAL_BY_KEY[journal].language)
            self.place(pub, doi_rate=0.95 if year >= 2004 else 0.7)
            pub.abstract = self.included_abstract(slot, values, us)
            pub.keywords = ["peer support", "implementation", rng.choice(["mental health services", "recovery",
                                                                          "workforce", "barriers and facilitators"])]
            slot.pub_id = pub.pub_id

    def included_abstract(self, slot: StudySlot, values: dict, us: bool) -> list:
        rng = self.rng
        themes = [THEMES[t] for t in slot.themes]
        facilitators = [t.facilitator_phrase for t in themes if t.directional][:2]
        barriers = [t.barrier_phrase for t in themes if t.directional][-2:]
        n = rng.randint(12, 40) if slot.design == "qualitative" else rng.randint(60, 400)
        background = rng.choice([
            f"Peer support workers are increasingly employed in {values['cservice']}, yet their integration "
            "into teams is often difficult.",
            "Formal peer support work is expanding, but little is known about what helps or hinders its "
            "implementation.",
            f"Services {values['csetting']} have begun to employ people with lived experience as peer workers.",
        ])
        aim = f"This study examined influences on the implementation of peer support work {values['csetting']}."
        methods = {
            "qualitative": f"We conducted semi-structured interviews with {n} participants, including "
                           f"{values['peer']}, clinicians and managers, and analysed them thematically.",
            "rct": f"{capitalise(NUMBER_WORDS.get(n, str(n)))} {values['cpop']} were randomised to peer support "
                   "or usual care; a process evaluation recorded influences on implementation.",
            "cohort": f"We followed {n} {values['cpop']} offered peer support and recorded influences on "
                      "implementation from programme records.",
            "case-control": f"We compared {n} readmitted patients with {n * 2} controls and documented how the "
                            "peer support service was implemented.",
        }[slot.design]
        modality = {"individual": "Peer workers met service users one-to-one.",
                    "group": "Peer workers facilitated groups.",
                    "both": "Peer workers offered both one-to-one and group support.",
                    "not stated": ""}[slot.modality]
        if facilitators and barriers:
            results = (f"Facilitators included {', as well as '.join(facilitators)}; barriers included "
                       f"{', as well as '.join(barriers)}.")
        else:
            results = f"Participants described {themes[0].facilitator_phrase} as an influence whose direction varied."
        conclusion = rng.choice([
            "Attention to these influences may support the sustainable implementation of peer support roles.",
            "Organisations employing peer workers should plan for these influences before posts start.",
        ])
        parts = [background + " " + aim, (methods + " " + modality).strip(), results, conclusion]
        for shorten in (lambda: parts.__setitem__(0, aim), lambda: parts.__setitem__(3, ""),
                        lambda: parts.__setitem__(1, methods)):
            if sum(word_count(p) for p in parts) > 90:
                shorten()
        parts = [p for p in parts if p]
        if us:
            parts = [american(p) for p in parts]
        if rng.random() < 0.5 or len(parts) < 4:
            return [("", " ".join(parts))]
        return list(zip(ABSTRACT_LABELS, parts))

    def reason_pub(self, reason: str) -> Publication:
        rng = self.rng
        kind = "conference_abstract" if reason == "Conference abstract" else "article"
        if reason == "Not primary research" and rng.random() < 0.3:
            kind = "editorial"
        year = self.year(1995 if kind == "article" else 2008, 2018)
        title, values = self.title(REASON_FRAMES[reason])
        if reason == "Language not eligible":
            journal = INELIGIBLE_LANGUAGE_JOURNALS[len([p for p in self.pubs if p.reason == reason]) % 3]
        elif kind == "conference_abstract":
            journal = rng.choice(CONFERENCE_JOURNALS)
        else:
            journal = self.journal_for(year)
        year = max(year, JOURNAL_BY_KEY[journal].founded)
        pub = self.new_pub(kind=kind, title=title, authors=self.authors(kind), year=year, month=self.month(year),
                           journal=journal, fate="ft_excluded", reason=reason, peerish=True,
                           language=JOURNAL_BY_KEY[journal].language)
        self.place(pub)
        values = abstract_values(values, reason)
        if kind != "editorial":
            pub.abstract = build_abstract(rng, design_of_title(title), values)
        pub.keywords = ["peer support"] + self.keywords(values)[:2]
        if kind == "conference_abstract":
            pub.extra["conference"] = CONFERENCES[journal]
        return pub

    def not_retrieved(self) -> None:
        rng = self.rng
        for index in range(N_NOT_RETRIEVED):
            title, values = self.title(NOT_RETRIEVED_FRAMES)
            if index < 3:
                year = rng.randint(1987, 1997)
                pub = self.new_pub(kind="dissertation", title=title, authors=self.authors("dissertation"),
                                   year=year, month=self.month(year), fate="not_retrieved", peerish=True)
                self.dissertation_details(pub)
            else:
                year = rng.randint(1986, 1998)
                journal = self.journal_for(year, ["psyq", "jpnmhs", "cjcmh", "ajcp", "jcp", "ijsp"])
                pub = self.new_pub(kind="article", title=title, authors=self.authors("article"), year=year,
                                   month=self.month(year), journal=journal, fate="not_retrieved", peerish=True)
                self.place(pub)
                if rng.random() < 0.5:
                    pub.abstract = build_abstract(rng, "other", dict(values, topic="peer support"))

    def dissertation_details(self, pub: Publication) -> None:
        rng = self.rng
        pub.extra["school"] = rng.choice(UNIVERSITIES)
        pub.extra["degree"] = rng.choices([d for d, _ in DEGREES], weights=[w for _, w in DEGREES])[0]
        pub.extra["pages"] = rng.randint(90, 320)
        pub.extra["isbn"] = isbn13(rng, "978-1-" + str(rng.randint(100, 499))) if pub.year >= 2004 else ""
        if pub.abstract is None:
            pub.abstract = build_abstract(rng, design_of_title(pub.title), {})

    def dissertation(self, fate: str = "ta_excluded", title: str | None = None, year: int | None = None,
                     author: Person | None = None) -> Publication:
        year = year or self.year(1990, 2018)
        values = {}
        if title is None:
            title, values = self.title(DISSERTATION_FRAMES)
        pub = self.new_pub(kind="dissertation", title=title, authors=[author] if author else self.authors("dissertation"),
                           year=year, month=self.month(year), fate=fate)
        pub.abstract = build_abstract(self.rng, design_of_title(title), values)
        self.dissertation_details(pub)
        pub.keywords = self.keywords(values) if values else []
        return pub

    def conference_abstract(self, title: str | None = None, year: int | None = None, authors=None,
                            fate: str = "ta_excluded", reason: str = "") -> Publication:
        rng = self.rng
        values = {}
        if title is None:
            title, values = self.title(GENERAL_FRAMES)
        year = year or self.year(2006, 2018)
        journal = rng.choice(CONFERENCE_JOURNALS)
        year = max(year, JOURNAL_BY_KEY[journal].founded)
        pub = self.new_pub(kind="conference_abstract", title=title, authors=authors if authors is not None else self.authors("conference_abstract"),
                           year=year, month=self.month(year), journal=journal, fate=fate, reason=reason,
                           language="eng")
        self.place(pub)
        pub.abstract = build_abstract(rng, design_of_title(title), values)
        pub.extra["conference"] = CONFERENCES[journal]
        pub.keywords = self.keywords(values) if values else []
        return pub

    def article(self, frames=None, fate: str = "ta_excluded", peerish: bool = False, kind: str = "article",
                title: str | None = None, year: int | None = None, authors=None, journal: str | None = None,
                reason: str = "") -> Publication:
        rng = self.rng
        values = {}
        if title is None:
            title, values = self.title(frames or GENERAL_FRAMES)
        year = year or self.year()
        if journal is None:
            keys = ENGLISH_JOURNALS
            if rng.random() < 0.012:
                keys = FOREIGN_JOURNALS + INELIGIBLE_LANGUAGE_JOURNALS
            journal = self.journal_for(year, keys)
        year = max(year, JOURNAL_BY_KEY[journal].founded)
        pub = self.new_pub(kind=kind, title=title, authors=authors if authors is not None else self.authors(kind), year=year,
                           month=self.month(year), journal=journal, fate=fate, reason=reason, peerish=peerish,
                           language=JOURNAL_BY_KEY[journal].language)
        self.place(pub)
        no_abstract = kind in ("editorial", "letter", "erratum") or (year < 1992 and rng.random() < 0.5)
        if not no_abstract:
            pub.abstract = build_abstract(rng, design_of_title(title), values)
        pub.keywords = self.keywords(values) if values else []
        return pub

    def chapter(self) -> Publication:
        rng = self.rng
        title, values = self.title(GENERAL_FRAMES, {"dsuf": ""})
        book, publisher, city = rng.choice(BOOKS)
        year = self.year(1998, 2018)
        pub = self.new_pub(kind="chapter", title=title, authors=self.authors("chapter"), year=year, month=1)
        start = rng.randint(1, 500)
        pub.pages = (start, start + rng.randint(10, 25))
        pub.extra.update(book=book, publisher=publisher, city=city, editors=[self.person() for _ in range(2)],
                         isbn=isbn13(rng, "978-0-" + str(rng.randint(100, 899))))
        if year >= 2008 and rng.random() < 0.6:
            pub.doi = self.doi_for(None, year, "978-0-{n3}-{n5}-{d1}_{n2}")
        pub.abstract = build_abstract(rng, "other", values)
        pub.keywords = self.keywords(values)
        return pub

    def report(self) -> Publication:
        rng = self.rng
        title, values = self.title(["Evaluation of {topic} {csetting}: final report",
                                    "{Topic} {csetting}: a service evaluation report"])
        year = rng.randint(2009, 2017)
        pub = self.new_pub(kind="report", title=title, authors=self.authors("editorial"), year=year, month=6)
        pub.extra["publisher"] = rng.choice(REPORT_PUBLISHERS)
        return pub

    # -- everything, in a fixed order ---------------------------------------------------------------
    def generate(self) -> list:
        self.included()
        by_slot = {p.slot: p for p in self.pubs if p.fate == "included"}

        # Hard case: a conference abstract and the later full article (an included study).
        target = next(p for p in sorted(by_slot.values(), key=lambda p: p.pub_id)
                      if self.slots[p.slot].design == "qualitative" and p.year >= 2010 and ":" in p.title)
        conf_title = target.title.split(":")[0] + ": preliminary findings"
        self.registry.add(conf_title)
        conf = self.conference_abstract(title=conf_title, year=target.year - 1, authors=target.authors[:3],
                                        fate="ft_excluded", reason="Conference abstract")
        self.hard(conf, target, "conference abstract and the later full article (an included study)")

        # Hard case: two different papers with the same short title in different years.
        short = "Peer support in mental health care"
        self.registry.add(short)
        first = self.article(title=short, year=2009, journal="jmh", kind="editorial", fate="ft_excluded",
                             reason="Not primary research", peerish=True)
        second = self.article(title=short, year=2015, journal="mhp", fate="ft_excluded",
                              reason="Not primary research", peerish=True)
        self.hard(first, second, "different papers with the same short title in different years")

        made = Counter(p.reason for p in self.pubs if p.fate == "ft_excluded")
        for reason, n in FT_REASONS:
            for _ in range(n - made[reason]):
                self.reason_pub(reason)
        self.not_retrieved()

        # Hard case: an erratum notice to an included article, and one to an excluded article.
        parent = next(p for p in sorted(by_slot.values(), key=lambda p: p.pub_id)
                      if p.journal_obj.nlm and p.doi and p.year >= 2008 and p is not target)
        erratum = self.article(title=f"Correction to: {parent.title}", year=parent.year, journal=parent.journal,
                               kind="erratum", authors=list(parent.authors), peerish=True)
        erratum.extra["parent"] = parent.pub_id
        self.hard(erratum, parent, "erratum notice to an included article")
        year = self.year(2005, 2017)
        general = self.article(year=year, journal=self.journal_for(year, [k for k in ENGLISH_JOURNALS
                                                                          if JOURNAL_BY_KEY[k].nlm]))
        erratum = self.article(title=f"Erratum: {general.title}", year=min(2018, general.year + 1),
                               journal=general.journal, kind="erratum", authors=[])
        erratum.extra["parent"] = general.pub_id
        self.hard(erratum, general, "erratum notice (no authors) to an excluded article")

        # Hard cases: conference abstracts and their later articles; dissertations and later articles.
        for _ in range(2):
            article = self.article(year=self.year(2008, 2018))
            title = article.title.split(":")[0].rstrip("?") + ": preliminary results"
            self.registry.add(title)
            conf = self.conference_abstract(title=title, year=article.year - 1, authors=article.authors[:2])
            self.hard(conf, article, "conference abstract and the later full article")
        for _ in range(2):
            diss = self.dissertation(year=self.year(2000, 2015))
            title = diss.title.split(":")[0] + ": findings from a doctoral study"
            self.registry.add(title)
            article = self.article(title=title, year=diss.year + 2, authors=diss.authors + self.authors("article")[:2])
            self.hard(diss, article, "dissertation and the later journal article by the same author")
        short = "Shared decision making in psychiatry"
        self.registry.add(short)
        first = self.article(title=short, year=2006, kind="editorial", journal="bjp")
        second = self.article(title=short, year=2013, journal="cmhj")
        self.hard(first, second, "different papers with the same short title in different years")

        # The bulk of what a broad search returns.
        for _ in range(225):
            self.dissertation()
        for _ in range(150):
            self.conference_abstract()
        for _ in range(40):
            self.chapter()
        for _ in range(45):
            self.article(EDITORIAL_FRAMES, kind="editorial")
        for _ in range(25):
            self.article(["Concerns about {topic} {set}", "More evidence is needed on {topic} for {pop}",
                          "In reply: {conc} and {topic}", "{Topic} and {conc}: a response"], kind="letter")
        for _ in range(3):
            self.report()
        for _ in range(120):
            self.article(PEERISH_FRAMES, peerish=True)
        while len(self.pubs) < N_UNIQUE:
            self.article()
        return self.pubs

    def hard(self, a: Publication, b: Publication, kind: str) -> None:
        a.hard_case = b.hard_case = kind
        self.hard_cases.append({"kind": kind, "pub_ids": [a.pub_id, b.pub_id],
                                "titles": [a.title, b.title], "years": [a.year, b.year]})


def isbn13(rng: random.Random, prefix: str) -> str:
    digits = re.sub(r"\D", "", prefix)
    body = digits + "".join(str(rng.randint(0, 9)) for _ in range(12 - len(digits)))
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


# --------------------------------------------------------------------------------------------------
# Which database exports each publication, and its identifiers there
# --------------------------------------------------------------------------------------------------
SENSITIVITY = {"medline": 0.26, "embase": 0.30, "psycinfo": 0.28, "cinahl": 0.25, "scopus": 0.26, "wos": 0.22}


def coverage(pub: Publication) -> list:
    """Databases that index the publication at all."""
    j = pub.journal_obj
    if pub.kind == "dissertation":
        return ["psycinfo", "proquest"]
    if pub.kind == "report":
        return []
    if pub.kind == "chapter":
        return ["psycinfo", "scopus"]
    if pub.kind == "conference_abstract":
        return ["embase", "wos"]
    dbs = []
    if j.nlm:
        dbs.append("medline")
    if j.nlm or j.field in ("psychiatry", "medicine", "services"):
        dbs.append("embase")
    if j.psycinfo:
        dbs.append("psycinfo")
    if (j.cinahl or j.field == "nursing") and pub.year >= 1982:
        dbs.append("cinahl")
    if pub.year >= 1996 or j.nlm:
        dbs.append("scopus")
    if j.j9 and pub.year >= 1988:
        dbs.append("wos")
    return dbs


def assign_databases(pubs: list, seed: int) -> None:
    rng = rng_for(seed, "coverage")
    other_only = {p.pub_id for p in pubs if p.fate == "included"}
    other_only = sorted(other_only)[-2:]  # two included studies were found only by hand search / experts
    for pub in pubs:
        indexed = coverage(pub)
        chosen = []
        if pub.pub_id in other_only or pub.kind == "report":
            pub.databases = ["other"]
            continue
        if pub.kind == "erratum":  # notices are indexed with their article's title, so searches find them
            pub.databases = [db for db in indexed if db in ("medline", "embase")] + (
                ["scopus"] if rng.random() < 0.5 else [])
            continue
        for db in indexed:
            if db == "proquest":
                p = 1.0
            elif pub.kind == "dissertation":
                p = 0.3
            elif pub.kind == "conference_abstract":
                p = 1.0 if db == "embase" else 0.25
            elif pub.kind == "chapter":
                p = 0.85 if db == "psycinfo" else 0.35
            elif pub.relevant():
                p = 0.85
            elif pub.peerish:
                p = 0.55
            else:
                p = SENSITIVITY[db] * (0.6 if pub.kind in ("editorial", "letter") else 1.0)
            if rng.random() < p:
                chosen.append(db)
        if not chosen:
            chosen = [rng.choice(indexed)]
        pub.databases = chosen


def pmid_base(year: int) -> int:
    return 3_900_000 + int((year - 1985) ** 1.55 * 112_000)


def assign_identifiers(pubs: list, seed: int) -> None:
    """Accession numbers of each publication in each database that exports it (unique, year-shaped)."""
    rng = rng_for(seed, "identifiers")
    used: set = set()

    def unique(make):
        while True:
            value = make()
            if value not in used:
                used.add(value)
                return value

    for pub in pubs:
        y = pub.year
        j = pub.journal_obj
        if j is not None and j.nlm and pub.kind in ("article", "editorial", "letter", "erratum"):
            pub.ids["pmid"] = unique(lambda: str(rng.randint(pmid_base(y), pmid_base(y + 1) - 1)))
        if "embase" in pub.databases:
            pub.ids["embase"] = unique(lambda: str(350_000_000 + (y - 1985) * 8_500_000 + rng.randint(0, 8_499_999)))
        if "psycinfo" in pub.databases:
            ay = y + (1 if pub.kind == "dissertation" and rng.random() < 0.6 else 0)
            pub.ids["psycinfo_year"] = ay
            pub.ids["psycinfo"] = unique(lambda: f"{ay}-{rng.randint(10000, 99999)}-{rng.randint(1, 20):03d}")
        if "cinahl" in pub.databases:
            pub.ids["cinahl"] = unique(lambda: f"{y}{rng.randint(100000, 999999)}" if y < 2010
                                       else str(104_000_000 + (y - 2010) * 3_500_000 + rng.randint(0, 3_499_999)))
        if "scopus" in pub.databases:
            lead = "00" if y < 2004 else "33" if y < 2009 else "84" if y < 2017 else "85"
            pub.ids["scopus"] = unique(lambda: f"2-s2.0-{lead}{rng.randint(0, 999_999_999):09d}")
            pub.ids["scopus_authors"] = [str(rng.choice([rng.randint(6_500_000_000, 7_499_999_999),
                                                         rng.randint(55_000_000_000, 57_199_999_999)]))
                                         for _ in pub.authors]
            pub.ids["cited_by"] = max(0, int(rng.expovariate(1 / max(1, (2018 - y) * 2.5))))
        if "wos" in pub.databases:
            if y < 1991:
                letters = "".join(rng.choice("ABCDEFGHJKLMNPRTUVWXY") for _ in range(2))
                pub.ids["wos"] = unique(lambda: f"WOS:A{y}{letters}{rng.randint(0, 99_999_999):08d}")
            else:
                lead = 100 + (y - 1991) * 12
                pub.ids["wos"] = unique(lambda: f"WOS:000{lead:03d}{rng.randint(0, 999_999_999):09d}")
            pub.ids["wos_ga"] = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(5))
        if "proquest" in pub.databases:
            pub.ids["proquest"] = unique(lambda: str(rng.randint(303_000_000, 305_999_999)) if y < 2007
                                         else str(1_000_000_000 + (y - 2007) * 100_000_000 + rng.randint(0, 99_999_999)))


# --------------------------------------------------------------------------------------------------
# How each database renders a publication: the noise reviewers see between duplicates
# --------------------------------------------------------------------------------------------------
_NEIGHBOURS = {"a": "s", "e": "r", "i": "o", "o": "i", "n": "m", "r": "t", "t": "r", "s": "a", "l": "k",
               "c": "v", "u": "y", "m": "n", "d": "s", "p": "o", "h": "g", "g": "h", "y": "t"}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def typo(text: str, rng: random.Random) -> str:
    """One-character edit inside a word of five or more letters."""
    words = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]{5,}", text)]
    if not words:
        return text
    start, end = rng.choice(words)
    i = rng.randint(start + 1, end - 2)
    op = rng.choice(["swap", "drop", "double", "substitute"])
    if op == "swap" and text[i] != text[i + 1]:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if op == "drop":
        return text[:i] + text[i + 1:]
    if op == "double":
        return text[:i] + text[i] + text[i:]
    return text[:i] + _NEIGHBOURS.get(text[i].lower(), "e") + text[i + 1:]


@dataclass
class Variant:
    """One database's rendering of a publication."""
    title: str
    people: list
    year: int
    doi: str | None
    abstract: list | None
    folded: bool


def make_variant(pub: Publication, db: str, rng: random.Random) -> Variant:
    r = rng.random
    t = pub.published_title()
    if db != "other":
        if r() < 0.05 and pub.kind != "dissertation":
            t = pub.title if t != pub.title else title_case(pub.title)
        if ": " in t and r() < 0.04:
            t = t.replace(": ", rng.choice([" - ", ". ", " -- "]), 1)
        if "-" in t and r() < 0.03:
            t = t.replace("-", " ", 1)
        if r() < 0.012:
            t = typo(t, rng)
    if "‘" in t or "’" in t:
        if db == "medline":
            t = t.replace("‘", '"').replace("’", '"')
        elif db == "cinahl":
            t = t.replace("‘", "&quot;").replace("’", "&quot;") if r() < 0.5 else t.replace("‘", '"').replace("’", '"')
        elif db in ("psycinfo", "wos", "other", "proquest"):
            t = t.replace("‘", "'").replace("’", "'")
    if "&" in t and ((db == "cinahl" and r() < 0.6) or (db == "scopus" and r() < 0.2)):
        t = t.replace("&", "&amp;")
    folded = db in ("wos", "other") or (db == "cinahl" and r() < 0.25)
    if db in ("wos", "other"):
        t = ascii_fold(t)
    if db == "wos" and pub.year < 1991:
        t = t.upper()
    if db == "other":
        if ": " in t and r() < 0.3:
            t = t.split(": ")[0]
        if r() < 0.1:
            t = t.lower()
    if db == "medline":
        t = t.rstrip(".")
        if pub.language != "eng":
            t = f"[{t}]"
        if not t.endswith(("?", "!")):
            t += "."
    elif db in ("embase", "psycinfo", "scopus") and r() < 0.02:
        t += "."
    people = []
    for person in pub.authors:
        if person.middle and r() < 0.06:
            person = Person(person.surname, person.given, "")
        if folded:
            person = Person(ascii_fold(person.surname), ascii_fold(person.given), person.middle)
        people.append(person)
    year = pub.year
    if db in ("embase", "scopus") and pub.kind == "article" and year > 1996 and pub.month <= 2 and r() < 0.25:
        year -= 1  # the online-first year
    doi_rate = {"medline": 0.95 if pub.year >= 2000 else 0.5, "embase": 0.85, "psycinfo": 0.9, "cinahl": 0.72,
                "scopus": 0.97, "wos": 0.9, "other": 0.4, "proquest": 1.0}[db]
    doi = pub.doi if pub.doi and r() < doi_rate else None
    abstract = pub.abstract
    drop = {"medline": 0.0, "embase": 0.01, "psycinfo": 0.03, "cinahl": 0.12, "scopus": 0.05,
            "wos": 0.03, "other": 0.7, "proquest": 0.0}[db]
    if abstract and (r() < drop or (db == "wos" and pub.year < 1991)):
        abstract = None
    return Variant(t, people, year, doi, abstract, folded)


def abstract_text(abstract: list | None, style: str) -> str:
    """Structured abstracts with labels ('BACKGROUND:' in PubMed, 'Background:' elsewhere) or plain."""
    if not abstract:
        return ""
    if style == "plain" or len(abstract) == 1:
        return " ".join(text for _, text in abstract)
    if style == "upper":
        return " ".join(f"{label.upper()}: {text}" for label, text in abstract)
    return " ".join(f"{label}: {text}" for label, text in abstract)


def medline_pages(start: int, end: int) -> str:
    """MEDLINE abbreviates page ranges: 1004-1010 -> 1004-10."""
    a, b = str(start), str(end)
    if start == end:
        return a
    if len(a) == len(b):
        i = 0
        while i < len(a) - 1 and a[i] == b[i]:
            i += 1
        b = b[i:]
    return f"{a}-{b}"


def wrap(prefix: str, value: str, width: int = 82, continuation: str = " " * 6) -> list:
    """A tagged field wrapped as PubMed (six-space continuation) or WoS (three spaces) write it."""
    lines, current, first = [], prefix, True
    for word in value.split():
        if first:
            current, first = current + word, False
        elif len(current) + 1 + len(word) > width:
            lines.append(current)
            current = continuation + word
        else:
            current += " " + word
    lines.append(current)
    return lines


LANGUAGE_NAMES = {"eng": "English", "ger": "German", "dut": "Dutch", "ita": "Italian", "por": "Portuguese",
                  "jpn": "Japanese"}
WOS_CATEGORIES = {"psychiatry": "Psychiatry", "psychology": "Psychology, Multidisciplinary", "nursing": "Nursing",
                  "services": "Health Policy & Services; Psychiatry", "social": "Social Sciences, Biomedical",
                  "medicine": "Medicine, General & Internal"}


def dotted(person: Person) -> str:
    return "".join(f"{letter}." for letter in person.initials())


def medline_type(pub: Publication) -> list:
    kind = {"article": "Journal Article", "editorial": "Editorial", "letter": "Letter",
            "erratum": "Published Erratum"}[pub.kind]
    types = [kind]
    if pub.kind == "article" and "review" in pub.title.lower():
        types.append("Review")
    return types


def medline_record(pub: Publication, v: Variant, rng: random.Random, pubs_by_id: dict) -> list:
    j = pub.journal_obj
    y = v.year
    lines = [f"PMID- {pub.ids['pmid']}", "OWN - NLM",
             f"STAT- {'MEDLINE' if pub.year < 2018 else 'In-Process'}"]
    if pub.year < 2018:
        lines.append(f"DCOM- {min(2018, pub.year + 1)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}")
    lines.append(f"LR  - 2018{rng.randint(1, 7):02d}{rng.randint(1, 28):02d}")
    lines += [f"IS  - {j.issn} (Print)", f"IS  - {j.issn} (Linking)"]
    if pub.volume:
        lines.append(f"VI  - {pub.volume}")
    if pub.issue:
        lines.append(f"IP  - {pub.issue}")
    day = f" {rng.randint(1, 28)}" if rng.random() < 0.3 else ""
    dp = f"{y} {MONTHS[pub.month - 1]}{day}"
    lines.append(f"DP  - {dp}")
    lines += wrap("TI  - ", v.title)
    pg = medline_pages(*pub.pages) if pub.pages else pub.article_number
    if pg:
        lines.append(f"PG  - {pg}")
    if v.doi:
        lines.append(f"LID - {v.doi} [doi]")
    if v.abstract:
        lines += wrap("AB  - ", abstract_text(v.abstract, "upper"))
    for person in v.people:
        middle = f" {person.middle}" if person.middle else ""
        lines.append(f"FAU - {person.surname}, {person.given}{middle}")
        lines.append(f"AU  - {person.surname} {person.initials()}")
    lines.append(f"LA  - {pub.language}")
    lines += [f"PT  - {t}" for t in medline_type(pub)]
    if pub.kind == "erratum":
        parent = pubs_by_id[pub.extra["parent"]]
        pages = medline_pages(*parent.pages) if parent.pages else parent.article_number
        lines.append(f"EFR - {j.nlm}. {parent.year};{parent.volume}({parent.issue}):{pages}. PMID: "
                     f"{parent.ids.get('pmid', '')}")
    lines += [f"TA  - {j.nlm}", f"JT  - {j.jt}", "SB  - IM"]
    if pub.keywords and rng.random() < 0.4:
        lines.append("OTO - NOTNLM")
        lines += [f"OT  - {k}" for k in pub.keywords]
    lines.append(f"GN  - {SYNTHETIC_NOTE}")
    stamp = f"{pub.year}/{pub.month:02d}/{rng.randint(1, 28):02d}"
    lines += [f"EDAT- {stamp} 06:00", f"MHDA- {stamp} 06:01", f"CRDT- {stamp} 06:00"]
    if v.doi:
        lines.append(f"AID - {v.doi} [doi]")
    lines.append("PST - ppublish")
    issue = f"({pub.issue})" if pub.issue else ""
    source = f"{j.nlm}. {dp};{pub.volume}{issue}:{pg}." + (f" doi: {v.doi}." if v.doi else "")
    lines += wrap("SO  - ", source)
    return lines


def ris(tag: str, value) -> str:
    return f"{tag}  - {value}"


def embase_record(pub: Publication, v: Variant, rng: random.Random, an: str, medline_sourced: bool) -> list:
    j = pub.journal_obj
    kind = {"article": "Article", "conference_abstract": "Conference Abstract", "editorial": "Editorial",
            "letter": "Letter", "erratum": "Erratum"}[pub.kind]
    if kind == "Article" and "review" in pub.title.lower():
        kind = "Review"
    lines = [ris("TY", "CONF" if pub.kind == "conference_abstract" else "JOUR"), ris("DB", "Embase"),
             ris("AN", an), ris("T1", v.title)]
    for person in v.people:
        if medline_sourced:
            middle = f" {person.middle}" if person.middle else ""
            lines.append(ris("A1", f"{person.surname}, {person.given}{middle}"))
        else:
            lines.append(ris("A1", f"{person.surname} {dotted(person)}"))
    lines.append(ris("Y1", f"{v.year}//"))
    if v.abstract:
        lines.append(ris("N2", abstract_text(v.abstract, "label")))
    for keyword in pub.keywords + (["human", kind.lower()] if rng.random() < 0.5 else []):
        lines.append(ris("KW", keyword))
    full = j.full.replace(" & ", " and ") if rng.random() < 0.5 else j.full
    lines += [ris("JF", full), ris("JA", j.nlm if medline_sourced and j.nlm else j.iso),
              ris("LA", LANGUAGE_NAMES[pub.language])]
    if pub.volume:
        lines.append(ris("VL", pub.volume))
    if pub.issue:
        lines.append(ris("IS", pub.issue))
    if pub.pages:
        prefix = pub.extra.get("page_prefix", "")
        lines.append(ris("SP", f"{prefix}{pub.pages[0]}"))
        if pub.pages[1] != pub.pages[0]:
            lines.append(ris("EP", f"{prefix}{pub.pages[1]}"))
    elif pub.article_number:
        lines.append(ris("SP", pub.article_number))
    lines += [ris("SN", f"{j.issn}"), ris("M3", kind)]
    if v.doi:
        lines.append(ris("DO", f"http://dx.doi.org/{v.doi}"))
    lines.append(ris("UR", f"http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=emed{(pub.year % 100) or 18:02d}"
                           f"&NEWS=N&AN={an}"))
    note = SYNTHETIC_NOTE
    if pub.kind == "conference_abstract":
        note = f"Conference: {pub.extra['conference']}. {note}"
    lines += [ris("N1", note), "ER  - "]
    return lines


DAI = {"B": ("Dissertation Abstracts International: Section B: The Sciences and Engineering", "0419-4217"),
       "A": ("Dissertation Abstracts International Section A: Humanities and Social Sciences", "0419-4209")}


def psycinfo_record(pub: Publication, v: Variant, rng: random.Random) -> list:
    j = pub.journal_obj
    ty = {"article": "JOUR", "editorial": "JOUR", "letter": "JOUR", "erratum": "JOUR", "dissertation": "THES",
          "chapter": "CHAP"}[pub.kind]
    lines = [ris("TY", ty), ris("DB", "PsycINFO"), ris("AN", pub.ids["psycinfo"]), ris("T1", v.title)]
    for person in v.people:
        middle = f" {person.middle}" if person.middle else ""
        lines.append(ris("A1", f"{person.surname}, {person.given}{middle}"))
    year = pub.ids["psycinfo_year"] if pub.kind == "dissertation" else v.year
    lines.append(ris("Y1", str(year)))
    if v.abstract:
        lines.append(ris("N2", abstract_text(v.abstract, "plain")))
    for keyword in pub.keywords:
        lines.append(ris("KW", capitalise(keyword)))
    if pub.kind == "dissertation":
        section = "A" if pub.extra["degree"] in ("M.S.W.", "Ed.D.", "M.A.", "D.S.W.") else "B"
        name, issn = DAI[section]
        lines += [ris("JF", name), ris("VL", str(year - 1939)), ris("IS", f"{pub.month}-{section}(E)"),
                  ris("SN", pub.extra["isbn"] or issn), ris("M3", "Dissertation Abstract")]
    elif pub.kind == "chapter":
        lines += [ris("T2", pub.extra["book"])]
        lines += [ris("A2", f"{e.surname}, {e.given}") for e in pub.extra["editors"]]
        lines += [ris("PB", pub.extra["publisher"]), ris("CY", pub.extra["city"]),
                  ris("SP", f"{pub.pages[0]}-{pub.pages[1]}"), ris("SN", pub.extra["isbn"]), ris("M3", "Chapter")]
    else:
        lines += [ris("JF", j.full), ris("JA", j.nlm or j.iso.replace(".", ""))]
        if pub.volume:
            lines.append(ris("VL", pub.volume))
        if pub.issue:
            lines.append(ris("IS", pub.issue))
        if pub.pages:
            pages = f"{pub.pages[0]}-{pub.pages[1]}" if pub.pages[1] != pub.pages[0] else str(pub.pages[0])
            lines.append(ris("SP", pages))
        elif pub.article_number:
            lines.append(ris("SP", pub.article_number))
        lines += [ris("SN", j.issn), ris("M3", "Erratum/Correction" if pub.kind == "erratum"
                                          else "Journal; Peer Reviewed Journal")]
    if v.doi:
        lines.append(ris("DO", f"https://dx.doi.org/{v.doi}"))
    lines += [ris("UR", f"http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=psyc{rng.randint(3, 16)}"
                        f"&NEWS=N&AN={pub.ids['psycinfo']}"),
              ris("N1", SYNTHETIC_NOTE), "ER  - "]
    return lines


def cinahl_record(pub: Publication, v: Variant, rng: random.Random) -> list:
    j = pub.journal_obj
    an = pub.ids["cinahl"]
    lines = [ris("TY", "JOUR"), ris("ID", an), ris("T1", v.title)]
    for person in v.people:
        lines.append(ris("AU", person.full(period=True)))
    lines.append(ris("Y1", f"{v.year}/{pub.month:02d}//"))
    entry = f"{min(2018, pub.year + (1 if pub.month > 9 else 0))}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    ptype = {"article": "Article", "editorial": "Editorial", "letter": "Letter", "erratum": "Erratum"}[pub.kind]
    lines.append(ris("N1", f"Accession Number: {an}. Language: {LANGUAGE_NAMES[pub.language]}. Entry Date: {entry}. "
                           f"Revision Date: 2018{rng.randint(1, 7):02d}{rng.randint(1, 28):02d}. "
                           f"Publication Type: {ptype}. {SYNTHETIC_NOTE}"))
    for keyword in pub.keywords:
        lines.append(ris("KW", title_case(keyword)))
    if v.abstract:
        lines.append(ris("N2", abstract_text(v.abstract, "label")))
    if pub.pages:
        lines.append(ris("SP", str(pub.pages[0])))
        if pub.pages[1] != pub.pages[0]:
            lines.append(ris("EP", str(pub.pages[1])))
    elif pub.article_number:
        lines.append(ris("SP", pub.article_number))
    full = j.full.replace("&", "&amp;") if "&" in j.full and rng.random() < 0.5 else j.full
    lines += [ris("JF", full), ris("JA", (j.j9 or j.iso.replace(".", "")).upper())]
    if pub.volume:
        lines.append(ris("VL", pub.volume))
    if pub.issue:
        lines.append(ris("IS", pub.issue))
    lines.append(ris("SN", j.issn))
    if pub.ids.get("pmid") and rng.random() < 0.8:
        lines.append(ris("U2", f"PMID: {pub.ids['pmid']}."))
    if v.doi:
        lines.append(ris("DO", v.doi))
    lines += [ris("UR", f"https://search.ebscohost.com/login.aspx?direct=true&db=rzh&AN={an}&site=ehost-live"),
              ris("DP", "EBSCOhost"), ris("DB", "rzh"), "ER  - "]
    return lines


SCOPUS_COLUMNS = ["Authors", "Author(s) ID", "Title", "Year", "Source title", "Volume", "Issue", "Art. No.",
                  "Page start", "Page end", "Page count", "Cited by", "DOI", "Link", "Abstract", "Author Keywords",
                  "Index Keywords", "ISSN", "ISBN", "PubMed ID", "Language of Original Document",
                  "Abbreviated Source Title", "Document Type", "Publication Stage", "Access Type", "Source", "EID"]


def scopus_row(pub: Publication, v: Variant, rng: random.Random) -> list:
    import hashlib
    import urllib.parse
    j = pub.journal_obj
    eid = pub.ids["scopus"]
    authors = ", ".join(f"{p.surname} {dotted(p)}" for p in v.people) or "[No author name available]"
    author_ids = "".join(f"{i};" for i in pub.ids["scopus_authors"][: len(v.people)]) or "[No author id available]"
    doc_type = {"article": "Article", "editorial": "Editorial", "letter": "Letter", "erratum": "Erratum",
                "chapter": "Book Chapter"}[pub.kind]
    if doc_type == "Article" and "review" in pub.title.lower():
        doc_type = "Review"
    if pub.kind == "chapter":
        source, abbrev, issn, isbn = pub.extra["book"], "", "", pub.extra["isbn"]
    else:
        source, abbrev, issn, isbn = j.full, j.iso, j.issn.replace("-", ""), ""
    start = end = count = ""
    if pub.pages:
        start, end = str(pub.pages[0]), str(pub.pages[1])
        count = str(pub.pages[1] - pub.pages[0] + 1)
    doi_param = f"&doi={urllib.parse.quote(v.doi.lower(), safe='')}" if v.doi else ""
    md5 = hashlib.md5(eid.encode()).hexdigest()
    link = f"https://www.scopus.com/inward/record.uri?eid={eid}{doi_param}&partnerID=40&md5={md5}"
    return [authors, author_ids, v.title, str(v.year), source, pub.volume, pub.issue, pub.article_number, start, end,
            count, str(pub.ids["cited_by"]) if pub.ids["cited_by"] else "", v.doi or "", link,
            abstract_text(v.abstract, "label") or "[No abstract available]", "; ".join(pub.keywords), "", issn, isbn,
            pub.ids.get("pmid", ""), LANGUAGE_NAMES[pub.language], abbrev, doc_type, "Final", "", "Scopus", eid]


def wos_record(pub: Publication, v: Variant, rng: random.Random) -> list:
    j = pub.journal_obj
    doc_type = {"article": "Article", "conference_abstract": "Meeting Abstract", "editorial": "Editorial Material",
                "letter": "Letter", "erratum": "Correction"}[pub.kind]
    if doc_type == "Article" and "review" in pub.title.lower():
        doc_type = "Review"
    lines = ["PT J"]
    people = v.people
    if people:
        lines += [("AU " if i == 0 else "   ") + f"{p.surname}, {p.initials()}" for i, p in enumerate(people)]
        lines += [("AF " if i == 0 else "   ") + p.full(period=True) for i, p in enumerate(people)]
    lines += wrap("TI ", v.title, width=80, continuation="   ")
    lines += [f"SO {ascii_fold(j.full).upper()}", f"LA {LANGUAGE_NAMES[pub.language]}", f"DT {doc_type}"]
    if pub.kind == "conference_abstract":
        lines.append(f"CT {pub.extra['conference']}")
    if pub.keywords and pub.year >= 1991:
        lines += wrap("DE ", "; ".join(pub.keywords), width=80, continuation="   ")
    if v.abstract:
        lines.append(f"AB {ascii_fold(abstract_text(v.abstract, 'label'))}")
    cited = pub.ids.get("cited_by", rng.randint(0, 40))
    lines += [f"TC {cited}", f"Z9 {cited}", f"U1 {rng.randint(0, 9)}", f"U2 {rng.randint(0, 40)}",
              f"SN {j.issn}", f"J9 {j.j9}", f"JI {j.iso}", f"PD {MONTHS[pub.month - 1].upper()}", f"PY {v.year}"]
    if pub.volume:
        lines.append(f"VL {pub.volume}")
    if pub.kind == "conference_abstract":
        lines.append("SU 1")
    elif pub.issue:
        lines.append(f"IS {pub.issue}")
    if pub.pages:
        prefix = pub.extra.get("page_prefix", "")
        lines += [f"BP {prefix}{pub.pages[0]}", f"EP {prefix}{pub.pages[1]}"]
    elif pub.article_number:
        lines.append(f"AR {pub.article_number}")
    if v.doi:
        doi = v.doi
        if rng.random() < 0.15:
            prefix, suffix = doi.split("/", 1)
            doi = f"{prefix}/{suffix.upper()}"
        lines.append(f"DI {doi}")
    if pub.pages:
        lines.append(f"PG {pub.pages[1] - pub.pages[0] + 1}")
    category = WOS_CATEGORIES[j.field]
    lines += [f"WC {category}", f"SC {category.split(';')[0].replace(', Multidisciplinary', '').replace(', General & Internal', '')}",
              f"GA {pub.ids['wos_ga']}", f"UT {pub.ids['wos']}"]
    if pub.ids.get("pmid"):
        lines.append(f"PM {pub.ids['pmid']}")
    lines += ["ER", ""]
    return lines


def bibtex_escape(text: str) -> str:
    return re.sub(r"([&%#_$])", r"\\\1", text)


def proquest_entry(pub: Publication, v: Variant) -> list:
    kind = "mastersthesis" if pub.extra["degree"].startswith("M.") else "phdthesis"
    pid = pub.ids["proquest"]
    fields = [("author", " and ".join(p.full(period=True) for p in v.people)), ("title", v.title),
              ("school", pub.extra["school"]), ("year", str(v.year)), ("type", f"{pub.extra['degree']} thesis"),
              ("address", "Ann Arbor"), ("publisher", "ProQuest Dissertations & Theses"),
              ("pages", str(pub.extra["pages"]))] + ([("isbn", pub.extra["isbn"])] if pub.extra["isbn"] else [])
    if v.abstract:
        fields.append(("abstract", abstract_text(v.abstract, "plain")))
    if pub.keywords:
        fields.append(("keywords", ", ".join(pub.keywords)))
    fields += [("language", "English"), ("url", f"https://search.proquest.com/docview/{pid}"),
               ("note", SYNTHETIC_NOTE)]
    lines = [f"@{kind}{{pq{pid},"]
    lines += [f"  {name} = {{{bibtex_escape(value)}}}," for name, value in fields]
    lines[-1] = lines[-1].rstrip(",")
    lines += ["}", ""]
    return lines


def other_row(pub: Publication, v: Variant, rng: random.Random, record_id: str, source: str) -> list:
    j = pub.journal_obj
    if rng.random() < 0.5:
        authors = [f"{p.surname} {p.initials()}" for p in v.people]
    else:
        authors = [f"{p.surname} {p.initials()[0]}" for p in v.people]
    if len(authors) > 3 and rng.random() < 0.3:
        authors = authors[:3] + ["et al."]
    if j is not None:
        journal = rng.choices([j.full, j.iso, j.nlm or j.iso], weights=[6, 3, 1])[0]
    elif pub.kind == "report":
        journal = pub.extra["publisher"]
    elif pub.kind == "dissertation":
        journal = pub.extra["school"]
    else:
        journal = pub.extra.get("book", "")
    doi = ""
    if v.doi:
        doi = f"https://doi.org/{v.doi}" if rng.random() < 0.5 else v.doi
    note = {"Expert suggestion": "suggested by an expert", "Reference list of included study":
            "found in a reference list", "Forward citation tracking (Scopus)": "found by citation tracking"}.get(
        source, "found by hand search")
    return [record_id, v.title, "; ".join(authors), str(v.year), journal, doi,
            abstract_text(v.abstract, "plain"), source, f"SYNTHETIC example record, {note}"]


# --------------------------------------------------------------------------------------------------
# The truth and the exports
# --------------------------------------------------------------------------------------------------
@dataclass
class ExportRecord:
    file: str  # path relative to the review directory, as in config
    position: int  # 1-based position of the record in its file
    pub_id: str  # the true unique publication (cluster key)
    database: str  # database name as in config
    source_id: str  # the record's own id in the export
    note: str = ""


@dataclass
class Example:
    """The truth behind the synthetic review, and every file that does not depend on record ids."""
    seed: int
    publications: list
    records: list
    hard_cases: list
    studies: list  # StudySlot, in study_id order
    files: dict  # relative path -> bytes
    extracts: list
    casp: list
    ratings: list  # 6 x 8 ratings, sites in SITES order, items T01..T08
    sites: list
    other_sources: list  # (pub_id, source) of the records in other_sources.csv
    double_appraised: list = field(default_factory=list)  # study ids appraised and extracted by DT and RN
    # Filled by write_example once ingest has given the record ids:
    cluster_ids: dict = field(default_factory=dict)  # pub_id -> cluster_id
    screening: dict = field(default_factory=dict)  # sample, disagreements, agreement, ...
    source_id_mismatches: int = 0

    @functools.cached_property
    def _by_id(self) -> dict:
        return {p.pub_id: p for p in self.publications}

    @functools.cached_property
    def _positions(self) -> dict:
        return {(r.file, r.position): r.pub_id for r in self.records}

    def publication(self, pub_id: str) -> Publication:
        return self._by_id[pub_id]

    def cluster_of(self, file: str, position: int) -> str:
        """The true cluster key (pub_id) of the record at (file, 1-based position)."""
        return self._positions[(file, position)]

    def included_pub_ids(self) -> dict:
        return {s.study_id: s.pub_id for s in self.studies}

    def theme_counts(self, studies: list | None = None) -> list:
        """Number of studies coding each theme (T01..T14), over the given StudySlots (default: all)."""
        studies = self.studies if studies is None else studies
        return [sum(1 for s in studies if t in s.themes) for t in range(len(THEMES))]

    def grades(self) -> dict:
        return {s.study_id: s.grade for s in self.studies}


def build_exports(pubs: list, seed: int, other_sources: list) -> tuple:
    """Render every export; return (files: path -> bytes, records: [ExportRecord])."""
    by_id = {p.pub_id: p for p in pubs}
    files, records = {}, []

    def variant(pub, db, k=0):
        return make_variant(pub, db, rng_for(seed, f"render:{db}:{pub.pub_id}:{k}"))

    def detail_rng(pub, db, k=0):
        return rng_for(seed, f"detail:{db}:{pub.pub_id}:{k}")

    def add(fmt, items):
        path = DB_FILE[fmt]
        for position, (pub_id, source_id, note) in enumerate(items, start=1):
            records.append(ExportRecord(path, position, pub_id, DB_NAME[fmt], source_id, note))

    # MEDLINE (PubMed): most recent first (PMID descending).
    medline = sorted((p for p in pubs if "medline" in p.databases), key=lambda p: -int(p.ids["pmid"]))
    blocks = ["\n".join(medline_record(p, variant(p, "medline"), detail_rng(p, "medline"), by_id)) for p in medline]
    files[DB_FILE["medline"]] = ("\n\n".join(blocks) + "\n").encode("utf-8")
    add("medline", [(p.pub_id, p.ids["pmid"], "") for p in medline])

    # EMBASE (Ovid): by year (newest first) then accession number; a few MEDLINE-sourced duplicates.
    embase = [(p, p.ids["embase"], False) for p in pubs if "embase" in p.databases]
    embase += [(p, p.ids["embase2"], True) for p in pubs if "embase2" in p.ids]
    embase.sort(key=lambda item: (-item[0].year, item[1]))
    blocks = ["\n".join(embase_record(p, variant(p, "embase", int(dup)), detail_rng(p, "embase", int(dup)), an, dup))
              for p, an, dup in embase]
    files[DB_FILE["embase"]] = ("\n\n".join(blocks) + "\n\n").encode("utf-8")
    add("embase", [(p.pub_id, an, "second Embase record of the same article (MEDLINE-sourced)" if dup else "")
                   for p, an, dup in embase])

    # PsycINFO (Ovid).
    psyc = sorted((p for p in pubs if "psycinfo" in p.databases), key=lambda p: (-p.ids["psycinfo_year"], p.ids["psycinfo"]))
    blocks = ["\n".join(psycinfo_record(p, variant(p, "psycinfo"), detail_rng(p, "psycinfo"))) for p in psyc]
    files[DB_FILE["psycinfo"]] = ("\n\n".join(blocks) + "\n\n").encode("utf-8")
    add("psycinfo", [(p.pub_id, p.ids["psycinfo"], "") for p in psyc])

    # CINAHL (EBSCO): UTF-8 with BOM and CRLF line ends, as EBSCOhost writes it.
    cinahl = sorted((p for p in pubs if "cinahl" in p.databases), key=lambda p: (-p.year, -p.month, p.ids["cinahl"]))
    blocks = ["\r\n".join(cinahl_record(p, variant(p, "cinahl"), detail_rng(p, "cinahl"))) for p in cinahl]
    files[DB_FILE["cinahl"]] = ("\r\n\r\n".join(blocks) + "\r\n\r\n").encode("utf-8-sig")
    add("cinahl", [(p.pub_id, p.ids["cinahl"], "") for p in cinahl])

    # Scopus CSV: every field quoted, as Scopus exports.
    scopus = sorted((p for p in pubs if "scopus" in p.databases), key=lambda p: (-p.year, -p.ids["cited_by"], p.ids["scopus"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(SCOPUS_COLUMNS)
    for p in scopus:
        writer.writerow(scopus_row(p, variant(p, "scopus"), detail_rng(p, "scopus")))
    files[DB_FILE["scopus"]] = buffer.getvalue().encode("utf-8")
    add("scopus", [(p.pub_id, p.ids["scopus"], "") for p in scopus])

    # Web of Science plain text (savedrecs.txt).
    wos = sorted((p for p in pubs if "wos" in p.databases), key=lambda p: (-p.year, p.ids["wos"]))
    lines = ["FN Clarivate Analytics Web of Science", "VR 1.0"]
    for p in wos:
        lines += wos_record(p, variant(p, "wos"), detail_rng(p, "wos"))
    lines.append("EF")
    files[DB_FILE["wos"]] = ("\n".join(lines) + "\n").encode("utf-8")
    add("wos", [(p.pub_id, p.ids["wos"], "") for p in wos])

    # ProQuest Dissertations & Theses (BibTeX), in relevance order.
    proquest = [p for p in pubs if "proquest" in p.databases]
    rng_for(seed, "proquest-order").shuffle(proquest)
    lines = ["@comment{SYNTHETIC DATA: generated by scripts/make_example_review.py for the evsynth example",
             "review. No entry is a real dissertation; titles, authors and identifiers are invented.}", ""]
    for p in proquest:
        lines += proquest_entry(p, variant(p, "proquest"))
    files[DB_FILE["proquest"]] = "\n".join(lines).encode("utf-8")
    add("proquest", [(p.pub_id, f"pq{p.ids['proquest']}", "") for p in proquest])

    # Other sources (experts, hand searching): a reviewer's own CSV.
    rows = []
    for pub_id, source in other_sources:
        pub = by_id[pub_id]
        rows.append((source, pub.year, pub.title, pub))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "title", "authors", "year", "journal", "doi", "abstract", "source", "note"])
    items = []
    for index, (source, _, _, pub) in enumerate(rows, start=1):
        record_id = f"OS-{index:03d}"
        writer.writerow(other_row(pub, variant(pub, "other"), detail_rng(pub, "other"), record_id, source))
        items.append((pub.pub_id, record_id, source))
    files[DB_FILE["other"]] = buffer.getvalue().encode("utf-8")
    add("other", items)
    return files, records


def choose_other_sources(pubs: list, seed: int) -> list:
    rng = rng_for(seed, "other-sources")
    included = [p for p in pubs if p.fate == "included"]
    chosen = []
    for p in included:
        if p.databases == ["other"]:
            chosen.append((p.pub_id, rng.choice(["Expert suggestion", "Reference list of included study"])))
    found = rng.sample([p for p in included if p.databases != ["other"]], 23)
    for p in sorted(found, key=lambda p: p.pub_id):
        chosen.append((p.pub_id, rng.choices(["Reference list of included study", "Expert suggestion",
                                              "Forward citation tracking (Scopus)"], weights=[6, 3, 1])[0]))
    suggested = ("No implementation findings", "Peer-run organisation", "Online peer support only",
                 "Not primary research", "Peer navigation intervention", "")
    ft = rng.sample([p for p in pubs if p.fate in ("ft_excluded", "not_retrieved") and p.kind == "article"
                     and p.reason in suggested], 6)
    for p in sorted(ft, key=lambda p: p.pub_id):
        chosen.append((p.pub_id, rng.choice(["Expert suggestion", "Website: cpr.bu.edu"])))
    toc = rng.sample([p for p in pubs if p.fate == "ta_excluded" and p.kind == "article" and p.journal in ("ps", "prj")
                      and p.year >= 2000 and p.databases], 10)
    for p in sorted(toc, key=lambda p: p.pub_id):
        chosen.append((p.pub_id, f"Hand search: {p.journal_obj.full} table of contents"))
    for p in pubs:
        if p.kind == "report":
            chosen.append((p.pub_id, "Expert suggestion"))
    for pub_id, _ in chosen:
        pub = next(p for p in pubs if p.pub_id == pub_id)
        if "other" not in pub.databases:
            pub.databases.append("other")
    return chosen


def choose_embase_duplicates(pubs: list, seed: int, n: int = 6) -> None:
    rng = rng_for(seed, "embase-duplicates")
    candidates = [p for p in pubs if "embase" in p.databases and p.journal_obj is not None and p.journal_obj.nlm
                  and p.kind == "article" and p.fate == "ta_excluded"]
    taken = {p.ids["embase"] for p in pubs if "embase" in p.ids}
    for pub in rng.sample(candidates, n):
        while True:
            an = str(350_000_000 + (pub.year - 1985) * 8_500_000 + rng.randint(0, 8_499_999))
            if an not in taken:
                taken.add(an)
                pub.ids["embase2"] = an
                break


SYNTHETIC_MARK = "SYNTHETIC example data (see data/raw/README.md)"


def csv_bytes(header: list, rows: list) -> bytes:
    """A CSV table; where it has a note column, its first row says the data are synthetic (a comment line
    would break the table)."""
    if rows and "note" in header:
        i = header.index("note")
        rows = [list(row) for row in rows]
        rows[0][i] = f"{SYNTHETIC_MARK}; {rows[0][i]}" if rows[0][i] else SYNTHETIC_MARK
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def citation(pub: Publication) -> str:
    names = [p.surname for p in pub.authors]
    if len(names) == 1:
        return f"{names[0]} ({pub.year})"
    if len(names) == 2:
        return f"{names[0]} and {names[1]} ({pub.year})"
    return f"{names[0]} et al. ({pub.year})"


def assign_study_ids(slots: list, pubs_by_id: dict) -> list:
    """S01..S53 in citation order (first author, year), as an extraction sheet is usually sorted."""
    ordered = sorted(slots, key=lambda s: (ascii_fold(pubs_by_id[s.pub_id].authors[0].surname).lower(),
                                           pubs_by_id[s.pub_id].year, s.pub_id))
    for index, slot in enumerate(ordered, start=1):
        slot.study_id = f"S{index:02d}"
    return ordered


def make_casp(studies: list, seed: int, double: list) -> list:
    """Long CASP rows: DT for every study; DT, RN and consensus for the double-appraised five."""
    rng = rng_for(seed, "casp")
    boundary = rng.choice([s.study_id for s in studies if s.design == "qualitative" and s.grade == "good"])
    rows = []
    for slot in studies:
        checklist, items = CHECKLISTS[slot.design]
        slot.casp_yes = casp_target(slot, slot.study_id == boundary, rng)
        final = casp_answers(slot, slot.casp_yes, rng)
        if slot.study_id not in double:
            rows += [[slot.study_id, "DT", checklist, item, answer, note] for item, answer, note in final]
            continue
        dt = [list(a) for a in final]
        rn = [list(a) for a in final]
        for item in rng.sample(range(items), rng.choice([2, 3])):
            who = dt if rng.random() < 0.5 else rn
            current = who[item][1]
            who[item][1] = rng.choice([a for a in ("yes", "no", "can't tell") if a != current])
            who[item][2] = "discussed; see consensus"
        for appraiser, answers in (("DT", dt), ("RN", rn), ("consensus", final)):
            rows += [[slot.study_id, appraiser, checklist, item, answer, note] for item, answer, note in answers]
    return rows


CONTEXT = {"qualitative": ["peer worker interview", "focus group with staff", "manager interview",
                           "service user interview", "field notes"],
           "rct": ["process evaluation", "trial discussion", "fidelity monitoring"],
           "cohort": ["programme records", "discussion"], "case-control": ["discussion"]}


def make_extracts(studies: list, seed: int, double: list) -> list:
    """Coded extracts: each study-theme incidence gives 1-3 extracts at code, subtheme or theme level."""
    rng = rng_for(seed, "extracts")
    # Direction of each study's evidence for each theme.
    direction: dict = {}
    for t, theme in enumerate(THEMES):
        members = [s.study_id for s in studies if t in s.themes]
        if theme.directional:
            if len(members) == 1:
                direction[(members[0], t)] = "both"
                continue
            fac, bar = rng.sample(members, 2)
            for sid in members:
                direction[(sid, t)] = ("facilitator" if sid == fac else "barrier" if sid == bar else
                                       rng.choices(["facilitator", "barrier", "both"], weights=[5, 4, 2])[0])
        else:
            conflicting = rng.choice(members) if len(members) > 1 else None
            for sid in members:
                direction[(sid, t)] = "both" if sid == conflicting else "unclear"
    rows = []
    for slot in studies:
        for t in sorted(slot.themes):
            theme = THEMES[t]
            kind = direction[(slot.study_id, t)]
            if kind == "both":
                directions = ["facilitator", "barrier"] + (["facilitator"] if rng.random() < 0.2 else [])
            else:
                n_codes = sum(len(sub.codes) for sub in theme.subthemes)
                directions = [kind] * min(n_codes, rng.choices([1, 2, 3], weights=[55, 35, 10])[0])
            pairs = [(si, ci) for si, sub in enumerate(theme.subthemes) for ci in range(len(sub.codes))]
            chosen = rng.sample(pairs, min(len(pairs), len(directions)))
            while len(chosen) < len(directions):
                chosen.append(rng.choice(pairs))
            for d, (s_index, c_index) in zip(directions, chosen):
                code = theme.subthemes[s_index].codes[c_index]
                level = rng.choices(["code", "subtheme", "theme"], weights=[70, 22, 8])[0]
                code_id = {"code": f"{THEME_IDS[t]}.{s_index + 1}.c{c_index + 1}",
                           "subtheme": f"{THEME_IDS[t]}.{s_index + 1}", "theme": THEME_IDS[t]}[level]
                if d == "unclear":
                    quote = f"{code.facilitator} {code.barrier}"
                elif level == "theme":
                    phrase = theme.facilitator_phrase if d == "facilitator" else theme.barrier_phrase
                    quote = f"The authors identified {phrase} as a {d} of implementation."
                else:
                    quote = code.facilitator if d == "facilitator" else code.barrier
                quote = f"{quote} ({rng.choice(CONTEXT[slot.design])})"
                page = str(rng.randint(3, 16))
                rows.append([slot.study_id, code_id, d, quote, "DT", page])
                if slot.study_id in double and rng.random() < 0.6:
                    rows.append([slot.study_id, code_id, d, quote, "RN", page])
    return [[f"X{i:04d}"] + row for i, row in enumerate(rows, start=1)]


SITES = [  # site, country, income group, PSW experience, rater (site lead's initials; invented)
    ("Ulm", "Germany", "high", "no", "KW"),
    ("Hamburg", "Germany", "high", "yes", "LS"),
    ("Kampala", "Uganda", "low", "yes", "JN"),
    ("Dar es Salaam", "Tanzania", "low", "no", "AM"),
    ("Beer Sheva", "Israel", "high", "yes", "RG"),
    ("Pune", "India", "lower-middle", "yes", "SP"),
]
MEASURE_ITEMS = THEME_IDS[:8]  # themes coded in at least 10% of studies, in rank order


def measure_checks(ratings: list) -> dict:
    """The seed's Table 2 figures from a 6 x 8 matrix of ratings (sites in SITES order)."""
    item_sums = [sum(row[i] for row in ratings) for i in range(8)]
    item_means = [ratio_half_up(s, len(ratings)) for s in item_sums]
    spans = [max(row[i] for row in ratings) - min(row[i] for row in ratings) for i in range(8)]

    def group_mean(pred):
        rows = [row for row, site in zip(ratings, SITES) if pred(site)]
        return ratio_half_up(sum(sum(r) for r in rows), 8 * len(rows))

    return {
        "item_means": item_means, "spans": spans,
        "experienced": group_mean(lambda s: s[3] == "yes"), "inexperienced": group_mean(lambda s: s[3] == "no"),
        "lower_income": group_mean(lambda s: s[2] in ("low", "lower-middle")),
        "high_income": group_mean(lambda s: s[2] == "high"), "total": sum(item_sums),
    }


def measure_ok(checks: dict) -> bool:
    means = checks["item_means"]
    return (all(Decimal("1.2") <= m <= Decimal("1.7") for m in means) and min(means) == Decimal("1.2")
            and max(means) == Decimal("1.7")
            and all(span >= 2 for i, span in enumerate(checks["spans"]) if i != 5) and checks["spans"][5] < 2
            and checks["experienced"] == Decimal("1.8") and checks["inexperienced"] == Decimal("0.8")
            and checks["lower_income"] == Decimal("1.3") and checks["high_income"] == Decimal("1.5"))


def solve_ratings(seed: int) -> list:
    """A seeded local search for ratings that give every Table 2 figure of the seed."""
    rng = rng_for(seed, "measure")
    experienced = [s[3] == "yes" for s in SITES]
    lower = [s[2] in ("low", "lower-middle") for s in SITES]

    def violations(r):
        item_sums = [sum(row[i] for row in r) for i in range(8)]
        v = sum(max(0, 7 - s) + max(0, s - 10) for s in item_sums)
        v += (7 not in item_sums) + (10 not in item_sums)
        for i in range(8):
            span = max(row[i] for row in r) - min(row[i] for row in r)
            v += max(0, span - 1) if i == 5 else max(0, 2 - span)
        e = sum(sum(row) for row, x in zip(r, experienced) if x)
        n = sum(sum(row) for row, x in zip(r, experienced) if not x)
        low = sum(sum(row) for row, x in zip(r, lower) if x)
        high = sum(sum(row) for row, x in zip(r, lower) if not x)
        # 56/32 = 1.75 -> 1.8, 13/16 = 0.81 -> 0.8, 32/24 = 1.33 -> 1.3, 37/24 = 1.54 -> 1.5 (half up).
        return v + abs(e - 56) + abs(n - 13) + abs(low - 32) + abs(high - 37)

    for _ in range(100):
        r = [[rng.randint(1, 3) if x else rng.randint(0, 1) for _ in range(8)] for x in experienced]
        current = violations(r)
        for _ in range(20000):
            if current == 0 and measure_ok(measure_checks(r)):
                return r
            s, i = rng.randrange(6), rng.randrange(8)
            old = r[s][i]
            r[s][i] = min(3, max(0, old + rng.choice([-1, 1])))
            candidate = violations(r)
            if candidate <= current or rng.random() < 0.01:
                current = candidate
            else:
                r[s][i] = old
    raise AssertionError("no ratings give the seed's Implementation Measure figures")


README = """# data/raw of the example review: SYNTHETIC DATA

Everything in this directory was generated by `scripts/make_example_review.py` (seed {seed}) and is
regenerated byte for byte by

    python scripts/make_example_review.py --out .

No record is a real publication. Titles, authors, abstracts, accession numbers, PMIDs, EIDs, WoS
accession numbers and DOIs (all under the test prefix 10.5555) are invented; journal names and ISSNs
are real so that the exports look like what each database gives. The aggregate figures (5813 unique
publications, a 5% double-screened sample with 93% concordance, 53 included publications, their
countries, designs and CASP grades, the study counts of 14 themes and their subgroup rankings, and the
Implementation Measure ratings of six sites) equal those published in a systematic review of
influences on the implementation of mental health peer support work.

Formats that can carry a note say so in every record (RIS `N1`, MEDLINE `GN`, BibTeX `note` and a
leading `@comment`, the other-sources CSV `note` column); the other tables with a `note` column say so
in their first row. The Web of Science and Scopus exports and the tables without a `note` column cannot
carry one without breaking their format: this README is their header.

| file | what it is |
|---|---|
{table}

Screening decisions are keyed to `cluster_id`s (`C-` + the record_id of a cluster's earliest record),
so they are written after the exports are read back by `evsynth.ingest`.
"""
FILE_NOTES = {
    "searches/medline_pubmed.nbib": "PubMed MEDLINE format (.nbib)",
    "searches/embase_ovid.ris": "Ovid RIS export of Embase (includes a few MEDLINE-sourced duplicate records)",
    "searches/psycinfo_ovid.ris": "Ovid RIS export of PsycINFO (articles, dissertations, chapters)",
    "searches/cinahl_ebsco.ris": "EBSCOhost RIS export of CINAHL (UTF-8 with BOM, CRLF line ends)",
    "searches/scopus.csv": "Scopus CSV export (all fields quoted, EID last)",
    "searches/wos_savedrecs.txt": "Web of Science plain-text export (savedrecs.txt)",
    "searches/proquest.bib": "ProQuest Dissertations & Theses, BibTeX",
    "searches/other_sources.csv": "records from experts, reference lists and hand searching",
    "screening/title_abstract_DT.csv": "DT's title/abstract decisions on every unique record",
    "screening/title_abstract_RN.csv": "RN's decisions on the 5% sample",
    "screening/resolutions.csv": "agreed decisions where DT and RN differed",
    "screening/full_text.csv": "full-text decisions (53 included, with study ids)",
    "extraction/studies.csv": "the extraction sheet of the 53 included studies",
    "quality/casp.csv": "CASP answers, long format",
    "synthesis/codebook.csv": "14 themes with subthemes and codes",
    "synthesis/cfir_domains.csv": "CFIR domains of each theme",
    "synthesis/extracts.csv": "coded extracts of the included studies",
    "measure/sites.csv": "the six sites rating the Implementation Measure",
    "measure/ratings.csv": "their ratings of the eight items",
    "dedup/verdicts.csv": "person verdicts on uncertain duplicate pairs (none yet)",
}


def build_example(seed: int = DEFAULT_SEED) -> Example:
    """The whole synthetic review except the screening tables (which need record ids from ingest)."""
    slots = plan_studies(seed)
    for t, members in enumerate(solve_incidence(slots, seed)):
        for s in members:
            slots[s].themes.append(t)
    factory = PublicationFactory(seed, slots)
    pubs = factory.generate()
    assign_databases(pubs, seed)
    other_sources = choose_other_sources(pubs, seed)
    assign_identifiers(pubs, seed)
    choose_embase_duplicates(pubs, seed)
    files, records = build_exports(pubs, seed, other_sources)
    by_id = {p.pub_id: p for p in pubs}
    studies = assign_study_ids(slots, by_id)
    double = sorted(rng_for(seed, "double").sample([s.study_id for s in studies if s.grade == "good"], 4)
                    + rng_for(seed, "double-poor").sample([s.study_id for s in studies if s.grade == "poor"], 1))
    casp = make_casp(studies, seed, double)
    extracts = make_extracts(studies, seed, double)
    ratings = solve_ratings(seed)
    raw = "data/raw/"
    files[raw + "extraction/studies.csv"] = csv_bytes(
        ["study_id", "citation", "first_author", "year", "country", "design", "modality", "income_group"],
        [[s.study_id, citation(by_id[s.pub_id]), by_id[s.pub_id].authors[0].surname, by_id[s.pub_id].year,
          s.country, s.design, s.modality, "high"] for s in studies])
    files[raw + "quality/casp.csv"] = csv_bytes(["study_id", "appraiser", "checklist", "item", "answer", "note"], casp)
    files[raw + "synthesis/codebook.csv"] = csv_bytes(
        ["code_id", "label", "level", "parent_id", "description"],
        [[n["code_id"], n["label"], n["level"], n["parent_id"], n["description"]] for n in codebook_nodes()])
    files[raw + "synthesis/cfir_domains.csv"] = csv_bytes(
        ["code_id", "cfir_domain", "qualifier"],
        [[tid, domain, qualifier] for tid in THEME_IDS for domain, qualifier in CFIR[tid]])
    files[raw + "synthesis/extracts.csv"] = csv_bytes(
        ["extract_id", "study_id", "code_id", "direction", "quote", "coder", "page"], extracts)
    files[raw + "measure/sites.csv"] = csv_bytes(
        ["site", "country", "income_group", "psw_experience"], [list(s[:4]) for s in SITES])
    rating_rows = [[site[0], item, ratings[s][i], site[4]] for s, site in enumerate(SITES)
                   for i, item in enumerate(MEASURE_ITEMS)]
    files[raw + "measure/ratings.csv"] = csv_bytes(["site", "item", "rating", "rater"], rating_rows)
    files[raw + "dedup/verdicts.csv"] = csv_bytes(["record_id_1", "record_id_2", "verdict", "decided_by", "note"], [])
    table = "\n".join(f"| `{name}` | {note} |" for name, note in FILE_NOTES.items())
    files[raw + "README.md"] = README.format(seed=seed, table=table).encode("utf-8")
    example = Example(seed=seed, publications=pubs, records=records, hard_cases=factory.hard_cases, studies=studies,
                      files=files, extracts=extracts, casp=casp, ratings=ratings, sites=[s[:4] for s in SITES],
                      other_sources=other_sources, double_appraised=double)
    check_example(example)
    return example


# --------------------------------------------------------------------------------------------------
# Every aggregate of the seed, asserted
# --------------------------------------------------------------------------------------------------
def casp_grades(casp_rows: list) -> dict:
    """Grade per study from its consensus answers (else DT's): yes / items, >= 60 good, 45-59 fair."""
    answers: dict = defaultdict(dict)
    for study_id, appraiser, checklist, item, answer, _ in casp_rows:
        answers[study_id].setdefault(appraiser, []).append(answer)
    grades = {}
    for study_id, by_appraiser in answers.items():
        chosen = by_appraiser.get("consensus") or by_appraiser["DT"]
        score = Decimal(100 * chosen.count("yes")) / Decimal(len(chosen))
        grades[study_id] = ("good" if score >= 60 else "fair" if score >= 45 else "poor", chosen.count("yes"),
                            len(chosen))
    return grades


def theme_study_sets(extracts: list) -> list:
    """Studies per theme: a study counts once if any extract is coded to the theme or beneath it."""
    sets = [set() for _ in THEMES]
    for row in extracts:
        theme = THEME_IDS.index(row[2].split(".")[0])
        sets[theme].add(row[1])
    return sets


def check_example(ex: Example) -> None:
    pubs = ex.publications
    assert len(pubs) == N_UNIQUE and len({p.pub_id for p in pubs}) == N_UNIQUE
    per_pub = Counter(r.pub_id for r in ex.records)
    assert all(per_pub[p.pub_id] >= 1 for p in pubs), "every unique publication is exported at least once"
    total = len(ex.records)
    assert 9000 <= total <= 10000, total
    for path in {r.file for r in ex.records}:
        positions = sorted(r.position for r in ex.records if r.file == path)
        assert positions == list(range(1, len(positions) + 1)), path
    assert sorted(DB_FILE.values()) == sorted({r.file for r in ex.records})
    # Titles of distinct publications are distinct, except the labelled same-title pairs.
    same_title = {pid for h in ex.hard_cases if "same short title" in h["kind"] for pid in h["pub_ids"]}
    titles = Counter(p.title.casefold() for p in pubs if p.pub_id not in same_title)
    assert max(titles.values()) == 1
    assert len(ex.hard_cases) >= 7 and all(a != b for h in ex.hard_cases for a, b in [h["pub_ids"]])
    for p in pubs:
        if p.abstract:
            assert 40 <= abstract_words(p.abstract) <= 90, (p.pub_id, abstract_words(p.abstract))
    # Included studies and their attributes.
    studies = ex.studies
    assert len(studies) == N_INCLUDED == len({s.study_id for s in studies}) == len({s.pub_id for s in studies})
    assert [s.study_id for s in studies] == [f"S{i:02d}" for i in range(1, N_INCLUDED + 1)]
    assert Counter(s.country for s in studies) == Counter(dict(COUNTRY_COUNTS))
    assert Counter(s.design for s in studies) == Counter(dict(DESIGN_COUNTS))
    assert Counter(s.modality for s in studies) == Counter(dict(MODALITY_COUNTS))
    stated = [s for s in studies if s.modality != "not stated"]
    assert len(stated) == 42 and ratio_half_up(100 * 13, 42) == Decimal("31.0")
    assert all(p.fate == "included" for p in pubs if p.pub_id in {s.pub_id for s in studies})
    assert sum(1 for p in pubs if p.fate == "included") == N_INCLUDED
    # CASP grades from the answers.
    grades = casp_grades(ex.casp)
    assert Counter(g for g, _, _ in grades.values()) == Counter(GRADE_COUNTS), Counter(g for g, _, _ in grades.values())
    assert all(grades[s.study_id][0] == s.grade for s in studies)
    assert any((y, n) == (6, 10) and g == "good" for g, y, n in grades.values()), "a study at exactly 60%"
    assert [(g, y, n) for g, y, n in grades.values() if g == "fair"] == [("fair", 5, 11)]
    answers = {row[4] for row in ex.casp}
    assert answers <= {"yes", "no", "can't tell"}
    appraisers = defaultdict(set)
    for row in ex.casp:
        appraisers[row[0]].add(row[1])
    double = [sid for sid, a in appraisers.items() if a == {"DT", "RN", "consensus"}]
    assert len(double) == 5 and all(a == {"DT"} for sid, a in appraisers.items() if sid not in double)
    for sid in double:
        dt = [r[4] for r in ex.casp if r[0] == sid and r[1] == "DT"]
        rn = [r[4] for r in ex.casp if r[0] == sid and r[1] == "RN"]
        assert dt != rn
    # Theme counts from the coded extracts (hierarchy rolled up to themes).
    sets = theme_study_sets(ex.extracts)
    counts = [len(s) for s in sets]
    assert counts == THEME_COUNTS, counts
    assert [percent(c, N_INCLUDED) for c in counts] == SEED_PERCENTAGES
    assert sum(1 for c in counts if Decimal(100 * c) / N_INCLUDED >= 10) == 8
    by_sid = {s.study_id: s for s in studies}

    def sub_counts(pred):
        return [sum(1 for sid in members if pred(by_sid[sid])) for members in sets]

    individual = sub_counts(lambda s: s.modality == "individual")
    top = sorted(range(14), key=lambda t: -individual[t])
    assert individual[0] > individual[2] > individual[4] > max(individual[t] for t in range(14) if t not in (0, 2, 4))
    assert top[:3] == [0, 2, 4] and all(individual[t] >= 1 for t in range(8))
    group = sub_counts(lambda s: s.modality == "group")
    assert group[2] == 0 and group[6] == 0 and group[0] > max(group[1:])
    good = sub_counts(lambda s: s.grade == "good")
    assert all(g >= 1 for g in good) and _order_signs(good) == _order_signs(THEME_COUNTS), good
    assert good[6] == good[7] and good[9] == good[10] and good[11] == good[13]
    # Directions: directional themes have facilitators and barriers; the two unclear themes do not agree.
    for t, theme in enumerate(THEMES):
        directions = {row[3] for row in ex.extracts if row[2].split(".")[0] == THEME_IDS[t]}
        if theme.directional:
            assert {"facilitator", "barrier"} <= directions and "unclear" not in directions, (t, directions)
        else:
            assert "unclear" in directions
    assert {row[5] for row in ex.extracts} == {"DT", "RN"}
    assert len({row[0] for row in ex.extracts}) == len(ex.extracts)
    # Codebook: each theme has 1-3 subthemes, each subtheme codes.
    nodes = codebook_nodes()
    for tid in THEME_IDS:
        subs = [n for n in nodes if n["parent_id"] == tid]
        assert 1 <= len(subs) <= 3 and all(any(c["parent_id"] == s["code_id"] for c in nodes) for s in subs)
    assert {n["code_id"] for n in nodes} >= {row[2] for row in ex.extracts}
    # Implementation Measure.
    checks = measure_checks(ex.ratings)
    assert measure_ok(checks), checks
    assert checks["total"] in (68, 69)


# --------------------------------------------------------------------------------------------------
# Screening: keyed to cluster ids, so built from the record ids ingest assigns to the written exports
# --------------------------------------------------------------------------------------------------
MAYBE_NOTES = ["unclear whether peer workers are employed by the service", "population not described",
               "may report implementation; check full text", "peer role unclear from abstract"]
EXCLUDE_NOTES = {"Wrong population": "substance use or non-mental-health population",
                 "Not peer support work": "'peer' used in another sense"}


def load_searches(out_dir: Path) -> list:
    """The searches of the review's config (out_dir/config/config.yaml, else this repository's)."""
    import yaml
    for candidate in (out_dir / "config" / "config.yaml", REPO / "config" / "config.yaml"):
        if candidate.is_file():
            with open(candidate, encoding="utf-8") as handle:
                searches = yaml.safe_load(handle)["searches"]
            break
    else:
        searches = [{"database": d, "date": date, "file": f, **({"source_type": "other"} if fmt == "other" else {})}
                    for d, date, f, fmt in SEARCHES]
    listed = [(str(s["database"]), str(s["date"]), str(s["file"])) for s in searches]
    assert listed == [(d, date, f) for d, date, f, _ in SEARCHES], "config searches differ from the generator's"
    return searches


def screening_files(ex: Example, records) -> dict:
    """The four screening tables, given the records table ``evsynth.ingest.read_searches`` returned."""
    truth = {(r.file, r.position): r for r in ex.records}
    assert len(records) == len(ex.records), (len(records), len(ex.records))
    members: dict = defaultdict(list)
    mismatched_ids = 0
    for row in records[["record_id", "search_date", "source_file", "position", "source_id"]].itertuples(index=False):
        record = truth[(row.source_file, int(row.position))]
        members[record.pub_id].append((str(row.search_date), str(row.record_id)))
        mismatched_ids += str(row.source_id) != record.source_id
    ex.source_id_mismatches = mismatched_ids
    assert len(members) == N_UNIQUE
    cluster = {pub_id: identity.cluster_id_for(m) for pub_id, m in members.items()}
    assert len(set(cluster.values())) == N_UNIQUE
    ex.cluster_ids = cluster
    pubs = sorted(ex.publications, key=lambda p: cluster[p.pub_id])
    study_of = {s.pub_id: s.study_id for s in ex.studies}

    # DT screens every unique record.
    dt = {}
    for pub in pubs:
        rng = rng_for(ex.seed, f"dt:{pub.pub_id}")
        if pub.fate == "ta_excluded":
            note = "erratum" if pub.kind == "erratum" else ""
            dt[pub.pub_id] = ("exclude", note)
        else:
            maybe = rng.random() < (0.12 if pub.fate == "included" else 0.3)
            dt[pub.pub_id] = ("maybe", rng.choice(MAYBE_NOTES)) if maybe else ("include", "")

    # RN screens the stable 5% sample; about 7% of it is decided differently.
    sample = [p for p in pubs if identity.in_sample(SCREENING_SEED, cluster[p.pub_id], SAMPLE_FRACTION)]
    n = len(sample)
    disagreements = min(range(n + 1), key=lambda d: abs(Decimal(n - d) / n - Decimal("0.93")))
    assert percent(n - disagreements, n) == 93 and Decimal("0.926") <= Decimal(n - disagreements) / n <= Decimal("0.934")
    rng = rng_for(ex.seed, "rn")
    sampled_in = [p for p in sample if dt[p.pub_id][0] != "exclude"]
    sampled_out = [p for p in sample if dt[p.pub_id][0] == "exclude"]
    # Reviewers agree on some inclusions too: at least one sampled include stays agreed, so the
    # 2 x 2 table has no empty cell (kappa stays near zero, as rare inclusions make it).
    k_in = min(max(len(sampled_in) - 1, 0), max(1, round(disagreements * 0.3)))
    flip_in = rng.sample(sampled_in, k_in)
    peerish_out = [p for p in sampled_out if p.peerish]
    others_out = [p for p in sampled_out if not p.peerish]
    k_out = disagreements - k_in
    flip_out = rng.sample(peerish_out, min(len(peerish_out), k_out))
    flip_out += rng.sample(others_out, k_out - len(flip_out))
    flipped = {p.pub_id for p in flip_in + flip_out}
    rn = {}
    for pub in sample:
        decision = dt[pub.pub_id][0]
        if pub.pub_id in flipped:
            rn[pub.pub_id] = ("exclude", "") if decision != "exclude" else (
                rng.choice(["include", "maybe"]), "possibly eligible; peer role unclear")
        elif decision == "exclude":
            rn[pub.pub_id] = ("exclude", "")
        else:
            rn[pub.pub_id] = (rng.choice(["include", "include", "maybe"]), "")
    agree = sum(1 for p in sample if (dt[p.pub_id][0] == "exclude") == (rn[p.pub_id][0] == "exclude"))
    assert agree == n - disagreements

    # Resolutions: DT and RN discuss every disagreement; one record RN kept goes on to full text.
    resolutions = {}
    promoted = sorted(flip_out, key=lambda p: cluster[p.pub_id])[0] if flip_out else None
    for pub in sorted(flip_in + flip_out, key=lambda p: cluster[p.pub_id]):
        if pub in flip_in:
            resolutions[pub.pub_id] = ("include", "agreed to assess the full text")
        elif pub is promoted:
            resolutions[pub.pub_id] = ("include", "agreed to check the full text")
        else:
            resolutions[pub.pub_id] = ("exclude", "agreed: not peer support work in mental health services")

    def final(pub):
        return resolutions.get(pub.pub_id, dt[pub.pub_id])[0]

    # Full text: every report whose final title/abstract decision is include or maybe.
    full_text = []
    for pub in pubs:
        if final(pub) == "exclude":
            assert pub.fate == "ta_excluded"
            continue
        cid = cluster[pub.pub_id]
        if pub.fate == "included":
            full_text.append([cid, "DT", "include", "", study_of[pub.pub_id], ""])
        elif pub.fate == "not_retrieved":
            full_text.append([cid, "DT", "not_retrieved", "", "", "requested through interlibrary loan; not received"])
        elif pub.fate == "ft_excluded":
            full_text.append([cid, "DT", "exclude", pub.reason, "", EXCLUDE_NOTES.get(pub.reason, "")])
        else:  # kept at title/abstract after discussion, excluded on reading
            full_text.append([cid, "DT", "exclude", "Not peer support work", "", "kept at title/abstract after discussion"])
    assert sum(1 for row in full_text if row[2] == "include") == N_INCLUDED
    assert sorted(row[4] for row in full_text if row[2] == "include") == [f"S{i:02d}" for i in range(1, N_INCLUDED + 1)]
    assert all(final(p) != "exclude" for p in pubs if p.fate != "ta_excluded")

    ex.screening = {"sample": [cluster[p.pub_id] for p in sample], "disagreements": disagreements,
                    "agreement": Decimal(agree) / n, "full_text": len(full_text),
                    "dt_decisions": Counter(d for d, _ in dt.values())}
    raw = "data/raw/screening/"
    header = ["cluster_id", "reviewer", "stage", "decision", "note"]
    return {
        raw + "title_abstract_DT.csv": csv_bytes(header, [[cluster[p.pub_id], "DT", "title_abstract", *dt[p.pub_id]]
                                                          for p in pubs]),
        raw + "title_abstract_RN.csv": csv_bytes(header, [[cluster[p.pub_id], "RN", "title_abstract", *rn[p.pub_id]]
                                                          for p in sample]),
        raw + "resolutions.csv": csv_bytes(["cluster_id", "stage", "decision", "resolved_by", "note"],
                                           [[cluster[p.pub_id], "title_abstract", resolutions[p.pub_id][0], "DT and RN",
                                             resolutions[p.pub_id][1]]
                                            for p in sorted(flip_in + flip_out, key=lambda p: cluster[p.pub_id])]),
        raw + "full_text.csv": csv_bytes(["cluster_id", "reviewer", "decision", "exclusion_reason", "study_id", "note"],
                                         full_text),
    }


def write_files(out_dir: Path, files: dict) -> None:
    for relative, data in sorted(files.items()):
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_bytes(data)
        tmp.replace(path)


def write_example(ex: Example, out_dir) -> dict:
    """Write data/raw/ under out_dir: the exports, read them back with ingest, then the screening tables."""
    out_dir = Path(out_dir)
    write_files(out_dir, ex.files)
    searches = load_searches(out_dir)
    from evsynth.ingest import read_searches  # the exports must be read exactly as the workflow reads them
    records = read_searches(searches, out_dir)
    screening = screening_files(ex, records)
    write_files(out_dir, screening)
    return {**ex.files, **screening}


def summary(ex: Example) -> str:
    per_file = Counter(r.database for r in ex.records)
    sizes = Counter(Counter(r.pub_id for r in ex.records).values())
    lines = [f"exported records: {len(ex.records)} in {len(per_file)} files; unique publications: {len(ex.publications)}"]
    lines += [f"  {db}: {n}" for db, n in per_file.items()]
    lines.append("  records per publication: " + ", ".join(f"{k}: {v}" for k, v in sorted(sizes.items())))
    lines.append(f"duplicate records (exported records minus unique publications): {len(ex.records) - len(ex.publications)}")
    if ex.screening:
        s = ex.screening
        lines.append(f"double-screening sample: {len(s['sample'])} clusters, {s['disagreements']} disagreements, "
                     f"concordance {s['agreement']:.4f}; full-text reports: {s['full_text']}")
        lines.append(f"source ids differing between truth and ingest: {ex.source_id_mismatches}")
    lines.append(f"hard cases: {len(ex.hard_cases)}")
    return "\n".join(lines)


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="review directory; data/raw/ is written under it")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if not __debug__:
        parser.error("the figures are checked with assert statements: run without python -O")
    example = build_example(args.seed)
    write_example(example, args.out)
    print(summary(example))
    return 0


if __name__ == "__main__":
    sys.exit(main())
