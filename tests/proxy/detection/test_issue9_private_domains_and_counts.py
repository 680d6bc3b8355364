"""Issue 9: two leaks of values every detector is meant to catch.

- An e-mail address on a mail domain the public-suffix list does not know was dropped: a
  company's internal domain ("ad.acme.local", "mail.acme.internal", "siege.corp"). Staff
  addresses on such domains name a person as well as public ones (since then any letter
  name counts, "qqqzz" included: `test_issue9_any_mail_domain.py`). RFC 2606's `example`,
  `test` and `invalid` stay out: no one's mailbox is there, and texts quote them as
  placeholders.
- A phone number that ends a line, with the next line starting with a count ("2 boxes"),
  was glued to that count by the reading of line-broken numbers, and the longer number was
  no number (or a longer one swallowed the count). Both failed before this change; the
  negative rows (a number wrapped mid-way, an IBAN wrapped before its last group, a card)
  passed before and must still pass.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "address"),
    [
        (
            "en",
            "Please add ola.lindqvist@ad.nordlicht.local to the rota.",
            "ola.lindqvist@ad.nordlicht.local",
        ),
        (
            "de",
            "Kontakt intern: t.brandauer@mail.kessler-gruppe.internal",
            "t.brandauer@mail.kessler-gruppe.internal",
        ),
        ("fr", "Écrire à m.ferrand@siege.corp avant vendredi.", "m.ferrand@siege.corp"),
        ("es", "Mi correo del trabajo es iratxe.goiri@oficina.lan", "iratxe.goiri@oficina.lan"),
        ("it", "Scrivere a g.esposito@sede.intranet per l'accesso.", "g.esposito@sede.intranet"),
        (
            "en",
            "From: priya.raman@users.noreply.git.acme.home",
            "priya.raman@users.noreply.git.acme.home",
        ),
    ],
)
def test_an_address_on_a_private_mail_domain_is_masked(
    presidio: PresidioDetector, language: str, text: str, address: str
) -> None:
    assert masked(presidio, text, language, "EMAIL_ADDRESS") == [address]


@pytest.mark.parametrize(
    "text",
    [
        "npm i lodash@4.17.21 then restart",  # a package at a version
        "the host is build.internal and the user is deploy",  # no local part
        "ping me @ lunch.local time",  # an at sign between words
        "address ola@lindqvist, no domain",  # no dot after the at sign
        # RFC 2606's names for documentation and tests: no one's mailbox
        "Send the receipt from noreply@shop.example and bounces to bounce@mail.test",
        "placeholder: firstname.lastname@company.invalid",
    ],
)
def test_what_is_no_address_stays_unmasked(presidio: PresidioDetector, text: str) -> None:
    assert masked(presidio, text, "en", "EMAIL_ADDRESS") == []


@pytest.mark.parametrize(
    ("language", "text", "number"),
    [
        (
            "en",
            "Deliver to: reception\nContact on arrival: +44 20 7946 0913\n2 boxes, 14 kg",
            "+44 20 7946 0913",
        ),
        (
            "fr",
            "Livraison chez Mme Rolland\nTél. : 06 41 27 93 58\n3 cartons au 2e étage",
            "06 41 27 93 58",
        ),
        (
            "de",
            "Lieferung an Frau Brandauer\nTel. 030 2418 7765\n12 Stück, Palette",
            "030 2418 7765",
        ),
        ("en", "Caller: 0161 496 0724\n2x toner, 1x drum", "0161 496 0724"),
    ],
)
def test_a_phone_ending_a_line_keeps_the_next_lines_count_out(
    presidio: PresidioDetector, language: str, text: str, number: str
) -> None:
    assert masked(presidio, text, language, "PHONE_NUMBER") == [number]


@pytest.mark.parametrize(
    ("language", "text", "entity_type", "value"),
    [
        # a phone wrapped mid-way: fewer than ten digits on its first line, still one number
        ("fr", "Appelle-moi au +33 6 41 27 93\n58 merci", "PHONE_NUMBER", "+33 6 41 27 93\n58"),
        ("de", "Ruf an: 0221 4478\n193 danke", "PHONE_NUMBER", "0221 4478\n193"),
        # an evasion: ten digits on the first line that are no number, the last digit on the
        # next line before a word; only a complete number keeps the next line out
        ("fr", "Appelle le +33 6 41 27 93 5\n8 merci", "PHONE_NUMBER", "+33 6 41 27 93 5\n8"),
        # an IBAN wrapped before its last group: its groups are no phone at a line's end
        (
            "fr",
            "IBAN FR76 3000 6000 0112 3456 7890\n189 merci",
            "IBAN_CODE",
            "FR76 3000 6000 0112 3456 7890\n189",
        ),
        # a card wrapped by a mail client
        ("en", "card 4970 1234 5678\n9013 thanks", "CREDIT_CARD", "4970 1234 5678\n9013"),
    ],
)
def test_a_number_wrapped_over_two_lines_is_still_one(
    presidio: PresidioDetector, language: str, text: str, entity_type: str, value: str
) -> None:
    assert masked(presidio, text, language, entity_type) == [value]
