"""sources.toml loading: the bundled file is valid; bad entries are reported and the rest load."""

from __future__ import annotations

from pathlib import Path

from sandbox.site_server import DEFAULT_SITES_DIR
from scrapers.sources import DEFAULT_SOURCES_FILE, SourceConfig, load_sources

BAD_FILE = """
[[sources]]
id = "good-one"
name = "Good"
url = "https://example.ru/news/"
parser = "bitrix"

[[sources]]
id = "bad-url"
name = "Bad URL"
url = "example.ru/news/"

[[sources]]
id = "bad-parser"
name = "Bad parser"
url = "https://example.kz/"
parser = "wordpress"

[[sources]]
name = "No id"
url = "https://example.kg/"

[[sources]]
id = "good-one"
name = "Duplicate"
url = "https://other.ru/"

[[sources]]
id = "good-two"
name = "Good too"
url = "https://example.kz/feed.xml"
kind = "rss"
home_region = "KZ-19"
timezone = "Asia/Almaty"
[sources.selectors]
body = "div.text"
"""


def test_bundled_sources_load_cleanly() -> None:
    loaded = load_sources()
    assert loaded.errors == []
    ids = {source.id for source in loaded.sources}
    assert {"vologda-ru", "vologda-en", "lenobl", "spb-governor", "spb-foreign", "akipress"} <= ids
    assert len(ids) == len(loaded.sources)
    assert all(source.timezone for source in loaded.sources)


def test_every_bundled_source_has_a_snapshot() -> None:
    sites = DEFAULT_SITES_DIR
    for source in load_sources(DEFAULT_SOURCES_FILE).sources:
        folder = sites / source.id
        assert (folder / "list.html").is_file() or (folder / "feed.xml").is_file(), source.id


def test_bad_entries_are_reported_and_the_rest_load(tmp_path: Path) -> None:
    file = tmp_path / "sources.toml"
    file.write_text(BAD_FILE, encoding="utf-8")
    loaded = load_sources(file)
    assert [source.id for source in loaded.sources] == ["good-one", "good-two"]
    errors = "\n".join(loaded.errors)
    assert f"{file}: entry 2 (id=bad-url): field url:" in errors
    assert f"{file}: entry 3 (id=bad-parser): field parser: unknown parser 'wordpress'" in errors
    assert f"{file}: entry 4 (id=?): field id: Field required" in errors
    assert f"{file}: entry 5 (id=good-one): field id: duplicate id" in errors
    assert len(loaded.errors) == 4


def test_profile_defaults_and_overrides(tmp_path: Path) -> None:
    file = tmp_path / "sources.toml"
    file.write_text(BAD_FILE, encoding="utf-8")
    good_one, good_two = load_sources(file).sources
    assert good_one.timezone == "Europe/Moscow"  # the bitrix profile's zone
    assert good_two.profile().selectors.body == "div.text"
    assert good_two.profile().timezone == "Asia/Almaty"


def test_unreadable_and_invalid_files_do_not_raise(tmp_path: Path) -> None:
    assert "cannot read" in load_sources(tmp_path / "missing.toml").errors[0]
    broken = tmp_path / "broken.toml"
    broken.write_text("[[sources]\nid=", encoding="utf-8")
    assert "not valid TOML" in load_sources(broken).errors[0]


def test_bad_region_timezone_and_selector_are_field_errors() -> None:
    from scrapers.sources import parse_sources

    entry = {"id": "x", "name": "X", "url": "https://x.ru/", "home_region": "Vologda", "timezone": "Mars/Base"}
    entry["selectors"] = {"bodyy": "div"}  # type: ignore[assignment]
    errors = parse_sources({"sources": [entry]}, "f.toml").errors
    assert any("field home_region" in e for e in errors)
    assert any("field timezone" in e for e in errors)
    assert any("field selectors" in e and "bodyy" in e for e in errors)
    assert SourceConfig(id="ok", name="ok", url="https://ok.ru/").parser == "generic"


def test_render_enabled_and_doc_fields(tmp_path: Path) -> None:
    file = tmp_path / "sources.toml"
    file.write_text(
        """
[[sources]]
id = "js-site"
name = "Built by scripts"
url = "https://example.kz/news"
render = true
doc = "https://example.kz/ footer: 'RSS'"

[[sources]]
id = "unverified"
name = "Not checked yet"
url = "https://example.kg/rss"
kind = "rss"
enabled = false

[[sources]]
id = "bad-render"
name = "render must be a boolean"
url = "https://example.kg/"
render = "yes please"
""",
        encoding="utf-8",
    )
    loaded = load_sources(file)
    assert [s.id for s in loaded.sources] == ["js-site"] and loaded.sources[0].render
    assert loaded.sources[0].doc == "https://example.kz/ footer: 'RSS'"
    assert [s.id for s in loaded.disabled] == ["unverified"] and not loaded.disabled[0].render
    assert len(loaded.errors) == 1 and "entry 3 (id=bad-render): field render" in loaded.errors[0]
