"""Issue 9: a religion (GDPR art. 9) and a nationality said of a person without the usual
label or phrase — a religion after "is", with "practising", or as a clause of a care note;
a labelled value followed by a dash and a remark, or after another field on the same line;
the label's word without a colon after a name; German citizenship adjectives in every
ending; a passport's country; the first of two citizenships. The same words about schools,
universities, markets, or a list of faiths pass. Fictitious sentences of our own."""

from __future__ import annotations

import pytest

from proxy.detection.nationality import NationalityRecognizer


def _found(text: str) -> list[str]:
    return sorted(text[r.start : r.end] for r in NationalityRecognizer("en").analyze(text, []))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call her after six. He's Buddhist and would like a quiet room.", ["Buddhist"]),
        ("My neighbour is a practising Catholic, so Sunday is out.", ["Catholic"]),
        ("Patient is Jehovah's Witness; no transfusion.", ["Jehovah's Witness"]),
        ("Sie ist praktizierende Muslimin und fastet im März.", ["Muslimin"]),
        ("Bett 2: Frau K., 80 J. Jüdisch, bittet um koscheres Essen.", ["Jüdisch"]),
        ("Ingreso tarde. Evangélica practicante; quiere ver al pastor.", ["Evangélica"]),
        ("Repas adapté. Hindoue, végétarienne stricte.", ["Hindoue"]),
        ("Paziente di religione ortodossa, chiede il sacerdote.", ["ortodossa"]),
        ("Konfession: griechisch-orthodox \u2013 bitte Priester rufen", ["griechisch-orthodox"]),
        ("Avisen al párroco, es muy creyente y católica.", ["católica"]),
        ("Der Kunde ist nach eigenen Angaben evangelisch und spendet.", ["evangelisch"]),
        ("Sie berichtet, dass sie Jüdin ist und angefeindet wird.", ["Jüdin"]),
        ("Bed 6: Mrs Alma Rossi, 81, Anglican, asks for the vicar.", ["Anglican"]),
        ("Remarks were made about him being Sikh and about his turban.", ["Sikh"]),
        ("Ha subito battute sul fatto che è musulmano sunnita.", ["musulmano sunnita"]),
        ("Quejas sobre su religión (adventista) en el turno de noche.", ["adventista"]),
    ],
)
def test_a_religion_said_of_a_person(text: str, expected: list[str]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Geb.: 03.02.1961    Staatsangehörigkeit: kroatisch\nTel.: privat", ["kroatisch"]),
        ("Name | Staatsangehörigkeit: litauisch | Zimmer 4", ["litauisch"]),
        ("Nationalité : malienne \u2013 titre de séjour à renouveler", ["malienne"]),
        ("Madre: Rosa Paredes, nacionalidad peruana\nDomicilio: C/ Real 3", ["peruana"]),
        ("Nata a Tirana, cittadinanza albanese\nPatente: B", ["albanese"]),
        ("Antragstellerin: Mai Tran, vietnamesische Staatsangehörige", ["vietnamesische"]),
        ("Er besitzt die kroatische und die österreichische Staatsbürgerschaft.",
         ["kroatische", "österreichische"]),
        ("(geb. 02.03.1980, bosnisch) Zimmer 5", ["bosnisch"]),
        ("Referral for K. Byrne (b. 12.01.1975), Irish patient in Leeds.", ["Irish"]),
        ("Visa check: passport seen (Ghanaian), valid to 2029.", ["Ghanaian"]),
        ("Tiene el pasaporte venezolano y espera el NIE.", ["venezolano"]),
        ("Family move: her wife is Portuguese and they relocate in May.", ["Portuguese"]),
        ("Il est parti au Québec : sa femme, Québécoise, y travaille.", ["Québécoise"]),
        ("Lo vi hablando con el rumano ese del bar.", ["rumano"]),
        ("Patient : M. Radu Pop, d'origine algérienne, vit seul.", ["algérienne"]),
        ("Denunciante: Chukwuma Eze, de origen nigeriano", ["nigeriano"]),
        ("She is a nurse of Ghanaian descent, born in Leeds.", ["Ghanaian"]),
        ("Elle dit qu'elle est protestante et burundaise.", ["burundaise", "protestante"]),
    ],
)  # fmt: skip
def test_a_nationality_without_the_usual_phrase(text: str, expected: list[str]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The Catholic University of Leuven opens a new campus.",
        "Muslim, Christian and Jewish leaders met in Vienna.",
        "The Muslim world accounts for a quarter of the market.",
        "It is Catholic in style. This is Protestant work ethic.",
        "Il veut obtenir la nationalité française l'an prochain.",
        "The market is German, and the product is Italian.",
        "C'est catholique comme tradition. Das ist evangelisch geprägt.",
        "La cittadinanza italiana si ottiene dopo dieci anni.",
        "Swiss passport holders need no visa for the trip.",
        "This is the Catholic church. He is the Catholic priest of the parish.",
        "Origine des produits : France. The wine is of Italian origin.",
    ],
)
def test_faiths_and_countries_of_things_pass(text: str) -> None:
    assert _found(text) == []
