"""Rendering the page: Jinja2 templates (autoescaping on) from ``evsynth/report/templates/``.

The page is one file: its stylesheet and its one small script are inlined, and a Content
Security Policy allows nothing else (no request to any network, no other script), so what
reaches the page from the inputs can only ever be text.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render_page(sections: dict) -> str:
    env = environment()
    style = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    script = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    policy = (f"default-src 'none'; img-src data:; style-src {_csp_hash(style)}; script-src {_csp_hash(script)}; "
              "base-uri 'none'; form-action 'none'")
    return env.get_template("report.html.j2").render(
        s=sections, style=Markup(style), script=Markup(script), policy=policy)
