"""The project's own error: every message names where the problem is and what was expected."""

from __future__ import annotations

import errno


class InputError(Exception):
    """Bad input from a person or an export.

    The message always reads ``FILE[, line N | row N][, field F]: PROBLEM; expected WHAT``
    so that a reviewer can open the file and fix it without reading code.
    """

    def __init__(
        self,
        path: object,
        problem: str,
        *,
        line: int | None = None,
        row: int | None = None,
        field: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.row = row
        self.field = field
        self.expected = expected
        where = [self.path]
        if line is not None:
            where.append(f"line {line}")
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field '{field}'")
        message = ", ".join(where) + f": {problem}"
        if expected:
            message += f"; expected {expected}"
        super().__init__(message)


class OutputError(Exception):
    """A result that cannot be written (a full disk, a directory that cannot be made or written to).

    The message reads ``FILE: cannot be written (REASON); expected WHAT``: the file evsynth was
    writing, not the temporary file beside it.
    """

    HINTS = {errno.ENOSPC: "free space on the disk that holds it", errno.EDQUOT: "disk quota left for it",
             errno.EACCES: "a directory you may write to", errno.EPERM: "a directory you may write to",
             errno.EROFS: "a directory on a disk that is not read-only"}

    def __init__(self, path: object, error: OSError) -> None:
        self.path = str(path)
        self.reason = error.strerror or str(error)
        message = f"{self.path}: cannot be written ({self.reason})"
        hint = self.HINTS.get(error.errno)
        if hint:
            message += f"; expected {hint}"
        super().__init__(message)
