"""Context phrases per language and entity type: words that, written shortly before a match,
make it more likely to be that kind of personal data (see `context.py` for the matching).

Phrases are matched whole-word and case-insensitively, so inflections are listed explicitly
("assuré", "assurée") and accents count ("né le" is not "ne le", a common French negation);
unaccented spellings people type are listed where they are unambiguous ("securite sociale").
A language without its own table uses the English one.
"""

from __future__ import annotations


def _phrases(text: str) -> list[str]:
    return [phrase.strip() for phrase in text.split(",")]


CONTEXT: dict[str, dict[str, list[str]]] = {
    "en": {
        "PHONE_NUMBER": _phrases(
            "phone, phones, telephone, tel, cell, cellphone, mobile, call, number, fax, "
            "contact, reach"
        ),
        "EMAIL_ADDRESS": _phrases("email, e-mail, mail, address, contact"),
        "IBAN_CODE": _phrases("iban, bank, account, transfer, transaction, wire"),
        "CREDIT_CARD": _phrases(
            "credit, card, visa, mastercard, amex, discover, jcb, diners, maestro, cc, payment"
        ),
        "IP_ADDRESS": _phrases("ip, ipv4, ipv6, ip address, server, host"),
        "URL": _phrases("url, link, website, site, page"),
        "DATE_TIME": _phrases("date, born, birthday, date of birth, dob"),
        "FR_NIR": _phrases(
            "social security, social security number, ssn, nir, insee, carte vitale"
        ),
        "FR_SIREN": _phrases(
            "siren, rcs, company number, company registration, registration number, "
            "registered, business id"
        ),
        "FR_SIRET": _phrases("siret, establishment, company, business"),
    },
    "fr": {
        "PHONE_NUMBER": _phrases(
            "téléphone, telephone, tél, tel, portable, mobile, fixe, numéro, numero, n°, "
            "appeler, appelez, joindre, fax, standard"
        ),
        "EMAIL_ADDRESS": _phrases(
            "email, e-mail, mail, courriel, mél, adresse électronique, adresse mail"
        ),
        "IBAN_CODE": _phrases("iban, rib, compte, bancaire, virement, banque"),
        "CREDIT_CARD": _phrases(
            "carte, carte bancaire, cb, visa, mastercard, amex, crédit, paiement"
        ),
        "IP_ADDRESS": _phrases("ip, adresse ip, ipv4, ipv6, serveur, hôte"),
        "URL": _phrases("url, lien, site, adresse web, page"),
        "DATE_TIME": _phrases(
            "né le, née le, né(e) le, date de naissance, naissance, date, anniversaire"
        ),
        "FR_NIR": _phrases(
            "sécurité sociale, securite sociale, n° de sécurité sociale, sécu, secu, n° ss, "
            "numéro ss, nir, insee, carte vitale, assuré, assurée, assurance maladie, "
            "immatriculation"
        ),
        "FR_SIREN": _phrases(
            "siren, n° siren, rcs, registre du commerce, immatriculée, immatriculé, "
            "immatriculation, entreprise, société"
        ),
        "FR_SIRET": _phrases("siret, n° siret, établissement, etablissement, entreprise, société"),
    },
}
