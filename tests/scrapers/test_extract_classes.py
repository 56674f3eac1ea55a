"""Generic extraction on composed news pages, one per failure class of issue 13 ("Why pages fail today").

Each page is written here in the style of a regional news site (menus, sidebars, link lists, footers) and the
test asserts that the generic profile returns the article's paragraphs and leaves the furniture out.
"""

from __future__ import annotations

import pytest

from scrapers.parsers import get_profile
from scrapers.parsers.clean import is_clutter_class
from scrapers.sources import SourceConfig

NAV = """<header class="site-header"><div class="logo"><a href="/">Региональные новости</a></div>
<nav class="main-menu"><ul><li><a href="/news/">Новости</a></li><li><a href="/economy/">Экономика</a></li>
<li><a href="/regions/">Регионы</a></li><li><a href="/contacts/">Контакты</a></li></ul></nav></header>"""
SIDEBAR = """<aside class="right-col"><h3>Популярное</h3><ul>
<li><a href="/news/101">В Омске открыли новый мост через Иртыш после реконструкции</a></li>
<li><a href="/news/102">Губернатор провёл приём граждан по вопросам ЖКХ и благоустройства</a></li>
<li><a href="/news/103">Фермеры региона собрали рекордный урожай пшеницы в этом году</a></li></ul></aside>"""
FOOTER = """<footer><p>© 2025 Региональные новости. Все права защищены.</p>
<p><a href="/about/">О редакции</a> <a href="/ads/">Реклама на сайте</a></p></footer>"""

RU_PARAGRAPHS = [
    "Делегация Омской области во главе с губернатором провела переговоры с акиматом Павлодарской области "
    "о расширении приграничного сотрудничества.",
    "Стороны договорились увеличить поставки сельскохозяйственной техники и создать совместное предприятие "
    "по переработке зерна в Павлодаре.",
    "По словам министра экономического развития региона, товарооборот между областями за девять месяцев "
    "вырос на двадцать два процента.",
    "Следующая встреча рабочей группы пройдёт в Омске в марте, на ней подпишут дорожную карту до 2027 года.",
]
MORE_RU_PARAGRAPHS = [
    "В составе делегации были руководители крупных аграрных холдингов, машиностроительных заводов и "
    "логистических компаний, которые провели отдельные встречи с павлодарскими партнёрами.",
    "Отдельно обсуждалось открытие нового пассажирского авиарейса между Омском и Павлодаром, а также "
    "увеличение числа пригородных поездов в летний сезон.",
    "Губернатор отметил, что приграничные регионы двух стран связывают не только экономические, но и "
    "давние культурные связи, и пригласил коллег на форум в Омске.",
    "По итогам визита стороны подписали протокол о намерениях, а профильные министерства получили "
    "поручение подготовить перечень совместных проектов к концу первого квартала.",
]
KK_PARAGRAPHS = [
    "Павлодар облысының әкімі Омбы облысының делегациясымен кездесіп, шекаралас ынтымақтастықты кеңейту "
    "мәселелерін талқылады.",
    "Тараптар ауыл шаруашылығы техникасын жеткізуді арттыруға және астық өңдейтін бірлескен кәсіпорын құруға келісті.",
    "Өңірлер арасындағы тауар айналымы тоғыз айда жиырма екі пайызға өсті, деп хабарлады облыстық "
    "экономика басқармасы.",
]
EN_PARAGRAPHS = [
    "The Almaty region akimat and the Novosibirsk regional government signed an agreement on joint "
    "dairy production on Tuesday.",
    "Under the agreement, a processing plant near Talgar will receive milk from farms on both sides and "
    "ship cheese to Siberia from the spring.",
    "Officials said the plant would employ three hundred people and cost about forty million dollars, "
    "shared between regional funds and private investors.",
    "The two regions also plan a trade fair in Novosibirsk in June to show products of Kazakh farms.",
]
SOURCE = SourceConfig(id="composed", name="Composed", url="https://region.example/news/", lang="ru")


def _extract(page: str) -> str:
    article = get_profile("generic").parse_article(page, "https://region.example/news/2025/11/item-12345", SOURCE)
    assert article is not None, "no article extracted"
    return article.body


def _paragraphs(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{p}</p>" for p in paragraphs)


def _assert_all(body: str, paragraphs: list[str]) -> None:
    for paragraph in paragraphs:
        assert paragraph in body, f"missing: {paragraph[:60]}…"


def _assert_no_furniture(body: str) -> None:
    for furniture in ("В Омске открыли новый мост", "Все права защищены", "Экономика", "Реклама на сайте"):
        assert furniture not in body


@pytest.mark.parametrize(
    ("names", "clutter"),
    [
        ("subType-unsubscribed", False),
        ("article-body pagination-first", False),
        ("content-advertorial-wrap main", False),
        ("uiTheme unsubscribed-user", False),
        ("news-share", True),
        ("shareBox", True),
        ("advertisement", True),
        ("read-also", True),
        ("subscribe-form", True),
        ("pagination", True),
    ],
)
def test_clutter_names_match_whole_class_words(names: str, clutter: bool) -> None:
    assert is_clutter_class(names) is clutter


def test_body_class_that_contains_a_clutter_word_keeps_the_page() -> None:
    page = f"""<html><head><title>Омск и Павлодар</title></head>
<body class="page-template article subType-unsubscribed no-sidebar">{NAV}
<main id="content"><h1>Омск и Павлодар расширят сотрудничество</h1>
<div class="article-body pagination-first">{_paragraphs(RU_PARAGRAPHS)}</div></main>{SIDEBAR}{FOOTER}</body></html>"""
    body = _extract(page)
    _assert_all(body, RU_PARAGRAPHS)
    _assert_no_furniture(body)


def test_content_wrapper_named_advert_is_kept() -> None:
    # A sponsored-content site: the article sits in a wrapper whose id says "advertorial".
    page = f"""<html><body>{NAV}<div id="advertorial-page"><div class="advertorial-inner">
<h1>Almaty and Novosibirsk agree on a dairy plant</h1>{_paragraphs(EN_PARAGRAPHS)}</div></div>
<div class="advert-block"><a href="/ads/1">Buy a tractor today with a discount of twenty percent</a></div>
{FOOTER}</body></html>"""
    body = _extract(page)
    _assert_all(body, EN_PARAGRAPHS)
    assert "Buy a tractor" not in body


def test_aspnet_form_wrapping_the_page_is_kept() -> None:
    page = f"""<html><body><form method="post" action="./News.aspx?id=4521" id="aspnetForm">
<input type="hidden" name="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRk" />{NAV}
<div id="ctl00_ContentPlaceHolder1_pnlNews"><h1>Омск и Павлодар расширят сотрудничество</h1>
<span id="ctl00_ContentPlaceHolder1_lblDate">19.11.2025</span>{_paragraphs(RU_PARAGRAPHS)}</div>
{SIDEBAR}<div class="search"><form action="/search"><input name="q"/><button>Найти</button></form></div>
{FOOTER}</form></body></html>"""
    body = _extract(page)
    _assert_all(body, RU_PARAGRAPHS)
    _assert_no_furniture(body)


def test_the_best_article_element_wins_not_the_first() -> None:
    promo = """<article class="promo-card"><a href="/special/1"><h3>Спецпроект</h3>
<p>Как живут приграничные сёла: фоторепортаж нашего корреспондента</p></a></article>"""
    related = """<article class="card"><a href="/news/99"><p>Павлодарские фермеры отправили первую партию мёда
в Омск</p></a></article>"""
    page = f"""<html><body>{NAV}<div class="top">{promo}</div><div class="layout">
<article class="news-full"><h1>Павлодар және Омбы ынтымақтастықты кеңейтеді</h1>{_paragraphs(KK_PARAGRAPHS)}
</article><div class="more">{related}{related}</div></div>{FOOTER}</body></html>"""
    body = _extract(page)
    _assert_all(body, KK_PARAGRAPHS)
    assert "фоторепортаж" not in body and "первую партию мёда" not in body


def test_read_more_heading_inside_the_article_does_not_cut_it() -> None:
    inner = _paragraphs(EN_PARAGRAPHS[:2]) + "<h3>Read more</h3>" + _paragraphs(EN_PARAGRAPHS[2:])
    related = """<div class="after"><h3>Related news</h3><ul>
<li><a href="/news/77">Kazakhstan and Russia discuss new border crossing points in the north</a></li>
<li><a href="/news/78">Novosibirsk hosts an exhibition of agricultural machinery this week</a></li>
<li><a href="/news/79">Almaty region farmers expect a good harvest of apples this autumn</a></li></ul></div>"""
    page = f"""<html><body>{NAV}<div class="page"><h1>Almaty and Novosibirsk agree on a dairy plant</h1>
<div class="text">{inner}</div>{related}</div>{FOOTER}</body></html>"""
    body = _extract(page)
    _assert_all(body, EN_PARAGRAPHS)
    assert "border crossing" not in body and "apples" not in body


def test_read_more_line_in_the_middle_of_lines_cuts_only_the_tail() -> None:
    from scrapers.parsers.clean import clean_lines

    long = [p + " " + p for p in EN_PARAGRAPHS]
    lines = [long[0], long[1], "Read more", long[2], long[3], "Related news", "Short headline one", "Another one"]
    assert clean_lines(lines) == long


def test_text_straight_in_spans_is_the_article() -> None:
    spans = "<br><br>".join(f'<span style="font-size:14px">{p}</span>' for p in RU_PARAGRAPHS)
    page = f"""<html><body>{NAV}<table class="layout"><tr><td class="left">{SIDEBAR}</td>
<td class="center"><h1>Омск и Павлодар расширят сотрудничество</h1><div class="newsbody">{spans}</div></td></tr>
</table>{FOOTER}</body></html>"""
    body = _extract(page)
    _assert_all(body, RU_PARAGRAPHS)
    _assert_no_furniture(body)


def test_article_split_in_sibling_blocks_is_taken_whole() -> None:
    page = f"""<html><body>{NAV}<div class="news-page"><h1>Almaty and Novosibirsk agree on a dairy plant</h1>
<div class="lead"><p>{EN_PARAGRAPHS[0]}</p></div>
<figure><img src="/i/plant.jpg"><figcaption>The plant site near Talgar</figcaption></figure>
<div class="text-part">{_paragraphs(EN_PARAGRAPHS[1:3])}</div>
<div class="banner-inline"><a href="/ads/2">Advertisement: cheap flights to Novosibirsk</a></div>
<div class="text-part">{_paragraphs(EN_PARAGRAPHS[3:])}</div></div>{SIDEBAR}{FOOTER}</body></html>"""
    body = _extract(page)
    _assert_all(body, EN_PARAGRAPHS)
    assert "cheap flights" not in body
    _assert_no_furniture(body)


def test_big_gallery_widget_beside_the_article_stays_out() -> None:
    # A clutter-named widget holding more text than the article is not forgiven as a wrapper when a real
    # article lies outside it.
    slides = "".join(
        f'<li class="slide"><span class="counter">{i}/12</span><h3>Кадр дня номер {i}</h3>'
        f"<p>Снимки недели из разных городов страны: выставки, праздники и спортивные события, "
        f"снятые нашими корреспондентами в субботу и воскресенье, кадр {i}.</p></li>"
        for i in range(1, 13)
    )
    article = [*RU_PARAGRAPHS, *MORE_RU_PARAGRAPHS]
    page = f"""<html><body class="article inline-gallery">{NAV}<div class="page">
<h1>Омск и Павлодар расширят сотрудничество</h1><div class="text">{_paragraphs(article)}</div>
<div class="dnd-widget-wrapper type-gallery"><ul class="slides">{slides}</ul></div></div>{FOOTER}</body></html>"""
    body = _extract(page)
    _assert_all(body, article)
    assert "Кадр дня" not in body and "Снимки недели" not in body


def test_invisible_blocks_are_not_text() -> None:
    hidden = "".join(
        f'<div style="visibility: hidden;"><p>{p}</p></div><div style="display:none"><p>{p}</p></div>'
        for p in ("Скрытый черновик новости о переговорах, который редакция не опубликовала в этом выпуске.",)
    )
    page = f"""<html><body>{NAV}<div class="page"><h1>Омск и Павлодар расширят сотрудничество</h1>{hidden}
<div class="text">{_paragraphs(RU_PARAGRAPHS)}</div></div>{FOOTER}</body></html>"""
    body = _extract(page)
    _assert_all(body, RU_PARAGRAPHS)
    assert "Скрытый черновик" not in body


KY_PARAGRAPHS = [
    "Ысык-Көл облусунун өкүлдөрү Алматы облусунун акимчилиги менен чек ара аймактарындагы соода жана "
    "туризм боюнча кызматташтыкты кеңейтүү маселелерин талкуулашты.",
    "Тараптар жайкы сезондо эки облустун ортосунда жаңы автобус каттамдарын ачууга жана биргелешкен "
    "туристтик маршруттарды түзүүгө макул болушту.",
    "Облустук экономика башкармалыгынын маалыматы боюнча, тогуз айда өз ара соода жүгүртүү жыйырма пайызга өскөн.",
]


def test_kyrgyz_related_heading_ends_the_text_of_teasers() -> None:
    teasers = "".join(
        f'<div class="teaser"><span class="time">12:{i}0</span><div class="t">{t}</div></div>'
        for i, t in enumerate(["Бишкекте жаңы мектеп ачылды", "Нарында кар көчкү коркунучу бар", "Ошто жарманке"])
    )
    page = f"""<html><body>{NAV}<div class="page"><h1>Ысык-Көл жана Алматы облустары кызматташат</h1>
<div class="content">{_paragraphs(KY_PARAGRAPHS)}<h2>Окшош жаңылыктар</h2>{teasers}</div></div>{FOOTER}
</body></html>"""
    body = _extract(page)
    _assert_all(body, KY_PARAGRAPHS)
    assert "Окшош" not in body and "жаңы мектеп" not in body and "Ошто жарманке" not in body


def test_copyright_and_reading_time_lines_are_furniture() -> None:
    from scrapers.parsers.clean import clean_lines

    prose = "Copyright law changes were discussed by the two ministers at length in Astana on Friday."
    lines = ["5 min read", "3 минуты чтения", EN_PARAGRAPHS[0], prose, "© 2025 Kazinform. Все права защищены.",
             "Copyright © 2025 Region News", "Барлық құқықтар қорғалған", "Поделиться новостью",
             "Shareholders of the plant approved the deal.", "Follow Kazinform on Telegram and Instagram",
             "Подписывайтесь на наш канал в Telegram", "Share this article"]  # fmt: skip
    assert clean_lines(lines) == [EN_PARAGRAPHS[0], prose, "Shareholders of the plant approved the deal."]


def test_site_body_selector_inside_a_clutter_named_wrapper_is_kept() -> None:
    import dataclasses

    about = "".join(
        f"<p>Справка о регионе, раздел {i}: площадь, население, история, климат и основные отрасли экономики "
        f"области, а также сведения о районах, городах и памятниках культуры федерального значения.</p>"
        for i in range(12)
    )
    page = f"""<html><body>{NAV}<div class="sidebar-layout"><div class="news-detail">
<h1>Омск и Павлодар расширят сотрудничество</h1><div class="news-detail__text">{"<br>".join(RU_PARAGRAPHS)}</div>
</div></div><div class="region-about">{about}</div>{FOOTER}</body></html>"""
    profile = dataclasses.replace(get_profile("bitrix"), use_trafilatura=False)
    source = SourceConfig(id="b", name="B", url="https://region.example/", parser="bitrix")
    article = profile.parse_article(page, "https://region.example/news/1", source)
    assert article is not None
    _assert_all(article.body, RU_PARAGRAPHS)
    assert "Справка о регионе" not in article.body


def test_short_news_under_the_headline_beats_a_wordier_sidebar() -> None:
    # Official sites post three-line news items; the sidebar's "about the akimat" text is longer prose.
    about = (
        "Акимат Павлодарской области является местным исполнительным органом, возглавляемым акимом области, "
        "который обеспечивает реализацию государственной политики на территории региона, координирует работу "
        "районных и городских акиматов, а также взаимодействует с маслихатом и территориальными подразделениями "
        "центральных государственных органов по вопросам социально-экономического развития."
    )
    page = f"""<html><body>{NAV}<div class="wrap"><div class="col-left"><div class="about-block"><h3>Об акимате</h3>
<p>{about}</p></div></div><div class="col-main"><div class="news-item">
<h1>Павлодар и Омск обсудили поставки зерна</h1><p class="author">Автор: Айгерим Садыкова</p>
<div class="news-item__text">{_paragraphs(RU_PARAGRAPHS[:3])}</div></div></div></div>{FOOTER}</body></html>"""
    body = _extract(page)
    _assert_all(body, RU_PARAGRAPHS[:3])
    assert "Автор" not in body
    assert "местным исполнительным органом" not in body
