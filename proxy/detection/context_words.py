"""Context phrases per language and entity type: words that, written shortly before a match,
make it more likely to be that kind of personal data (see `context.py` for the matching).

Phrases are matched whole-word and case-insensitively, so inflections are listed explicitly
("assuré", "assurée") and accents count ("né le" is not "ne le", a common French negation);
unaccented spellings people type are listed where they are unambiguous ("securite sociale").
A language without its own table uses the English one. Every table has every key of the
English table (`test_context` checks it), so a recognizer never runs without context.
"""

from __future__ import annotations


def _phrases(text: str) -> list[str]:
    return [phrase.strip() for phrase in text.split(",") if phrase.strip()]


CONTEXT: dict[str, dict[str, list[str]]] = {
    "en": {
        "PHONE_NUMBER": _phrases(
            "phone, phones, telephone, tel, cell, cellphone, mobile, call, number, fax, "
            "contact, reach, landline, whatsapp"
        ),
        "EMAIL_ADDRESS": _phrases("email, e-mail, mail, address, contact"),
        "IBAN_CODE": _phrases("iban, bank, account, transfer, transaction, wire"),
        "BIC_CODE": _phrases("bic, swift, swift code, bic code, bank identifier"),
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
        "EU_VAT": _phrases("vat, vat number, vat id, tax id, tva, ust-idnr, iva"),
        "FR_PASSPORT": _phrases("passport, passport number, passport no"),
        "FR_ID_CARD": _phrases(
            "id card, identity card, national id, carte d'identité, cni, id number"
        ),
        "LICENSE_PLATE": _phrases(
            "plate, licence plate, license plate, registration, vehicle, car, number plate, "
            "reg, vehicle reg, car reg, registration number, reg no, van, motorbike, parking, "
            "parking space, car park"
        ),
        "DE_TAX_ID": _phrases("tax id, steuer-id, tax identification number, idnr, tin"),
        "ES_NIF": _phrases("dni, nif, id, identity, national id, document"),
        "ES_NIE": _phrases("nie, foreigner, residence, id"),
        "IT_FISCAL_CODE": _phrases("codice fiscale, fiscal code, tax code, cf"),
        "BE_NATIONAL_NUMBER": _phrases(
            "national number, national register, rijksregisternummer, insz, nn"
        ),
        "CH_AHV": _phrases("ahv, avs, social security, ssn, avs number, ahv number"),
    },
    "fr": {
        "PHONE_NUMBER": _phrases(
            "téléphone, telephone, tél, tel, portable, mobile, fixe, numéro, numero, n°, "
            "appeler, appelez, joindre, fax, standard, joignable, ligne directe"
        ),
        "EMAIL_ADDRESS": _phrases(
            "email, e-mail, mail, courriel, mél, adresse électronique, adresse mail"
        ),
        "IBAN_CODE": _phrases("iban, rib, compte, bancaire, virement, banque, prélèvement"),
        "BIC_CODE": _phrases("bic, swift, code bic, code swift"),
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
            "immatriculation, n° d'assuré"
        ),
        "FR_SIREN": _phrases(
            "siren, n° siren, rcs, registre du commerce, immatriculée, immatriculé, "
            "immatriculation, entreprise, société"
        ),
        "FR_SIRET": _phrases("siret, n° siret, établissement, etablissement, entreprise, société"),
        "EU_VAT": _phrases(
            "tva, tva intracommunautaire, n° tva, numéro de tva, tva intra, vat, identifiant tva"
        ),
        "FR_PASSPORT": _phrases("passeport, n° de passeport, numéro de passeport, passport"),
        "FR_ID_CARD": _phrases(
            "carte d'identité, carte nationale d'identité, cni, pièce d'identité, n° de cni, "
            "carte d'identite"
        ),
        "LICENSE_PLATE": _phrases(
            "immatriculation, immatriculé, immatriculée, plaque, véhicule, voiture, "
            "plaque d'immatriculation, carte grise, camionnette, utilitaire, moto, parking, "
            "place de parking"
        ),
        "DE_TAX_ID": _phrases("steuer-id, steueridentifikationsnummer, identifiant fiscal"),
        "ES_NIF": _phrases("dni, nif, pièce d'identité, document d'identité"),
        "ES_NIE": _phrases("nie, titre de séjour"),
        "IT_FISCAL_CODE": _phrases("codice fiscale, code fiscal"),
        "BE_NATIONAL_NUMBER": _phrases(
            "numéro national, registre national, n° national, numéro de registre national, niss"
        ),
        "CH_AHV": _phrases("avs, n° avs, numéro avs, ahv, assurance vieillesse"),
    },
    "de": {
        "PHONE_NUMBER": _phrases(
            "telefon, tel, telefonnummer, handy, mobil, mobilnummer, festnetz, rufnummer, "
            "anrufen, erreichbar, fax, nummer"
        ),
        "EMAIL_ADDRESS": _phrases("e-mail, email, mail, e-mail-adresse, adresse"),
        "IBAN_CODE": _phrases("iban, konto, kontonummer, bankverbindung, überweisung, bank"),
        "BIC_CODE": _phrases("bic, swift, swift-code"),
        "CREDIT_CARD": _phrases("kreditkarte, karte, visa, mastercard, amex, zahlung"),
        "IP_ADDRESS": _phrases("ip, ip-adresse, ipv4, ipv6, server, host"),
        "URL": _phrases("url, link, webseite, website, seite"),
        "DATE_TIME": _phrases("geboren, geburtsdatum, geb, datum, geburtstag"),
        "FR_NIR": _phrases("sozialversicherungsnummer, nir, sécurité sociale"),
        "FR_SIREN": _phrases("siren, handelsregister, firmennummer"),
        "FR_SIRET": _phrases("siret, niederlassung, firma"),
        "EU_VAT": _phrases(
            "ust-idnr, ust-id, umsatzsteuer-identifikationsnummer, umsatzsteuer, ustid, vat, mwst"
        ),
        "FR_PASSPORT": _phrases("reisepass, pass, passnummer"),
        "FR_ID_CARD": _phrases("personalausweis, ausweis, ausweisnummer"),
        "LICENSE_PLATE": _phrases(
            "kennzeichen, kfz-kennzeichen, amtliches kennzeichen, fahrzeug, auto, kfz, pkw, "
            "dienstwagen, firmenwagen, mietwagen, wagen, transporter, motorrad, tiefgarage, "
            "stellplatz, parkplatz"
        ),
        "DE_TAX_ID": _phrases(
            "steuer-id, steuerid, steueridentifikationsnummer, steuerliche identifikationsnummer, "
            "idnr, identifikationsnummer, steuernummer"
        ),
        "ES_NIF": _phrases("dni, nif, ausweis"),
        "ES_NIE": _phrases("nie"),
        "IT_FISCAL_CODE": _phrases("codice fiscale, steuernummer"),
        "BE_NATIONAL_NUMBER": _phrases("nationalnummer, rijksregisternummer"),
        "CH_AHV": _phrases(
            "ahv, ahv-nummer, ahv-nr, sozialversicherungsnummer, versichertennummer"
        ),
    },
    "es": {
        "PHONE_NUMBER": _phrases(
            "teléfono, telefono, tel, tlf, móvil, movil, celular, llamar, llame, número, "
            "numero, fax, contacto"
        ),
        "EMAIL_ADDRESS": _phrases("correo, correo electrónico, email, e-mail, mail"),
        "IBAN_CODE": _phrases("iban, cuenta, cuenta bancaria, transferencia, banco"),
        "BIC_CODE": _phrases("bic, swift, código swift"),
        "CREDIT_CARD": _phrases("tarjeta, tarjeta de crédito, visa, mastercard, amex, pago"),
        "IP_ADDRESS": _phrases("ip, dirección ip, ipv4, ipv6, servidor"),
        "URL": _phrases("url, enlace, web, sitio, página"),
        "DATE_TIME": _phrases("nacido, nacida, fecha de nacimiento, nacimiento, fecha"),
        "FR_NIR": _phrases("seguridad social, nir"),
        "FR_SIREN": _phrases("siren, registro mercantil"),
        "FR_SIRET": _phrases("siret, establecimiento, empresa"),
        "EU_VAT": _phrases("iva, nif-iva, número de iva, nif intracomunitario, vat, cif"),
        "FR_PASSPORT": _phrases("pasaporte, número de pasaporte"),
        "FR_ID_CARD": _phrases("documento de identidad, carné de identidad"),
        "LICENSE_PLATE": _phrases(
            "matrícula, matricula, vehículo, coche, furgoneta, furgón, moto, aparcamiento, "
            "plaza de garaje, parking"
        ),
        "DE_TAX_ID": _phrases("steuer-id, identificación fiscal"),
        "ES_NIF": _phrases("dni, nif, d.n.i., documento nacional de identidad, documento"),
        "ES_NIE": _phrases("nie, n.i.e., número de identidad de extranjero, extranjero"),
        "IT_FISCAL_CODE": _phrases("codice fiscale, código fiscal"),
        "BE_NATIONAL_NUMBER": _phrases("número nacional, registro nacional"),
        "CH_AHV": _phrases("ahv, avs, seguridad social"),
    },
    "it": {
        "PHONE_NUMBER": _phrases(
            "telefono, tel, cellulare, cell, numero, chiamare, chiamami, fax, contatto"
        ),
        "EMAIL_ADDRESS": _phrases("email, e-mail, posta elettronica, mail, indirizzo"),
        "IBAN_CODE": _phrases("iban, conto, conto corrente, bonifico, banca"),
        "BIC_CODE": _phrases("bic, swift, codice swift"),
        "CREDIT_CARD": _phrases("carta, carta di credito, visa, mastercard, amex, pagamento"),
        "IP_ADDRESS": _phrases("ip, indirizzo ip, ipv4, ipv6, server"),
        "URL": _phrases("url, link, sito, pagina"),
        "DATE_TIME": _phrases("nato, nata, data di nascita, nascita, data"),
        "FR_NIR": _phrases("sicurezza sociale, nir"),
        "FR_SIREN": _phrases("siren, registro delle imprese"),
        "FR_SIRET": _phrases("siret, stabilimento, azienda"),
        "EU_VAT": _phrases("partita iva, p.iva, p. iva, iva, vat"),
        "FR_PASSPORT": _phrases("passaporto, numero di passaporto"),
        "FR_ID_CARD": _phrases("carta d'identità, documento d'identità"),
        "LICENSE_PLATE": _phrases(
            "targa, veicolo, auto, numero di targa, targata, targato, macchina, autovettura, "
            "furgone, moto, parcheggio, posto auto"
        ),
        "DE_TAX_ID": _phrases("steuer-id, codice fiscale tedesco"),
        "ES_NIF": _phrases("dni, nif"),
        "ES_NIE": _phrases("nie"),
        "IT_FISCAL_CODE": _phrases("codice fiscale, cod. fisc., c.f., cf, codice"),
        "BE_NATIONAL_NUMBER": _phrases("numero nazionale, registro nazionale"),
        "CH_AHV": _phrases("avs, ahv, numero avs"),
    },
}

# A plate or a national identifier is labelled in its own country's language whatever the
# language of the text around it (a German "Kennzeichen:" line or "Steuerliche
# Identifikationsnummer 34 236 378 051" in a form the detector reads as English, "codice
# fiscale" in a Spanish e-mail): every table gets every language's phrases for these types.
# An identifier's check digits, a plate's shape keep loose words harmless.
_COUNTRY_LABELLED = (
    "LICENSE_PLATE", "FR_NIR", "FR_SIREN", "FR_SIRET", "FR_PASSPORT", "FR_ID_CARD",
    "DE_TAX_ID", "ES_NIF", "ES_NIE", "IT_FISCAL_CODE", "BE_NATIONAL_NUMBER", "CH_AHV",
)  # fmt: skip
for _entity in _COUNTRY_LABELLED:
    _merged = sorted({phrase for table in CONTEXT.values() for phrase in table[_entity]})
    for _table in CONTEXT.values():
        _table[_entity] = _merged

# Labels: phrases that *name* an identifier with check digits ("IBAN", "n° de sécurité
# sociale", "card"), in every language at once (a French label can introduce a value in an
# English sentence). Written right before a value of the identifier's shape whose check digits
# disagree, a label is enough to treat the value as that identifier, typo and all (see
# `identifiers.py`). Unlike the context phrases above, which only raise the score of a value
# whose check digits agree and may be loose ("number", "company", "payment"), a label is the
# only evidence here, so it must name the identifier itself. The keys are the entity types
# that have the rule: a recognizer gets labels if and only if its type is listed here.
LABELS: dict[str, list[str]] = {
    "FR_NIR": _phrases(
        "nir, n° nir, sécurité sociale, securite sociale, n° de sécurité sociale, sécu, secu, "
        "n° ss, numéro ss, n° insee, numéro insee, carte vitale, assuré, assurée, n° d'assuré, "
        "numéro d'assuré, social security number, social security no, social security"
    ),
    "FR_SIREN": _phrases("siren, n° siren, numéro siren, siret"),
    "FR_SIRET": _phrases("siret, n° siret, numéro siret, siren"),
    "IBAN_CODE": _phrases(
        "iban, iban code, rib, compte, compte bancaire, n° de compte, numéro de compte, "
        "account, bank account, account number, konto, kontonummer, bankverbindung, "
        "cuenta, cuenta bancaria, conto, conto corrente"
    ),
    "CREDIT_CARD": _phrases(
        "card, credit card, debit card, payment card, card number, carte, carte bancaire, "
        "carte bleue, carte de crédit, carte de paiement, cb, visa, mastercard, amex, "
        "american express, kreditkarte, karte, kartennummer, tarjeta, tarjeta de crédito, "
        "carta, carta di credito"
    ),
    "EU_VAT": _phrases(
        "vat, vat number, vat no, vat id, vat reg, tva, n° tva, numéro de tva, "
        "tva intracommunautaire, tva intra, identifiant tva, ust-idnr, ust-id, ustid, "
        "umsatzsteuer-identifikationsnummer, mwst, mwst-nr, uid, iva, partita iva, p.iva, "
        "p. iva, nif-iva, btw, btw-nummer"
    ),
    "DE_TAX_ID": _phrases(
        "steuer-id, steuerid, steueridentifikationsnummer, steuerliche identifikationsnummer, "
        "idnr, identifikationsnummer, tax id, tin"
    ),
    "ES_NIF": _phrases("dni, d.n.i., nif, n.i.f."),
    "ES_NIE": _phrases("nie, n.i.e."),
    "IT_FISCAL_CODE": _phrases("codice fiscale, cod. fisc., c.f., cf, fiscal code, code fiscal"),
    "BE_NATIONAL_NUMBER": _phrases(
        "numéro national, n° national, registre national, numéro de registre national, niss, "
        "rijksregisternummer, insz, nn, national number, national register number, "
        "nationalnummer"
    ),
    "CH_AHV": _phrases(
        "ahv, ahv-nr, ahv-nummer, avs, n° avs, numéro avs, avs number, ahv number, "
        "social security number"
    ),
}

# Phrases that announce a phone number, in every language at once: a number that is only
# "possible" (`phones.py`) is kept after one of them, whatever the text's language. The
# context phrases that name any number ("number", "n°", "nummer") are not cues.
_ANY_NUMBER = frozenset(
    {"number", "numéro", "numero", "número", "nummer", "n°", "standard", "contacto", "contatto"}
)
PHONE_CUES: list[str] = sorted(
    {
        phrase
        for table in CONTEXT.values()
        for phrase in table["PHONE_NUMBER"]
        if phrase not in _ANY_NUMBER
    }
    | set(
        _phrases(
            "phone number, tel., tél., tel:, text me, text, sms, ring, dial, reach me, reach him, "
            "reach her, reached at, call me, call us, mob, mob., cell, direct line, hotline, "
            "numéro de téléphone, portable, joignable au, joignable, rappeler, "
            "erreichbar unter, telefonisch, handynummer, durchwahl, llámame, llamar al, "
            "teléfono de contacto, chiamare il, chiamami al, cellulare, whatsapp, signal, "
            "telegram, viber, reach me at, reach me on, new number, new mobile, nouveau numéro, "
            "neue nummer, neue handynummer, llamada al, devolver la llamada, número nuevo, "
            "nuevo número, numero nuovo, nuovo numero"
        )
    )
)

# Phrases right before a date that make it a date of birth (see `people.BirthDateRecognizer`).
BIRTH_PHRASES: dict[str, list[str]] = {
    "en": _phrases(
        "born on, born, date of birth, dob, d.o.b., birth date, birthdate, birthday, b., "
        "place and date of birth"
    ),
    "fr": _phrases(
        "né le, née le, né(e) le, nee le, ne le, date de naissance, né, née, naissance, "
        "date de naiss., ddn"
    ),
    "de": _phrases(
        "geboren am, geboren, geb., geb, geburtsdatum, geburtstag, geb. am, geb.-datum, "
        "geb.datum, geburtsdat."
    ),
    "es": _phrases(
        "nacido el, nacida el, nacido, nacida, fecha de nacimiento, f. nac., nacimiento, "
        "fecha nac., f. de nacimiento, nació, nací, naciste"
    ),
    "it": _phrases("nato il, nata il, nato, nata, data di nascita, nato/a il, nascita, nata/o il"),
}

# Phrases right before a postal address (see `addresses.py`).
ADDRESS_PHRASES: dict[str, list[str]] = {
    "en": _phrases("address, residing at, lives at, living at, home address, resident at"),
    "fr": _phrases(
        "demeurant, demeurant au, domicilié, domiciliée, domicilié au, domiciliée au, "
        "adresse, résidant, résidant au, habitant au, sis, sise"
    ),
    "de": _phrases("wohnhaft, wohnhaft in, adresse, anschrift, wohnt in"),
    "es": _phrases("domiciliado en, domiciliada en, con domicilio en, dirección, reside en"),
    "it": _phrases("residente in, domiciliato in, domiciliata in, indirizzo, abitante in"),
}
