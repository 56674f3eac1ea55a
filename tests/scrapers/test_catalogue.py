"""The bundled catalogue: an official source for every country the subscribe picker offers, each documented."""

from __future__ import annotations

from analysis.gazetteer import load_gazetteer
from scrapers.sources import SourceConfig, load_sources


def _catalogue() -> list[SourceConfig]:
    loaded = load_sources()
    assert loaded.errors == []
    return [*loaded.sources, *loaded.disabled]


def test_every_country_of_the_picker_has_an_official_source() -> None:
    countries = {place.code for place in load_gazetteer().countries()}
    covered = {source.country for source in _catalogue() if source.country}
    assert len(countries) > 40 and countries - covered == set()


def test_every_entry_says_where_its_url_is_documented() -> None:
    undocumented = [source.id for source in _catalogue() if not (source.doc and len(source.doc) > 20)]
    assert undocumented == []


def test_kyrgyz_government_and_kazakh_language_feeds_are_in_the_catalogue() -> None:
    by_id = {source.id: source for source in _catalogue()}
    assert by_id["gov-kg"].url.startswith("https://www.gov.kg/") and by_id["gov-kg"].country == "KG"
    kazakh = {source.id for source in _catalogue() if source.lang == "kk"}
    assert {"kazinform-kk", "akorda-kk", "primeminister-kk"} <= kazakh
    assert by_id["kazinform-kk"].kind == "rss"


def test_ids_and_urls_are_unique_and_disabled_entries_are_not_polled() -> None:
    catalogue = _catalogue()
    assert len({s.id for s in catalogue}) == len(catalogue)
    assert len({s.url for s in catalogue}) == len(catalogue)
    assert not {s.id for s in load_sources().sources} & {s.id for s in load_sources().disabled}
