"""Deterministic business texts full of (fictitious) personal data, in English and French.

The benchmark needs prompts that make detection work as hard as real ones: sentences of
ordinary business prose (support tickets, HR notes, invoices, meeting minutes) carrying
names, e-mail addresses, phone numbers, IBANs and postal addresses, with some sentences that
carry none. Everything is drawn from a seeded `random.Random`, so two runs measure the
same bytes and figures stay comparable across commits.

IBANs carry valid mod-97 check digits and phone numbers are in valid national formats, so
Presidio's validators accept them, as they would accept real ones.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass

SIZES: dict[str, int] = {"200B": 200, "1KB": 1024, "10KB": 10 * 1024}
LANGUAGES = ("en", "fr")
SEED = 20240601
# A short text in which no recognizer finds anything: what Voile costs per request whatever
# the content (HTTP hop, audit writes). The detection pre-filter answers for it in the proxy
# (`proxy/detection/prefilter.py`). ("Hello, how are you today?", the prompt used before,
# holds a finding: spaCy reads "today" as a date, which the audit trail records as allowed.)
FLOOR = ("floor", "en")
FLOOR_PROMPT = "Hello, how are you?"
# The same cost when the text must go to a detection worker (a word the pre-filter does not
# list), still with nothing to find: the worker's round trip and spaCy's fixed cost on top.
FLOOR_WORKER = ("floor-worker", "en")
FLOOR_WORKER_PROMPT = "Please check the grammar of the text below."

EN_FIRST = [
    "James",
    "Olivia",
    "Robert",
    "Emily",
    "Michael",
    "Sarah",
    "David",
    "Laura",
    "Thomas",
    "Hannah",
    "Daniel",
    "Rachel",
    "Andrew",
    "Megan",
    "Peter",
    "Claire",
]
EN_LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Taylor",
    "Wilson",
    "Davies",
    "Evans",
    "Walker",
    "Wright",
    "Thompson",
    "Robinson",
    "Hughes",
    "Clarke",
    "Turner",
    "Harris",
]
EN_STREETS = [
    "Baker Street",
    "Oxford Road",
    "Elm Avenue",
    "Mill Lane",
    "Station Road",
    "Church Street",
    "Park Avenue",
    "Victoria Road",
]
EN_CITIES = [
    ("London", "NW1 6XE"),
    ("Manchester", "M1 2AB"),
    ("Bristol", "BS1 4DJ"),
    ("Leeds", "LS1 5QS"),
    ("Edinburgh", "EH1 1YZ"),
    ("Cambridge", "CB2 1TN"),
]
EN_COMPANIES = [
    "Northwind Traders",
    "Acme Logistics",
    "Bluebird Insurance",
    "Harbour Analytics",
    "Greenfield Foods",
    "Summit Legal",
]
EN_DOMAINS = ["example.com", "northwind.co.uk", "acme-logistics.com", "bluebird.co.uk"]

FR_FIRST = [
    "Jean",
    "Marie",
    "Pierre",
    "Camille",
    "Nicolas",
    "Sophie",
    "Julien",
    "Claire",
    "Antoine",
    "Élodie",
    "François",
    "Chloé",
    "Mathieu",
    "Hélène",
    "Sébastien",
    "Léa",
]
FR_LAST = [
    "Dupont",
    "Martin",
    "Bernard",
    "Dubois",
    "Lefèvre",
    "Moreau",
    "Laurent",
    "Girard",
    "Roux",
    "Fournier",
    "Mercier",
    "Lambert",
    "Bonnet",
    "Faure",
    "Rousseau",
    "Blanc",
]
FR_STREETS = [
    "rue de la République",
    "avenue Jean Jaurès",
    "boulevard Voltaire",
    "rue Victor Hugo",
    "place Bellecour",
    "rue du Faubourg Saint-Antoine",
    "quai des Chartrons",
    "allée des Tilleuls",
]
FR_CITIES = [
    ("Paris", "75011"),
    ("Lyon", "69002"),
    ("Bordeaux", "33000"),
    ("Toulouse", "31000"),
    ("Nantes", "44000"),
    ("Lille", "59000"),
]
FR_COMPANIES = [
    "Transports Lemoine",
    "Boulangeries Duval",
    "Cabinet Aubert",
    "Éditions du Marais",
    "Assurances Garonne",
    "Atelier Verdier",
]
FR_DOMAINS = ["orange.fr", "free.fr", "lemoine-transports.fr", "cabinet-aubert.fr"]


def iban(rng: random.Random, country: str) -> str:
    """A syntactically valid IBAN (mod-97 check digits), printed in groups of four."""
    if country == "FR":
        bban = "".join(rng.choices(string.digits, k=23))
    else:  # GB: bank code (4 letters) + sort code and account (14 digits)
        bban = "".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ", k=4))
        bban += "".join(rng.choices(string.digits, k=14))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    compact = f"{country}{check:02d}{bban}"
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _digits(rng: random.Random, pairs: int) -> str:
    return " ".join(f"{rng.randrange(100):02d}" for _ in range(pairs))


def en_phone(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"+44 20 7946 0{rng.randrange(1000):03d}"
    return f"(415) 555-01{rng.randrange(100):02d}"


def fr_phone(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"06 {_digits(rng, 4)}"
    return f"+33 1 {_digits(rng, 4)}"


@dataclass(frozen=True)
class Person:
    name: str
    email: str


def person(rng: random.Random, language: str) -> Person:
    first = rng.choice(EN_FIRST if language == "en" else FR_FIRST)
    last = rng.choice(EN_LAST if language == "en" else FR_LAST)
    domain = rng.choice(EN_DOMAINS if language == "en" else FR_DOMAINS)
    local = f"{first}.{last}".lower()
    for accented, plain in zip("éèêëàçôöï", "eeeeacooi", strict=True):
        local = local.replace(accented, plain)
    return Person(f"{first} {last}", f"{local}@{domain}")


def address(rng: random.Random, language: str) -> str:
    if language == "en":
        city, postcode = rng.choice(EN_CITIES)
        return f"{rng.randrange(1, 250)} {rng.choice(EN_STREETS)}, {city} {postcode}"
    city, postcode = rng.choice(FR_CITIES)
    return f"{rng.randrange(1, 250)} {rng.choice(FR_STREETS)}, {postcode} {city}"


def _en_sentence(rng: random.Random, personal: bool) -> str:
    a, b = person(rng, "en"), person(rng, "en")
    company = rng.choice(EN_COMPANIES)
    templates: list[Callable[[], str]] = [
        lambda: (
            f"Please update the billing contact for {company} to {a.name} "
            f"({a.email}, {en_phone(rng)})."
        ),
        lambda: (
            f"{a.name} called on Tuesday about invoice INV-{rng.randrange(10**5):05d}; "
            f"the refund should be wired to IBAN {iban(rng, 'GB')}."
        ),
        lambda: f"Ship the replacement laptop to {a.name}, {address(rng, 'en')}.",
        lambda: (
            f"Our new hire {a.name} starts on Monday; her manager {b.name} can be "
            f"reached on {en_phone(rng)}."
        ),
        lambda: (
            f"Minutes: {a.name} presented the third-quarter forecast and {b.name} will "
            f"follow up with {company} at {b.email}."
        ),
        lambda: (
            f"Reminder: the lease for {address(rng, 'en')} renews next month; the "
            f"landlord, {b.name}, prefers e-mail ({b.email})."
        ),
        lambda: f"If anything is unclear, write to {a.email} or call {en_phone(rng)}.",
        lambda: (
            f"Could you confirm the transfer of £{rng.randrange(200, 9000)} from account "
            f"{iban(rng, 'GB')} before Friday?"
        ),
        lambda: "The team agreed to move the quarterly review to the first week of next month.",
        lambda: "Nothing else is pending on our side; the contract stays as it is for now.",
        lambda: f"The supplier {company} asked whether we can pay within thirty days.",
        lambda: "Thanks in advance.",
        lambda: "Best regards.",
    ]
    return rng.choice(templates[:8] if personal else templates)()


def _fr_sentence(rng: random.Random, personal: bool) -> str:
    a, b = person(rng, "fr"), person(rng, "fr")
    company = rng.choice(FR_COMPANIES)
    templates: list[Callable[[], str]] = [
        lambda: (
            f"Merci de mettre à jour le contact de facturation de {company} : {a.name} "
            f"({a.email}, tél. {fr_phone(rng)})."
        ),
        lambda: (
            f"{a.name} a appelé mardi au sujet de la facture F-{rng.randrange(10**5):05d} ; "
            f"le remboursement est à verser sur l'IBAN {iban(rng, 'FR')}."
        ),
        lambda: f"Envoyez l'ordinateur de remplacement à {a.name}, {address(rng, 'fr')}.",
        lambda: (
            f"Notre nouvelle recrue {a.name} commence lundi ; sa responsable {b.name} "
            f"est joignable au {fr_phone(rng)}."
        ),
        lambda: (
            f"Compte rendu : {a.name} a présenté les prévisions du troisième trimestre et "
            f"{b.name} relancera {company} par courriel à {b.email}."
        ),
        lambda: (
            f"Rappel : le bail du {address(rng, 'fr')} est renouvelé le mois prochain ; "
            f"le propriétaire, {b.name}, préfère être contacté par mail ({b.email})."
        ),
        lambda: f"Pour toute question, écrivez à {a.email} ou appelez le {fr_phone(rng)}.",
        lambda: (
            f"Pouvez-vous confirmer le virement de {rng.randrange(200, 9000)} € depuis le "
            f"compte {iban(rng, 'FR')} avant vendredi ?"
        ),
        lambda: (
            "L'équipe a décidé de repousser la revue trimestrielle à la première semaine "
            "du mois prochain."
        ),
        lambda: "Rien d'autre n'est en attente de notre côté ; le contrat reste en l'état.",
        lambda: f"Le fournisseur {company} demande si nous pouvons régler à trente jours.",
        lambda: "Merci d'avance.",
        lambda: "Cordialement.",
    ]
    return rng.choice(templates[:8] if personal else templates)()


def sentences(rng: random.Random, language: str) -> Iterator[str]:
    """An endless stream of sentences, the first one always carrying personal data (so even
    the smallest prompt has some); bounded by the caller."""
    make = _en_sentence if language == "en" else _fr_sentence
    yield make(rng, True)
    while True:
        yield make(rng, False)


def build_prompt(language: str, size: int, seed: int = SEED) -> str:
    """A text of about `size` UTF-8 bytes (-3% to +10%): sentences are taken in order,
    skipping any that would overshoot, until the text is long enough (bounded: at most 2000
    candidates)."""
    rng = random.Random(f"{seed}-{language}-{size}")
    greeting = "Hello team," if language == "en" else "Bonjour à tous,"
    parts = [greeting]
    low, high = size * 0.97, size * 1.1
    length = len(greeting.encode())
    for _, sentence in zip(range(2000), sentences(rng, language), strict=False):
        extra = len(sentence.encode()) + 1
        if length + extra <= high and sentence != parts[-1]:
            parts.append(sentence)
            length += extra
        if length >= low:
            break
    return " ".join(parts)


def all_prompts(seed: int = SEED) -> dict[tuple[str, str], str]:
    """(size label, language) -> prompt, for every size and language of the benchmark."""
    return {
        (label, language): build_prompt(language, size, seed)
        for label, size in SIZES.items()
        for language in LANGUAGES
    }
