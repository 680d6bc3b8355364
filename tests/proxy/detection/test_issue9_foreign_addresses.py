"""Issue 9: addresses in the formats of countries the street patterns did not know, masked
as one ADDRESS each: Poland's "ul. … m. 7, 80-827 …", a Dutch house number with its floor
("221-3") before "1016 DV Amsterdam", Colombia's "Calle 72 # 10-34", Brazil's "Rua … 1508,
apto 72, …, São Paulo - SP, 01304-001", Portugal's "Rua …, 15, 2.º Dto., 4930-707 …", Welsh
and Irish streets whose type comes first ("Heol y …", "Sráid an …"), a town before its
postcode ("…, Rabat 10020", "…, Chennai 600090"), a residence or a hall before the street,
Spanish and Catalan floors ("pral. 2.ª", "int. izq.", "5è 1a"). Football scores, standards
and versions next to capitalised words stay as they are. Fictitious addresses of our own;
the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _addresses(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "ADDRESS")


@pytest.mark.parametrize(
    ("language", "text", "address"),
    [
        (
            "de",
            "Bitte an ul. Lipowa 9 m. 4, 31-512 Kraków schicken.",
            "ul. Lipowa 9 m. 4, 31-512 Kraków",
        ),
        (
            "en",
            "Invoice to:\nHerengracht 340-2\n1016 CG Amsterdam\nNetherlands",
            "Herengracht 340-2\n1016 CG Amsterdam\nNetherlands",
        ),
        (
            "es",
            "Entrega en Calle 85 # 11-53, Apto 302, Medellín, Colombia mañana.",
            "Calle 85 # 11-53, Apto 302, Medellín, Colombia",
        ),
        (
            "es",
            "Dirección: Carrera 15 No. 93-07, apto 801, Bogotá D.C.",
            "Carrera 15 No. 93-07, apto 801, Bogotá D.C.",
        ),
        (
            "en",
            "Ship it to Rua das Flores 212, apto 31, Pinheiros, São Paulo \u2013 SP, 05415-000.",
            "Rua das Flores 212, apto 31, Pinheiros, São Paulo \u2013 SP, 05415-000",
        ),
        (
            "es",
            "Endereço: Rua Mouzinho da Silveira, 27, 3.º Esq., 4050-416 Porto",
            "Rua Mouzinho da Silveira, 27, 3.º Esq., 4050-416 Porto",
        ),
        (
            "en",
            "She lives at 9 Heol y Nant, Caerphilly CF83 1AB now.",
            "9 Heol y Nant, Caerphilly CF83 1AB",
        ),
        (
            "en",
            "Home: 3 Sráid na Trá, Tralee, Co. Kerry V92 X2P4",
            "3 Sráid na Trá, Tralee, Co. Kerry V92 X2P4",
        ),
        (
            "en",
            "Ship to 17 Palmerston Road\nSouthsea, Portsmouth\nPO5 3QQ",
            "17 Palmerston Road\nSouthsea, Portsmouth\nPO5 3QQ",
        ),
        (
            "en",
            "address: 33 Grainger Street, Newcastle upon Tyne, NE1 5JE",
            "33 Grainger Street, Newcastle upon Tyne, NE1 5JE",
        ),
        (
            "en",
            "Apt 4, 12 Rue Moulay Youssef, Casablanca 20250, Morocco",
            "Apt 4, 12 Rue Moulay Youssef, Casablanca 20250, Morocco",
        ),
        (
            "en",
            "Lives at 8, 2nd Main Road, Adyar, Chennai 600020",
            "8, 2nd Main Road, Adyar, Chennai 600020",
        ),
        (
            "en",
            "Str. Memorandumului 11, 400114 Cluj-Napoca, Romania",
            "Str. Memorandumului 11, 400114 Cluj-Napoca, Romania",
        ),
        (
            "fr",
            "Adresse : résidence Les Mimosas, 5 rue Victor Hugo, 69002 Lyon",
            "résidence Les Mimosas, 5 rue Victor Hugo, 69002 Lyon",
        ),
        (
            "de",
            "Sie wohnt in der Seniorenresidenz Am See, App. 12, Seeweg 4, 82319 Starnberg.",
            "Seniorenresidenz Am See, App. 12, Seeweg 4, 82319 Starnberg",
        ),
        (
            "es",
            "Domicilio: Carrer del Rec 12, 4t 2a, 08003 Barcelona",
            "Carrer del Rec 12, 4t 2a, 08003 Barcelona",
        ),
        (
            "es",
            "Dirección: C/ Fuencarral 88, pral. 1.ª, 28004 Madrid",
            "C/ Fuencarral 88, pral. 1.ª, 28004 Madrid",
        ),
        (
            "es",
            "Piso: C/ Atocha 12, 2.º int. izq., 28012 Madrid",
            "C/ Atocha 12, 2.º int. izq., 28012 Madrid",
        ),
        (
            "es",
            "Carrer de l'Hospital 56, 3r, 08001 Barcelona",
            "Carrer de l'Hospital 56, 3r, 08001 Barcelona",
        ),
        (
            "fr",
            "Adresse : Zone industrielle des Vignes, lot 12, 38200 Vienne",
            "Zone industrielle des Vignes, lot 12, 38200 Vienne",
        ),
        (
            "es",
            "Entrega: Av. Reforma 222, Int. 5\nCol. Juárez\n06600 Ciudad de México, CDMX",
            "Av. Reforma 222, Int. 5\nCol. Juárez\n06600 Ciudad de México, CDMX",
        ),
        (
            "es",
            "Av. Apoquindo 4500, depto. 1102, Las Condes, Santiago, Chile",
            "Av. Apoquindo 4500, depto. 1102, Las Condes, Santiago, Chile",
        ),
        ("it", "Via de' Bardi 14, 50125 Firenze", "Via de' Bardi 14, 50125 Firenze"),
        (
            "en",
            "His flat: 1402-1055 Homer St, Vancouver, BC V6B 1G3, Canada",
            "1402-1055 Homer St, Vancouver, BC V6B 1G3, Canada",
        ),
        (
            "en",
            "Send it to no. 21 Oak Grove, Didsbury, Manchester M20 6RT",
            "no. 21 Oak Grove, Didsbury, Manchester M20 6RT",
        ),
        (
            "es",
            "Calle Andorra 3, 1r, AD700 Escaldes-Engordany",
            "Calle Andorra 3, 1r, AD700 Escaldes-Engordany",
        ),
        (
            "es",
            "Residencia Universitaria Colegio Mayor Santa Teresa, hab. 12, C/ Serrano 8, "
            "28001 Madrid",
            "Residencia Universitaria Colegio Mayor Santa Teresa, hab. 12, C/ Serrano 8, "
            "28001 Madrid",
        ),
    ],
)
def test_a_foreign_address_is_one_address(
    presidio: PresidioDetector, language: str, text: str, address: str
) -> None:
    assert _addresses(presidio, text, language) == [address]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Bundesliga: Union Berlin \u2013 SC Freiburg 0:1, Hertha \u2013 FC Augsburg 3:1."),
        ("de", "Neu: ZUGFeRD 2.2 Profil EN 16931\n- Sicherheitsupdate OpenSSL 3.0.13"),
        ("en", "Release notes: Kafka 3, Postgres 16, Redis 7\nDeploy window: Friday"),
        ("en", "Zertifikate: ISO 9001, Qualitätsmanagement 27001 und Profil 20250"),
        ("es", "El pedido 85 # 11-53 llega el lunes con la factura."),
    ],
)
def test_scores_standards_and_versions_are_not_addresses(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _addresses(presidio, text, language) == []


@pytest.mark.parametrize(
    ("language", "text", "address"),
    [
        (
            "en",
            "laptop to: 3-8-21 Shimorenjaku Honcho, Mitaka-shi, Tokyo 181-0013, Japan",
            "3-8-21 Shimorenjaku Honcho, Mitaka-shi, Tokyo 181-0013, Japan",
        ),
        (
            "en",
            "She resides at Apartment 4, The Granary, Church Street, Stoneybatter, Dublin 7, "
            "D07 K2W8. The",
            "Apartment 4, The Granary, Church Street, Stoneybatter, Dublin 7, D07 K2W8",
        ),
        (
            "en",
            "Address:\n9 Royal York Crescent\nFlat 2 (top floor)\nClifton, Bristol\nBS8 4JX\nPhone",
            "9 Royal York Crescent\nFlat 2 (top floor)\nClifton, Bristol\nBS8 4JX",
        ),
        (
            "fr",
            "c/o Cabinet dentaire du Marché\n1er étage, porte 3\n4 rue du Marché\n67000 Strasbourg",
            "c/o Cabinet dentaire du Marché\n1er étage, porte 3\n4 rue du Marché\n67000 Strasbourg",
        ),
        (
            "es",
            "Residencia Universitaria Colegio Mayor Nuestra Señora de Guadalupe, hab. 31, "
            "C/ Prado 5, 28014 Madrid",
            "Residencia Universitaria Colegio Mayor Nuestra Señora de Guadalupe, hab. 31, "
            "C/ Prado 5, 28014 Madrid",
        ),
    ],
)
def test_districts_notes_and_door_numbers_belong_to_the_address(
    presidio: PresidioDetector, language: str, text: str, address: str
) -> None:
    assert _addresses(presidio, text, language) == [address]
