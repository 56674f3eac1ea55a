"""Surge detection: a spike fires, a steady series of the same total never does, one message per partner a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import NamedTuple

from alerts.surges import (
    HISTORY_DAYS,
    MIN_COUNT,
    find_surges,
    follows,
    for_reader,
    is_surge,
    one_per_partner,
    poisson_tail,
)
from storage.repositories.reports import PartyDay

TZ = "Europe/Moscow"
DAY = date(2026, 3, 30)
_ids = count(1)


class Rule(NamedTuple):
    kind: str
    region: str | None = None
    partner: str | None = None
    topic: str | None = None
    keyword: str | None = None


def rows_for(per_day: list[int], *, ru: str = "RU-VLG", partner: str = "KZ-19") -> list[PartyDay]:
    """Cooperation items for one pair, per_day[-1] on DAY and the others on the days before it (noon, Moscow)."""
    rows = []
    for back, n in enumerate(reversed(per_day)):
        moment = datetime(DAY.year, DAY.month, DAY.day, 9, tzinfo=UTC) - timedelta(days=back)
        rows += [PartyDay(next(_ids), moment, ru, partner) for _ in range(n)]
    return rows


def test_poisson_tail_is_a_probability() -> None:
    assert poisson_tail(0, 2.0) == 1.0
    assert abs(poisson_tail(1, 2.0) - (1 - 0.1353352832)) < 1e-9
    assert 0.0 <= poisson_tail(400, 1.0) < 1e-12  # far in the tail, still finite


def test_synthetic_spike_fires_and_steady_series_of_same_total_never_does() -> None:
    spike = [0] * HISTORY_DAYS + [HISTORY_DAYS + 1]
    found = find_surges(rows_for(spike), DAY, TZ)
    assert [(s.key, s.count) for s in found] == [("KZ", 29), ("RU-VLG|KZ-19", 29)]
    kz = found[0]
    assert kz.usual == 0.0 and kz.series == tuple(spike) and len(kz.article_ids) == 29
    assert list(kz.article_ids) == sorted(kz.article_ids, reverse=True)  # all at one moment: the last stored first

    steady = rows_for([1] * (HISTORY_DAYS + 1))  # the same 29 items, one a day
    assert len(steady) == sum(spike)
    for back in range(HISTORY_DAYS + 1):  # checked on every one of those days
        assert find_surges(steady, DAY - timedelta(days=back), TZ) == []
    # and a busy partner at its usual level (12 a day, every day) is no surge either
    busy = rows_for([12] * (HISTORY_DAYS + 1))
    assert find_surges(busy, DAY, TZ) == []


def test_top_items_are_the_newest_first() -> None:
    moment = datetime(2026, 3, 30, 9, tzinfo=UTC)
    ids = [next(_ids) for _ in range(6)]
    rows = [PartyDay(i, moment - timedelta(minutes=n), "RU-VLG", "KZ-19") for n, i in enumerate(ids)]
    (kz, _pair) = find_surges(rows, DAY, TZ)
    assert kz.article_ids == tuple(ids)  # the first stored was published last


def test_quiet_partners_second_item_is_no_surge() -> None:
    assert not is_surge(2, [0] * HISTORY_DAYS)
    assert not is_surge(MIN_COUNT - 1, [0] * HISTORY_DAYS)
    assert is_surge(MIN_COUNT, [0] * HISTORY_DAYS)
    assert find_surges(rows_for([0] * 27 + [1, 0, 2]), DAY, TZ) == []


def test_items_count_once_per_key_and_country_level_pairs_make_no_pair_key() -> None:
    moment = datetime(2026, 3, 30, 9, tzinfo=UTC)
    rows = []
    for _ in range(6):  # each item names two Kazakh regions with Vologda: KZ counts it once
        article = next(_ids)
        rows += [PartyDay(article, moment, "RU-VLG", "KZ-19"), PartyDay(article, moment, "RU-VLG", "KZ-75")]
    rows += [PartyDay(next(_ids), moment, "RU-VLG", "UZ") for _ in range(6)]
    found = {s.key: s.count for s in find_surges(rows, DAY, TZ)}
    assert found == {"KZ": 6, "RU-VLG|KZ-19": 6, "RU-VLG|KZ-75": 6, "UZ": 6}


def test_follows_places_and_pairs() -> None:
    kazakhstan, almaty, vologda = Rule("region", "KZ"), Rule("region", "KZ-75"), Rule("region", "RU-VLG")
    pair = Rule("pair", "RU-VLG", "KZ")
    assert follows([kazakhstan], "KZ") and follows([kazakhstan], "RU-VLG|KZ-75")
    assert not follows([almaty], "KZ") and follows([almaty], "RU-VLG|KZ-75")
    assert not follows([vologda], "KZ") and follows([vologda], "RU-VLG|KZ-19")
    assert follows([pair], "KZ") and follows([pair], "RU-VLG|KZ-19") and not follows([pair], "RU-OMS|KZ-19")
    assert not follows([Rule("topic", topic="forestry"), Rule("keyword", keyword="меморандум")], "KZ")


def test_one_message_per_partner_a_day_country_before_pairs() -> None:
    rows = rows_for([0] * HISTORY_DAYS + [9]) + rows_for([0] * HISTORY_DAYS + [7], ru="RU-OMS", partner="KZ-75")
    rows += rows_for([0] * HISTORY_DAYS + [6], partner="UZ-TO")
    found = find_surges(rows, DAY, TZ)
    assert {s.key for s in found} == {"KZ", "RU-VLG|KZ-19", "RU-OMS|KZ-75", "UZ", "RU-VLG|UZ-TO"}

    kazakhstan = [Rule("region", "KZ")]
    assert [s.key for s in for_reader(found, kazakhstan)] == ["KZ"]  # its country's surge, not three
    vologda = [Rule("region", "RU-VLG")]
    assert sorted(s.key for s in for_reader(found, vologda)) == ["RU-VLG|KZ-19", "RU-VLG|UZ-TO"]
    assert for_reader(found, [Rule("region", "BY")]) == []

    # a later run the same day: the partner was told of already, whatever key fires now
    later = [s for s in found if s.key == "RU-OMS|KZ-75"]
    assert for_reader(later, kazakhstan, already={"KZ", "RU-VLG|KZ-19"}) == []
    # ... but a key the reader did not follow earlier does not silence a partner they follow
    omsk = [Rule("region", "RU-OMS")]
    assert [s.key for s in for_reader(later, omsk, already={"RU-VLG|KZ-19"})] == ["RU-OMS|KZ-75"]


class Recorded(NamedTuple):
    key: str
    count: int


def test_one_per_partner_takes_recorded_rows_too() -> None:
    recorded = [Recorded("RU-VLG|KZ-19", 9), Recorded("RU-OMS|KZ-75", 12), Recorded("UZ", 5)]
    chosen = one_per_partner(recorded, [Rule("region", "KZ"), Rule("region", "UZ")])
    assert chosen == [Recorded("UZ", 5), Recorded("RU-OMS|KZ-75", 12)]  # countries first, then the biggest pair
