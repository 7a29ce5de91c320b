"""The code fingerprint the rules take as a parameter (a change in evsynth reruns its stages)."""

from __future__ import annotations

import evsynth.paths as paths


def test_code_fingerprint_changes_with_the_package_source(tmp_path, monkeypatch):
    (tmp_path / "evsynth" / "data").mkdir(parents=True)
    (tmp_path / "workflow" / "schemas").mkdir(parents=True)
    module = tmp_path / "evsynth" / "votes.py"
    module.write_text("THRESHOLD = 0.10\n", encoding="utf-8")
    (tmp_path / "evsynth" / "data" / "casp.yaml").write_text("items: 10\n", encoding="utf-8")
    (tmp_path / "workflow" / "schemas" / "extracts.schema.yaml").write_text("type: object\n", encoding="utf-8")
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setattr(paths, "SCHEMAS", tmp_path / "workflow" / "schemas")
    first = paths.code_fingerprint()
    assert first == paths.code_fingerprint() and len(first) == 16
    module.write_text("THRESHOLD = 0.15\n", encoding="utf-8")
    second = paths.code_fingerprint()
    assert second != first
    (tmp_path / "workflow" / "schemas" / "extracts.schema.yaml").write_text("type: array\n", encoding="utf-8")
    assert paths.code_fingerprint() not in (first, second)
