"""Text from people's tables and exports, made safe to place in a Markdown page.

Every Markdown writer passes such text through ``escape``, so a label, citation, quote or name
renders as itself: it cannot end a table cell, start a link, emphasis or code span, or open an HTML
tag (``<script>`` is shown, never run) in a viewer that renders the page.
"""

from __future__ import annotations

import re

import pandas as pd

# Characters with a meaning inside a line of Markdown (GitHub-flavoured tables included); a
# backslash before ASCII punctuation makes it literal (CommonMark 2.4), so each is escaped so. An
# underscore inside a word ("cfir_domains") never starts emphasis, so it stays as it is.
_MARKDOWN = re.compile(r"([\\`*\[\]|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
# A tag needs "<", written as an entity: Markdown renderers differ on whether "\<" is an escape,
# "&lt;" never. An "&" is escaped only where it would start an entity ("&amp;", "&#60;"), so
# "Training & support" and "n / N >= 0.1" stay readable in the Markdown file itself.
_ENTITY_START = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def escape(value: object) -> str:
    """``value`` as literal inline Markdown text on one line ('' for None or NaN)."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    text = _ENTITY_START.sub("&amp;", text)
    text = text.replace("<", "&lt;")
    return _MARKDOWN.sub(r"\\\1", text)
