"""Header rows of tables and exports: a column name given twice is refused, with both columns named."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from evsynth.errors import InputError


def column_letter(number: int) -> str:
    """The spreadsheet letters of a 1-based column number: 1 -> A, 27 -> AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def refuse_repeated_columns(path: object, header: Sequence[object], names: Sequence[str],
                            read: Collection[str] | None = None) -> None:
    """An InputError when two columns share a name (``names``: the header as matched), naming both.

    ``read``: the names that matter (those a reader uses); by default every name does.
    """
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        if read is None or name in read:
            positions.setdefault(name, []).append(index)
    for name, where in positions.items():
        if len(where) > 1:
            shown = [f"{column_letter(i + 1)} ('{header[i]}')" for i in where]
            listed = ", ".join(shown[:-1]) + " and " + shown[-1]
            raise InputError(path, f"columns {listed} {'both' if len(where) == 2 else 'all'} name '{name}' (column "
                                   "names are matched ignoring case and surrounding spaces)",
                             row=1, field=name, expected="each column once")
