"""Snakemake's lock on a review: held by a run still working, or left behind by one that was killed.

Snakemake writes ``.snakemake/locks/*.lock`` while it runs and removes them when it stops; kill -9
or a power loss leaves them, and every later run then refuses to start. ``evsynth run`` looks first:
a lock no live process holds is cleared (what ``snakemake --unlock`` does) and the run goes on; a
live run is named in one line. Where live processes cannot be seen (no /proc), the user is told how
to go on.
"""

from __future__ import annotations

import os
from pathlib import Path

from evsynth.errors import InputError


def lock_files(review: Path) -> list[Path]:
    return sorted((review / ".snakemake" / "locks").glob("*.lock"))


def live_runs(review: Path) -> list[int] | None:
    """PIDs of the live Snakemake processes working in ``review`` (their working directory), or None
    where the system does not show them (no /proc)."""
    proc = Path("/proc")
    if not (proc / "self" / "cwd").exists():
        return None
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:  # processes end, and those of other users are not ours to read: skip both
            if Path(os.readlink(entry / "cwd")) == review and b"snakemake" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return sorted(found)


def check_lock(review: Path) -> str | None:
    """Before a run: None when the review is not locked, a line to print when a stale lock must be
    cleared (the caller clears it); an InputError when a live run holds it or nobody can tell."""
    if not lock_files(review):
        return None
    running = live_runs(review)
    if running is None:
        raise InputError(review, "is locked by a run that did not finish (killed, or still running); if no other "
                                 f"run is working on it, run `evsynth run --unlock {review}`, then run again")
    if running:
        raise InputError(review, f"is being run by another process (pid {', '.join(map(str, running))}); wait for "
                                 "it to finish, or stop it, then run again")
    return (f"the last run on {review} stopped before it finished (killed, or the machine went down); no process "
            "holds its lock any more, so it was cleared and this run redoes what was left unfinished")

