"""National identifiers of the countries a European company deals with beyond the EU: Presidio's
own recognizers (US, UK, Canada, Australia, India, Singapore, Nordic and other countries),
each given context phrases in every policy language and one scoring rule.

Presidio's predefined country recognizers are good at shapes and check digits but were
written for English text and for being switched on one deployment at a time: their context
words are English, and their scores assume a reviewer downstream (a 9-digit number with a
weak checksum scores 1.0; a passport number 0.05 even right after "passport no."). Here every
one of them is built per language with the phrases below (all languages at once: a French
e-mail speaks of a "numéro de sécurité sociale américain", a German one of a "SSN"), and
scored by one rule, so that a policy's threshold means the same for all (`calibrated`):

- a shape distinctive on its own (`DISTINCTIVE`: US SSN and ITIN written in three groups, UK
  National Insurance number) keeps Presidio's score (0.5): acted on by the default policy;
- every other pattern scores at most `UNLABELLED_MAX` (0.4) without context, checksum or not
  (a mod-10 or mod-11 check passes one number in ten or eleven: evidence, not proof; a
  9-digit number with a valid Australian TFN check is, nine times out of ten, something
  else);
- a "weak" pattern (under `WEAK`: a bare run of 8 to 17 digits for a US bank account) is
  not reported at all without a context phrase;
- with a context phrase before it (in the 64 characters before, or, for identifiers with no
  check digits at all, ending at most `NEAR_CONTEXT_GAP` characters before: "passport no.
  ") a value scores at least `WITH_CONTEXT_MIN` (0.6), so a labelled value is always acted on.

Two costs of Presidio's patterns are avoided, with the same matches (issue 13): India's
"PAN (Low)" regex starts with `(?=.*?[a-zA-Z])(?=.*?[0-9]{4})`, two lookaheads that scan to
the end of the text from every word boundary (quadratic; ~30% of this module's time on
2,000-character pieces); `FastPanLow` finds the same matches in linear time, and a start-up
self-check (`check_fast_patterns`) compares both on a sample. Each recognizer's context
phrases are compiled once, not per call. A pattern that needs a run of digits is not run on
a text that has no run that long (`digit_gate.py`: most texts have no 9-digit number).

The entity types are Presidio's own names (US_SSN, UK_NHS, …) so that policies written for
Presidio read the same here. `NATIONAL` is the one table: what runs, and what policies may
name (`ENTITIES`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import regex as re
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer import predefined_recognizers as presidio
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection.context import WINDOW_CHARS, phrase_pattern
from proxy.detection.context_words import _phrases
from proxy.detection.digit_gate import DigitGated, longest_digit_run, min_digit_run

UNLABELLED_MAX = 0.4
WEAK = 0.3  # Presidio's "weak"/"very weak" patterns: reported only with context
WITH_CONTEXT_MIN = 0.6
NEAR_CONTEXT_GAP = 12


@dataclass(frozen=True, slots=True)
class National:
    """One Presidio recognizer class, and how it is used here."""

    recognizer: Callable[..., PatternRecognizer]
    context: tuple[str, ...]
    near: bool = False  # no check digits: the label must be right before the value
    distinctive: frozenset[str] = frozenset()  # pattern names that keep Presidio's score
    extra: tuple[Pattern, ...] = ()  # shapes Presidio's recognizer lacks (under `WEAK`)
    # A check of the values only `extra` matches (their length): False drops one.
    extra_check: Callable[[str], bool | None] | None = None


def _document_number_with_check_digit(value: str) -> bool | None:
    """A German identity card's number as printed with its check digit after it (ten
    characters, "T22000129" then "3"): ICAO 9303's 7-3-1 check over the first nine. None for
    other lengths (Presidio's own nine-character check applies)."""
    value = value.upper()
    if len(value) != 10 or not value[-1].isdigit():
        return None
    weights = (7, 3, 1)
    total = sum(int(char, 36) * weights[index % 3] for index, char in enumerate(value[:-1]))
    return total % 10 == int(value[-1])


def _c(text: str) -> tuple[str, ...]:
    return tuple(_phrases(text))


NATIONAL: dict[str, National] = {
    # United States
    "US_SSN": National(
        presidio.UsSsnRecognizer,
        _c(
            "ssn, ssns, social security, social security number, social security no, "
            "social security #, soc sec, numéro de sécurité sociale américain, "
            "sécurité sociale américaine, us social security, sozialversicherungsnummer, "
            "us-sozialversicherungsnummer, número de seguro social, seguro social, "
            "numero di previdenza sociale, previdenza sociale"
        ),
        distinctive=frozenset({"SSN5 (medium)"}),
    ),
    "US_ITIN": National(
        presidio.UsItinRecognizer,
        _c(
            "itin, individual taxpayer identification number, taxpayer id, tax id, "
            "taxpayer identification, numéro fiscal, steuernummer, número de identificación "
            "fiscal, codice fiscale americano"
        ),
        distinctive=frozenset({"Itin (medium)"}),
    ),
    "US_PASSPORT": National(
        presidio.UsPassportRecognizer,
        _c(
            "passport, passport no, passport number, passport #, passport#, us passport, "
            "passeport, n° de passeport, numéro de passeport, reisepass, pass-nr, "
            "passnummer, reisepassnummer, pasaporte, número de pasaporte, passaporto, "
            "numero di passaporto"
        ),
        near=True,
    ),
    "US_DRIVER_LICENSE": National(
        presidio.UsLicenseRecognizer,
        _c(
            "driver's license, drivers license, driver license, driver's licence, "
            "drivers licence, driver licence, "
            "driving license, driving licence, license no, license number, licence number, "
            "dl, dl#, dl no, dl_number, dl_no, lic, lic#, permis de conduire, n° de permis, "
            "führerschein, "
            "führerscheinnummer, licencia de conducir, carné de conducir, permiso de conducir, "
            "patente, patente di guida"
        ),
        near=True,
        # States print their numbers in groups (Florida "F255-921-50-094-0", Illinois
        # "D610-4070-6609", Maryland "W-362-184-902-177", Kentucky "L 240 782 931 439",
        # Hawaii "85 751 655") and Washington's old ones start "WDL"; Presidio's patterns
        # want them unbroken. Like its digit-only pattern, they count only after a label.
        extra=(
            Pattern(
                "Driver License - Grouped (label)",
                r"(?<![\w\-])[A-Z]{1,3}[ \-]?\d{1,4}(?:[ \-]\d{1,4}){2,4}(?![\w\-])",
                0.25,
            ),
            Pattern(
                "Driver License - Digit groups (label)",
                r"(?<![\w\-])\d{2,3}(?:[ \-]\d{3}){2,3}(?![\w\-])",
                0.25,
            ),
            Pattern("Driver License - WDL (label)", r"(?<![\w])WDL[A-Z0-9]{9}(?![\w])", 0.25),
        ),
    ),
    "US_BANK_NUMBER": National(
        presidio.UsBankRecognizer,
        _c(
            "account number, account no, account #, acct, acct no, acct #, checking account, "
            "savings account, bank account, n° de compte, numéro de compte, kontonummer, "
            "número de cuenta, numero di conto"
        ),
        near=True,
    ),
    "ABA_ROUTING_NUMBER": National(
        presidio.AbaRoutingRecognizer,
        _c(
            "aba, routing, routing number, routing no, routing #, aba number, "
            "aba routing number, bank routing, code de routage, bankleitzahl, "
            "número de ruta, numero di instradamento"
        ),
    ),
    "US_MBI": National(
        presidio.UsMbiRecognizer,
        _c("medicare, mbi, medicare beneficiary identifier, medicare number, medicaid"),
        near=True,
    ),
    "US_NPI": National(
        presidio.UsNpiRecognizer,
        _c("npi, national provider identifier, npi number, provider id"),
    ),
    # United Kingdom
    "UK_NHS": National(
        presidio.NhsRecognizer,
        _c(
            "nhs, nhs number, nhs no, national health service, numéro nhs, nhs-nummer, "
            "número nhs, numero nhs"
        ),
    ),
    "UK_NINO": National(
        presidio.UkNinoRecognizer,
        _c(
            "national insurance, national insurance number, ni number, ni no, nino, "
            "numéro d'assurance nationale, sozialversicherungsnummer, número de seguro "
            "nacional"
        ),
        distinctive=frozenset({"NINO (medium)"}),
    ),
    "UK_PASSPORT": National(
        presidio.UkPassportRecognizer,
        _c(
            "passport, passport no, passport number, uk passport, british passport, "
            "passeport, reisepass, pasaporte, passaporto"
        ),
        near=True,
    ),
    "UK_DRIVING_LICENCE": National(
        presidio.UkDrivingLicenceRecognizer,
        _c(
            "driving licence, driving license, driver's licence, dvla, licence number, "
            "permis de conduire, führerschein, permiso de conducir, patente"
        ),
    ),
    # Canada, Australia, India, Singapore
    "CA_SIN": National(
        presidio.CaSinRecognizer,
        _c("sin, social insurance number, social insurance, numéro d'assurance sociale, nas"),
    ),
    "AU_TFN": National(presidio.AuTfnRecognizer, _c("tfn, tax file number")),
    "AU_ABN": National(presidio.AuAbnRecognizer, _c("abn, australian business number")),
    "AU_ACN": National(presidio.AuAcnRecognizer, _c("acn, australian company number")),
    "AU_MEDICARE": National(presidio.AuMedicareRecognizer, _c("medicare, medicare number")),
    "IN_PAN": National(presidio.InPanRecognizer, _c("pan, permanent account number, pan card")),
    "IN_AADHAAR": National(presidio.InAadhaarRecognizer, _c("aadhaar, aadhar, uidai")),
    "IN_PASSPORT": National(
        presidio.InPassportRecognizer, _c("passport, indian passport, passeport"), near=True
    ),
    "IN_VOTER": National(presidio.InVoterRecognizer, _c("voter id, epic, voter"), near=True),
    "SG_NRIC_FIN": National(presidio.SgFinRecognizer, _c("nric, fin, nric no, fin no")),
    "SG_UEN": National(presidio.SgUenRecognizer, _c("uen, unique entity number")),
    # Other countries people write to European companies from
    "PL_PESEL": National(presidio.PlPeselRecognizer, _c("pesel, numer pesel")),
    "SE_PERSONNUMMER": National(
        presidio.SePersonnummerRecognizer,
        _c("personnummer, personal identity number, samordningsnummer"),
    ),
    "FI_PERSONAL_IDENTITY_CODE": National(
        presidio.FiPersonalIdentityCodeRecognizer,
        _c("hetu, henkilötunnus, personal identity code, personbeteckning"),
    ),
    "TR_NATIONAL_ID": National(
        presidio.TrNationalIdRecognizer, _c("tc kimlik, kimlik no, tckn, turkish id")
    ),
    "KR_RRN": National(presidio.KrRrnRecognizer, _c("rrn, resident registration number")),
    "ZA_ID_NUMBER": National(
        presidio.ZaIdNumberRecognizer, _c("south african id, rsa id, id number, identity number")
    ),
    # Germany, Spain, Italy: what our own identifiers module does not cover
    "DE_ID_CARD": National(
        presidio.DeIdCardRecognizer,
        _c(
            "personalausweis, personalausweisnummer, ausweis, ausweisnummer, id card, "
            "carte d'identité allemande"
        ),
        # The number copied with its check digit ("Ausweis-Nr.: T22000129 3" written as
        # one word): after its label only, and the check digit must agree.
        extra=(
            Pattern(
                "Personalausweisnummer with check digit (label)",
                r"(?<![\w])[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}[0-9](?![\w])",
                0.25,
            ),
        ),
        extra_check=_document_number_with_check_digit,
    ),
    "DE_PASSPORT": National(
        presidio.DePassportRecognizer, _c("reisepass, reisepassnummer, passnummer, passport")
    ),
    "DE_SOCIAL_SECURITY": National(
        presidio.DeSocialSecurityRecognizer,
        _c(
            "rentenversicherungsnummer, sozialversicherungsnummer, versicherungsnummer, "
            "rvnr, svnr, sv-nummer, social security number"
        ),
    ),
    "DE_HEALTH_INSURANCE": National(
        presidio.DeHealthInsuranceRecognizer,
        _c(
            "krankenversicherungsnummer, krankenversichertennummer, versichertennummer, "
            "kvnr, krankenkasse, health insurance number"
        ),
    ),
    "DE_TAX_NUMBER": National(
        presidio.DeTaxNumberRecognizer,
        _c("steuernummer, steuer-nr, steuer nr, st.-nr, st-nr, finanzamt, tax number"),
        # The Länder's own notations Presidio's patterns lack (the BZSt's table of formats):
        # Baden-Württemberg's "FFBBB/UUUUP" ("93815/08152"), and Bremen's, Hessen's and
        # Schleswig-Holstein's with spaces ("21 815 08150", "013 815 08153"), right after
        # the number's own label.
        extra=(
            Pattern(
                "Steuernummer Baden-Württemberg 5/5 (label)",
                r"(?<![\w/])\d{5}/\d{5}(?![\w/])",
                0.01,
            ),
            Pattern(  # a phone's shape too ("Finanzamt, Tel. 030 901 54321"): label first
                "Steuernummer with spaces 2-3-5 or 3-3-5 (label)",
                r"(?=\d)(?<=(?i:steuernummer|steuer-?nr\.?|st\.?-?nr\.?)"
                r"(?:[ \t]*:|[ \t]+(?i:ist|lautet))?[ \t]*)"
                r"(?<![\w])\d{2,3}[ ]\d{3}[ ]\d{5}(?![\w])",
                0.01,
            ),
        ),
    ),
    "ES_PASSPORT": National(
        presidio.EsPassportRecognizer,
        _c("pasaporte, número de pasaporte, passport, passeport"),
        near=True,
    ),
    "IT_DRIVER_LICENSE": National(
        presidio.ItDriverLicenseRecognizer,
        _c("patente, patente di guida, numero patente, driving licence"),
        near=True,
    ),
    "IT_IDENTITY_CARD": National(
        presidio.ItIdentityCardRecognizer,
        _c(
            "carta d'identità, carta di identità, cie, documento d'identità, identity card, "
            "c.i., c.i"
        ),
        near=True,
        # The electronic card's number written in its three groups ("CA 12345 AB").
        extra=(
            Pattern(
                "Electronic Identity Card (CIE) 3.0, grouped (label)",
                r"(?<![\w])[A-Z]{2}[ ]\d{5}[ ][A-Z]{2}(?![\w])",
                0.01,
            ),
        ),
    ),
    "IT_PASSPORT": National(
        presidio.ItPassportRecognizer, _c("passaporto, numero di passaporto, passport"), near=True
    ),
}

ENTITIES: frozenset[str] = frozenset(NATIONAL)


PAN_LOW_REGEX = r"\b((?=.*?[a-zA-Z])(?=.*?[0-9]{4})[\w@#$%^?~-]{10})\b"
# Texts on which `FastPanLow` must match exactly what Presidio's regex matches: values with
# and without a letter or four digits after them, at the start, middle and end of a text.
_PAN_SAMPLES = (
    "PAN ABCDE1234F and AAAPL1234C, ref 1234abcdef, x-12345678y9 then only words here",
    "abcdefghij 12345678 klmnopqrst 1a2b3c4d5e ABCDEFGHIJ",
    "ABCDE1234F",
    "1234567890 abcdefghi1",
    "zz ab12cd34ef 123",
    "ABCDE\n1234F a1234bcdef9 \u017fabc1234xyz 9876ab@#$%",
    "no digits at all in this one, none whatsoever",
    "",
)


class FastPanLow:
    """Presidio's India "PAN (Low)" regex (`PAN_LOW_REGEX`), matched in linear time.

    At a position p its two lookaheads `(?=.*?[a-zA-Z])` and `(?=.*?[0-9]{4})` (DOTALL:
    `.` is any character) hold exactly when a letter and a run of four digits start at or
    after p, i.e. when p is at most the start of the last letter and of the last four-digit
    run (found by one reverse search each). Where they hold, the regex is its body; past the
    first position where they fail they fail everywhere. So its matches are the body's
    matches that start at or before that limit, in the same order. Same flags as Presidio's.
    """

    def __init__(self, flags: int) -> None:
        self._body = re.compile(r"\b([\w@#$%^?~-]{10})\b", flags)
        self._last_letter = re.compile(r"(?r)[a-zA-Z]", flags)
        self._last_digits = re.compile(r"(?r)[0-9]{4}", flags)

    def finditer(self, text: str, timeout: float | None = None) -> Iterator[Any]:
        """The matches of `PAN_LOW_REGEX` in `text` (the `regex` module's signature)."""
        letter = self._last_letter.search(text, timeout=timeout)
        digits = self._last_digits.search(text, timeout=timeout)
        if letter is None or digits is None:
            return
        limit = min(letter.start(), digits.start())
        for match in self._body.finditer(text, timeout=timeout):
            if match.start() > limit:
                return
            yield match


@cache
def check_fast_patterns(flags: int) -> None:
    """Start-up self-check: `FastPanLow` matches what Presidio's regex matches (spans) on
    `_PAN_SAMPLES`; a worker whose patterns disagree must not start."""
    original = re.compile(PAN_LOW_REGEX, flags)
    fast = FastPanLow(flags)
    for sample in _PAN_SAMPLES:
        if [m.span() for m in fast.finditer(sample)] != [
            m.span() for m in original.finditer(sample)
        ]:
            raise RuntimeError("FastPanLow disagrees with Presidio's PAN (Low) regex")


def _speed_up(recognizer: PatternRecognizer) -> None:
    """Give Presidio's known slow patterns their linear equivalent, and every pattern that
    needs a run of digits its digit gate (module docstring)."""
    flags = recognizer.global_regex_flags
    if flags is None:
        return
    runs = []
    for pattern in _patterns_of(recognizer):
        compiled: Any = None
        if pattern.regex == PAN_LOW_REGEX:
            check_fast_patterns(flags)
            compiled = FastPanLow(flags)
        needs = min_digit_run(pattern.regex)
        runs.append(needs)
        if needs > 0:
            compiled = DigitGated(compiled or re.compile(pattern.regex, flags), needs)
        if compiled is not None:
            # Presidio matches with `compiled_regex` while the flags are those it was
            # compiled with (and recompiles the original regex otherwise). Both attributes
            # are declared `None` upstream.
            setattr(pattern, "compiled_regex", compiled)  # noqa: B010
            setattr(pattern, "compiled_with_flags", flags)  # noqa: B010
    if isinstance(recognizer, _Calibrated):
        recognizer.digits_needed = min(runs, default=0)


# Presidio's patterns end at a word boundary, and a dash is one: "F255" of a licence written
# "F255-921-50-094-0", "011-15-5212" of the phone "011-15-5212-6839". A piece of a longer
# dash-joined code is not an identifier of its own.
_GLUED_AFTER = re.compile(r"-[A-Za-z0-9]")
_GLUED_BEFORE = re.compile(r"[A-Za-z0-9]-$")


class _Calibrated(PatternRecognizer):
    """Marker base for the scoring rule of the module docstring (read by `context.py`)."""

    min_score_with_context = WITH_CONTEXT_MIN
    # The shortest digit run any of its patterns needs (`_speed_up`): on a text without one,
    # every pattern's gate says "no match", so Presidio's loop over them is not even entered
    # (its per-pattern bookkeeping cost more than the gates; ~38 recognizers per text).
    digits_needed = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phrases = phrase_pattern(self.context)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's matches; those under `WEAK` (a bare run of digits) only after one of the
        context phrases, so that every 8-digit number is not reported as a bank account."""
        if regex_flags is None and longest_digit_run(text) < self.digits_needed:
            return []  # the patterns' flags are those of their gates: none can match
        results: list[RecognizerResult] = [
            result
            for result in super().analyze(text, entities, nlp_artifacts, regex_flags)
            if not _GLUED_AFTER.match(text, result.end)
            and not _GLUED_BEFORE.search(text, max(0, result.start - 2), result.start)
        ]
        weak = [r for r in results if r.score < WEAK]
        if not weak:
            return results
        phrases = self.phrases
        gap = getattr(self, "context_gap", None)
        kept = [r for r in results if r.score >= WEAK]
        for result in weak:
            window = text[max(0, result.start - WINDOW_CHARS) : result.start]
            if any(
                gap is None or len(window) - found.end() <= gap
                for found in phrases.finditer(window)
            ):
                kept.append(result)
        return kept

    # The check of the values only the spec's `extra` patterns match, if any.
    extra_check: Callable[[str], bool | None] | None = None

    def validate_result(self, pattern_text: str) -> bool | None:
        """Check digits that disagree drop the value; agreeing ones are not proof (module
        docstring): the pattern's score stands."""
        verdict = None if self.extra_check is None else self.extra_check(pattern_text)
        if verdict is None:
            verdict = super().validate_result(pattern_text)
        return False if verdict is False else None


def _patterns_of(recognizer: PatternRecognizer) -> list[Pattern]:
    patterns: list[Pattern] = getattr(recognizer, "patterns")  # noqa: B009 - untyped upstream
    return patterns


def calibrated(entity: str, language: str) -> EntityRecognizer:
    """Presidio's recognizer for `entity`, for `language`, scored by the module's rule."""
    spec = NATIONAL[entity]
    base: PatternRecognizer = spec.recognizer()
    patterns = [
        Pattern(
            pattern.name,
            pattern.regex,
            pattern.score
            if pattern.name in spec.distinctive
            else min(pattern.score, UNLABELLED_MAX),
        )
        for pattern in _patterns_of(base)
    ] + list(spec.extra)
    recognizer_class = type(f"Calibrated{type(base).__name__}", (_Calibrated, type(base)), {})
    recognizer: PatternRecognizer = recognizer_class(
        patterns=patterns,
        context=list(spec.context),
        supported_language=language,
        supported_entity=entity,
    )
    if spec.near:
        recognizer.context_gap = NEAR_CONTEXT_GAP  # type: ignore[attr-defined]
    if spec.extra_check is not None:
        recognizer.extra_check = spec.extra_check  # type: ignore[attr-defined]
    _speed_up(recognizer)
    return recognizer


def national_recognizers(
    language: str, entities: Sequence[str] | None = None
) -> list[EntityRecognizer]:
    """Every national recognizer of `NATIONAL` (or those of `entities`) for `language`."""
    return [calibrated(entity, language) for entity in (entities or sorted(NATIONAL))]
