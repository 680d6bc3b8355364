"""Long texts cut in pieces and analysed on several workers at once (issue 13, item 4) mask
exactly what the same text analysed whole masks, entities straddling a cut included, and a
long text alone keeps both workers of a two-worker pool busy.

"Exactly what it masks" is compared where it matters, on the text the provider would get
under the bundled `default` policy (`mask_texts`, one vault secret for both): the findings
themselves may be written differently (a name found whole in one piece, word by word by
propagation in the whole text) without changing a single character of it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from bench.prompts import build_prompt
from proxy.config import BUNDLED_POLICIES
from proxy.detection import chunking
from proxy.detection.pool import PresidioDetector
from proxy.detection.settings import DetectionSettings
from proxy.detection.types import Analysis
from proxy.masking import mask_texts
from proxy.placeholders import Vault
from proxy.policy import Policy, load_policy
from tests.proxy.detection.test_pool import wait_for

pytestmark = pytest.mark.timeout(300)  # three workers load their models

# Big enough that no text below is ever cut: the reference analysis of each text whole.
WHOLE = DetectionSettings(workers=1, chunk_chars=200_000, batch_chars=200_000, cache_entries=0)
SPLIT = DetectionSettings(workers=2, cache_entries=0)  # default pieces: 2,000 characters


@pytest.fixture(scope="module")
def detectors() -> Iterator[tuple[PresidioDetector, PresidioDetector]]:
    whole, split = PresidioDetector(WHOLE), PresidioDetector(SPLIT)

    async def start() -> None:
        await asyncio.gather(whole.start(), split.start())

    async def close() -> None:
        await asyncio.gather(whole.close(), split.close())

    try:
        asyncio.run(start())
        yield whole, split
    finally:
        asyncio.run(close())


@pytest.fixture(scope="module")
def policy(detectors: tuple[PresidioDetector, PresidioDetector]) -> Policy:
    _, split = detectors
    entities = set().union(*split.supported_entities.values())
    return load_policy(
        BUNDLED_POLICIES / "default.yaml", known_entities=entities, languages=split.languages
    )


def masked(text: str, analysis: Analysis, policy: Policy) -> str:
    """`text` as the provider would get it under `policy`, given `analysis`."""
    result = mask_texts([text], [analysis], policy, Vault(b"voile-test-split-secret"))
    assert not result.blocked
    [out] = result.texts
    assert out != text  # the texts below carry personal data: something is masked
    return out


def contact_list(language: str, count: int) -> str:
    """One line of contacts separated by commas: no blank line, line end or sentence end,
    so every cut falls at a space, inside names, phone numbers and IBANs."""
    first = ["Jean", "Marie", "Claire", "Antoine"] if language == "fr" else ["John", "Emily"]
    last = ["Dupont", "Lefebvre", "Moreau"] if language == "fr" else ["Smith", "Davies"]
    label = "téléphone" if language == "fr" else "phone"  # no dot: a dot ends a sentence
    return ", ".join(
        f"{first[n % len(first)]} {last[n % len(last)]} {label} +33 6 12 34 {n % 90 + 10} "
        f"{(7 * n) % 90 + 10} IBAN FR76 3000 6000 0112 3456 7890 189"
        for n in range(count)
    )


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("size", [5_000, 10_000, 20_000])
async def test_a_long_text_cut_in_pieces_masks_what_it_masks_whole(
    detectors: tuple[PresidioDetector, PresidioDetector],
    policy: Policy,
    language: str,
    seed: int,
    size: int,
) -> None:
    whole, split = detectors
    text = build_prompt(language, size, seed)
    assert len(chunking.spans(text, SPLIT.chunk_chars, SPLIT.overlap_chars)) > 2
    [alone] = await whole.analyze([text], [language], timeout_seconds=120)
    [pieces] = await split.analyze([text], [language], timeout_seconds=120)
    assert pieces.language == alone.language == language
    assert masked(text, pieces, policy) == masked(text, alone, policy)


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_entities_straddling_a_cut_are_found_whole(
    detectors: tuple[PresidioDetector, PresidioDetector], policy: Policy, language: str
) -> None:
    whole, split = detectors
    text = contact_list(language, 80)
    cuts = [end for _, end in chunking.spans(text, SPLIT.chunk_chars, SPLIT.overlap_chars)[:-1]]
    [alone] = await whole.analyze([text], [language], timeout_seconds=120)
    [pieces] = await split.analyze([text], [language], timeout_seconds=120)
    straddling = [f for f in alone.findings if any(f.start < cut < f.end for cut in cuts)]
    assert straddling, "the text must put entities across the cuts for this test to mean much"
    found = {(f.start, f.end, f.entity_type) for f in pieces.findings}
    for finding in straddling:
        assert (finding.start, finding.end, finding.entity_type) in found
    assert masked(text, pieces, policy) == masked(text, alone, policy)


async def test_a_long_text_alone_keeps_both_workers_busy(
    detectors: tuple[PresidioDetector, PresidioDetector],
) -> None:
    """Asserted on the pool's state, not on time: while one 15 KB prompt (within
    `detection.parallel_max_chars`) is analysed, both workers are seen busy at once."""
    _, split = detectors
    text = build_prompt("en", 15_000, 7)
    pieces = chunking.plan([text], SPLIT.chunk_chars, SPLIT.overlap_chars)
    assert sum(piece.cost for piece in pieces) <= SPLIT.parallel_max_chars
    running = asyncio.create_task(split.analyze([text], ["en"], timeout_seconds=120))
    await wait_for(lambda: split.busy_workers == 2 or running.done(), seconds=120)
    assert split.busy_workers == 2
    await running
