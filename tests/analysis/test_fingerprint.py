"""Story fingerprints: syndicated copies found, unrelated stories not."""

from __future__ import annotations

import subprocess
import sys

from analysis.fingerprint import NUM_PERM, StoryIndex, signature

TITLE = "Вологодская область и Алматинская область подписали меморандум"
TEXT = (
    "Вологда, 5 декабря. Между Правительством Вологодской области и Акиматом Алматинской области подписан "
    "меморандум о взаимопонимании. Документ предусматривает создание совместных производств в лесопромышленном "
    "комплексе, сотрудничество в агропромышленной сфере и обмен культурными проектами. Стороны договорились "
    "создать рабочую группу и подготовить дорожную карту на ближайшие годы. Ответный визит вологодской "
    "делегации в Алматинскую область запланирован на 2026 год."
)
COPY_TITLE = "Вологодская и Алматинская области подписали меморандум"
COPY_TEXT = (
    TEXT.replace("Вологда, 5 декабря.", "ВОЛОГДА, 5 дек — РИА Регион.").replace("ближайшие", "последующие")
    + " Об этом сообщает пресс-служба."
)
OTHER_TITLE = "В Кургане открыли новый мост через Тобол"
OTHER_TEXT = (
    "В Кургане после реконструкции открыли движение по мосту через реку Тобол. Работы продолжались два года, "
    "подрядчик заменил пролёты и опоры. Мэр города поблагодарил строителей и пообещал отремонтировать ещё "
    "три моста в следующем сезоне."
)


def test_signature_shape_and_determinism_across_processes() -> None:
    sig = signature(TITLE, TEXT)
    assert len(sig) == NUM_PERM
    code = f"from analysis.fingerprint import signature;print(signature({TITLE!r}, {TEXT!r}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(sig)


def test_syndicated_copy_is_found_and_unrelated_is_not() -> None:
    index = StoryIndex()
    index.add(1, signature(TITLE, TEXT), TITLE)
    index.add(2, signature(OTHER_TITLE, OTHER_TEXT), OTHER_TITLE)
    assert index.find(signature(COPY_TITLE, COPY_TEXT), COPY_TITLE) == 1
    unrelated = "Вологодские школьники победили на олимпиаде по математике"
    assert index.find(signature(unrelated, "Команда вологодских школьников заняла первое место."), unrelated) is None


def test_rebuilt_index_finds_the_same_story() -> None:
    stored = [(7, signature(TITLE, TEXT), TITLE)]
    rebuilt = StoryIndex()
    for key, sig, title in stored:
        rebuilt.add(key, sig, title)
    assert rebuilt.find(signature(COPY_TITLE, COPY_TEXT), COPY_TITLE) == 7


def test_empty_articles_never_match() -> None:
    index = StoryIndex()
    index.add(1, signature("", ""), "")
    assert index.find(signature("", ""), "") is None


def test_signatures_equal_datasketch_affine32_so_stored_ones_stay_comparable() -> None:
    # datasketch is a dev dependency only: it stays the reference our own MinHash must reproduce.
    from datasketch import MinHash

    from analysis.fingerprint import SEED, _shingles

    cases = [
        (TITLE, TEXT),
        (COPY_TITLE, COPY_TEXT),
        (OTHER_TITLE, OTHER_TEXT),
        ("Ёлки", ""),
        ("", ""),
        ("Тараз", "Жамбыл облысы мен Омбы облысы ынтымақтастық туралы келісімге қол қойды. " * 40),
    ]
    for title, text in cases:
        reference = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")
        shingles = _shingles(title, text)
        if shingles:
            reference.update_batch(list(shingles))
        assert signature(title, text) == [int(v) for v in reference.hashvalues], title


def test_compacted_index_still_finds_and_keeps_growing() -> None:
    index = StoryIndex()
    for key in range(1, 1_500):
        index.add(key, signature(f"Новость номер {key}", f"текст {key} про разное {key * 7}"), f"новость {key}")
    index.add(5_000, signature(TITLE, TEXT), TITLE)
    index.compact(headroom=0)
    assert index.find(signature(COPY_TITLE, COPY_TEXT), COPY_TITLE) == 5_000
    index.add(5_001, signature(OTHER_TITLE, OTHER_TEXT), OTHER_TITLE)  # full after compaction: must grow again
    assert index.find(signature(OTHER_TITLE, OTHER_TEXT), OTHER_TITLE) == 5_001
    assert len(index) == 1_501
