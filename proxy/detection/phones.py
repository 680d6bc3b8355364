"""Phone numbers, in international form and in the national forms of every configured region,
whatever the language of the sentence around them.

Presidio's `PhoneRecognizer` runs Google's `PhoneNumberMatcher` once per region over the
whole text, and is given the regions of the text's language only: a French mobile number in
an English e-mail ("Please call Jean Dupont, tel 06 12 34 56 78") was never tried as French,
each region added cost a pass, and a number the metadata does not (yet) know ("possible":
right length, unassigned range) was never found, even right after "joignable au". Here:

1. one regular expression finds every *candidate*: digits with the separators people write
   (space, dot, dash, a slash between two groups, a parenthesised area code, `(0)` after a
   country code), optionally `+` or `00` first and an extension after (`x12`, `ext. 12`,
   `poste 12`, `Durchwahl 12`, `int. 12`, `anexo 214`); a candidate starts and ends where its
   run of digits does (never inside a longer number or word, though a `+` starts a new one:
   `09:04 +43 732 781 223`, a chat's time then a number);
2. each candidate is parsed with python-phonenumbers: in international form (`+`, `00`) on
   its own; otherwise once per region, the regions of the text's language first, then every
   other configured region (so a text names a French number whatever its language);
3. the verdict decides the score (`SCORES`):
   - *valid* (a number the metadata knows is assigned): 0.4, the score Presidio gives; the
     context phrases ("tel", "call", "joignable") raise it by 0.35, and the default policy
     acts on phones from 0.3;
   - *possible* (right length and shape for a region, unassigned range, or a short local
     number such as `555-0123`): kept only when a phone cue of any supported language is
     written shortly before it, at 0.45; without a cue it is dropped. A number written in
     international form carries its own cue: its `+` and country code (`+44 7700 912 384`,
     a range Ofcom keeps for drama, is still a number someone is given to call);
4. an organisation's published line is not a person's: a number right after "hotline",
   "switchboard", "standard", "Zentrale", "centralita", "servizio clienti", … or followed
   by "(kostenfrei)", "(numero verde)", "(appel non surtaxé)" scores
   `ORGANISATION_LINE_SCORE`, under the default policy's threshold (a policy that wants
   those masked too sets `min_score: 0.2`);
5. candidates that are something else are never numbers: a date (`2024-03-15`,
   `12.03.2024`), a time, an amount (a currency sign or code right before or after), a
   percentage, a version or IP address, or a number right after a reference word ("order",
   "facture", "Rechnung", "pedido", "ticket", …) unless it is in international form.

Written after a national prefix in brackets (`+41 (0)44 …`), the `(0)` is dropped before
parsing, as a caller would when dialling.
"""

from __future__ import annotations

from collections.abc import Sequence

import phonenumbers
import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection import regex_limits
from proxy.detection.context import phrase_pattern
from proxy.detection.identifiers import after_product_code
from proxy.detection.phone_parsing import (
    TRUNK_IN_BRACKETS,
    Parsed,
    Verdict,
    parse_candidate,
)

SCORES = {Verdict.VALID: 0.4, Verdict.POSSIBLE: 0.45}
ORGANISATION_LINE_SCORE = 0.2
# How far before a "possible" number a phone cue may be, in characters.
CUE_WINDOW = 48

_EXTENSION = (
    r"(?:[ ]?(?:x|ext\.?|extn\.?|extension|extensión|anexo|poste|p\.|durchwahl|dw\.?|int\.|interno|"
    r"ext|#)[ ]?\d{1,6})"
)
# A run of digit groups: separators are one space, dot or dash, a slash between two digits,
# or brackets around a group; `+` or `00` may start it. Not preceded by a word character, a
# `+`, or a digit and a separator (it would be the tail of a longer number).
CANDIDATE = re.compile(
    r"(?<![\w+\-/])(?:(?<!\d[ .])|(?=\+))"
    r"(?P<number>(?:\+[ ]?|\(\+?\d{1,4}\)[ ]?)?"
    r"(?:(?:\(\d{1,5}\)[ .\-]?)?\d"
    r"(?:(?:[ .\-]|[ ]?/[ ]?|[ ]?\(0\)[ ]?|[ ]?\(\d{1,5}\)[ ]?|[ ]?-[ ]?)?\d){5,20}|"
    # or, shorter, after a trunk-prefixed area code in brackets: a local number of four
    # digits or more ("(022)80537", "(026) 65862"); tried second: the first reading wins
    # wherever it matches, as before
    r"\(0\d{1,4}\)[ .\-]?\d(?:[ .\-]?\d){3,20}))"
    rf"(?P<extension>{_EXTENSION})?"
    r"(?![\w])(?![.,]\d)(?![ .\-]\d)",
    re.IGNORECASE,
)
# Between two numbers given as alternatives ("06 … 78 / 01 … 89", "… 78 - 01 …").
_LIST_SEPARATOR = re.compile(r"[ ]/[ ]?|[ ]?/[ ]|[ ]-[ ]")
# Shapes that are not phone numbers however they parse.
_NOT_A_PHONE = re.compile(
    r"^(?:"
    r"\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}(?:[ T]\d{1,2})?"  # ISO date (and the hour of a timestamp)
    # a date (and the hour of a chat export's stamp: "[03/02/24 07:20]")
    r"|\d{1,2}[\-/.]\d{1,2}[\-/.](?:\d{4}|\d{2})(?:[ ]\d{1,2})?"
    r"|(?:(?:25[0-5]|2[0-4]\d|1\d\d|0?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|0?\d\d?)"  # IPv4
    r"|\d{1,2}[:h]\d{2}"  # time
    r"|(?:19|20)\d{2}[\-/.][ ]?\d+"  # a year then a serial: 2024-118734
    r"|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[.\-]?\d{1,6})?"  # 20240315
    r"|(?:19|20)\d{2}[ ]?[\-/][ ]?(?:19|20)?\d{2}"  # a range of years
    r"|\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?"  # thousands groups: 1.234.567
    r"|\d{1,2}(?:[ ]\d{3}){2,}(?:,\d+)?"  # 12 345 678 (not "612 345 678", a Spanish mobile)
    r"|\d{5}-\d{3}"  # a Brazilian postcode (CEP): "01304-001"
    r")$"
)
_AMOUNT_BEFORE = re.compile(r"(?:[$€£¥₹]|\b(?:EUR|USD|GBP|CHF|JPY|CAD|AUD|eur|usd))\s?$")
_AMOUNT_AFTER = re.compile(
    r"^\s?(?:[$€£¥₹%‰]|(?:EUR|USD|GBP|CHF|JPY|CAD|AUD|euros?|dollars?|francs?|km|kg|mg|ml|"
    r"m²|m2|ms|MB|GB|KB|TB|Mo|Go|Ko|px|pts?|points|units|unités|Stück|€)\b)",
    re.IGNORECASE,
)
# Words after which a number is a reference, not a phone (unless written in + form).
REFERENCE_WORDS = (
    "order", "order number", "order no", "invoice", "invoice number", "ref", "reference",
    "ticket", "case", "case number", "tracking", "tracking number", "serial", "serial number",
    "sku", "part number", "policy number", "claim", "claim number", "contract", "account number",
    "customer number", "customer id", "isbn", "issn", "version", "build", "po", "batch", "lot",
    "commande", "n° de commande", "facture", "n° de facture", "réf", "référence", "dossier",
    "contrat", "n° client", "numéro client", "bon", "colis", "suivi", "lot",
    "bestellung", "bestellnummer", "rechnung", "rechnungsnummer", "kundennummer",
    "auftrag", "auftragsnummer", "vertrag", "vertragsnummer", "aktenzeichen", "az",
    "pedido", "n.º de pedido", "factura", "referencia", "expediente", "contrato",
    "ordine", "fattura", "riferimento", "pratica", "contratto", "lote", "lotto", "charge",
    "precinto", "sigillo", "seal", "plombe",
    "part", "item", "article", "product", "produit", "artikel", "artikelnummer", "producto",
    "prodotto", "permis", "licence", "license", "passport", "passeport", "pass", "ausweis",
    "carte", "card", "dni", "nie", "ssn", "nir", "siren", "siret", "iban", "bic", "code",
    "id", "no", "nr", "n°", "nº", "#", "patente", "tessera", "badge", "matricule", "employee",
    "personalnummer", "mitarbeiternummer", "dossier n°", "request", "demande", "antrag",
    "solicitud", "richiesta", "incident", "bug", "issue", "pr", "commit", "build", "job",
)  # fmt: skip
# After the reference word, its "number" sign as written ("n°", "nº", and "n.o": what NFKC
# makes of "n.º" before detection).
_REFERENCE = re.compile(
    phrase_pattern(REFERENCE_WORDS).pattern + r"(?:[\s:#°º.\-]|n(?:\.?o)?(?![\w]))*$",
    re.IGNORECASE,
)


# "No", "Nr", "n°" after a possessive is someone's own number, not a file's ("meine nr 0172
# …", "my no. 07700 …", "mi nº 612 …", "mon n° 06 …"; "order no 0172 …" stays a reference).
_OWN_NUMBER = re.compile(
    r"(?<![\w])(?i:my|meine|mein|mi|mon|ma|il[ ]mio|la[ ]mia|mio)[ ]+"
    r"(?i:nr|no|n°|nº|n\.o|num)\.?[ \t:]*$"
)


# An organisation's published line: its name right before the number (a few short words may
# come between: "the switchboard on", "die Zentrale unter", "la centralita,") or a note on its
# price right after. Nobody's own phone is written so; a person reached through a firm's line
# is named, and the name is found on its own.
_ORGANISATION_LINE_BEFORE = re.compile(
    r"(?<![\w])(?i:hotline|switchboard|helpline|freephone|customer[ ](?:service|care|line|"
    r"support)(?:[ ]line)?|service[ ]client(?:s|èle)?|standard|numéro[ ]vert|"
    r"zentrale|telefonzentrale|kundenservice|kundenhotline|servicenummer|service-hotline|"
    r"centralita|atención[ ]al[ ]cliente|línea[ ]gratuita|teléfono[ ]gratuito|"
    r"centralino|servizio[ ]clienti|assistenza[ ]clienti|numero[ ]verde)"
    r"(?:[ \t]*[:,]?[ \t]+(?:\p{Ll}{1,6}[ \t]+){0,2}|[ \t]*:[ \t]*)$"
)
_ORGANISATION_LINE_AFTER = re.compile(
    r"[ \t]*\((?i:kostenfrei|gebührenfrei|gratuit|gratuito|gratis|numero[ ]verde|"
    r"appel[ ]non[ ]surtaxé|appel[ ]gratuit|freephone|free[ ]of[ ]charge|toll-free)\)"
)


def organisation_line(text: str, start: int, end: int) -> bool:
    """The number at `text[start:end]` is an organisation's published line."""
    return (
        _ORGANISATION_LINE_BEFORE.search(text, max(0, start - 48), start) is not None
        or _ORGANISATION_LINE_AFTER.match(text, end) is not None
    )


# A signed amount or count in thousands ("+15 000 000", "+12 345 678 units") is no number
# given in international form.
_SIGNED_THOUSANDS = re.compile(r"\+[ ]?\d{1,3}(?:[ ]\d{3})+")


def _dialled_from_abroad(number: str) -> bool:
    """Whether `number` is written in international form (`+`, a country code) with a full
    national number's length for that country: its own phone cue (module docstring). A
    number that could only be dialled locally ("+1 500 0000") is not."""
    compact = TRUNK_IN_BRACKETS.sub("", number).strip()
    if not compact.startswith("+") or _SIGNED_THOUSANDS.fullmatch(compact):
        return False
    try:
        parsed = phonenumbers.parse(compact, None)
    except phonenumbers.NumberParseException:
        return False
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    return bool(reason == phonenumbers.ValidationResult.IS_POSSIBLE)


class PhoneNumberRecognizer(EntityRecognizer):
    """PHONE_NUMBER in international form or the national forms of `regions` (module
    docstring). `cues`: phrases of every language that announce a number ("tel", "call",
    "joignable au", "erreichbar unter")."""

    def __init__(
        self,
        language: str,
        regions: Sequence[str],
        context: Sequence[str],
        cues: Sequence[str],
    ) -> None:
        super().__init__(
            supported_entities=["PHONE_NUMBER"],
            name="PhoneNumberRecognizer",
            supported_language=language,
            context=list(context),
        )
        self.regions = tuple(dict.fromkeys(regions))
        self._cue = re.compile(phrase_pattern(cues).pattern, re.IGNORECASE)

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every candidate that parses as a valid number, and possible ones after a cue."""
        results = []
        for match in CANDIDATE.finditer(text, timeout=regex_limits.seconds()):
            start, end = match.span()
            found = self._judge(text, start, end, match.end("number"))
            if found is None and _LIST_SEPARATOR.search(match.group("number")):
                # "06 12 34 56 78 / 01 23 45 67 89": two numbers, each judged alone.
                cursor = start
                for separator in _LIST_SEPARATOR.finditer(text, start, match.end("number")):
                    one = self._judge(text, cursor, separator.start(), separator.start())
                    results.extend([one] if one is not None else [])
                    cursor = separator.end()
                one = self._judge(text, cursor, end, match.end("number"))
                results.extend([one] if one is not None else [])
            if found is not None:
                results.append(found)
        return results

    def _judge(self, text: str, start: int, end: int, number_end: int) -> RecognizerResult | None:
        """The finding for the candidate `text[start:end]` (its number ends at
        `number_end`, an extension may follow), or None."""
        number = text[start:number_end]
        if after_product_code(text, start) or self._not_a_phone(text, number, start, end):
            return None
        parsed = parse_candidate(number, self.regions)
        if parsed is None:
            return None
        if (
            parsed.verdict is Verdict.POSSIBLE
            and not _dialled_from_abroad(number)
            and not self._cued(text, start)
        ):
            return None
        if parsed.verdict is Verdict.VALID and not number.lstrip("(").startswith("+"):
            before = text[max(0, start - 40) : start]
            if (
                _REFERENCE.search(before) is not None
                and _OWN_NUMBER.search(before) is None
                and not self._cued(text, start, 24)
            ):
                return None
        return self._result(start, end, parsed, organisation_line(text, start, end))

    def _result(
        self, start: int, end: int, parsed: Parsed, organisation: bool = False
    ) -> RecognizerResult:
        return RecognizerResult(
            "PHONE_NUMBER",
            start,
            end,
            ORGANISATION_LINE_SCORE if organisation else SCORES[parsed.verdict],
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "PhoneNumberRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                "phone_verdict": parsed.verdict.value,
                # a phone word near an organisation's line ("call the switchboard on") must
                # not lift it back over the threshold
                RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: organisation,
            },
        )

    def _cued(self, text: str, start: int, window: int = CUE_WINDOW) -> bool:
        return self._cue.search(text, max(0, start - window), start) is not None

    @staticmethod
    def _not_a_phone(text: str, number: str, start: int, end: int) -> bool:
        stripped = number.strip()
        if not stripped.startswith(("+", "(")) and _NOT_A_PHONE.match(stripped):
            return True
        if _AMOUNT_BEFORE.search(text, max(0, start - 5), start) is not None:
            return True
        return _AMOUNT_AFTER.match(text, end, min(len(text), end + 12)) is not None
