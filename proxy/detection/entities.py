"""Every entity type the detector can produce, in one table that imports nothing heavy.

Policies name entity types, so the proxy's main process validates them against this table at
start-up without loading Presidio or spaCy; the worker's engine produces exactly these
(`test_engine` checks the running engine against the table), and the context-word table of
every language holds only names of this table (`test_entities`).
"""

from __future__ import annotations

# Every entity type the engine can produce, for policies to name. `test_engine` checks that
# it equals what the built engine reports for the configured languages.
SUPPORTED_ENTITIES: frozenset[str] = frozenset(
    {
        "PERSON",  # spaCy NER (en, fr); titles, form labels, first names (all)
        "LOCATION",  # spaCy NER (en, fr) and ties to a person (all); untied places score 0.35
        "ORGANIZATION",  # spaCy NER (en, fr)
        "NRP",  # nationality, religion, politics: spaCy NER (en), nationality labels (all)
        "DATE_TIME",  # numeric date patterns (all) and spaCy NER (en only)
        "DATE_OF_BIRTH",  # a date after a birth phrase ("né le", "born on")
        "ADDRESS",  # postal addresses (fr/be, en, de, es/it formats)
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "IBAN_CODE",  # every country in the IBAN registry
        "BIC_CODE",  # with context words only
        "CREDIT_CARD",
        "IP_ADDRESS",
        "URL",  # with a scheme; profile URLs and @handles score 0.9 (`profiles.py`)
        "FR_NIR",
        "FR_SIREN",
        "FR_SIRET",
        "FR_PASSPORT",  # with context words only
        "FR_ID_CARD",  # with context words only
        "LICENSE_PLATE",  # French plates; AB-123-CD alone, other forms with context
        "EU_VAT",  # intra-EU (and Swiss) VAT numbers, check digits verified
        "DE_TAX_ID",
        "ES_NIF",
        "ES_NIE",
        "IT_FISCAL_CODE",
        "BE_NATIONAL_NUMBER",
        "CH_AHV",
        "MEDICAL_LICENSE",  # a doctor's register number after its label (GMC, LANR, RPPS, …)
        # Presidio's national recognizers (`national_ids.NATIONAL`; test_engine checks both)
        "US_SSN", "US_ITIN", "US_PASSPORT", "US_DRIVER_LICENSE", "US_BANK_NUMBER",
        "ABA_ROUTING_NUMBER", "US_MBI", "US_NPI", "UK_NHS", "UK_NINO", "UK_PASSPORT",
        "UK_DRIVING_LICENCE", "CA_SIN", "AU_TFN", "AU_ABN", "AU_ACN", "AU_MEDICARE", "IN_PAN",
        "IN_AADHAAR", "IN_PASSPORT", "IN_VOTER", "SG_NRIC_FIN", "SG_UEN", "PL_PESEL",
        "SE_PERSONNUMMER", "FI_PERSONAL_IDENTITY_CODE", "TR_NATIONAL_ID", "KR_RRN",
        "ZA_ID_NUMBER", "DE_ID_CARD", "DE_PASSPORT", "DE_SOCIAL_SECURITY",
        "DE_HEALTH_INSURANCE", "DE_TAX_NUMBER", "ES_PASSPORT", "IT_DRIVER_LICENSE",
        "IT_IDENTITY_CARD", "IT_PASSPORT",
    }
)  # fmt: skip
# Entity types that come from the statistical model (or cues standing in for it).
MODEL_TYPES = frozenset({"PERSON", "LOCATION", "ORGANIZATION", "NRP", "DATE_TIME"})
