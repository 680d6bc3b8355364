"""The place gazetteer, looked up in the built `data/places.tsv.gz` (no fake table: what is
tested is what ships)."""

from __future__ import annotations

import pytest

from proxy.detection import gazetteer
from proxy.detection.gazetteer import Flag


@pytest.mark.parametrize(
    "name",
    [
        "Valencia",
        "Rotterdam",
        "Los Ángeles",
        "los angeles",
        "LOS ANGELES",
        "Polonia",  # es
        "Líbano",  # es
        "Túnez",  # es
        "Grecia",  # es
        "Pologne",  # fr
        "Polen",  # de
        "Andalucía",
        "Lombardia",
        "Bayern",
        "A Coruña",
        "Las Palmas de Gran Canaria",
        "Long Beach",
        "Santa Mónica",
        "Varsovie",  # a GeoNames alternate name (fr) of Warszawa
        "Europa",  # a continent (de, es, it)
    ],
)
def test_places_are_places(name: str) -> None:
    assert gazetteer.is_place(name)


@pytest.mark.parametrize(
    "word",
    [
        "Thomas",  # a village of 3,000 in GeoNames' cities1000, under the 15,000 cut
        "Maria",  # likewise: "Maria" (Almería, 8,600) is in cities5000 only
        "Bitte",
        "Rechnung",
        "Valentina",
        "Mark",
        "Cortina",  # a known gap: GeoNames lists "Cortina d'Ampezzo" (5,900) only
    ],
)
def test_words_and_first_names_that_are_no_listed_place(word: str) -> None:
    assert not gazetteer.is_place(word)


@pytest.mark.parametrize("name", ["Polonia", "Pologne", "Polen", "Poland", "Líbano", "Libano"])
def test_country_names_in_the_five_languages(name: str) -> None:
    assert gazetteer.is_country(name)


def test_a_city_or_region_is_no_country() -> None:
    assert not gazetteer.is_country("Valencia")
    assert not gazetteer.is_country("Bayern")


def test_regions_are_flagged_as_regions() -> None:
    for name in ("Andalucía", "Cataluña", "Galicia", "Lombardia", "Veneto", "Bayern", "Texas"):
        assert gazetteer.place_flags(name) & Flag.REGION, name


@pytest.mark.parametrize(
    "name", ["Valencia", "Rotterdam", "Los Ángeles", "Polen", "Andalucía", "Europa"]
)
def test_big_places(name: str) -> None:
    assert gazetteer.is_big_place(name)


@pytest.mark.parametrize("name", ["Marbach am Neckar", "Santa Mónica", "Bastia"])
def test_towns_under_100000_are_places_but_not_big(name: str) -> None:
    assert gazetteer.is_place(name)
    assert not gazetteer.is_big_place(name)


def test_accents_are_optional() -> None:
    """People type place names without accents; the table also lists them with none."""
    assert gazetteer.place_flags("A Coruna") == gazetteer.place_flags("A Coruña")
    assert gazetteer.place_flags("Andalucia") == gazetteer.place_flags("Andalucía")
    assert gazetteer.is_place("Malmo")
    assert gazetteer.is_place("Malmö")


def test_extra_spaces_between_words_are_ignored() -> None:
    assert gazetteer.is_place("los   ángeles")
    assert gazetteer.is_place(" Long Beach ")


def test_no_listed_name_is_longer_than_max_words() -> None:
    """Callers scan windows of at most MAX_WORDS words: a longer key could never be found."""
    longest = max(len(name.split(" ")) for name in gazetteer.places())
    assert longest == gazetteer.MAX_WORDS


def test_keys_are_case_folded_and_single_spaced() -> None:
    for name in gazetteer.places():
        assert name == name.casefold()
        assert name == " ".join(name.split())
