"""Control and other invisible characters hidden inside a value do not let any of it through:
the real detector, then masking with the bundled default policy (issue 8, item 3).

Every position of each value (both edges included) gets a hidden character, and every hidden
character is tried inside each value (`evasion.spread`). Normalisation removes all of them
alike, so what the detector sees for a given position is the same text whichever character
it was; `test_normalise` checks that for every character at every position.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from proxy.config import BUNDLED_POLICIES
from proxy.detection.entities import SUPPORTED_ENTITIES
from proxy.detection.pool import PresidioDetector
from proxy.masking import mask_texts
from proxy.placeholders import Vault
from proxy.policy import Policy, load_policy
from proxy.restore import restore_text
from tests.proxy.detection.evasion import VALUES, hide, left_in_clear, spread

LANGUAGES = ("en", "fr", "de", "es", "it")  # the default policy's


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(
        BUNDLED_POLICIES / "default.yaml", known_entities=SUPPORTED_ENTITIES, languages=LANGUAGES
    )


def _mask(presidio: PresidioDetector, policy: Policy, texts: Sequence[str]) -> list[str]:
    """Each text masked on its own (its own vault), and checked to restore exactly."""
    analyses = asyncio.run(presidio.analyze(list(texts), list(LANGUAGES)))
    masked = []
    for text, analysis in zip(texts, analyses, strict=True):
        vault = Vault(b"k" * 32)
        [out] = mask_texts([text], [analysis], policy, vault).texts
        restored, _, unresolved = restore_text(out, vault.value_of)
        assert (restored, unresolved) == (text, 0), repr(text)
        masked.append(out)
    return masked


@pytest.mark.parametrize("kind", sorted(VALUES))
def test_a_hidden_character_anywhere_in_a_value_leaves_nothing_of_it(
    presidio: PresidioDetector, policy: Policy, kind: str
) -> None:
    """No letter or digit of the value reaches the masked text, and restoring it gives back
    the exact original, hidden character included."""
    before, value, after = VALUES[kind]
    cases = spread(value)
    texts = [before + hide(value, position, char) + after for position, char in cases]
    masked = _mask(presidio, policy, [before + value + after, *texts])
    assert not left_in_clear(masked[0], before, after), "the plain value itself is not masked"
    leaks = [
        (hex(ord(char)), position, leaked)
        for (position, char), out in zip(cases, masked[1:], strict=True)
        if (leaked := left_in_clear(out, before, after))
    ]
    assert not leaks


def test_the_reported_forms_are_masked_whole(presidio: PresidioDetector, policy: Policy) -> None:
    """The forms the attack probe sent: a name, an IBAN, an e-mail."""
    cases = [
        ("Please ask ", "Jo\u0001hn Smith", " to call me back."),
        ("Pay it to ", "FR76 3000 6000\u0000 0112 3456 7890 189", " today."),
        ("Write to ", "john.sm\u0000ith@example.com", " today."),
    ]
    masked = _mask(presidio, policy, [before + value + after for before, value, after in cases])
    for (before, _, after), out in zip(cases, masked, strict=True):
        assert not left_in_clear(out, before, after), out


@pytest.mark.parametrize(
    ("before", "value", "after"),
    [
        ("My card is ", "4111\n1111\n1111\n1111", " thanks."),
        ("My card is ", "4111\t1111\t1111\t1111", " thanks."),
        ("Pay it to ", "FR76 3000 6000\r\n0112 3456 7890 189", " today."),
        ("Pay it to ", "FR76 3000 6000 01\n12 3456 7890 189", " today."),
    ],
)
def test_digit_groups_wrapped_over_lines_are_masked_whole(
    presidio: PresidioDetector, policy: Policy, before: str, value: str, after: str
) -> None:
    [out] = _mask(presidio, policy, [before + value + after])
    assert not left_in_clear(out, before, after), out


def test_words_on_two_lines_are_not_glued(presidio: PresidioDetector, policy: Policy) -> None:
    """A line break keeps separating words: the e-mail on the next line is found as itself."""
    text = "Name: John Smith\njohn.smith@example.com\nThanks"
    [analysis] = asyncio.run(presidio.analyze([text], list(LANGUAGES)))
    emails = [text[f.start : f.end] for f in analysis.findings if f.entity_type == "EMAIL_ADDRESS"]
    assert emails == ["john.smith@example.com"]
