"""Issue 9, item 1: a doctor's register number after its register's label is masked as
MEDICAL_LICENSE (UK GMC, German LANR, French RPPS and ADELI, Spanish colegiado, Italian
Ordine/Albo dei Medici); the same digits without the label, or the register named in prose
without a number, are not. Fictitious texts of our own; the whole detector, as the proxy
runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "number"),
    [
        ("en", "From: Dr Ruth Aldous (GMC 7130462)\nRe: your patient", "7130462"),
        ("en", "Consultant: Mr Ian Peel FRCS, GMC No. 6021837", "6021837"),
        ("de", "Ausstellender Arzt: Dr. Falk Urban, LANR 318204561, BSNR 021234500", "318204561"),
        ("fr", "Dr Inès Loubet - Pédiatre - N° RPPS : 10101763825", "10101763825"),
        ("fr", "Kinésithérapeute, ADELI 691234567, conventionné", "691234567"),
        ("es", "Fdo.: Dra. Nerea Olaso - nº de colegiado 282831907", "282831907"),
        ("es", "firmado por el Dr. Ruiz, Col. nº 461203", "461203"),
        ("it", "iscritta all'Ordine dei Medici di Bari al n. 12840", "12840"),
        ("it", "Iscr. Albo Medici Torino n. 20917 - P.IVA in fattura", "20917"),
    ],
)
def test_a_register_number_after_its_label_is_a_medical_licence(
    presidio: PresidioDetector, language: str, text: str, number: str
) -> None:
    assert number in masked(presidio, text, language, "MEDICAL_LICENSE")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The GMC published new guidance in 2024 after 1340562 responses."),
        ("it", "L'Ordine dei Medici ha pubblicato il bilancio 2024."),
        ("de", "Bestellnummer 318204561, Lieferung ab Montag."),
    ],
)
def test_no_label_no_medical_licence(presidio: PresidioDetector, language: str, text: str) -> None:
    assert masked(presidio, text, language, "MEDICAL_LICENSE") == []
