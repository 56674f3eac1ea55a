"""/subscribe: the tap-through picker and the text form."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from analysis.gazetteer import Place, load_gazetteer
from analysis.lemmas import lemmatize_text
from analysis.topics import TOPIC_IDS, topic_name
from bot.callbacks import INSTANT, Goal, KeywordCb, MenuCb, NewSubCb, PickCb, PickStage, SubAction, SubCb, TopicCb
from bot.did_you_mean import near_places, near_topics, suggestions_markup
from bot.formatting import escape, mode_label, place_label, subscription_title
from bot.i18n import t
from bot.keyboards import country_list, country_regions, mode_question, place_choice, subscribe_menu, topic_list
from bot.query import parse_subscribe, quoted_keyword
from bot.routers.common import edit_or_send, stale_button
from bot.undo import PendingKeywords
from storage import Database
from storage.models import Subscription, User

MAX_SUBSCRIBE_CHARS = 200
MAX_KEYWORD_CHARS = 100


def _switch_mode_button(lang: str, sub: Subscription) -> InlineKeyboardMarkup:
    label = t("Switch to the digest", lang) if sub.mode == INSTANT else t("Switch to instant alerts", lang)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=label, callback_data=SubCb(action=SubAction.TOGGLE_MODE, sub_id=sub.id).pack())]
        ]
    )


async def _create(
    db: Database,
    user_id: int,
    new: NewSubCb,
    keyword: str | None = None,
    label: str = "",
    *,
    thread_id: int | None = None,
) -> tuple[Subscription, bool]:
    async with db.write() as uow:
        sub, created = await uow.subscriptions.add(
            user_id,
            new.kind,
            region=new.region or None,
            partner=new.partner or None,
            topic=new.topic or None,
            keyword=keyword,
            label=label,
            mode=new.mode or INSTANT,
            thread_id=thread_id,
        )
        await uow.commit()
    return sub, created


def _done_text(sub: Subscription, created: bool, lang: str) -> str:
    title = subscription_title(sub, lang)
    if not created:
        return t("You already follow {title} ({mode}).", lang, title=title, mode=mode_label(sub.mode, lang))
    return t(
        "✅ Subscribed: {title} ({mode}).\nAll subscriptions: /subscriptions",
        lang,
        title=title,
        mode=mode_label(sub.mode, lang),
    )


def _valid_new(new: NewSubCb) -> bool:
    gaz = load_gazetteer()
    if new.mode not in ("", "instant", "digest") or (new.topic and new.topic not in TOPIC_IDS):
        return False
    if new.kind == "topic":
        return bool(new.topic) and not new.region and not new.partner
    if new.kind == "region":
        return gaz.get(new.region) is not None and not new.partner
    if new.kind == "pair":
        return gaz.get(new.region) is not None and gaz.get(new.partner) is not None and new.region != new.partner
    return False


async def on_subscribe(
    message: Message,
    command: CommandObject,
    db: Database,
    db_user: User,
    lang: str,
    pending: PendingKeywords,
    thread_id: int | None = None,
) -> None:
    """/subscribe [what]; in a team chat the subscription is the chat's, in the topic it was asked in."""
    text = (command.args or "").strip()
    if not text:
        await message.answer(t("What do you want to follow?", lang), reply_markup=subscribe_menu(lang))
        return
    if len(text) > MAX_SUBSCRIBE_CHARS:
        await message.answer(
            t("That is too long ({n} characters). Send a name, a topic or a short keyword.", lang, n=len(text))
        )
        return
    user_id = db_user.id
    target = parse_subscribe(text)
    if target.place_topic and target.places:
        await _subscribe_places(message, db, lang, user_id, target.places, target.place_topic, thread_id)
    elif target.places and target.keyword:  # a near miss of a place name: ask, offering the word too
        await _ask_what_was_meant(message, lang, pending, user_id, target.keyword, target.places)
    elif target.places:
        await _subscribe_places(message, db, lang, user_id, target.places, "", thread_id)
    elif target.topic:
        new = NewSubCb(kind="topic", topic=target.topic)
        sub, created = await _create(db, user_id, new, thread_id=thread_id)
        await message.answer(_done_text(sub, created, lang), reply_markup=_switch_mode_button(lang, sub))
    elif quoted_keyword(text) is not None:  # quotes: the user asked for the words themselves
        await _subscribe_keyword(message, db, lang, target.keyword or text, user_id=user_id, thread_id=thread_id)
    else:
        await _ask_what_was_meant(message, lang, pending, user_id, target.keyword or text)


async def _ask_what_was_meant(
    message: Message,
    lang: str,
    pending: PendingKeywords,
    user_id: int,
    text: str,
    places: list[Place] | None = None,
) -> None:
    """No place or topic by that name: offer the nearest ones and following the word itself."""
    places, topics = (places or near_places(text))[:4], near_topics(text)
    key = pending.remember(user_id, " ".join(text.split()))
    if places or topics:
        question = t("I know no place or topic «{text}». Did you mean one of these, or follow the word itself?",
                     lang, text=escape(text[:100]))
    else:
        question = t("I know no place or topic «{text}». Follow it as a word in news texts?", lang,
                     text=escape(text[:100]))
    await message.answer(question, reply_markup=suggestions_markup(lang, places, topics, text, key))


async def on_keyword_confirmed(
    query: CallbackQuery,
    callback_data: KeywordCb,
    db: Database,
    db_user: User,
    lang: str,
    pending: PendingKeywords,
    thread_id: int | None = None,
) -> None:
    keyword = pending.take(db_user.id, callback_data.key)
    if keyword is None or not isinstance(query.message, Message):
        await stale_button(query, lang)
        return
    await _subscribe_keyword(query.message, db, lang, keyword, user_id=db_user.id, thread_id=thread_id)
    await query.answer()


async def _subscribe_places(
    message: Message,
    db: Database,
    lang: str,
    user_id: int,
    places: list[Place],
    topic: str,
    thread_id: int | None,
) -> None:
    if len(places) > 1:
        names = ", ".join(place_label(p.code, lang) for p in places[:8])
        await message.answer(
            t("Which one do you mean: {names}?", lang, names=names), reply_markup=place_choice(lang, places, topic)
        )
        return
    new = NewSubCb(kind="region", region=places[0].code, topic=topic)
    sub, created = await _create(db, user_id, new, thread_id=thread_id)
    await message.answer(_done_text(sub, created, lang), reply_markup=_switch_mode_button(lang, sub))


async def _subscribe_keyword(
    message: Message, db: Database, lang: str, keyword: str, *, user_id: int, thread_id: int | None
) -> None:
    """Follow the word for `user_id` (the person, or the team chat); `message` is where to answer."""
    keyword = " ".join(keyword.split())
    lemmas = lemmatize_text(keyword)
    if not lemmas.strip():
        await message.answer(
            t(
                "I found no words to follow in «{text}». Try a region, a topic or a word.",
                lang,
                text=escape(keyword[:100]),
            )
        )
        return
    if len(keyword) > MAX_KEYWORD_CHARS:
        await message.answer(t("A keyword can be at most {n} characters.", lang, n=MAX_KEYWORD_CHARS))
        return
    sub, created = await _create(
        db, user_id, NewSubCb(kind="keyword"), keyword=lemmas[:200], label=keyword, thread_id=thread_id
    )
    await message.answer(_done_text(sub, created, lang), reply_markup=_switch_mode_button(lang, sub))


async def on_menu(query: CallbackQuery, callback_data: MenuCb, lang: str) -> None:
    goal = callback_data.goal
    if goal == Goal.REGION:
        await edit_or_send(
            query,
            t("Choose a country:", lang),
            country_list(lang, PickCb(goal=Goal.REGION, stage=PickStage.COUNTRY_LIST)),
        )
    elif goal == Goal.PAIR:
        await edit_or_send(
            query,
            t("First your own region. Choose its country:", lang),
            country_list(lang, PickCb(goal=Goal.PAIR, stage=PickStage.COUNTRY_LIST)),
        )
    elif goal in (Goal.TOPIC, Goal.REGION_TOPIC):
        prompt = t("Choose a topic:", lang) if goal == Goal.TOPIC else t("First choose a topic, then a place:", lang)
        await edit_or_send(query, prompt, topic_list(lang, goal))
    elif goal == Goal.MENU:
        await edit_or_send(query, t("What do you want to follow?", lang), subscribe_menu(lang))
    else:
        await stale_button(query, lang)
        return
    await query.answer()


def _picker_prompt(state: PickCb, lang: str) -> str:
    if state.goal == Goal.PAIR and state.first:
        return t(
            "Your region: {place}. Now choose the partner — a whole country or one of its regions:",
            lang,
            place=place_label(state.first, lang),
        )
    if state.goal == Goal.REGION_TOPIC and state.topic:
        return t("Topic: {topic}. Now choose the place:", lang, topic=escape(topic_name(state.topic, lang)))
    return (
        t("Choose a country:", lang)
        if state.stage == PickStage.COUNTRY_LIST
        else t("Choose the whole country or a region:", lang)
    )


async def on_pick(query: CallbackQuery, callback_data: PickCb, db: Database, lang: str) -> None:
    gaz = load_gazetteer()
    state = callback_data
    bad = (
        state.goal not in (Goal.REGION, Goal.PAIR, Goal.REGION_TOPIC)
        or (state.stage != PickStage.COUNTRY_LIST and gaz.get(state.country) is None)
        or (state.first and gaz.get(state.first) is None)
        or (state.topic and state.topic not in TOPIC_IDS)
    )
    if bad:
        await stale_button(query, lang)
        return
    if state.stage == PickStage.COUNTRY_LIST:
        partners: list[str] = []
        if state.first:  # the partner side of a pair: countries this region already works with come first
            async with db.read() as uow:
                partners = await uow.articles.partner_countries(state.first)
        markup = country_list(lang, state, partners)
    else:
        markup = country_regions(lang, state)
    await edit_or_send(query, _picker_prompt(state, lang), markup)
    await query.answer()


async def on_topic(query: CallbackQuery, callback_data: TopicCb, lang: str) -> None:
    if callback_data.topic not in TOPIC_IDS or callback_data.goal not in (Goal.TOPIC, Goal.REGION_TOPIC):
        await stale_button(query, lang)
        return
    if callback_data.goal == Goal.REGION_TOPIC:
        state = PickCb(goal=Goal.REGION_TOPIC, stage=PickStage.COUNTRY_LIST, topic=callback_data.topic)
        await edit_or_send(query, _picker_prompt(state, lang), country_list(lang, state))
    else:
        new = NewSubCb(kind="topic", topic=callback_data.topic)
        await _ask_mode(query, new, lang)
    await query.answer()


async def _ask_mode(query: CallbackQuery, new: NewSubCb, lang: str) -> None:
    preview = Subscription(
        kind=new.kind,
        region=new.region or None,
        partner=new.partner or None,
        topic=new.topic or None,
        keyword=None,
        label="",
        mode=INSTANT,
    )
    text = t("{title}\nHow should I deliver this news?", lang, title=subscription_title(preview, lang))
    await edit_or_send(query, text, mode_question(lang, new))


async def on_new_subscription(
    query: CallbackQuery,
    callback_data: NewSubCb,
    db: Database,
    db_user: User,
    lang: str,
    thread_id: int | None = None,
) -> None:
    if not _valid_new(callback_data):
        await stale_button(query, lang)
        return
    if not callback_data.mode:
        await _ask_mode(query, callback_data, lang)
        await query.answer()
        return
    sub, created = await _create(db, db_user.id, callback_data, thread_id=thread_id)
    await edit_or_send(query, _done_text(sub, created, lang), None)
    await query.answer(t("Subscribed", lang) if created else None)


def build_router() -> Router:
    router = Router(name="subscribe")
    for observer in (router.message, router.channel_post):  # a channel's admins post its commands
        observer.register(on_subscribe, Command("subscribe"))
    router.callback_query.register(on_menu, MenuCb.filter())
    router.callback_query.register(on_pick, PickCb.filter())
    router.callback_query.register(on_topic, TopicCb.filter())
    router.callback_query.register(on_new_subscription, NewSubCb.filter())
    router.callback_query.register(on_keyword_confirmed, KeywordCb.filter())
    return router
