"""Cutting long texts into pieces: bounded, overlapping enough that no short span is cut,
at line, sentence or word boundaries; and findings merged back at the right offsets."""

from __future__ import annotations

import itertools
import random

import pytest

from proxy.detection.chunking import (
    PIECE_COST_CHARS,
    Piece,
    batches,
    merge,
    names_to_propagate,
    plan,
    spans,
    with_findings,
)
from proxy.detection.types import Analysis, Checksum, Finding

WORDS = [
    "Jean",
    "Dupont",
    "wrote",
    "to",
    "the",
    "office",
    "in",
    "Lyon",
    "about",
    "IBAN",
    "FR76 3000 6000 0112 3456 7890 189",
    "and",
    "called",
    "+33 6 12 34 56 78",
    "again",
]


def prose(seed: int, size: int) -> str:
    """Random sentences, lines and paragraphs of about `size` characters."""
    rng = random.Random(seed)
    out: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 25))) + "."
        separator = rng.choice([" ", " ", " ", "\n", "\n\n"])
        out.append(sentence + separator)
        length += len(sentence) + len(separator)
    return "".join(out)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize(("chunk", "overlap"), [(2000, 250), (400, 100), (1000, 64)])
def test_pieces_are_bounded_cover_the_text_and_overlap_enough(
    seed: int, chunk: int, overlap: int
) -> None:
    text = prose(seed, random.Random(seed).randint(chunk, 12 * chunk))
    cut = spans(text, chunk, overlap)
    assert cut[0][0] == 0
    assert cut[-1][1] == len(text)
    for start, end in cut:
        assert 0 < end - start <= chunk
    for (start, end), (next_start, next_end) in itertools.pairwise(cut):
        assert start < next_start
        assert end - next_start >= overlap  # any span this short lies whole in a piece
        assert next_end - end >= overlap or next_end == len(text)
        assert text[end - 1].isspace()  # cut after a boundary, never inside a word
        assert next_start == 0 or text[next_start - 1].isspace()
    # Every span of `overlap` characters lies whole inside some piece.
    for position in range(0, len(text) - overlap, 37):
        assert any(s <= position and position + overlap <= e for s, e in cut), position


def test_cuts_prefer_a_blank_line_then_a_line_end_then_a_sentence_end() -> None:
    paragraph = "word " * 150 + "\n\n"  # 752 characters
    text = paragraph * 6
    assert all(text[end - 2 : end] == "\n\n" for _, end in spans(text, 1000, 100)[:-1])
    lines = ("word " * 30 + "end.\n") * 40
    assert all(lines[end - 1] == "\n" for _, end in spans(lines, 1000, 100)[:-1])
    sentences = ("word " * 30 + "end. ") * 40
    assert all(sentences[end - 2 : end] == ". " for _, end in spans(sentences, 1000, 100)[:-1])


def test_a_text_without_whitespace_is_cut_hard_with_the_same_overlap() -> None:
    text = "x" * 5000
    cut = spans(text, 1000, 100)
    assert [end - start for start, end in cut[:-1]] == [1000] * (len(cut) - 1)
    assert all(e - s2 >= 100 for (_, e), (s2, _) in itertools.pairwise(cut))


def test_short_texts_are_one_piece_and_blank_ones_none() -> None:
    assert spans("hello", 1000, 100) == [(0, 5)]
    assert plan(["", "hi", "  \n "], 1000, 100) == [Piece(1, 0, 2)]


def test_overlap_must_fit_in_a_quarter_of_a_piece() -> None:
    with pytest.raises(ValueError, match="four times"):
        spans("x" * 5000, 1000, 300)


def test_batches_respect_their_budget_counting_a_fixed_cost_per_piece() -> None:
    pieces = [Piece(i, 0, 150) for i in range(40)] + [Piece(40, 0, 3000)]
    grouped = batches(pieces, 2000)
    assert [p for group in grouped for p in group] == pieces  # order kept, nothing lost
    for group in grouped[:-1]:
        assert sum(p.cost for p in group) <= 2000
    assert grouped[-1] == [Piece(40, 0, 3000)]  # alone, however big
    assert grouped[0][0].cost == 150 + PIECE_COST_CHARS


def test_findings_come_back_at_text_offsets_once_with_their_best_score() -> None:
    text = "a" * 100 + " Jean Dupont " + "b" * 100
    pieces = [Piece(0, 0, 120), Piece(0, 90, 214)]
    first = Analysis("fr", (Finding(101, 112, "PERSON", 0.6),))
    second = Analysis(
        "fr", (Finding(11, 22, "PERSON", 0.85), Finding(0, 3, "IBAN_CODE", 0.9, Checksum.INVALID))
    )
    [merged] = merge([text], pieces, [first, second], "en")
    assert merged.findings == (
        Finding(90, 93, "IBAN_CODE", 0.9, Checksum.INVALID),  # other fields kept
        Finding(101, 112, "PERSON", 0.85),
    )


def test_a_finding_cut_at_a_piece_edge_gives_way_to_the_whole_one() -> None:
    text = "x " * 50 + "Jean Dupont" + " y" * 50
    pieces = [Piece(0, 0, 105), Piece(0, 60, len(text))]
    cut = Analysis("fr", (Finding(100, 104, "PERSON", 0.7),))  # "Jean", at the edge
    whole = Analysis("fr", (Finding(40, 51, "PERSON", 0.85),))  # "Jean Dupont"
    [merged] = merge([text], pieces, [cut, whole], "en")
    assert [text[f.start : f.end] for f in merged.findings] == ["Jean Dupont"]
    # A partial finding of another type, or with nothing containing it, is kept.
    other = Analysis("fr", (Finding(100, 104, "LOCATION", 0.7),))
    [merged] = merge([text], pieces, [other, whole], "en")
    assert len(merged.findings) == 2


def test_language_is_the_one_covering_most_of_the_text_and_modelled_needs_all() -> None:
    text = "z " * 1000
    pieces = [Piece(0, 0, 800), Piece(0, 700, 1500), Piece(0, 1400, 2000)]
    parts = [Analysis("fr", ()), Analysis("de", (), modelled=False), Analysis("fr", ())]
    [merged] = merge([text], pieces, parts, "en")
    assert (merged.language, merged.modelled) == ("fr", False)


def test_a_text_in_one_piece_comes_back_as_the_worker_said_and_blank_ones_empty() -> None:
    analysis = Analysis("de", (Finding(0, 4, "PERSON", 0.5),), modelled=False)
    merged = merge(["", "Hans ist da"], [Piece(1, 0, 11)], [analysis], "fr")
    assert merged == [Analysis("fr", ()), analysis]


def test_names_of_texts_cut_in_pieces_go_back_for_propagation() -> None:
    texts = ["short Jean", "long " * 500]
    pieces = [Piece(0, 0, 10), Piece(1, 0, 1500), Piece(1, 1200, 2500)]
    merged = [
        Analysis("fr", (Finding(6, 10, "PERSON", 0.9),)),
        Analysis("fr", (Finding(5, 9, "PERSON", 0.8), Finding(20, 30, "EMAIL_ADDRESS", 1.0))),
    ]
    assert names_to_propagate(texts, pieces, merged) == {1: [(5, 9, 0.8)]}
    extra = with_findings(merged[1], [Finding(2000, 2004, "PERSON", 0.8)])
    assert [f.start for f in extra.findings] == [5, 20, 2000]
