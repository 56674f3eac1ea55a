"""One call that turns a scraped article into everything the rest of the system stores and matches on."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.clean import main_text as extract_main_text
from analysis.cooperation import Cooperation, detect_cooperation
from analysis.fingerprint import signature as story_signature
from analysis.language import detect_language
from analysis.lemmas import article_lemmas
from analysis.normalize import MAIN_TEXT_CHARS, TITLE_CHARS
from analysis.summary import summarize
from analysis.topics import detect_topics

LANGUAGES = ("ru", "en", "kk")
# Longer bodies are page dumps rather than articles; analysing the first part is enough and keeps time bounded.
_MAX_MAIN_CHARS = MAIN_TEXT_CHARS
_MAX_TITLE_CHARS = TITLE_CHARS


@dataclass
class ArticleAnalysis:
    """What analysis knows about one article."""

    language: str
    main_text: str
    mentions: list[str]
    cooperation: Cooperation
    topics: list[str]
    summary: str
    signature: list[int] = field(repr=False)
    lemmas: str = field(repr=False)


def warm_up() -> None:
    """Load the morphology dictionaries, the place index and the topic cues now (~350 ms cold)."""
    analyze("Вологодская область и Алматинская область подписали соглашение", "Стороны обсудили поставки леса.")


def analyze(title: str, text: str, lang_hint: str | None = None, *, home_region: str | None = None) -> ArticleAnalysis:
    """Analyse an article; home_region is the source site's own region, used when the text leaves it implicit."""
    title = " ".join((title or "")[:_MAX_TITLE_CHARS].split())
    main = extract_main_text(text or "", title)[:_MAX_MAIN_CHARS]
    language = lang_hint if lang_hint in LANGUAGES else detect_language(f"{title}\n{main}")
    cooperation = detect_cooperation(title, main, lang=language, home_region=home_region, is_main_text=True)
    return ArticleAnalysis(
        language=language,
        main_text=main,
        mentions=cooperation.mentioned,
        cooperation=cooperation,
        topics=detect_topics(title, main),
        summary=summarize(main, language),
        signature=story_signature(title, main),
        lemmas=article_lemmas(title, main),
    )
