"""Reading the second half of a large export in a second process (the machine has 2 cores).

A reader splits its text at a record boundary, starts the second half here and reads the first
itself. The second process is a fresh interpreter ("spawn": forking a process that holds library
threads can deadlock). Where none can be started (an interactive session with no main module),
``result()`` returns None and the reader reads the second half itself. Records come back as
columns (``handed_back``), errors as their fields (an InputError does not survive pickling), their
line counted from the half's start.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from evsynth.errors import InputError
from evsynth.records import columns_of


class Beside:
    """The second process's work: ``result()`` is its value, or None if it could not run."""

    def __init__(self, future: concurrent.futures.Future) -> None:
        self._future = future

    def result(self) -> object | None:
        if not self._future.done():
            _work_while_waiting()
        try:
            return self._future.result()
        except concurrent.futures.process.BrokenProcessPool:
            return None

    def cancel(self) -> None:
        self._future.cancel()


# What the caller needs done anyway (ingest: importing pandas), done while this process waits for
# the second one instead of before the read.
_WHILE_WAITING: list[Callable[[], object]] = []


@contextmanager
def while_waiting(work: Callable[[], object]) -> Iterator[None]:
    """Run ``work`` when this process waits for a second one, if it does, within this block."""
    _WHILE_WAITING.append(work)
    try:
        yield
    finally:
        if work in _WHILE_WAITING:
            _WHILE_WAITING.remove(work)


def _work_while_waiting() -> None:
    while _WHILE_WAITING:
        _WHILE_WAITING.pop(0)()


@contextmanager
def beside(function: Callable, *args: object) -> Iterator[Beside]:
    """Run ``function(*args)`` in a second process while the caller reads the first half."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        yield Beside(pool.submit(function, *args))


# The second process starts late (a fresh interpreter, then the text sent to it) and pickles its
# records back for this one to unpickle: with a little less than half of the work the two finish
# together (with half, this one waited about a second for it per 100,000 records). The tagged
# formats' share; a reader whose second process costs more or less beside its part of the parse
# gives its own (the CPU seconds each process had spent when they met decide it).
SECOND_SHARE = 0.45


def handed_back(records: list[dict], display: Callable[[dict], dict] | None = None) -> dict[str, list]:
    """A second process's records as it returns them: made for display (when ``display`` is given)
    and as columns, which unpickle in half the time of one dict per record (0.2 s against 0.4 s
    per 45,000 here) and are already in the records table's shape."""
    return columns_of([display(record) for record in records] if display else records)


def split_point(length: int, share: float = SECOND_SHARE) -> int:
    """Where to look for the record boundary that starts the second process's part (``share``) of ``length``."""
    return int(length * (1 - share))


def error_fields(error: InputError) -> tuple:
    return (error.path, error.problem, error.line, error.row, error.field, error.expected)


_LINE_IN_TEXT = re.compile(r"\b(lines? )(\d+)")


def error_from(fields: tuple, line_offset: int) -> InputError:
    """The error a worker met, its line (and the lines its message names) counted from the file's start."""
    path, problem, line, row, field, expected = fields
    if line_offset:
        problem = _LINE_IN_TEXT.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + line_offset}", problem)
    return InputError(path, problem, line=None if line is None else line + line_offset, row=row, field=field,
                      expected=expected)
