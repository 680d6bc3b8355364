# ruff: noqa: E501, SIM905, RUF001
"""First names and surnames of many cultures, in the Latin spelling they take in a European
company's mail: Faker's person lists for ~50 locales (Cyrillic and Greek ones transliterated,
Japanese and Chinese romanised by Faker itself), plus short lists of our own for cultures Faker
writes only in their own script (Arabic, Persian, Hebrew, Korean) or lacks (Albanian,
Senegalese/Malian). Each name is then split between the parts by `split.part_of`."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from faker import Faker

from .split import part_of

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya i yi ye g".split(),
        strict=True,
    )
)
_GREEK = dict(
    zip(
        "αάβγδεέζηήθιίϊΐκλμνξοόπρσςτυύϋΰφχψωώ",
        "a a v g d e e z i i th i i i i k l m n x o o p r s s t y y y y f ch ps o o".split(),
        strict=True,
    )
)


_GREEK_DIGRAPHS = {
    "ου": "ou",
    "ού": "ou",
    "αυ": "av",
    "αύ": "av",
    "ευ": "ev",
    "εύ": "ev",
    "γγ": "ng",
    "γκ": "gk",
    "μπ": "mp",
    "ντ": "nt",
}


def _transliterate(text: str, table: dict[str, str]) -> str:
    if table is _GREEK:
        for greek, latin in _GREEK_DIGRAPHS.items():
            text = text.replace(greek, latin).replace(greek.capitalize(), latin.capitalize())
    out = []
    for char in text:
        low = char.lower()
        if low in table:
            latin = table[low].replace("_", "")
            out.append(latin.capitalize() if char != low else latin)
        else:
            out.append(char)
    return "".join(out)


# Cultures Faker only writes in their own script, or does not have: (female, male, surnames).
OWN: dict[str, tuple[str, str, str]] = {
    "arabic": (
        "Layla Fatima Nour Rania Samira Mariam Salma Yasmin Amira Dalia Hiba Lina Reem Aisha "
        "Zainab Huda Maha Dina Noura Hanan Ghada Iman Asma Rasha Yara Farah Jana Lamia",
        "Youssef Omar Khaled Tarek Hassan Karim Ahmed Hamza Bilal Rami Samir Walid Nabil Fadi "
        "Ziad Majid Faisal Tariq Imad Mahmoud Jamal Adel Basel Sami Hadi Anas Marwan Yazan",
        "Al-Masri Haddad Khoury Nasser El-Sayed Mansour Saleh Barakat Hamdan Al-Farsi Abdallah "
        "Ibrahim Suleiman Qasim Darwish Hijazi Al-Rashid Najjar Sabbagh Aziz Farouk Shalaby "
        "El-Khatib Jaber Awad Hamdi Zaki Tawfik Al-Amin Bakri Yousef Karam Rizk Shaheen",
    ),
    "persian": (
        "Shirin Parisa Maryam Leila Nasrin Roya Azadeh Mahsa Neda Sara Golnaz Fereshteh",
        "Reza Ali Dariush Kaveh Babak Arash Farhad Mehdi Omid Behrouz Kamran Saeed",
        "Hosseini Tehrani Rahimi Moradi Karimi Jafari Ahmadi Rostami Sadeghi Mohammadi "
        "Farahani Shirazi Kazemi Najafi Ebrahimi",
    ),
    "hebrew": (
        "Noa Tamar Yael Shira Michal Adi Maya Talia Ronit Orly",
        "Yosef Avi Eitan Noam Ari Ido Yonatan Amir Gil Oren",
        "Cohen Levi Mizrahi Peretz Biton Friedman Katz Azoulay Dahan Avraham Shapiro Ben-David",
    ),
    "korean": (
        "Seo-yeon Ha-eun Ji-woo Soo-ah Yu-na Min-seo Ji-min Eun-ji Hye-jin Su-bin",
        "Min-jun Ji-ho Do-yun Jae-won Seung-hoon Hyun-woo Sung-min Tae-yang Jun-seo Dong-hyun",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin Seo Kwon Hwang Ahn Song Oh",
    ),
    "albanian": (
        "Blerina Elira Ermira Klodiana Mirela Arta Drita Vjosa Fjolla Teuta",
        "Arben Besnik Dritan Gentian Luan Ilir Agron Fatmir Kushtrim Bujar",
        "Hoxha Shehu Berisha Krasniqi Gashi Dervishi Leka Kola Basha Hysa Kelmendi Rama",
    ),
    "westafrican": (
        "Aminata Fatou Awa Mariama Aïssatou Khady Ndeye Binta Coumba Astou Oumou Kadiatou",
        "Moussa Mamadou Ibrahima Ousmane Cheikh Abdoulaye Modou Lamine Souleymane Boubacar",
        "Diop Ndiaye Fall Sow Diallo Ba Traoré Keïta Coulibaly Touré Camara Sy Faye Gueye "
        "Sarr Cissé Konaté Sangaré Dembélé Kouyaté",
    ),
}

# Faker locale -> how to read it. "roman" uses Faker's romanised names; "cyr"/"greek" are
# transliterated here.
FAKER_LOCALES: dict[str, str] = {
    "en_US": "",
    "en_GB": "",
    "en_IE": "",
    "en_NZ": "",
    "en_IN": "",
    "en_NG": "",
    "en_KE": "",
    "yo_NG": "",
    "ig_NG": "",
    "ha_NG": "",
    "sw": "",
    "zu_ZA": "",
    "tw_GH": "",
    "en_PK": "",
    "fi_FI": "",
    "sv_SE": "",
    "no_NO": "",
    "da_DK": "",
    "is_IS": "",
    "pl_PL": "",
    "cs_CZ": "",
    "sk_SK": "",
    "hr_HR": "",
    "sl_SI": "",
    "ru_RU": "cyr",
    "uk_UA": "cyr",
    "bg_BG": "cyr",
    "el_GR": "greek",
    "tr_TR": "",
    "az_AZ": "",
    "ja_JP": "roman",
    "zh_CN": "roman",
    "vi_VN": "",
    "id_ID": "",
    "fr_FR": "",
    "fr_BE": "",
    "fr_CH": "",
    "fr_CA": "",
    "fr_DZ": "",
    "de_DE": "",
    "de_AT": "",
    "de_CH": "",
    "es_ES": "",
    "es_MX": "",
    "es_AR": "",
    "es_CO": "",
    "es_CL": "",
    "pt_PT": "",
    "pt_BR": "",
    "it_IT": "",
    "nl_NL": "",
    "nl_BE": "",
    "hu_HU": "",
    "ro_RO": "",
    "lt_LT": "",
    "et_EE": "",
    "ga_IE": "",
}


@dataclass
class Culture:
    female: list[str] = field(default_factory=list)
    male: list[str] = field(default_factory=list)
    last_female: list[str] = field(default_factory=list)
    last_male: list[str] = field(default_factory=list)


def _clean(name: str) -> str:
    return " ".join(name.replace("|", " ").replace("[", "").replace("]", "").split())


def _faker_culture(locale: str, mode: str, draws: int) -> Culture:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fake = Faker(locale)
    fake.seed_instance(20250611)
    out = Culture()
    table = _CYRILLIC if mode == "cyr" else _GREEK
    for _ in range(draws):
        if mode == "roman":
            if locale == "ja_JP":
                female, male = fake.first_romanized_name_female(), fake.first_romanized_name_male()
                last_f = last_m = fake.last_romanized_name()
            else:
                female = male = fake.first_romanized_name()
                last_f = last_m = fake.last_romanized_name()
        else:
            female, male = fake.first_name_female(), fake.first_name_male()
            last_f, last_m = fake.last_name_female(), fake.last_name_male()
        names = [female, male, last_f, last_m]
        if mode in ("cyr", "greek"):
            names = [_transliterate(n, table) for n in names]
        female, male, last_f, last_m = (_clean(n) for n in names)
        out.female.append(female)
        out.male.append(male)
        out.last_female.append(last_f)
        out.last_male.append(last_m)
    return out


def _dedupe(items: list[str]) -> list[str]:
    return sorted(
        {i for i in items if i and i.replace("-", "").replace(" ", "").replace("'", "").isalpha()}
    )


def build_cultures(part: str, draws: int = 240) -> dict[str, Culture]:
    """Every culture's names that belong to `part`."""
    cultures: dict[str, Culture] = {}
    for locale, mode in FAKER_LOCALES.items():
        cultures[locale] = _faker_culture(locale, mode, draws)
    for name, (female, male, last) in OWN.items():
        surnames = last.split()
        cultures[name] = Culture(female.split(), male.split(), surnames, surnames)
    out: dict[str, Culture] = {}
    for name, culture in cultures.items():
        kept = Culture(
            *(
                [n for n in _dedupe(pool) if part_of(n) == part]
                for pool in (culture.female, culture.male, culture.last_female, culture.last_male)
            )
        )
        if kept.female and kept.male and kept.last_female and kept.last_male:
            out[name] = kept
    return out


# Which cultures names are drawn from, per language of the text (weights).
CULTURE_MIX: dict[str, dict[str, int]] = {
    "en": {
        "en_US": 10,
        "en_GB": 9,
        "en_IE": 3,
        "en_NZ": 2,
        "en_IN": 4,
        "en_NG": 2,
        "en_KE": 1,
        "yo_NG": 1,
        "ig_NG": 1,
        "ha_NG": 1,
        "sw": 1,
        "zu_ZA": 1,
        "tw_GH": 1,
        "en_PK": 2,
        "fi_FI": 2,
        "sv_SE": 2,
        "no_NO": 2,
        "da_DK": 2,
        "is_IS": 1,
        "pl_PL": 2,
        "cs_CZ": 1,
        "sk_SK": 1,
        "hr_HR": 1,
        "ru_RU": 2,
        "uk_UA": 2,
        "bg_BG": 1,
        "el_GR": 2,
        "tr_TR": 2,
        "ja_JP": 2,
        "zh_CN": 3,
        "korean": 2,
        "vi_VN": 2,
        "id_ID": 1,
        "arabic": 2,
        "persian": 1,
        "hebrew": 1,
        "es_MX": 2,
        "es_AR": 1,
        "pt_BR": 2,
        "pt_PT": 1,
        "nl_NL": 2,
        "de_DE": 2,
        "fr_FR": 2,
        "it_IT": 2,
        "hu_HU": 1,
        "ro_RO": 1,
        "ga_IE": 1,
        "lt_LT": 1,
        "et_EE": 1,
    },
    "fr": {
        "fr_FR": 24,
        "fr_BE": 3,
        "fr_CH": 3,
        "fr_CA": 3,
        "fr_DZ": 5,
        "arabic": 2,
        "westafrican": 4,
        "pt_PT": 3,
        "es_ES": 2,
        "it_IT": 2,
        "pl_PL": 1,
        "tr_TR": 1,
        "vi_VN": 2,
        "zh_CN": 1,
        "ja_JP": 1,
        "en_GB": 2,
        "de_DE": 1,
        "nl_BE": 1,
        "ro_RO": 1,
        "ru_RU": 1,
        "el_GR": 1,
        "sv_SE": 1,
        "yo_NG": 1,
    },
    "de": {
        "de_DE": 24,
        "de_AT": 5,
        "de_CH": 4,
        "tr_TR": 5,
        "pl_PL": 3,
        "ru_RU": 2,
        "hr_HR": 2,
        "el_GR": 2,
        "it_IT": 2,
        "arabic": 2,
        "uk_UA": 2,
        "cs_CZ": 1,
        "persian": 1,
        "vi_VN": 1,
        "en_US": 1,
        "nl_NL": 1,
        "da_DK": 1,
        "sv_SE": 1,
        "hu_HU": 1,
        "ro_RO": 1,
        "albanian": 1,
        "sl_SI": 1,
        "fi_FI": 1,
        "zh_CN": 1,
    },
    "es": {
        "es_ES": 22,
        "es_MX": 5,
        "es_AR": 4,
        "es_CO": 4,
        "es_CL": 3,
        "pt_BR": 2,
        "pt_PT": 2,
        "fr_DZ": 2,
        "arabic": 1,
        "ro_RO": 2,
        "en_GB": 1,
        "fr_FR": 1,
        "de_DE": 1,
        "it_IT": 1,
        "zh_CN": 1,
        "uk_UA": 1,
        "westafrican": 1,
        "en_US": 1,
        "nl_NL": 1,
    },
    "it": {
        "it_IT": 26,
        "ro_RO": 3,
        "albanian": 3,
        "fr_DZ": 2,
        "arabic": 2,
        "es_ES": 1,
        "pt_BR": 1,
        "de_AT": 2,
        "fr_FR": 1,
        "en_US": 1,
        "pl_PL": 1,
        "uk_UA": 1,
        "zh_CN": 1,
        "en_IN": 1,
        "westafrican": 1,
        "hr_HR": 1,
        "sl_SI": 1,
        "el_GR": 1,
    },
}

# Cultures whose people often carry two surnames.
TWO_SURNAMES = frozenset({"es_ES", "es_MX", "es_AR", "es_CO", "es_CL", "pt_PT", "pt_BR"})
