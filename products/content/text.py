"""Text as the studio shows it: claim highlights and word-level diffs, as plain segments.

Both return lists of small dicts of plain text; templates render each segment with
autoescaping on, so model output never reaches a page as markup.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# A word is a run of letters/digits (with inner punctuation such as 750ml or 3.5); each CJK
# character is its own token, because Chinese has no spaces between words.
_TOKEN = re.compile(
    r"\s+"
    r"|[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
    r"|[^\s\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+"
)


@dataclass(frozen=True)
class Segment:
    text: str
    # Highlights: None for plain text, else whether the claim is supported and why.
    supported: bool | None = None
    evidence: str = ""
    claim_kind: str = ""
    # Diffs: "equal", "insert" or "delete".
    op: str = "equal"


def highlight_segments(text: str, claims: list[dict]) -> list[Segment]:
    """Cut `text` at its claims' offsets; overlapping or out-of-range claims are skipped."""
    segments: list[Segment] = []
    position = 0
    usable = sorted(
        (
            claim
            for claim in claims or []
            if isinstance(claim.get("start"), int)
            and isinstance(claim.get("end"), int)
            and 0 <= claim["start"] < claim["end"] <= len(text)
        ),
        key=lambda claim: (claim["start"], claim["end"]),
    )
    for claim in usable:
        start, end = claim["start"], claim["end"]
        if start < position:
            continue
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(
            Segment(
                text[start:end],
                supported=bool(claim.get("supported")),
                evidence=str(claim.get("evidence") or ""),
                claim_kind=str(claim.get("kind") or ""),
            )
        )
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def diff_segments(old: str, new: str) -> list[Segment]:
    """A word-level diff of `old` -> `new`: equal, deleted and inserted runs, in order.

    Changes separated only by whitespace are shown as one deleted and one inserted run, so a
    rewritten sentence reads as old-then-new rather than word by word.
    """
    before, after = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    runs: list[list] = []  # [op, a1, a2, b1, b2], with whitespace-only gaps merged
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        gap = op == "equal" and all(token.isspace() for token in before[a1:a2])
        if runs and runs[-1][0] != "equal" and (op != "equal" or gap):
            runs[-1][0] = "replace"
            runs[-1][2], runs[-1][4] = a2, b2
        else:
            runs.append([op, a1, a2, b1, b2])
    segments: list[Segment] = []
    for op, a1, a2, b1, b2 in runs:
        if op == "equal":
            segments.append(Segment("".join(after[b1:b2])))
            continue
        removed, added = "".join(before[a1:a2]), "".join(after[b1:b2])
        if removed:
            segments.append(Segment(removed, op="delete"))
        if added:
            segments.append(Segment(added, op="insert"))
    return segments


def _word_count(text: str) -> int:
    return sum(1 for token in tokens(text) if not token.isspace())


def diff_stats(segments: list[Segment]) -> dict[str, int]:
    """Words added and removed, for the summary line above a diff."""
    return {
        "added": sum(_word_count(s.text) for s in segments if s.op == "insert"),
        "removed": sum(_word_count(s.text) for s in segments if s.op == "delete"),
    }
