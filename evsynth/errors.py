"""The project's own error: every message names where the problem is and what was expected."""

from __future__ import annotations


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
