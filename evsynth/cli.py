"""The ``evsynth`` command: every stage of the workflow, runnable on its own files."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

from evsynth.config import add_review_arguments
from evsynth.errors import InputError, OutputError
from evsynth.paths import SCHEMAS, SNAKEFILE


def _cmd_ingest(args: argparse.Namespace) -> int:
    from evsynth.ingest import BLANK_FILE, read_searches, report_broken, write_ingest

    if not args.files:  # the review's searches, exactly as the workflow reads them
        from evsynth.config import load_config
        from evsynth.stages import run_in_review

        review = Path(args.review)
        config = load_config(review, path=args.config)
        if args.skip_broken_entries:
            config["searches"] = [{**search, "skip_broken_entries": True} for search in config["searches"]]
        records = run_in_review("ingest", review, config)
        print(f"{len(records)} records from {len(config['searches'])} export(s) -> {review / 'data/processed'}",
              file=sys.stderr)
        return 0
    else:
        if not args.out:
            raise InputError("command line", "no --out directory", expected="--out DIR for the records of FILEs")
        base = Path(".")
        searches = [{"database": args.database or Path(f).stem, "date": args.date, "file": f}
                    for f in args.files]
        config_name = "command line"
    if args.skip_broken_entries:
        searches = [{**search, "skip_broken_entries": True} for search in searches]
    broken: list[InputError] = []
    records = read_searches(searches, base, config_name=config_name, broken=broken)
    out = Path(args.out)
    write_ingest(records, out / "records.parquet", out / "identification_counts.csv", out / BLANK_FILE)
    report_broken(broken)
    print(f"{len(records)} records from {len(searches)} export(s) -> {out}"
          + (f"; {len(broken)} broken entries skipped" if broken else ""), file=sys.stderr)
    return 0


def _cmd_dedup(args: argparse.Namespace) -> int:
    from evsynth.dedup.cli import run_cli

    if not args.files:  # the review's records, exactly as the workflow deduplicates them
        from evsynth.config import review_config
        from evsynth.stages import run_in_review

        review = Path(args.review)
        result = run_in_review("dedup", review, review_config(review, args.config))
        s = result.summary
        print(f"{s['records_in']} records -> {s['clusters']} unique ({s['duplicates_removed']} duplicates, "
              f"{s['uncertain_pairs']} pairs for a person) -> {review / 'results/dedup'}", file=sys.stderr)
        return 0
    if not args.out:
        raise InputError("command line", "no --out directory", expected="--out DIR for the clusters of FILEs")

    run_cli(args.files, args.out, verdicts=args.verdicts, progress=not args.quiet)
    return 0


def _cmd_quality(args: argparse.Namespace) -> int:
    from evsynth.quality.run import run_cli

    if not args.answers:  # the review's appraisal, exactly as the workflow grades it
        from evsynth.config import review_config
        from evsynth.stages import run_in_review

        review = Path(args.review)
        result = run_in_review("quality", review, review_config(review, args.config))
        args.out = review / "results/quality"
    else:
        if not args.out:
            raise InputError("command line", "no --out directory", expected="--out DIR for the scores of ANSWERS")
        result = run_cli(args.answers, args.out, studies_path=args.studies, config_path=args.config,
                     checklist_files=args.checklist)
    counts = ", ".join(f"{row.grade} {row.studies}" for row in result.grade_counts.itertuples()
                       if row.grade != "all")
    print(f"{len(result.scores)} studies graded: {counts} -> {args.out}", file=sys.stderr)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from evsynth.config import review_config
    from evsynth.validate import check_table

    review = Path(args.review) if args.review else (Path(args.config).resolve().parent.parent if args.config else None)
    config = review_config(review, args.config) if review is not None else {}
    frame, checked = check_table(args.table, args.kind, config, review)
    formulas = frame.attrs["formula_cells"]
    read = (f"; {len(formulas)} formula cells read from their saved values ({', '.join(formulas)})"
            if formulas else "")
    also = f" (checked as its stage does: {'; '.join(checked)})" if checked else ""
    print(f"{args.table}: {len(frame)} rows, valid {args.kind} table{also}{read}")
    return 0


# Stages whose own cli module reads the parsed arguments: (module, function).
DELEGATED = {
    "screen": ("evsynth.screening.cli", "run_screen"),
    "agreement": ("evsynth.screening.cli", "run_agreement"),
    "prisma": ("evsynth.prisma.cli", "run"),
    "synthesis": ("evsynth.synthesis.cli", "run_synthesis"),
    "explain": ("evsynth.synthesis.cli", "run_explain"),
    "robustness": ("evsynth.robustness.cli", "run"),
    "measure": ("evsynth.measure.cli", "run"),
    "report": ("evsynth.report.cli", "run"),
    "simulate": ("evsynth.screening.simulate", "run_command"),
}


def _cmd_run(args: argparse.Namespace, extra: list[str]) -> int:
    from evsynth.runlock import check_lock

    review = Path(args.review).resolve()
    if not (review / "config" / "config.yaml").is_file():
        raise InputError(review / "config" / "config.yaml", "no config file",
                         expected="a review directory holding config/config.yaml and data/raw/")
    snakemake = [sys.executable, "-m", "snakemake", "--snakefile", str(SNAKEFILE), "--directory", str(review)]
    stale = None if args.unlock else check_lock(review)
    if args.unlock or stale:
        if subprocess.call([*snakemake, "--unlock"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            raise InputError(review, "its lock could not be cleared", expected="`snakemake --unlock` to succeed")
        print(f"evsynth: {stale}" if stale else f"evsynth: unlocked {review}", file=sys.stderr)
        if args.unlock:
            return 0
    if args.allow_outside:  # merged into the config's allow_outside by the loader (Snakemake's --config)
        import json

        given = [str(Path(p).resolve()) for p in args.allow_outside]
        extra = [*extra, "--config", f"allow_outside={json.dumps(given)}"]
    # Outputs are written atomically, so a job a kill cut short is simply run again.
    return subprocess.call([*snakemake, "--cores", str(args.cores), "--rerun-incomplete", *extra])


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with ``command`` given, only that command's stage module is
    imported for its arguments (importing them all costs seconds of start-up: scipy, matplotlib)."""

    def wanted(*names: str) -> bool:
        return command is None or command in names

    def module_arguments(module: str, **parsers: argparse.ArgumentParser) -> None:
        """Add the arguments of the commands ``parsers`` (name: parser, in the order the module's
        ``add_arguments`` takes them), importing the module only when one of them is run."""
        if wanted(*parsers):
            importlib.import_module(module).add_arguments(*parsers.values())

    parser = argparse.ArgumentParser(prog="evsynth", description="Every stage of the evsynth workflow, runnable on its own files.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the whole workflow on a review directory")
    run.add_argument("review", nargs="?", default=".", help="directory holding config/ and data/raw/")
    run.add_argument("--cores", type=int, default=2)
    run.add_argument("--allow-outside", action="append", default=[], metavar="DIR",
                     help="let the config name files in DIR, outside the review (repeatable)")
    run.add_argument("--unlock", action="store_true",
                     help="only clear the lock a killed run left (when no other run is working on the review)")

    ingest = commands.add_parser("ingest", help="read search exports into one records table")
    ingest.add_argument("files", nargs="*", help="export files (any supported format); none: the review's searches")
    add_review_arguments(ingest)
    ingest.add_argument("--database", help="database name for FILEs (default: each file's name)")
    ingest.add_argument("--date", default="1970-01-01", help="search date for FILEs, YYYY-MM-DD")
    ingest.add_argument("--out", help="directory for records.parquet and counts of FILEs")
    ingest.add_argument("--skip-broken-entries", action="store_true",
                        help="read the other entries of a BibTeX file with a broken entry, and report it "
                             "(default: stop at it)")

    dedup = commands.add_parser("dedup", help="link duplicate records of export files into clusters")
    dedup.add_argument("files", nargs="*", help="export files (any supported format); none: the review's records")
    add_review_arguments(dedup)
    dedup.add_argument("--out",
                       help="directory for clusters.csv, unique.csv, uncertain_pairs.csv, pairs.csv, summary.csv")
    dedup.add_argument("--verdicts", help="a person's verdicts on pairs (record_id_1, record_id_2, verdict)")
    dedup.add_argument("--quiet", action="store_true", help="no progress lines")

    screen = commands.add_parser("screen", help="screening worksheets, agreement, disagreements, full-text decisions")
    agreement = commands.add_parser("agreement", help="agreement of two reviewers' decisions (kappa, AC1, PABAK, ...)")
    prisma = commands.add_parser("prisma", help="PRISMA 2020 flow counts (PRISMA2020 CSV) and flow diagram")
    module_arguments("evsynth.screening.cli", agreement=agreement, screen=screen)
    module_arguments("evsynth.prisma.cli", prisma=prisma)

    quality = commands.add_parser("quality", help="score and grade CASP answers, with agreement and figures")
    quality.add_argument("answers", nargs="?", help="CASP answers, long: study_id, appraiser, checklist, item, "
                         "answer; none: the review's")
    add_review_arguments(quality)
    quality.add_argument("--out", help="directory for casp_scores.csv, counts, figures of ANSWERS")
    quality.add_argument("--studies", help="the included studies (study_id, citation, design): every one "
                         "must be appraised, no other, and grades are counted by their design")
    quality.add_argument("--checklist", action="append", default=[], metavar="FILE",
                         help="an extra checklist YAML file (repeatable)")

    synthesis = commands.add_parser("synthesis", help="vote counts of theme strength, audit trail, tables, co-occurrence")
    explain = commands.add_parser("explain", help="how a theme's count was reached (its audit page)")
    module_arguments("evsynth.synthesis.cli", synthesis=synthesis, explain=explain)
    robustness = commands.add_parser(
        "robustness", help="subgroup and sensitivity analyses, leave-one-out, bootstrap: does the ranking hold?")
    module_arguments("evsynth.robustness.cli", robustness=robustness)
    measure = commands.add_parser(
        "measure", help="Implementation Measure: items from the synthesis, site scores, item spread, validity")
    module_arguments("evsynth.measure.cli", measure=measure)

    report = commands.add_parser(
        "report", help="the report: one offline page (results/report/index.html), supplementary tables, changes")
    module_arguments("evsynth.report.cli", report=report)
    simulate = commands.add_parser(
        "simulate", help="replay screening on a labelled dataset: how early the ranking finds the inclusions")
    module_arguments("evsynth.screening.simulate", simulate=simulate)

    kinds = sorted(p.name.removesuffix(".schema.yaml") for p in SCHEMAS.glob("*.schema.yaml")
                   if p.name != "config.schema.yaml")
    validate = commands.add_parser("validate", help="check one input table as the stage that reads it does")
    validate.add_argument("table")
    validate.add_argument("--kind", required=True, choices=kinds)
    validate.add_argument("--review", help="check it against this review's config and files, as its stage would")
    validate.add_argument("--config", help="a config file other than REVIEW/config/config.yaml")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(next((a for a in argv if not a.startswith("-")), ""))
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "run":
        parser.error(f"unrecognised arguments: {' '.join(extra)}")
    try:
        if args.command == "run":
            return _cmd_run(args, extra)
        if args.command in DELEGATED:
            module, function = DELEGATED[args.command]
            return getattr(importlib.import_module(module), function)(args)
        return {"ingest": _cmd_ingest, "dedup": _cmd_dedup, "quality": _cmd_quality,
                "validate": _cmd_validate}[args.command](args)
    except (InputError, OutputError) as error:
        print(f"evsynth: error: {error}", file=sys.stderr)
        return 2
