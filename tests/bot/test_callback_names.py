"""Callback values have names in the code and the same short codes on the wire (old buttons keep working)."""

from __future__ import annotations

from bot.callbacks import (
    CALLBACK_DATA_LIMIT,
    Goal,
    NewSubCb,
    PickCb,
    PickStage,
    SettingKey,
    SettingsCb,
    SubAction,
    SubCb,
)


def test_wire_codes_are_unchanged() -> None:
    assert PickCb(goal=Goal.PAIR, stage=PickStage.DISTRICT, country="RU", district="NW").pack() == "pk:p:fd:RU:NW:0::"
    assert SubCb(action=SubAction.TOGGLE_MODE, sub_id=7).pack() == "sb:md:7:0"
    assert SettingsCb(key=SettingKey.NO_NEWS_NOTE).pack() == "st:nn:"


def test_codes_unpack_to_names_and_round_trip() -> None:
    state = PickCb.unpack("pk:x:cl:::0::forestry")
    assert (state.goal, state.stage, state.topic) == (Goal.REGION_TOPIC, PickStage.COUNTRY_LIST, "forestry")
    assert SubCb.unpack("sb:rm:3:1").action is SubAction.REMOVE
    assert SettingsCb.unpack("st:v:tz") == SettingsCb(key=SettingKey.VIEW, value="tz")
    longest = NewSubCb(kind="pair", region="RU-VLG", partner="KZ-19", topic="agriculture", mode="instant").pack()
    assert len(longest.encode()) <= CALLBACK_DATA_LIMIT


def test_unknown_codes_are_refused() -> None:
    for data, factory in (("sb:zz:1:0", SubCb), ("pk:q:cl:::0::", PickCb), ("st:xx:", SettingsCb)):
        try:
            factory.unpack(data)
        except ValueError:
            continue
        raise AssertionError(f"{data} unpacked")
