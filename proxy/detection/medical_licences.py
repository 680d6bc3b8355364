"""A doctor's registration number after the label of its register: "GMC 7048215" (UK
General Medical Council), "LANR 221276060" (German lifelong doctor number), "RPPS :
10982004722" and "ADELI 751234567" (French registers), "nº de colegiado 282845671" (Spanish
medical colleges), "iscritta all'Ordine dei Medici di Napoli al n. 31847" (Italian registers).

The number names one doctor in a public register: a referral letter or a sick note pasted
into an assistant identifies its doctor by it as surely as by the name beside it. None of
these numbers is distinctive on its own (a 7-, 9- or 11-digit run, or an Italian register's
four or five digits), so only the register's label right before it makes it one: the label
and at most a few words ("n.", "number", "al n.", the register's town) stand between. The
type is Presidio's name for a medical licence, so a policy written for Presidio reads the
same here.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection import regex_limits

ENTITY = "MEDICAL_LICENSE"
SCORE = 0.85

# "No.", "n°", "nº", "n.", "Nr.", "núm.", "number", "numero", "#", with or without a colon.
_NUMBER_WORD = r"(?:n[º°o]\.?|n\.|nr\.?|núm\.?|num\.?|number|numéro|numero|número|no\.?|#)"
_GAP = rf"[ \t]*(?:\(?[ \t]*{_NUMBER_WORD}[ \t]*\)?)?[ \t]*:?[ \t]*"
# What the value may be: its digits, written with spaces in a few registers ("10 98 200 472 2").
_REGISTERS = re.compile(
    r"(?i:"
    # UK: the General Medical Council's reference number, 7 digits
    rf"(?:\bGMC|general medical council)(?:[ \t]+(?:reg(?:istration)?\.?|ref(?:erence)?\.?))?"
    rf"{_GAP}(?P<gmc>\d{{7}})"
    # Germany: the lifelong doctor number, 9 digits
    rf"|(?:\bLANR|lebenslange[nr]?[ \t]+arztnummer|arztnummer){_GAP}(?P<lanr>\d{{9}})"
    # France: RPPS (11 digits) and ADELI (9 digits)
    rf"|\bRPPS{_GAP}(?P<rpps>\d(?:[ ]?\d){{10}})"
    rf"|\bADELI{_GAP}(?P<adeli>\d(?:[ ]?\d){{8}})"
    # Spain: the medical college's member number ("nº de colegiado", "Col. nº", "nº col.")
    rf"|(?:{_NUMBER_WORD}[ \t]*(?:de[ \t]+)?colegiad[oa]|colegiad[oa][ \t]*{_NUMBER_WORD}?"
    rf"|\bcol\.[ \t]*{_NUMBER_WORD}|{_NUMBER_WORD}[ \t]*col\.)[ \t]*:?[ \t]*"
    r"(?P<colegiado>\d(?:[ ./]?\d){3,8})"
    # Italy: the register of the provincial Order ("iscritto all'Ordine dei Medici di
    # Padova n. 7742", "Iscr. Albo Medici Roma n. 58210")
    r"|(?:ordine[ \t]+dei[ \t]+medici|albo(?:[ \t]+dei)?[ \t]+medici)[^\n\d]{0,60}?"
    r"(?:\bal[ \t]+)?(?:n\.|n[º°]|num\.|numero)[ \t]*(?P<albo>\d{3,6})"
    r")(?!\d)"
)
_GROUPS = ("gmc", "lanr", "rpps", "adeli", "colegiado", "albo")
# Every register's label holds one of these: where none is, the pattern is not run.
_ANY_LABEL = re.compile(
    r"(?i:gmc|general medical|lanr|arztnummer|rpps|adeli|colegiad|col\.|medici)"
)


class MedicalLicenceRecognizer(EntityRecognizer):
    """MEDICAL_LICENSE: a doctor's number after its register's label (module docstring),
    score `SCORE`."""

    def __init__(self, language: str) -> None:
        super().__init__(
            supported_entities=[ENTITY],
            name="MedicalLicenceRecognizer",
            supported_language=language,
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Each labelled register number."""
        if _ANY_LABEL.search(text) is None:
            return []
        results = []
        for match in _REGISTERS.finditer(text, timeout=regex_limits.seconds()):
            group = next(name for name in _GROUPS if match.group(name) is not None)
            results.append(RecognizerResult(ENTITY, match.start(group), match.end(group), SCORE))
        return results
