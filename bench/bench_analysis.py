"""Benchmark: time per analysis stage on a ~5,000-character Russian article (run: python bench/bench_analysis.py)."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.clean import main_text
from analysis.cooperation import detect_cooperation
from analysis.fingerprint import signature
from analysis.language import detect_language
from analysis.lemmas import lemmatize_text
from analysis.pipeline import analyze
from analysis.summary import summarize
from analysis.topics import detect_topics

TITLE = "Вологодская область и Алматинская область подписали меморандум о сотрудничестве"
PARAGRAPHS = (
    "Вологда, 5 декабря. Вологодскую область с официальным визитом посетила делегация Республики Казахстан "
    "во главе с заместителем акима Алматинской области. Визит стал важным шагом в развитии межрегионального "
    "сотрудничества между Вологодской областью и Алматинской областью.",
    "Основным событием программы стала рабочая встреча с Председателем Правительства Вологодской области. "
    "Стороны обсудили создание совместных производств в лесопромышленном комплексе, углубление сотрудничества "
    "в агропромышленной сфере, обмен культурными проектами и разработку совместных туристических программ.",
    "Центральным итогом встречи стало подписание Меморандума о взаимопонимании между Правительством "
    "Вологодской области и Акиматом Алматинской области. Документ заложил основу для дальнейшего развития "
    "взаимодействия между регионами, включая образование, науку и здравоохранение.",
    "Республика Казахстан является одним из приоритетных направлений для экспорта лесопродукции из "
    "Вологодской области. Текущий объём поставок вологодской продукции на казахстанском направлении "
    "составляет 75 тысяч тонн в год. В Казахстан поставляются кондитерские и молочные изделия.",
    "Гости посетили ведущие предприятия региона: деревообрабатывающий комбинат, молочный комбинат и завод "
    "полиэтиленовых труб. Для делегатов была организована культурная программа с экскурсией по Вологодскому "
    "кремлю и Музею кружева, что подчеркнуло намерение сторон развивать гуманитарные и туристические связи.",
)


def article(chars: int = 5_000) -> str:
    """Paragraphs repeated (with a counter so sentences differ) up to about `chars` characters."""
    parts: list[str] = []
    i = 0
    while sum(len(p) + 1 for p in parts) < chars:
        parts.append(PARAGRAPHS[i % len(PARAGRAPHS)].replace("5 декабря", f"{i % 28 + 1} декабря"))
        i += 1
    return "\n".join(parts)[:chars]


def measure(fn: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(runs: int = 200) -> None:
    text = article()
    body = main_text(text, TITLE)
    stages: dict[str, Callable[[], object]] = {
        "clean": lambda: main_text(text, TITLE),
        "language": lambda: detect_language(body),
        "cooperation (incl. mentions)": lambda: detect_cooperation(TITLE, body, is_main_text=True),
        "topics": lambda: detect_topics(TITLE, body),
        "summary": lambda: summarize(body, "ru"),
        "fingerprint": lambda: signature(TITLE, body),
        "lemmas (FTS)": lambda: lemmatize_text(f"{TITLE}\n{body}"),
        "TOTAL analyze()": lambda: analyze(TITLE, text),
    }
    cold = measure(lambda: analyze(TITLE, text), 1)[0]
    for fn in stages.values():
        measure(fn, 3)  # warm-up: morphology caches, gazetteer index
    print(f"article: {len(text)} chars; first (cold) analyze(): {cold:.1f} ms; {runs} runs per stage")
    print(f"{'stage':<30}{'mean ms':>10}{'p50 ms':>10}{'p95 ms':>10}")
    total: list[float] = []
    for name, fn in stages.items():
        times = measure(fn, runs)
        if name.startswith("TOTAL"):
            total = times
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name:<30}{statistics.mean(times):>10.2f}{statistics.median(times):>10.2f}{p95:>10.2f}")
    print(f"articles/s (one core): {1000 / statistics.mean(total):.0f}")


if __name__ == "__main__":
    main()
