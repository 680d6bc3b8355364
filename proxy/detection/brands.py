"""Brands that bear a person's name: "Hugo Boss, Ted Baker, Paul Smith and Dr. Martens",
"las marcas Zara, Massimo Dutti", "la vaisselle Guy Degrenne", "le collezioni Giorgio Armani".

A shop's, a mall's or a buyer's text lists them by the dozen, and each one masked turns a
retail brief into `<PERSON_1>, <PERSON_2>…` (issue 9: benign texts altered). A listed brand
is a brand only where its text speaks of brands: a word of collections, shelves, perfumes or
tableware right before it ("Kollektionen von", "vitrines", "cestas … con perfumes"), or another
listed brand near it in the same list. "Paul Smith" alone, or after "Kunde:", stays a person:
thousands of people bear these names.

A few of them no private person is plausibly called in a text that reaches a company's
assistant ("Louis Vuitton", "Hermès", "Dr. Oetker", "Jack Daniel's", "Ben & Jerry's":
a founder's full name long since a trade mark, a possessive or an ampersand in it). Those
are brands with no brand word near ("foulard Hermès", "les pizzas Dr. Oetker", "Dell jumped
9%"), unless the name is a record's: a form's field, a title or a relation before it,
contact data on its line (`historical.a_record`). A namesake written that way stays a person.

The list is hand-made from well-known fashion, luxury, cosmetics, food and household brands
sold in Europe whose name is, or reads as, a person's (a first name, a surname or both),
and a few blends and varieties sold under such a name ("Earl Grey", "Maris Piper").
"""

from __future__ import annotations

import regex as re

from proxy.detection.historical import a_record

_BRANDS = frozenset(
    (
        # fashion and luxury
        "hugo boss", "ted baker", "paul smith", "dr. martens", "dr martens", "marc o'polo",
        "tom tailor", "jil sander", "carolina herrera", "massimo dutti", "zara", "giorgio armani",
        "emporio armani", "armani", "salvatore ferragamo", "ferragamo", "valentino", "gucci",
        "prada", "versace", "roberto cavalli", "dolce&gabbana", "dolce & gabbana",
        "ermenegildo zegna", "zegna", "brunello cucinelli", "miu miu", "christian dior", "dior",
        "yves saint laurent", "saint laurent", "pierre cardin", "jean paul gaultier",
        "christian louboutin", "louboutin", "givenchy", "lanvin", "hermès", "hermes", "chanel",
        "coco chanel", "nina ricci", "guy laroche", "kenzo", "isabel marant", "agnès b.",
        "sonia rykiel", "céline", "celine", "balenciaga", "loewe", "adolfo domínguez",
        "adolfo dominguez", "purificación garcía", "custo barcelona", "desigual", "tommy hilfiger",
        "calvin klein", "ralph lauren", "polo ralph lauren", "michael kors", "marc jacobs",
        "vivienne westwood", "stella mccartney", "alexander mcqueen", "karen millen", "jack wills",
        "joe browns", "laura ashley", "ted lapidus", "karl lagerfeld", "wolfgang joop", "joop",
        "bogner", "max mara", "moschino", "trussardi", "etro", "fendi", "missoni", "furla",
        "benetton", "bottega veneta", "stefanel", "liu jo",
        # cosmetics and perfume
        "yves rocher", "l'occitane", "clarins", "nivea", "estée lauder", "estee lauder",
        "helena rubinstein", "elizabeth arden", "max factor", "paco rabanne", "rabanne",
        "thierry mugler", "mugler", "jean patou", "annick goutal", "guerlain", "caudalie",
        "roger & gallet", "sisley", "kiehl's", "bobbi brown", "charlotte tilbury",
        # food and drink
        "ben & jerry's", "ben and jerry's", "dr. oetker", "dr oetker", "oetker", "pierre hermé",
        "ladurée", "maison paul", "lenôtre", "fauchon", "ferrero", "barilla", "giovanni rana",
        "mulino bianco", "lavazza", "martini", "campari", "carlo gracco", "uncle ben's",
        "kellogg's", "heinz", "cadbury", "nestlé", "nestle", "lindt", "milka", "bahlsen", "haribo",
        "tchibo", "dallmayr", "hipp", "marqués de riscal", "vega sicilia", "moët & chandon",
        "veuve clicquot", "dom pérignon", "billecart-salmon", "jack daniel's", "johnnie walker",
        "marks & spencer", "sainsbury's", "harvey nichols", "john lewis", "fortnum & mason",
        "selfridges", "harrods", "debenhams",
        # household, tools, electronics
        "guy degrenne", "le creuset", "kenwood", "moulinex", "rowenta", "krups", "bosch",
        "siemens", "miele", "philips", "de'longhi", "delonghi", "smeg", "bialetti", "alessi",
        "dyson", "russell hobbs", "morphy richards", "black & decker", "makita", "hilti", "stihl",
        "kärcher", "karcher", "vorwerk", "melitta", "wmf", "zwilling", "fissler",
        "villeroy & boch", "rosenthal", "hutschenreuther", "johnson controls", "carl zeiss",
        "zeiss", "porsche design", "ferrari", "lamborghini", "maserati", "bugatti", "citroën",
        "peugeot", "renault", "opel", "dacia",
        # retail and hospitality
        "meliá", "melia", "nh", "ibis", "novotel", "hilton", "marriott", "carrefour", "auchan",
        "leclerc", "e.leclerc", "lidl", "aldi", "zalando", "primark", "mango", "el corte inglés",
        "conforama", "darty", "boulanger", "galeries lafayette", "printemps", "la rinascente",
        "ovs", "esselunga", "eataly",
        # added with the unmistakable ones below
        "louis vuitton", "vuitton", "dell", "hewlett-packard",
        # a tea's blend and the varieties of potatoes and apples named like people
        "earl grey", "lady grey", "maris piper", "king edward", "granny smith", "pink lady",
    )
)  # fmt: skip

# Brands of `_BRANDS` that are brands wherever they stand, a record's field aside (above).
# Not "Paul Smith", "Ted Baker", "John Lewis", "Carolina Herrera", "Chanel", "Martini":
# first names and surnames many people bear together or alone.
_UNMISTAKABLE = frozenset(
    (
        "hugo boss", "dr. martens", "dr martens", "marc o'polo", "giorgio armani",
        "emporio armani", "salvatore ferragamo", "ermenegildo zegna", "brunello cucinelli",
        "christian dior", "dior", "yves saint laurent", "pierre cardin", "jean paul gaultier",
        "christian louboutin", "louboutin", "givenchy", "hermès", "hermes", "coco chanel",
        "louis vuitton", "vuitton", "tommy hilfiger", "calvin klein", "ralph lauren",
        "polo ralph lauren", "michael kors", "vivienne westwood", "stella mccartney",
        "alexander mcqueen", "karl lagerfeld", "dolce&gabbana", "dolce & gabbana", "yves rocher",
        "estée lauder", "estee lauder", "helena rubinstein", "elizabeth arden", "max factor",
        "paco rabanne", "thierry mugler", "kiehl's", "roger & gallet", "ben & jerry's",
        "ben and jerry's", "dr. oetker", "dr oetker", "oetker", "pierre hermé", "giovanni rana",
        "uncle ben's", "kellogg's", "jack daniel's", "johnnie walker", "marks & spencer",
        "sainsbury's", "moët & chandon", "veuve clicquot", "fortnum & mason", "harvey nichols",
        "guy degrenne", "russell hobbs", "morphy richards", "black & decker",
        "villeroy & boch", "johnson controls", "carl zeiss", "porsche design", "dell",
        "hewlett-packard", "earl grey", "lady grey", "maris piper", "granny smith",
    )
)  # fmt: skip

# Words of a brand's text right before the name: collections, shelves, counters, perfumes,
# tableware ("Kollektionen von Hugo Boss", "les robots Moulinex et Kenwood", "perfumes
# Carolina Herrera", "références Yves Rocher", "concessions from Ted Baker").
_BRAND_CUE = re.compile(
    r"(?<![\w])(?i:collections?|collezion[ei]|colecci(?:ón|ones)|kollektion(?:en)?|"
    r"brands?|marques?|marcas?|marche|marken|labels?|concessions?|stores?|boutiques?|"
    r"corners?|vitrines?|shops?|negozi|tiendas|geschäfte|perfumes?|parfums?|profumi|"
    r"düfte|coffrets?|cosmetics|cosmétiques|cosméticos|cosmetici|kosmetik|vaisselle|"
    r"tableware|robots?|appliances|électroménager|références?|referencias|articoli|artikel|"
    r"products|produits|productos|prodotti|produkte)"
    r"(?:[ \t]+(?:von|de|di|del|des|by|from|of))?[ \t]+$"
)
# A brand's name between commas, "and", "und", "et", "y", "e" of a list.
_JOINER = r"(?:,|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bor\b|\bou\b)[ \t]*"
_LIST_GAP = re.compile(rf"[ \t]*{_JOINER}")
_LIST_GAP_BEFORE = re.compile(rf"{_JOINER}$")
_NAME_WORDS = re.compile(
    r"\p{Lu}[\p{L}&'\u2019.\-]*(?:[ \t]+(?:&[ \t]+)?\p{Lu}[\p{L}&'\u2019.\-]*){0,3}"
)
_MAX_WORDS = 4
_DOCTOR_BEFORE = re.compile(r"(?<![\w])Dr\.?[ ]$")


def listed_brand(value: str, brands: frozenset[str] = _BRANDS) -> bool:
    """`value` (its first few words) is a brand of the list (`brands`)."""
    words = value.split()
    return any(
        " ".join(words[:count]).casefold().strip(".,;:") in brands
        for count in range(min(len(words), _MAX_WORDS), 0, -1)
    )


def a_brand(text: str, start: int, end: int) -> bool:
    """A listed brand starts at the name at `text[start:end]` (or at the "Dr." before it:
    "Dr. Martens"), the name's words or more, and its text speaks of brands there: a brand
    word before it, or another listed brand beside it in a list."""
    if inside_a_brand(text, start, end):
        return True
    doctor = _DOCTOR_BEFORE.search(text, max(0, start - 4), start)
    if doctor is not None:
        start = doctor.start()
    name = _NAME_WORDS.match(text, start)
    value = text[start : max(end, name.end() if name is not None else end)]
    if not listed_brand(value):
        return False
    if _BRAND_CUE.search(text, max(0, start - 48), start) is not None:
        return True
    if listed_brand(value, _UNMISTAKABLE) and not a_record(text, start, end):
        return True
    return _a_brand_beside(text, start, end)


# One or two capitalised words right before a name, joined by a space, "&" or "and": the
# start of an unmistakable brand the name ends ("Ben & [Jerry's]", "Calvin [Klein]").
_BRAND_HEAD_BEFORE = re.compile(
    r"(?<![\w])\p{Lu}[\p{L}'\u2019.\-]*(?:[ \t]+(?:&[ \t]+|and[ \t]+)?\p{Lu}[\p{L}'\u2019.\-]*)?"
    r"[ \t]+(?:&[ \t]+|and[ \t]+)?$"
)


_POSSESSIVE_AFTER = re.compile(r"['\u2019]s(?![\w])")


def inside_a_brand(text: str, start: int, end: int) -> bool:
    """The name at `text[start:end]` ends an unmistakable brand that starts a word or two
    before it ("Jerry's" in "Ben & Jerry's", "Klein" in "Calvin Klein"), no record's."""
    head = _BRAND_HEAD_BEFORE.search(text, max(0, start - 40), start)
    if head is None:
        return False
    possessive = _POSSESSIVE_AFTER.match(text, end)
    whole = possessive.end() if possessive is not None else end
    for word in re.finditer(r"\p{Lu}", text[head.start() : start]):
        begin = head.start() + word.start()
        if " ".join(text[begin:whole].split()).casefold().replace("\u2019", "'") in _UNMISTAKABLE:
            return not a_record(text, begin, end)
    return False


def _a_brand_beside(text: str, start: int, end: int) -> bool:
    """Another listed brand next to this one in a list ("Hugo Boss, Ted Baker", "Zara,
    Massimo Dutti", "Moulinex et Kenwood")."""
    after = _LIST_GAP.match(text, end)
    if after is not None and after.end() > end:
        following = _NAME_WORDS.match(text, after.end())
        if following is not None and listed_brand(following.group()):
            return True
    window = text[max(0, start - 60) : start]
    gap = _LIST_GAP_BEFORE.search(window)
    if gap is None:
        return False
    before = window[: gap.start()].rstrip()
    for count in range(_MAX_WORDS, 0, -1):
        words = before.split()[-count:]
        if len(words) == count and listed_brand(" ".join(words)) and words[0][:1].isupper():
            return True
    return False
