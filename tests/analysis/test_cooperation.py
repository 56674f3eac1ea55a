"""Cooperation parties: seeds exactly right, hard negatives rejected, implicit home region."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.cooperation import detect_cooperation
from analysis.evaluation import seed_items
from analysis.pipeline import analyze


def test_seeds_parties_exactly_right(seeds_dir: Path) -> None:
    items = seed_items(seeds_dir)
    assert len(items) == 5
    for item in items:
        result = analyze(item.title, item.text)
        assert result.cooperation.is_cooperation, item.id
        assert set(result.cooperation.parties) == set(item.parties), item.id


def test_seed_events(seeds_dir: Path) -> None:
    for item in seed_items(seeds_dir):
        assert analyze(item.title, item.text).cooperation.event == item.event, item.id


POSITIVE = (
    "Вологодская область и Алматинская область подписали меморандум о сотрудничестве",
    "В Вологде губернатор Вологодской области и аким Алматинской области подписали меморандум о "
    "сотрудничестве в лесопромышленном комплексе и сельском хозяйстве.\n"
    "Стороны договорились о взаимных визитах делегаций.",
)


def test_plain_positive() -> None:
    result = detect_cooperation(*POSITIVE)
    assert result.is_cooperation
    assert result.parties == [("RU-VLG", "KZ-19")]
    assert result.event == "agreement"
    assert 0 < result.confidence <= 1


NEGATIVES = {
    "read-also only": (
        "В Вологодской области отремонтируют 40 километров дорог",
        "Дорожники Вологодской области начали ремонт трассы Вологда — Медвежьегорск. Работы завершат к осени, "
        "сообщили в департаменте строительства региона.\nПодрядчик уже уложил первый слой асфальта.\n"
        "Читайте также:\nКазахстан и Вологодская область обсудили сотрудничество\nШторм в Казахстане",
    ),
    "two russian regions": (
        "Вологодская и Архангельская области подписали соглашение о сотрудничестве",
        "Губернаторы Вологодской и Архангельской областей подписали соглашение о сотрудничестве в сфере "
        "лесного хозяйства. Стороны договорились о совместных проектах.",
    ),
    "no russian side": (
        "Kazakhstan and Uzbekistan sign trade agreement",
        "The akim of Turkistan region and the khokim of Tashkent region signed an agreement on cooperation "
        "in trade and agriculture during the visit of the Uzbek delegation.",
    ),
    "federal level": (
        "Россия и Киргизия обсудили сотрудничество",
        "Министры иностранных дел России и Киргизии провели переговоры в Москве и обсудили развитие "
        "стратегического партнёрства двух стран. Стороны подписали план консультаций.",
    ),
    "local firms": (
        "Два вологодских предприятия договорились о сотрудничестве",
        "Вологодский молочный комбинат и местная торговая сеть подписали соглашение о сотрудничестве. "
        "Продукция появится на полках магазинов Вологодской области в мае.",
    ),
}


@pytest.mark.parametrize("case", sorted(NEGATIVES))
def test_hard_negatives(case: str) -> None:
    title, text = NEGATIVES[case]
    result = detect_cooperation(title, text)
    assert not result.is_cooperation, result
    assert result.parties == []


def test_home_region_fills_the_implicit_russian_side() -> None:
    title = "Губернатор принял делегацию Чуйской области"
    text = (
        "Губернатор принял делегацию Чуйской области Киргизской Республики. Стороны обсудили сотрудничество "
        "в сфере туризма и образования и договорились подготовить соглашение."
    )
    assert not detect_cooperation(title, text).is_cooperation
    with_home = detect_cooperation(title, text, home_region="RU-LEN")
    assert with_home.parties == [("RU-LEN", "KG-C")]


def test_explicit_russian_side_beats_home_region() -> None:
    title = "Делегация Ленобласти посетила Чуйскую область"
    text = "Делегация Ленинградской области посетила Чуйскую область и обсудила сотрудничество в сфере туризма."
    assert detect_cooperation(title, text, home_region="RU-SPE").parties == [("RU-LEN", "KG-C")]


def test_home_region_is_not_used_for_federal_news() -> None:
    title, text = NEGATIVES["federal level"]
    assert not detect_cooperation(title, text, home_region="RU-LEN").is_cooperation


def test_home_region_is_not_used_when_two_foreign_countries_deal_with_each_other() -> None:
    title = "Туркестанская и Ташкентская области подписали соглашение о сотрудничестве"
    text = (
        "Туркестанская область Казахстана и Ташкентская область Узбекистана подписали соглашение о "
        "сотрудничестве в сфере торговли. Стороны создадут совместный логистический центр."
    )
    assert not detect_cooperation(title, text, home_region="RU-VLG").is_cooperation


def test_a_reference_paragraph_names_history_not_sides() -> None:
    # "Справочно:" opens a paragraph of background: its later sentence's partners are not this story's sides.
    title = "Делегация Омской области посетила Чуйскую область"
    text = (
        "Омск, 2 ноября. Делегация Омской области во главе с вице-губернатором провела переговоры с "
        "полпредом правительства в Чуйской области о сотрудничестве в энергетике и сельском хозяйстве. "
        "Стороны подписали план "
        "совместных мероприятий на 2026 год.\n\n"
        "Справочно: Омская область сотрудничает с Костанайской и Карагандинской областями Казахстана. "
        "Соглашения с ними охватывают торговлю и образование."
    )
    result = detect_cooperation(title, text)
    assert result.parties == [("RU-OMS", "KG-C")]


def test_kazakh_also_is_not_qatar() -> None:
    # "Сонымен қатар" (besides) is a conjunction; Qatar is written with a capital letter.
    title = "Жамбыл және Самара облыстары ынтымақтастықты талқылады"
    text = (
        "ТАРАЗ. Жамбыл облысы мен Ресейдің Самара облысы арасындағы ынтымақтастық жөніндегі жұмыс тобының "
        "отырысы өтті. Сонымен қатар Самара облысының кәсіпорны Таразда сервистік орталық ашуға дайын."
    )
    result = detect_cooperation(title, text)
    assert ("RU-SAM", "QA") not in result.parties
    assert ("RU-SAM", "KZ-31") in result.parties


def test_the_partners_other_ties_told_in_passing_are_not_sides() -> None:
    title = "Ural truck maker opens an assembly line in Osh region"
    text = (
        "OSH, 24.kg - An assembly plant of a Sverdlovsk region enterprise opened in Osh region. The Deputy "
        "Governor of Sverdlovsk region and the akim of Osh region signed a cooperation agreement at the launch.\n\n"
        "Sverdlovsk region also cooperates with Bishkek and Chui region in education and trade."
    )
    result = detect_cooperation(title, text)
    assert result.parties == [("RU-SVE", "KG-O")]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Half a century of friendship: how Karaganda and Magnitogorsk became twin cities",
            "A delegation of Chelyabinsk region arrived in Karaganda region. The sides signed a cooperation "
            "agreement on culture and the exchange of young workers.",
        ),
        (
            "Тарих беттері: Алматы мен Новосібір қалай бауырлас қала атанды",
            "Новосібір облысының делегациясы Алматы қаласына келді. Тараптар мәдениет саласындағы "
            "ынтымақтастық туралы келісімге қол қойды.",
        ),
    ],
)
def test_history_headlines_are_not_news_of_cooperation(title: str, text: str) -> None:
    assert not detect_cooperation(title, text).is_cooperation


def test_a_signed_plan_of_joint_actions_is_an_agreement() -> None:
    # "plan" is an intention as a verb ("plan to sign") but the document in "signed a plan of joint actions".
    title = "West Kazakhstan and Saratov regions sign cooperation plan in Uralsk"
    text = (
        "URALSK. KAZINFORM - The akim of West Kazakhstan region and the governor of Russia's Saratov region signed "
        "a plan of joint actions for 2026-2028 during the visit of the Saratov delegation to Uralsk."
    )
    assert detect_cooperation(title, text, lang="en").event == "agreement"
    planned = text.replace("signed a plan of joint actions", "plan to sign a cooperation agreement")
    assert detect_cooperation(title.replace("sign", "discuss"), planned, lang="en").event == "visit"


def test_a_working_groups_session_is_cooperation() -> None:
    title = "Петропавлда Омбы және Түмен облыстарымен шекара маңы көлік мәселелері жөніндегі жұмыс тобы жиналды"
    text = (
        "ПЕТРОПАВЛ. KAZINFORM – Солтүстік Қазақстан облысы әкімдігінде жұмыс тобының отырысы өтті. Оған Омбы және "
        "Түмен облыстары үкіметтерінің көлік департаменттерінің өкілдері қатысты.\n\n"
        "Жұмыс тобы автомобиль жолдарын жөндеу кестесін үйлестіру мәселелерін қарады."
    )
    result = detect_cooperation(title, text, lang="kk")
    assert result.is_cooperation
    assert set(result.parties) == {("RU-OMS", "KZ-59"), ("RU-TYU", "KZ-59")}


def test_an_ambassador_is_the_country_even_when_its_capital_comes_up_late() -> None:
    title = "Глава Чувашии принял Посла Кыргызской Республики"
    text = (
        "Глава Чувашской Республики встретился с Чрезвычайным и Полномочным Послом Кыргызской Республики в "
        "Российской Федерации. Стороны обсудили сотрудничество Чувашии и Кыргызстана в электротехнике, "
        "образовании и культуре.\n\n"
        "Посол отметил, что Кыргызстан заинтересован в поставках чувашских тракторов и в обучении "
        "кыргызских студентов в вузах Чебоксар. Кыргызская сторона готова расширить сотрудничество.\n\n"
        "«Предлагаем провести бизнес-миссию чебоксарских компаний в Бишкек», — отметил Глава республики."
    )
    assert detect_cooperation(title, text).parties == [("RU-CU", "KG")]


def test_a_proposal_to_sign_is_no_signing() -> None:
    title = "Kazakh Energy Ministry delegation visits Yamal"
    text = (
        "SALEKHARD. A delegation of the Ministry of Energy of Kazakhstan visited the Yamalo-Nenets Autonomous Okrug "
        "and met with the Governor of the region to discuss cooperation in gas processing.\n\n"
        "The Governor proposed signing an agreement on training Kazakh engineers at Yamal colleges."
    )
    assert detect_cooperation(title, text, lang="en").event == "visit"
