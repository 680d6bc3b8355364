"""Texts cut into bounded pieces for the workers, and their findings put back together.

A worker analyses about 20 ms of text per KB (measured here), and a task cannot be taken
back once it started: a 1 MB text sent whole would hold a worker for twenty seconds. So every
text is cut into pieces of at most `chunk_chars` characters and the pieces are grouped into
tasks of at most `batch_chars` (see `batches`), which bounds how long any task holds a worker.

1. A piece ends at the best boundary in the second half of its window: a blank line, else a
   line end, else a sentence end, else any whitespace. Only a run of `chunk_chars` characters
   without whitespace is cut hard. Cuts fall after the boundary, so no word is ever split.
2. The next piece starts at such a boundary at least `overlap` characters before the end of
   the previous one, and ends at least `overlap` characters after it. So any span of at most
   `overlap` characters lies whole inside one piece: no entity that long is cut in two, and a
   context word just before an entity is usually in the same piece as the entity.
3. Findings are shifted back to offsets in the whole text. The same span found by two pieces
   is kept once, with its best score. In the zone two pieces share, a finding that a finding
   of the same type from the other piece contains (the same name, cut at the edge of one
   piece) is dropped. Anything else is kept: masking merges overlapping spans into one, so a
   piece's partial view can add masking but never remove it.
4. A text's language is the one of the pieces that cover most of it, and the text is
   `modelled` only if every piece was.
5. A worker marks the other occurrences of the words of a name it found ("Dupont" alone,
   after "Jean Dupont"), but only inside its piece. So the PERSON findings of a text cut in
   several pieces go back to a worker with the whole text (`names_to_propagate`), and the
   occurrences it finds elsewhere are added (`with_findings`).

A text that fits in one piece is sent whole and its analysis comes back unchanged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from proxy.detection.types import Analysis, Finding

# What one piece costs on top of its characters when tasks are filled: a worker spends about
# 2 ms on even a tiny text (language, normalisation, each recognizer), what 100 characters
# of text cost. Without it, a task of 2,000 one-word messages would last seconds.
PIECE_COST_CHARS = 100

# Boundaries, strongest first; each pattern matches up to the *last* such boundary in the
# window (greedy `.*`), so `match(...).end()` is where the cut goes.
_BOUNDARIES = (
    re.compile(r".*\n[ \t\r\f\v]*\n", re.DOTALL),  # a blank line
    re.compile(r".*\n", re.DOTALL),  # a line end
    re.compile(r".*[.!?;\u2026\u3002][\"'\u00bb\u201d)\]]*\s", re.DOTALL),  # a sentence end
    re.compile(r".*\s", re.DOTALL),  # any whitespace
)


@dataclass(frozen=True, slots=True)
class Piece:
    """Characters `start:end` of text number `text`."""

    text: int
    start: int
    end: int

    @property
    def cost(self) -> int:
        return self.end - self.start + PIECE_COST_CHARS


def _cut(text: str, low: int, high: int) -> int | None:
    """Where to cut inside `text[low:high]`: just after its strongest, latest boundary."""
    for pattern in _BOUNDARIES:
        found = pattern.match(text, low, high)
        if found is not None and found.end() > low:
            return found.end()
    return None


def spans(text: str, chunk_chars: int, overlap: int) -> list[tuple[int, int]]:
    """`(start, end)` of the pieces `text` is cut into (see the module docstring).

    Needs `4 * overlap <= chunk_chars` (`DetectionSettings` checks it): every piece then
    moves on by at least a quarter of `chunk_chars`, and the windows below are never empty.
    """
    if not 0 <= 4 * overlap <= chunk_chars:
        raise ValueError("chunk_chars must be at least four times the overlap")
    if len(text) <= chunk_chars:
        return [(0, len(text))]
    pieces: list[tuple[int, int]] = []
    start, previous_end = 0, 0
    while True:
        limit = start + chunk_chars
        if limit >= len(text):
            pieces.append((start, len(text)))
            return pieces
        # End: past the previous end by `overlap` (whole entities there), at a boundary.
        low = max(start + chunk_chars // 2, previous_end + overlap)
        end = _cut(text, low, limit) or limit
        pieces.append((start, end))
        # Next start: `overlap` or more before this end, at a boundary if there is one.
        high = end - overlap
        low = max(start + 1, high - overlap)
        start = _cut(text, low, high) or high
        previous_end = end


def plan(texts: Sequence[str], chunk_chars: int, overlap: int) -> list[Piece]:
    """Every piece of every text, in text order; blank texts and blank pieces have none."""
    return [
        Piece(index, start, end)
        for index, text in enumerate(texts)
        if text.strip()
        for start, end in spans(text, chunk_chars, overlap)
        if text[start:end].strip()
    ]


def batches(pieces: Sequence[Piece], batch_chars: int) -> list[list[Piece]]:
    """Consecutive pieces grouped into tasks of at most `batch_chars` (counting
    `PIECE_COST_CHARS` per piece); a piece that costs more than that is a task alone."""
    grouped: list[list[Piece]] = []
    current: list[Piece] = []
    cost = 0
    for piece in pieces:
        if current and cost + piece.cost > batch_chars:
            grouped.append(current)
            current, cost = [], 0
        current.append(piece)
        cost += piece.cost
    if current:
        grouped.append(current)
    return grouped


def merge(
    texts: Sequence[str], pieces: Sequence[Piece], analyses: Sequence[Analysis], fallback: str
) -> list[Analysis]:
    """One `Analysis` per text from one per piece (`analyses[i]` is `pieces[i]`'s);
    texts without pieces get an empty one in the `fallback` language."""
    by_text: dict[int, list[tuple[Piece, Analysis]]] = defaultdict(list)
    for piece, analysis in zip(pieces, analyses, strict=True):
        by_text[piece.text].append((piece, analysis))
    merged = []
    for index, text in enumerate(texts):
        parts = by_text.get(index)
        if not parts:
            merged.append(Analysis(language=fallback, findings=()))
        elif len(parts) == 1 and parts[0][0].start == 0 and parts[0][0].end == len(text):
            merged.append(parts[0][1])
        else:
            merged.append(_merge_text(sorted(parts, key=lambda part: part[0].start)))
    return merged


def _merge_text(parts: list[tuple[Piece, Analysis]]) -> Analysis:
    shifted = [
        [replace(f, start=f.start + piece.start, end=f.end + piece.start) for f in found.findings]
        for piece, found in parts
    ]
    dropped: set[tuple[int, Finding]] = set()
    for k in range(len(parts) - 1):
        zone = (parts[k + 1][0].start, parts[k][0].end)
        left = [f for f in shifted[k] if f.start < zone[1] and zone[0] < f.end]
        right = [f for f in shifted[k + 1] if f.start < zone[1] and zone[0] < f.end]
        dropped.update((k, f) for f in _contained_in(left, right))
        dropped.update((k + 1, f) for f in _contained_in(right, left))
    best: dict[tuple[int, int, str], Finding] = {}
    for k, findings in enumerate(shifted):
        for f in findings:
            key = (f.start, f.end, f.entity_type)
            if (k, f) not in dropped and (key not in best or f.score > best[key].score):
                best[key] = f
    weights: dict[str, int] = {}
    for piece, analysis in parts:
        weights[analysis.language] = weights.get(analysis.language, 0) + piece.end - piece.start
    return Analysis(
        language=max(weights, key=lambda language: weights[language]),
        findings=tuple(best[key] for key in sorted(best)),
        modelled=all(analysis.modelled for _, analysis in parts),
    )


def _contained_in(findings: list[Finding], others: list[Finding]) -> Iterator[Finding]:
    """The `findings` that some finding of the same type in `others` strictly contains."""
    for f in findings:
        if any(
            o.entity_type == f.entity_type
            and o.start <= f.start
            and f.end <= o.end
            and (o.start, o.end) != (f.start, f.end)
            for o in others
        ):
            yield f


def names_to_propagate(
    texts: Sequence[str], pieces: Sequence[Piece], merged: Sequence[Analysis]
) -> dict[int, list[tuple[int, int, float]]]:
    """Text index -> its PERSON spans and scores, for texts cut in several pieces that have
    some (step 5 of the module docstring)."""
    counts: dict[int, int] = defaultdict(int)
    for piece in pieces:
        counts[piece.text] += 1
    return {
        index: names
        for index in range(len(texts))
        if counts[index] > 1
        and (
            names := [
                (f.start, f.end, f.score)
                for f in merged[index].findings
                if f.entity_type == "PERSON"
            ]
        )
    }


def with_findings(analysis: Analysis, extra: Sequence[Finding]) -> Analysis:
    """`analysis` with the `extra` findings it does not already hold, in order."""
    if not extra:
        return analysis
    findings = set(analysis.findings) | set(extra)
    return replace(
        analysis,
        findings=tuple(sorted(findings, key=lambda f: (f.start, f.end, f.entity_type, f.score))),
    )
