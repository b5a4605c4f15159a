"""Counts agree with their nouns: no "row(s)" or "initiative(s)" in anything the planner says."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import planner

HEDGE = re.compile(r"[A-Za-z]\(s\)(?![!.}\w])")
"""A word followed by "(s)", not a call like `impact_of(s)` inside an f-string's braces."""


def test_no_message_hedges_its_plural():
    found = []
    for path in sorted(Path(planner.__file__).parent.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING and HEDGE.search(token.string):
                if token.string.startswith(('"""', "'''")):
                    continue  # docstrings may quote the old wording
                found.append(f"{path.name}:{token.start[0]}: {token.string[:60]}")
    assert not found, "use planner.domain.wording.plural: " + "; ".join(found)
