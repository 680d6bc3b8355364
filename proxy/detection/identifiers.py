"""Recognizers for national and banking identifiers: France in depth, then the basics for
Germany, Spain, Italy, Belgium and Switzerland, plus IBAN, BIC, payment cards, EU VAT numbers.

Each recognizer finds *candidates* with a pattern and keeps only those whose check digits
agree (`french_ids` for France; python-stdnum, a maintained library of identifier
algorithms, for the others). A checksum is what turns "9 to 15 digits" into evidence, so:
- a strong check (mod 97 keys, letters computed from the number, 13-digit EAN) makes the
  finding certain (score 1) on its own;
- a weak one (Luhn over 9 digits passes 1 number in 10; mod 11 passes 1 in 11) keeps the
  pattern's low score, and context words ("SIREN", "Steuer-ID") must raise it;
- identifiers with no checksum at all (passport, identity card, licence plates) score low
  and need context words, except the unambiguous plate shape `AB-123-CD`.

IBANs and card numbers are not matched with one regex: a regex that allows separators between
any characters would swallow the next number too ("FR76 … 189 42 euros"). Instead every
possible start is tried with the exact length its country (IBAN) or the lengths its scheme
(cards) allows, and the checksum decides.

A wrong check digit right after a label is still the identifier. "IBAN FR77 3000 …",
"NIR 1 85 05 78 006 084 36" or "carte 4970 1234 5678 9013" with a typo in it (or a made-up
key) still identifies the person, or very nearly. So a candidate of the identifier's exact
shape (the same patterns and lengths as above) whose check digits disagree is kept when one
of its labels (`context_words.LABELS`: "IBAN", "RIB", "card", "carte", "NIR", "n° de sécurité
sociale", "SIRET", "TVA", "USt-IdNr", ...) is written right before it, separated only by
punctuation or "n°", "number", "is" (`context.label_pattern`). It keeps its type, so the same
policy rule masks it, scores `INVALID_CHECKSUM_SCORE` (over the default threshold, under any
valid finding) and carries `checksum: invalid` in its metadata (`types.Checksum`), so that
the audit can count such values apart. Without a label nothing changes: a 16-digit number
failing Luhn, or one after "order" or "invoice", stays unmasked. Identifiers with no check
digits (BIC, passport, plates) already need their label and are not concerned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import regex as re
import stdnum
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from stdnum import bic
from stdnum.be import nn as be_nn
from stdnum.ch import ssn as ch_ssn
from stdnum.de import idnr as de_idnr
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.eu import vat as eu_vat
from stdnum.it import codicefiscale as it_cf

from proxy.detection import regex_limits
from proxy.detection.context import label_pattern, value_starts
from proxy.detection.context_words import LABELS
from proxy.detection.digit_gate import longest_digit_run, min_digit_run
from proxy.detection.french_ids import luhn_is_valid, nir_is_valid, siren_is_valid, siret_is_valid
from proxy.detection.people import MAKES
from proxy.detection.types import CHECKSUM_KEY, Checksum

# Between digit groups people write spaces, dots, dashes (after NFKC, no-break spaces are
# spaces). Not glued to a longer number: no digit, even across one separator, on either side.
SEP = r"[ .\-]?"
BEFORE = r"(?<![\w])(?<!\d[ .\-])"
AFTER = r"(?![\w])(?![ .\-]\d)"
CASE_SENSITIVE = re.DOTALL | re.MULTILINE
IGNORE_CASE = CASE_SENSITIVE | re.IGNORECASE


def digit_groups(*groups: str) -> str:
    """A regex for `groups` written with or without separators, not part of a longer number."""
    return BEFORE + SEP.join(groups) + AFTER


# The score of a labelled value whose check digits disagree: acted on by the default policy
# (0.5), under every value whose check digits agree (1, or at least 0.65 with context).
INVALID_CHECKSUM_SCORE = 0.6
# Not glued to more digits after it (a labelled value must end where the number ends).
_MORE_DIGITS = re.compile(r"[ .\-]?\d")


def _labels(entity: str) -> re.Pattern[str] | None:
    phrases = LABELS.get(entity)
    return label_pattern(phrases) if phrases else None


def _with_checksum(results: list[RecognizerResult], checksum: Checksum) -> list[RecognizerResult]:
    for result in results:
        if result.recognition_metadata is None:
            result.recognition_metadata = {}
        result.recognition_metadata[CHECKSUM_KEY] = checksum.value
    return results


def _labelled_invalid(recognizer: EntityRecognizer, start: int, end: int) -> RecognizerResult:
    """A value whose check digits disagree, kept for the label before it (module docstring).
    Marked as enhanced by context: the label is its context, it must not be boosted again."""
    return RecognizerResult(
        recognizer.supported_entities[0],
        start,
        end,
        INVALID_CHECKSUM_SCORE,
        recognition_metadata={
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
            RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
            CHECKSUM_KEY: Checksum.INVALID.value,
        },
    )


def _safe(check: Callable[[str], bool]) -> Callable[[str], bool]:
    def checked(value: str) -> bool:
        try:
            return bool(check(value))
        except Exception:
            return False

    return checked


class ChecksumRecognizer(PatternRecognizer):
    """Pattern candidates kept only if `check` accepts them, or if a label is right before them.

    `strong=True`: a passing check is certain evidence (score 1). `strong=False`: the
    pattern's score is kept and context words must raise it over the policy's threshold.
    `labels`: a candidate failing the check right after one is kept, flagged (module
    docstring), if `plausible` (when given) accepts it too.
    """

    def __init__(
        self,
        entity: str,
        patterns: Sequence[Pattern],
        check: Callable[[str], bool],
        *,
        strong: bool,
        language: str,
        context: Sequence[str],
        case_sensitive: bool = False,
        labels: re.Pattern[str] | None = None,
        plausible: Callable[[str], bool] | None = None,
    ) -> None:
        flags = CASE_SENSITIVE if case_sensitive else IGNORE_CASE
        super().__init__(
            supported_entity=entity,
            name=f"{entity}_recognizer",
            patterns=list(patterns),
            context=list(context),
            supported_language=language,
            global_regex_flags=flags,
        )
        self._check = _safe(check)
        self._strong = strong
        self._labels = labels
        self._plausible = plausible
        self._shapes = [re.compile(pattern.regex, flags) for pattern in patterns]
        # Every candidate, labelled or not, is a match of one of the patterns: a text whose
        # longest digit run is shorter than what they all need has none (`digit_gate.py`).
        self._digits_needed = min((min_digit_run(p.regex) for p in patterns), default=0)

    def validate_result(self, pattern_text: str) -> bool | None:
        """False drops the candidate; True makes it certain; None keeps the pattern score."""
        if not self._check(pattern_text):
            return False
        return True if self._strong else None

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Candidates whose check digits agree, then labelled ones whose digits disagree.
        Without labels (BIC: a format check, no check digits) the results are not flagged."""
        if regex_flags is None and longest_digit_run(text) < self._digits_needed:
            return []
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        if self._labels is None:
            return results
        _with_checksum(results, Checksum.VALID)
        found = {result.start for result in results}
        for start in value_starts(self._labels, text):
            if start in found:
                continue
            for shape in self._shapes:
                match = shape.match(text, start, timeout=regex_limits.seconds())
                if match is None or self._check(match.group()):
                    continue
                if self._plausible is None or self._plausible(match.group()):
                    results.append(_labelled_invalid(self, match.start(), match.end()))
                    found.add(start)
                    break
        return results


# A BIC written right after an IBAN of its own country, on the same line: a payment file's
# row ("Weber, Lukas|DE38 5479 …|GENODEM1GLS|1.250,00", "…;FR34 6895 …;AGRIFRPP882;"), an
# account given with its bank ("Konto: AT67 8885 … (BKAUATWW)", "IE59 BOFI … / BOFIIE2D").
# The code beside the account's number is its bank's, whatever label the file's header (far
# above) or the sentence gave it; the IBAN's check digits and the shared country make the
# pair hard to meet by chance.
_IBAN_THEN_SEPARATOR = re.compile(
    r"(?<![\w])(?P<iban>[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){10,30})"
    r"[ \t]*(?:[;|,/(\t]|[ ][\-\u2013])?[ \t]*(?:(?i:bic|swift)[ \t]*:?[ \t]*)?$"
)
BIC_AFTER_IBAN_SCORE = 0.55  # as with its label right before it ("BIC: …", 0.2 + 0.35)


class BicRecognizer(ChecksumRecognizer):
    """BIC_CODE: a code of the BIC's shape, scored low unless labelled (context words) or
    written right after an IBAN of the same country (`_IBAN_THEN_SEPARATOR`)."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """The shape's matches, raised when an IBAN of their country comes right before."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            line_start = text.rfind("\n", max(0, result.start - 80), result.start) + 1
            before = _IBAN_THEN_SEPARATOR.search(
                text, max(line_start, result.start - 80), result.start
            )
            if before is None:
                continue
            iban = before.group("iban").replace(" ", "")
            country = text[result.start + 4 : result.start + 6]
            if iban[:2] == country and iban_is_valid(iban):
                result.score = max(result.score, BIC_AFTER_IBAN_SCORE)
        return results


class PlateRecognizer(PatternRecognizer):
    """LICENSE_PLATE: the shapes of `identifier_recognizers`, each holding letters and digits
    both. The any-country shape checks that with lookaheads that may read past the match
    ("immatriculée au RCS PARIS B 123…": the capitals "RCS PARIS B" are no plate)."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """False drops a match without a letter or without a digit; None keeps its score."""
        has_digit = any(char.isdigit() for char in pattern_text)
        has_letter = any(char.isalpha() for char in pattern_text)
        return None if has_digit and has_letter else False


# A plate's shape: its letters and digits as "L" and "D", its separators as written.
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")


def _shape(value: str) -> str:
    return str(_DIGIT.sub("D", _LETTER.sub("L", value.upper())))


def plates_of_the_same_shape(
    text: str, results: list[RecognizerResult], min_score: float
) -> list[RecognizerResult]:
    """`results`, with each plate candidate scored under `min_score` raised to the score of a
    plate of the same text with the same shape that reached it: "Veicolo proprio GA 417 KT,
    controparte FZ 902 RM": the context before the first says what the second is too. A
    shape is that of the letters, digits and separators ("LL DDD LL"), so a plate does not
    vouch for an order number of another form."""
    plates = [r for r in results if r.entity_type == "LICENSE_PLATE"]
    vouched: dict[str, float] = {}
    for plate in plates:
        if plate.score >= min_score:
            shape = _shape(text[plate.start : plate.end])
            vouched[shape] = max(vouched.get(shape, 0.0), plate.score)
    if not vouched:
        return results
    for plate in plates:
        score = vouched.get(_shape(text[plate.start : plate.end]))
        if score is not None and plate.score < score:
            plate.score = score
    return results


# --- validators not in stdnum or adapted ------------------------------------------------


def _alphanumeric(text: str, start: int, end: int) -> str:
    return str(re.sub(r"[^A-Za-z0-9]", "", text[start:end]))


def _compact(value: str) -> str:
    return str(re.sub(r"[\s.\-/]", "", value)).upper()


def vat_is_valid(value: str) -> bool:
    """An EU (or Swiss) VAT number with its country prefix and check digits; an Italian or
    a Spanish one without it (its label before it made it a candidate)."""
    compact = _compact(value)
    if compact.startswith("CHE"):
        from stdnum.ch import vat as ch_vat  # noqa: PLC0415 - rare, keep import lazy

        return bool(ch_vat.is_valid(compact))
    if compact.isdigit() and len(compact) == 11:  # a partita IVA, after its label
        return bool(eu_vat.is_valid("IT" + compact))
    if re.fullmatch(r"[A-HJNP-SUVW]\d{7}[0-9A-J]", compact):  # a Spanish CIF, after its label
        return bool(eu_vat.is_valid("ES" + compact))
    return bool(eu_vat.is_valid(compact))


def _iban_lengths() -> dict[str, int]:
    """Country code -> IBAN length, from stdnum's registry of national formats."""
    lengths: dict[str, int] = {}
    source = Path(stdnum.__file__).parent / "iban.dat"
    for line in source.read_text(encoding="utf-8").splitlines():
        match = re.match(r'^([A-Z]{2}) .*bban="([^"]+)"', line)
        if match:
            lengths[match.group(1)] = 4 + sum(
                int(n) for n in re.findall(r"(\d+)!?[nac]", match.group(2))
            )
    return lengths


IBAN_LENGTHS = _iban_lengths()


def iban_is_valid(compact: str) -> bool:
    """mod 97 over the rearranged IBAN, and the country's length."""
    compact = compact.upper()
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


# --- recognizers that try exact lengths -------------------------------------------------

_SEPARATOR_CHARS = " -."


def _take(text: str, start: int, count: int, alphabet: Callable[[str], bool]) -> int | None:
    """End index after reading `count` characters accepted by `alphabet` from `start`,
    allowing one separator between any two, or None if the text runs out of them."""
    index, taken = start, 0
    length = len(text)
    while taken < count:
        if index < length and alphabet(text[index]):
            index += 1
            taken += 1
            continue
        if (
            taken
            and index + 1 < length
            and text[index] in _SEPARATOR_CHARS
            and alphabet(text[index + 1])
        ):
            index += 1
            continue
        return None
    return index


def _ends_cleanly(text: str, end: int) -> bool:
    """Nothing alphanumeric glued after `end` (a separator then more digits is allowed only
    as the start of another word, which the caller's length check already excludes)."""
    return end >= len(text) or not text[end].isalnum()


class AnyIbanRecognizer(EntityRecognizer):
    """IBANs of every country in the registry: exact national length, mod 97, any case,
    compact or in groups separated by spaces, dashes or dots."""

    _START = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})(\d{2})")

    def __init__(
        self, language: str, context: Sequence[str], labels: re.Pattern[str] | None = None
    ) -> None:
        super().__init__(
            supported_entities=["IBAN_CODE"],
            name="AnyIbanRecognizer",
            supported_language=language,
            context=list(context),
        )
        self._labels = labels

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every valid IBAN in `text`, score 1; then, right after a label, IBANs of the
        right country length whose check digits disagree (module docstring)."""
        results = []
        for match in self._START.finditer(text, timeout=regex_limits.seconds()):
            span = self._candidate(text, match)
            if span is not None and iban_is_valid(_alphanumeric(text, *span)):
                results.append(RecognizerResult("IBAN_CODE", *span, 1.0))
        _with_checksum(results, Checksum.VALID)
        if self._labels is None:
            return results
        found = {result.start for result in results}
        for start in value_starts(self._labels, text):
            match = self._START.match(text, start)
            if start in found or match is None:
                continue
            span = self._candidate(text, match)
            if span is not None and _MORE_DIGITS.match(text, span[1]) is None:
                results.append(_labelled_invalid(self, *span))
        return results

    @staticmethod
    def _candidate(text: str, match: re.Match[str]) -> tuple[int, int] | None:
        """The span of the country's exact IBAN length from `match`, if the text has it."""
        length = IBAN_LENGTHS.get(match.group(1).upper())
        if length is None:
            return None
        end = _take(text, match.start(), length, str.isalnum)
        if end is None or not _ends_cleanly(text, end):
            return None
        return match.start(), end


# Issuer identification number ranges of the card schemes, and the lengths each issues
# (ISO/IEC 7812 as the schemes publish them), longest prefix first. A number counts as a
# card when it starts in one of these ranges, has one of the lengths, and passes Luhn.
CARD_RANGES: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("1800", "1800", (15,)),  # JCB, 15 digits
    ("2131", "2131", (15,)),  # JCB, 15 digits
    ("2200", "2204", (16, 17, 18, 19)),  # Mir
    ("2221", "2720", (16,)),  # Mastercard 2-series
    ("300", "305", (14, 15, 16, 17, 18, 19)),  # Diners Club
    ("3095", "3095", (14, 15, 16, 17, 18, 19)),  # Diners Club
    ("3528", "3589", (16, 17, 18, 19)),  # JCB
    ("34", "34", (15,)),  # American Express
    ("37", "37", (15,)),  # American Express
    ("36", "36", (14, 15, 16, 17, 18, 19)),  # Diners Club
    ("38", "39", (14, 15, 16, 17, 18, 19)),  # Diners Club, Hipercard
    ("4", "4", (13, 14, 15, 16, 17, 18, 19)),  # Visa, Visa Electron, Elo, Dankort
    ("51", "55", (16,)),  # Mastercard
    ("50", "50", (12, 13, 14, 15, 16, 17, 18, 19)),  # Maestro, Verve, Elo, RuPay
    ("56", "58", (12, 13, 14, 15, 16, 17, 18, 19)),  # Maestro
    ("6", "6", (12, 13, 14, 15, 16, 17, 18, 19)),  # Maestro, Discover, UnionPay, RuPay
    ("81", "82", (16, 17, 18, 19)),  # UnionPay, RuPay
    ("9792", "9792", (16,)),  # Troy
)


def card_lengths(digits: str) -> tuple[int, ...]:
    """The lengths a card number starting with `digits` can have (empty: no scheme)."""
    for low, high, lengths in CARD_RANGES:
        prefix = digits[: len(low)]
        if len(prefix) == len(low) and low <= prefix <= high:
            return lengths
    return ()


class CardNumberRecognizer(EntityRecognizer):
    """Payment card numbers: a scheme's issuer range (`CARD_RANGES`: Visa, Mastercard,
    Amex, Diners, Discover, JCB including its 15-digit 1800/2131 cards, UnionPay, Maestro
    from 12 digits, Mir, RuPay, Troy), one of its lengths, any grouping, Luhn."""

    _START = re.compile(r"(?<![\w])(?<!\d[ .\-])(?:1800|2131|2[2-7]|3[0-9]|4|5[0-8]|6|8[12]|9792)")
    _LENGTHS = (19, 18, 17, 16, 15, 14, 13, 12)  # longest first: never leave a tail unmasked

    def __init__(
        self, language: str, context: Sequence[str], labels: re.Pattern[str] | None = None
    ) -> None:
        super().__init__(
            supported_entities=["CREDIT_CARD"],
            name="CardNumberRecognizer",
            supported_language=language,
            context=list(context),
        )
        self._labels = labels

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every Luhn-valid card number in `text`, score 1; then, right after a label, the
        whole number of a card's shape and length failing Luhn (module docstring)."""
        results = []
        last_end = -1
        for match in self._START.finditer(text, timeout=regex_limits.seconds()):
            if match.start() < last_end:
                continue
            for end in self._ends(text, match.start()):
                digits = re.sub(r"\D", "", text[match.start() : end])
                if after_product_code(text, match.start()):
                    break
                if luhn_is_valid(digits) and len(set(digits)) > 1:
                    results.append(RecognizerResult("CREDIT_CARD", match.start(), end, 1.0))
                    last_end = end
                    break
        _with_checksum(results, Checksum.VALID)
        if self._labels is None:
            return results
        found = {result.start for result in results}
        for start in value_starts(self._labels, text):
            if start in found or self._START.match(text, start) is None:
                continue
            for end in self._ends(text, start):
                whole = _MORE_DIGITS.match(text, end) is None
                if whole and len(set(re.sub(r"\D", "", text[start:end]))) > 1:
                    results.append(_labelled_invalid(self, start, end))
                break  # only the longest: the whole number or nothing
        return results

    def _ends(self, text: str, start: int) -> list[int]:
        """Where a card number from `start` could end, longest first."""
        ends = []
        head = _take(text, start, 4, str.isdigit)
        lengths = card_lengths(re.sub(r"\D", "", text[start:head])) if head else ()
        for length in self._LENGTHS:
            if length not in lengths:
                continue
            end = _take(text, start, length, str.isdigit)
            if end is not None and _ends_cleanly(text, end):
                ends.append(end)
        return ends


# --- the pattern recognizers -------------------------------------------------------------

# Country codes used by BICs (ISO 3166 alpha-2 for the countries banks are in, plus XK).
_BIC_COUNTRIES = (
    "AD|AE|AL|AM|AO|AR|AT|AU|AZ|BA|BD|BE|BG|BH|BR|BY|CA|CH|CI|CL|CM|CN|CO|CR|CY|CZ|DE|DK|DZ|"
    "EE|EG|ES|FI|FR|GB|GE|GR|HK|HR|HU|ID|IE|IL|IN|IQ|IS|IT|JO|JP|KE|KR|KW|KZ|LB|LI|LT|LU|LV|"
    "MA|MC|MD|ME|MK|MT|MU|MX|MY|NG|NL|NO|NZ|PE|PH|PK|PL|PT|QA|RO|RS|RU|SA|SE|SG|SI|SK|SM|SN|"
    "TH|TN|TR|TW|UA|US|UY|VN|XK|ZA"
)
# A product's article number (EAN-13 and UPC codes have 12-13 digits and often pass Luhn or
# parse as a phone number): a number right after one of these labels is the product's.
PRODUCT_CODE_LABEL = re.compile(
    r"(?<![\w])(?i:EAN(?:-?13|-?8)?|GTIN(?:-?1[34])?|UPC(?:-A)?|ISBN(?:-?1[03])?|ISSN|SKU|MPN|"
    r"Art\.?-?Nr\.?|Artikelnummer|Artikel-Nr\.?|código[ ]de[ ]barras|codice[ ]a[ ]barre|"
    r"code[ ]EAN|code-barres|barcode)[ \t]*[:#]?[ \t]*$"
)


def after_product_code(text: str, start: int) -> bool:
    """Whether the number at `start` comes right after a product-code label ("EAN ")."""
    return PRODUCT_CODE_LABEL.search(text, max(0, start - 32), start) is not None


# Licence plate letters: SIV plates never use I, O or U.
_PLATE = "[A-HJ-NP-TV-Z]"
# What every plate shape below starts with. Put before a pattern's lookbehind, it is tried
# first: the `regex` module evaluates a lookbehind (a label, a car's make, a bay's line) at
# every position of the text otherwise, and those were a worker's costliest patterns. Both
# are zero-width at the same position, so the matches are the same.
_PLATE_START = r"(?=[A-ZÄÖÜ\d])"


# An article's code in a plate's shape ("Artikel HX-200-DE und HX-210-AT", "ref. HX-200-ES y
# HX-210-PT", "codici HX-200-IT e HX-210-CH"): its label, or another such code and a
# conjunction, right before. A plate alone ("AB-123-CD") still needs no label.
_ARTICLE_LABEL = (
    r"(?<![\w])(?i:artikel|article|articles|art\.|ref|refs|réf|référence|referencia|"
    r"riferimento|codice|codici|código|códigos|code|codes|sku|item|items|modell|modelo|modello|"
    r"modèle|model|produit|product|producto|prodotto)[ \t.:#]{1,3}"
)
# The start of a parking list's line: the bay and its number ("Bay 12", "plaza 21 -",
# "posto 18", "place 9 :", "Stellplatz 4"; "P03", "p.7" only before a German plate,
# since "P1 ISO 9001" is an agenda's point).
_BAY_END = r"[ \t]*\d{1,3}[ \t]*[:\-\u2013]?[ \t]*))(?<![\w\-])"
_AFTER_A_BAY = rf"(?<=(?im:^[ \t]*(?:bay|plaza|posto|place|platz|stellplatz){_BAY_END}"
_AFTER_A_P = rf"(?<=(?im:^[ \t]*p\.?{_BAY_END}"
# A plate of any country: five or more capitals and digits (both), in at most three groups
# ("B2B" after a loading bay is not a car's).
_ANY_PLATE = (
    r"(?=[A-ZÄÖÜ0-9\- ]*\d)(?=[A-ZÄÖÜ0-9\- ]*[A-ZÄÖÜ])(?=(?:[A-ZÄÖÜ0-9][\- ]?){5})"
    r"[A-ZÄÖÜ0-9]{1,8}(?:[ \-][A-ZÄÖÜ0-9]{1,5}){0,2}(?![\w\-])"
)
# A plate of any country right after a word that names a plate, a nationality or a country
# code may stand between ("Swedish plate NKB 48C", "plaque belge 1-ABC-482", "targa
# austriaca I-482 KL", "tschechisches Kennzeichen 5A2 3187", "CA plate 8KLT392",
# "car_reg: LV23 PLO", "Unfallgegner: SAD-KM 418"). "reg" and "registration" name a car's
# only after a vehicle word in the same sentence ("My car, registration 191-KE-4472",
# "Vehicles: insured SE reg KLM 42B; TP reg NRB 118"), not a firm's ("Company registration
# SC123456").
_PLATE_WORD = (
    r"(?i:(?<![\w])(?:(?:licen[cs]e[ ]|number[ ]|registration[ ])?plate|"
    r"plaque(?:[ ]d'immatriculation)?|targa|targata|targato|matrícula|matricula|unfallgegner|"
    r"(?:car|vehicle)[_ ]reg(?:istration)?(?:[_ ](?:no|number))?)|kennzeichen)"
)
_VEHICLE_THEN_REG = (
    r"(?i:(?<![\w])(?:car|cars|vehicle|vehicles|van|motorbike|motorcycle|lorry|truck)(?![\w])"
    r"[^\n.]{0,48}?(?<![\w])(?:reg|registration)(?:[ ](?:no\.?|number))?)"
)
_AFTER_A_PLATE_WORD = (
    rf"(?<=(?:{_PLATE_WORD}(?:[ ]\p{{Ll}}{{3,14}})?|{_VEHICLE_THEN_REG})(?![\w])"
    r"[ \t]*[:#]?[ \t]*)"
)
# A plate before a parking bay on a list's line: any country's before a bay ("Fidel Ramírez -
# LR21 KHG - bay 14", "- 0518 JTW - plaza 22", "Stellplatz 14"); only a German one before a
# "Platz", which also ranks a team ("Bernd Heinzelmann, RT-BH 512, Platz 14"; not "TSV 1860,
# Platz 4").
_BAY_AFTER = r"[ \t]*[,;|\-\u2013\u2014][ \t]*(?i:{})[ \t]*\d{{1,3}}(?![\w]))"
_BEFORE_A_BAY = "(?=" + _BAY_AFTER.format("bay|plaza|posto|place|stellplatz|parkplatz")
_BEFORE_A_PLATZ = "(?=" + _BAY_AFTER.format("platz")
# A German or Austrian plate: the district, then letters and digits ("RT-BH 512",
# "W 48213 K").
_GERMAN_PLATE = (
    r"(?:[A-ZÄÖÜ]{1,3}-[A-Z]{1,2}[ ]\d{1,4}[EH]?|[A-Z]{1,2}[ ]\d{3,6}[ ][A-Z])(?![\w\-])"
)
# The plates whose shapes are strict enough to follow a bare "p.7" (the Italian, Spanish, British
# and French ones: "p.7 EX 771 PB", "P12 4821 KLM"; "P1 ISO 9001" matches none).
_STRICT_PLATE = (
    r"(?:[A-Z]{2}[ ]?\d{3}[ ]?[A-Z]{2}|\d{4}[ \-]?[BCDFGHJKLMNPRSTVWXYZ]{3}"
    r"|[A-Z]{2}\d{2}[ ]?[A-Z]{3})(?![\w\-])"
)
# A strict plate right after a car's make and model ("Skoda Octavia BB-NT 77", "Fiat Panda
# GA 417 KT", "Toyota Yaris LK19 WTD"); not a model year and trim ("VW Golf 2015 GTD").
_AFTER_A_MAKE = (
    rf"(?<=(?<![\w])(?i:{'|'.join(sorted(MAKES, key=len, reverse=True))})"
    r"(?:[ \-]\p{L}[\p{L}\d\-]{0,12}){0,2}[ ])(?!(?:19|20)\d\d[ ])"
)
# A vehicle word right before a strict or a German plate ("Camión: 8842 LWB", "moto 4419 BTK",
# "Fahrzeug: HH-LT 9021", "veicolo FZ 902 RM"); not before any code of capitals ("Auto: BMW
# X5" is a model).
_AFTER_A_VEHICLE = (
    r"(?<=(?<![\w])(?i:camión|camion|remolque|moto|coche|furgoneta|furgón|fahrzeug|anhänger|"
    r"lkw|pkw|transporter|veicolo|rimorchio|furgone|voiture|véhicule|camionnette|remorque|"
    r"vehicle|trailer|lorry|truck|van|car|motorbike)[ \t]*[:#]?[ \t]*)"
)
# A plate before its driver ("07:15  HH-LT 9021  Fahrer: Albers", "PL WGM 48K2 Fahrer:").
_BEFORE_A_DRIVER = (
    r"(?=[ \t]+(?i:fahrer|fahrerin|driver|chauffeur|conducteur|conductrice|conductor|"
    r"conductora|autista)(?![\w]))"
)
_NOT_AN_ARTICLE = (
    rf"(?<!{_ARTICLE_LABEL})"
    rf"(?<!{_ARTICLE_LABEL}[A-Z]{{2}}-\d{{3}}-[A-Z]{{2}}[ \t]*(?:,|/|und|and|et|y|e|o|oder|or|ou)"
    r"[ \t]*)"
)


# Identifiers with no checksum count only with their label right before them ("BIC :",
# "passeport n°"), not one somewhere in the previous sentence.
NEAR_CONTEXT = frozenset({"BIC_CODE", "FR_PASSPORT", "FR_ID_CARD", "LICENSE_PLATE"})
NEAR_CONTEXT_GAP = 8
# A plate's label may stand a word or two further off than another identifier's: "Targa auto
# aziendale: GK 208 XB", "vehículo contrario 7305 HBD", "Kfz-Kennzeichen für den Stellplatz:
# S-TB 4082". Plates have strict shapes, so the wider reach finds few false ones.
PLATE_CONTEXT_GAP = 24


# Extra conditions on a labelled value whose check digits disagree, where the pattern alone is
# loose: a VAT number's pattern also matches capitals ("VAT: AT ANY TIME"); real ones have at
# least 6 digits after the country code (Ireland's old format; most have 8 to 12).
_PLAUSIBLE_WHEN_INVALID: dict[str, Callable[[str], bool]] = {
    "EU_VAT": lambda value: sum(char.isdigit() for char in value) >= 6,
}


def _patterns(name: str, *specs: tuple[str, float]) -> list[Pattern]:
    return [Pattern(f"{name} {index}", regex, score) for index, (regex, score) in enumerate(specs)]


def identifier_recognizers(language: str, context: dict[str, list[str]]) -> list[EntityRecognizer]:
    """Every identifier recognizer for one language, with that language's context words."""

    def checksum(
        entity: str,
        specs: Sequence[tuple[str, float]],
        check: Callable[[str], bool],
        *,
        strong: bool,
        case_sensitive: bool = False,
    ) -> ChecksumRecognizer:
        return ChecksumRecognizer(
            entity,
            _patterns(entity, *specs),
            check,
            strong=strong,
            language=language,
            context=context[entity],
            case_sensitive=case_sensitive,
            labels=_labels(entity),
            plausible=_PLAUSIBLE_WHEN_INVALID.get(entity),
        )

    def shape(
        entity: str,
        specs: Sequence[tuple[str, float]],
        *,
        case_sensitive: bool,
        kind: type[PatternRecognizer] = PatternRecognizer,
    ) -> PatternRecognizer:
        return kind(
            supported_entity=entity,
            name=f"{entity}_recognizer",
            patterns=_patterns(entity, *specs),
            context=context[entity],
            supported_language=language,
            global_regex_flags=CASE_SENSITIVE if case_sensitive else IGNORE_CASE,
        )

    recognizers: list[EntityRecognizer] = [
        AnyIbanRecognizer(language, context["IBAN_CODE"], _labels("IBAN_CODE")),
        CardNumberRecognizer(language, context["CREDIT_CARD"], _labels("CREDIT_CARD")),
        # France
        checksum(
            "FR_NIR",
            [
                (
                    digit_groups(
                        r"[1-478]",
                        r"\d{2}",
                        r"\d{2}",
                        r"(?:\d{2}|2[AB])",
                        r"\d{3}",
                        r"\d{3}",
                        r"\d{2}",
                    ),
                    0.5,
                )
            ],
            nir_is_valid,
            strong=True,
        ),
        checksum(
            "FR_SIREN",
            [(digit_groups(r"\d{3}", r"\d{3}", r"\d{3}"), 0.3)],
            siren_is_valid,
            strong=False,
        ),
        checksum(
            "FR_SIRET",
            [(digit_groups(r"\d{3}", r"\d{3}", r"\d{3}", r"\d{5}"), 0.5)],
            siret_is_valid,
            strong=False,
        ),
        checksum(
            "EU_VAT",
            [
                (
                    r"(?<![\w])(?:AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|"
                    r"PL|PT|RO|SE|SI|SK|XI)[ \-]?[0-9A-Z](?:[ .\-]?[0-9A-Z]){6,13}(?![\w])",
                    0.5,
                ),
                (
                    r"(?<![\w])CHE[ \-]?\d{3}[ .]?\d{3}[ .]?\d{3}(?:[ ]?(?:MWST|TVA|IVA))?(?![\w])",
                    0.5,
                ),
                # Written without its prefix in its own country, after its label: a partita
                # IVA ("P.IVA 01234567897"), a Spanish CIF ("CIF B47152079").
                (
                    r"(?<=(?i:p\.[ ]?iva|partita[ ]iva|c\.?i\.?f\.?|nif-iva)[ \t]*[:.n°º]*[ \t]*)"
                    r"(?:\d{11}|[A-HJNP-SUVW]-?\d{7}[0-9A-J])(?![\w])",
                    0.5,
                ),
            ],
            vat_is_valid,
            strong=True,
            case_sensitive=True,
        ),
        BicRecognizer(
            "BIC_CODE",
            _patterns(
                "BIC_CODE",
                (
                    rf"(?<![\w])[A-Z]{{4}}(?:{_BIC_COUNTRIES})[A-Z0-9]{{2}}(?:[A-Z0-9]{{3}})?(?![\w])",
                    0.2,
                ),
            ),
            _safe(bic.is_valid),
            strong=False,
            language=language,
            context=context["BIC_CODE"],
            case_sensitive=True,
        ),
        shape("FR_PASSPORT", [(r"(?<![\w])\d{2}[A-Z]{2}\d{5}(?![\w])", 0.2)], case_sensitive=True),
        shape(
            "FR_ID_CARD",
            [
                (
                    r"(?<![\w])\d{4}[ ]?\d{2}[ ]?\d{1}[ ]?\d{5}(?![\w])",
                    0.15,
                ),  # before 2021: 12 digits
                (
                    r"(?<![\w])(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{9}(?![\w])",
                    0.15,
                ),  # since 2021
            ],
            case_sensitive=True,
        ),
        shape(
            "LICENSE_PLATE",
            [
                (rf"(?<![\w]){_NOT_AN_ARTICLE}{_PLATE}{{2}}-\d{{3}}-{_PLATE}{{2}}(?![\w-])", 0.6),
                (rf"(?<![\w]){_PLATE}{{2}} \d{{3}} {_PLATE}{{2}}(?![\w])", 0.35),
                (rf"(?<![\w]){_PLATE}{{2}}\d{{3}}{_PLATE}{{2}}(?![\w])", 0.2),
                (
                    r"(?<![\w])\d{1,4} ?[A-Z]{1,3} ?"
                    r"(?:0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])(?![\w])",
                    0.1,
                ),
                (  # the same, old FNI format written with its hyphens: 123-ABC-45
                    r"(?<![\w])\d{1,4}-[A-Z]{1,3}-(?:0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])(?![\w-])",
                    0.2,
                ),
                # Other countries' shapes are too common alone: only right after their label.
                (r"(?<![\w])[A-ZÄÖÜ]{1,3}-[A-Z]{1,2}[ ]\d{1,4}[EH]?(?![\w])", 0.2),  # DE
                (r"(?<![\w])\d{4}[ \-]?[BCDFGHJKLMNPRSTVWXYZ]{3}(?![\w])", 0.2),  # ES
                (r"(?<![\w])[A-Z]{2}[ ]?\d{3}[ ]?[A-Z]{2}(?![\w])", 0.2),  # IT
                (r"(?<![\w])[A-Z]{2}\d{2}[ ]?[A-Z]{3}(?![\w])", 0.2),  # UK
                # Any country's plate on a parking list's line, after the bay's number: "Bay
                # 12 LK19 XRV Dev Patel", "P03 - M-KL 4821 - ...", "plaza 21 4821 KLM", "posto
                # 18 FG 482 KL", "place 9 : EZ 931 LC". The bay says the code is a car's; a
                # code of capitals and digits both, at most three groups.
                (_PLATE_START + _AFTER_A_BAY + _ANY_PLATE, 0.6),
                (_PLATE_START + _AFTER_A_P + _GERMAN_PLATE, 0.6),
                (_PLATE_START + _AFTER_A_P + _STRICT_PLATE, 0.6),
                (_PLATE_START + _AFTER_A_MAKE + rf"(?:{_GERMAN_PLATE}|{_STRICT_PLATE})", 0.6),
                (r"(?<![\w\-])" + _ANY_PLATE + _BEFORE_A_BAY, 0.6),
                (r"(?<![\w\-])" + _GERMAN_PLATE + _BEFORE_A_PLATZ, 0.6),
                (_PLATE_START + _AFTER_A_PLATE_WORD + _ANY_PLATE, 0.6),
                (_PLATE_START + _AFTER_A_VEHICLE + rf"(?:{_GERMAN_PLATE}|{_STRICT_PLATE})", 0.6),
                (r"(?<![\w\-])" + _ANY_PLATE + _BEFORE_A_DRIVER, 0.6),
            ],
            case_sensitive=True,
            kind=PlateRecognizer,
        ),
        # Germany: tax id (11 digits, ISO 7064 mod 11,10 and a digit-repetition rule), in the
        # letter's groups ("12 345 678 901") or in threes from the left ("123 456 789 01")
        checksum(
            "DE_TAX_ID",
            [
                (digit_groups(r"\d{2}", r"\d{3}", r"\d{3}", r"\d{3}"), 0.3),
                (digit_groups(r"\d{3}", r"\d{3}", r"\d{3}", r"\d{2}"), 0.3),
            ],
            _safe(de_idnr.is_valid),
            strong=False,
        ),
        # Spain: DNI (8 digits and a letter computed from them), NIE (X/Y/Z, 7 digits, letter)
        checksum(
            "ES_NIF",
            [(r"(?<![\w])(?:\d{8}|\d{2}\.\d{3}\.\d{3})[ \-]?[A-Za-z](?![\w])", 0.5)],
            _safe(es_dni.is_valid),
            strong=True,
        ),
        checksum(
            "ES_NIE",
            [(r"(?<![\w])[XYZxyz][ \-]?\d{7}[ \-]?[A-Za-z](?![\w])", 0.5)],
            _safe(es_nie.is_valid),
            strong=True,
        ),
        # Italy: codice fiscale (16 characters, check letter)
        checksum(
            "IT_FISCAL_CODE",
            [
                (
                    r"(?<![\w])[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-EHLMPR-Ta-ehlmpr-t][0-9LMNPQRSTUVlmnpqrstuv]{2}"
                    r"[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z](?![\w])",
                    0.5,
                )
            ],
            _safe(it_cf.is_valid),
            strong=True,
        ),
        # Belgium: national register number (birth date, serial, mod 97 key)
        checksum(
            "BE_NATIONAL_NUMBER",
            [(r"(?<![\w])\d{2}[.]?\d{2}[.]?\d{2}[ \-.]?\d{3}[ \-.]?\d{2}(?![\w])", 0.3)],
            _safe(be_nn.is_valid),
            strong=False,
        ),
        # Switzerland: AHV/AVS number (756, EAN-13 check digit)
        checksum(
            "CH_AHV",
            [(r"(?<![\w])756[ .]?\d{4}[ .]?\d{4}[ .]?\d{2}(?![\w])", 0.5)],
            _safe(ch_ssn.is_valid),
            strong=True,
        ),
    ]
    for recognizer in recognizers:
        if recognizer.supported_entities[0] in NEAR_CONTEXT:
            recognizer.context_gap = NEAR_CONTEXT_GAP  # type: ignore[attr-defined]
        if recognizer.supported_entities[0] == "LICENSE_PLATE":
            recognizer.context_gap = PLATE_CONTEXT_GAP  # type: ignore[attr-defined]
    return recognizers
