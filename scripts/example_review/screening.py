"""Title/abstract screening: DT's decision on every unique record, RN's on the stable sample, and the
resolutions of their disagreements; then the full-text table (``full_text.py``).

Decisions are keyed to cluster ids, which follow from the record ids ``evsynth.ingest`` gives the
written exports, so these tables are made after the exports are read back. The sample is evsynth's
own (``evsynth.identity.in_sample``) with the review's screening seed and fraction, and the number
of disagreements is the one that brings the concordance closest to the seed's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from evsynth import identity

from .common import csv_bytes, rng_for
from .full_text import full_text_rows, full_text_table
from .seed import figures
from .vocabulary import MAYBE_NOTES

FIGURES = figures()
DECISION_COLUMNS = ["cluster_id", "reviewer", "stage", "decision", "note"]
RESOLUTION_COLUMNS = ["cluster_id", "stage", "decision", "resolved_by", "note"]


def cluster_ids(ex, records) -> dict:
    """pub_id -> cluster_id, given the records table ``evsynth.ingest.read_searches`` returned."""
    truth = {(r.file, r.position): r for r in ex.records}
    assert len(records) == len(ex.records), (len(records), len(ex.records))
    members: dict = defaultdict(list)
    mismatched_ids = 0
    for row in records[["record_id", "search_date", "source_file", "position", "source_id"]].itertuples(index=False):
        record = truth[(row.source_file, int(row.position))]
        members[record.pub_id].append((str(row.search_date), str(row.record_id)))
        mismatched_ids += str(row.source_id) != record.source_id
    ex.source_id_mismatches = mismatched_ids
    assert len(members) == FIGURES["publications"]
    cluster = {pub_id: identity.cluster_id_for(m) for pub_id, m in members.items()}
    assert len(set(cluster.values())) == len(members)
    return cluster


def screening_files(ex, records, settings: dict) -> dict:
    """The four screening tables; ``settings`` is the review's ``screening`` config (seed, sample_fraction)."""
    assert Decimal(str(settings["sample_fraction"])) * 100 == FIGURES["sample_percent"], \
        "the config's screening.sample_fraction is the seed's sample"
    cluster = ex.cluster_ids = cluster_ids(ex, records)
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

    # RN screens the stable sample; the reviewers disagree on as many records as leave the seed's concordance.
    sample = [p for p in pubs if identity.in_sample(settings["seed"], cluster[p.pub_id], settings["sample_fraction"])]
    n = len(sample)
    target = Decimal(FIGURES["concordance_percent"]) / 100
    disagreements = min(range(n + 1), key=lambda d: abs(Decimal(n - d) / n - target))
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

    def passed(pub) -> bool:
        """The final title/abstract decision (after resolution) is include or maybe."""
        return resolutions.get(pub.pub_id, dt[pub.pub_id])[0] != "exclude"

    full_text = full_text_rows(pubs, cluster, study_of, passed)
    ex.screening = {"sample": [cluster[p.pub_id] for p in sample], "disagreements": disagreements,
                    "agreement": Decimal(agree) / n, "full_text": len(full_text),
                    "dt_decisions": Counter(d for d, _ in dt.values())}
    raw = "data/raw/screening/"
    return {
        raw + "title_abstract_DT.csv": csv_bytes(DECISION_COLUMNS, [[cluster[p.pub_id], "DT", "title_abstract",
                                                                     *dt[p.pub_id]] for p in pubs]),
        raw + "title_abstract_RN.csv": csv_bytes(DECISION_COLUMNS, [[cluster[p.pub_id], "RN", "title_abstract",
                                                                     *rn[p.pub_id]] for p in sample]),
        raw + "resolutions.csv": csv_bytes(RESOLUTION_COLUMNS,
                                           [[cluster[p.pub_id], "title_abstract", resolutions[p.pub_id][0], "DT and RN",
                                             resolutions[p.pub_id][1]]
                                            for p in sorted(flip_in + flip_out, key=lambda p: cluster[p.pub_id])]),
        raw + "full_text.csv": full_text_table(full_text),
    }
