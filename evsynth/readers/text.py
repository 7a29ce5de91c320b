"""Bytes of an export file to text.

Exports arrive as UTF-8 (with or without a byte-order mark), UTF-16 (Web of Science and
EndNote on Windows write it with a BOM), or Latin-1 / Windows-1252 (older Ovid and EBSCO files,
and CSV files saved by Excel). Mixed files (two exports concatenated) also occur, so invalid
UTF-8 is decoded byte-sequence by byte-sequence as Windows-1252 rather than the whole file being
re-read in another encoding. Line endings are normalised to ``\\n``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from evsynth.errors import InputError

_BOMS_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Control characters that never occur in a text export (tab, LF, CR, FF, VT are fine; so is
# SUB, the old DOS end-of-file marker, which we simply drop).
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v\x1a") | {"\x7f"}
_SAMPLE = 65536
_CONTROL_SHARE = 0.25

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes that are not UTF-8 as Windows-1252 (Latin-1 where cp1252 has a hole)."""
    if not isinstance(error, UnicodeDecodeError):  # pragma: no cover - only registered for decoding
        raise error
    chunk = error.object[error.start:error.end]
    return "".join(_CP1252[b] for b in chunk), error.end


_CP1252 = [bytes([b]).decode("cp1252", errors="replace").replace("\ufffd", chr(b)) for b in range(256)]


codecs.register_error("evsynth-cp1252", _cp1252_fallback)


def _looks_utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when every other byte is NUL, as in ASCII text in UTF-16."""
    if len(head) < 8:
        return None
    even = head[0::2]
    odd = head[1::2]
    zeros_even = even.count(0)
    zeros_odd = odd.count(0)
    if zeros_odd > 0.6 * len(odd) and zeros_even < 0.05 * len(even):
        return "utf-16-le"
    if zeros_even > 0.6 * len(even) and zeros_odd < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _binary(path: object, what: str) -> InputError:
    return InputError(path, f"binary file ({what}), not a text export",
                      expected="a search export saved as text (RIS, BibTeX, MEDLINE, Web of Science, "
                               "CSV/TSV) or an .xlsx workbook")


def decode_bytes(data: bytes, path: object = "<bytes>") -> str:
    """Decode an export's bytes to text with ``\\n`` line endings; InputError if empty or binary."""
    if not data:
        raise InputError(path, "the file is empty", expected="a search export with at least one record")
    if data.startswith(b"%PDF"):
        raise _binary(path, "a PDF document")
    if data.startswith(OLE_MAGIC):
        raise _binary(path, "an old-style .xls workbook or an encrypted Office file; save it as .xlsx or CSV")
    if data.startswith(ZIP_MAGIC):
        raise _binary(path, "a zip archive; unzip it or save the sheet as .xlsx")

    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8"
        body = data[3:]
    elif data.startswith(_BOMS_UTF16):
        encoding = "utf-16"
        body = data
    else:
        encoding = _looks_utf16_without_bom(data[:4096]) or "utf-8"
        body = data

    if encoding.startswith("utf-16"):
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as error:
            raise InputError(path, f"not valid UTF-16 (byte {error.start}: {error.reason})",
                             expected="a complete UTF-16 file, or the export saved again as UTF-8") from None
        if "\x00" in text:
            raise _binary(path, "NUL characters in the decoded text")
        # what the text holds is looked for in the text
        has_cr, has_bom, has_sub = "\r" in text, "\ufeff" in text, "\x1a" in text
    else:
        nul = body.find(b"\x00")
        if nul >= 0:
            raise _binary(path, f"NUL byte at offset {nul}")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("utf-8", errors="evsynth-cp1252")
        # Looked for in the bytes, several times faster than in a text with non-ASCII letters (a
        # second per 100 MB here): an ASCII byte is never part of a UTF-8 sequence, a BOM is always
        # these three bytes, and the Windows-1252 fallback makes none of these characters.
        has_cr, has_bom, has_sub = b"\r" in body, b"\xef\xbb\xbf" in body, b"\x1a" in body
    sample = text[:_SAMPLE]
    if sample:
        controls = sum(1 for char in sample if char in _CONTROL)
        if controls > _CONTROL_SHARE * len(sample):
            raise _binary(path, f"{controls} of its first {len(sample)} characters are control characters")

    if has_cr:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if has_bom:  # BOMs of concatenated exports
        text = text.replace("\ufeff", "")
    if has_sub:
        text = text.replace("\x1a", "")
    if not text or text.isspace():  # not text.strip(): that copies the whole text
        raise InputError(path, "the file is empty (only whitespace)",
                         expected="a search export with at least one record")
    return text


def head_lines(text: str, count: int) -> list[str]:
    """The first ``count`` lines, as ``text.split("\\n", count)[:count]`` but without copying the
    rest of the text (a 100 MB export is looked at many times to detect its format)."""
    end = -1
    for _ in range(count):
        end = text.find("\n", end + 1)
        if end < 0:
            return text.split("\n")
    return text[:end].split("\n")


def read_text(path: str | Path) -> str:
    """Read and decode a text export."""
    return decode_bytes(read_bytes(path), path)


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes; InputError when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(path, "the file does not exist", expected="an existing export file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory", expected="an export file") from None
    except OSError as error:
        raise InputError(path, f"cannot be read ({error.strerror or error})",
                         expected="a readable export file") from None
