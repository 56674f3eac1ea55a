"""Composed official-style sites on 127.0.0.1 for discovery tests: a feed site, a list-page site, a JS-built
site, a robots-disallowed site. Every page is written here (Kazakh, Kyrgyz and Russian official-site style)."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"


@dataclass
class LocalSite:
    """An aiohttp server answering from a dict of path -> (body, content type); 404 for the rest."""

    pages: dict[str, tuple[str | bytes, str]] = field(default_factory=dict)
    robots_txt: str = ""
    hits: list[str] = field(default_factory=list)
    port: int = 0
    _runner: web.AppRunner | None = None

    async def __aenter__(self) -> LocalSite:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _handle(self, request: web.Request) -> web.Response:
        self.hits.append(request.path_qs)
        if request.path == "/robots.txt":
            return web.Response(text=self.robots_txt) if self.robots_txt else web.Response(status=404)
        page = self.pages.get(request.path_qs) or self.pages.get(request.path)
        if page is None:
            return web.Response(status=404, text="Страница не найдена")
        body, kind = page
        data = body.encode("utf-8") if isinstance(body, str) else body
        return web.Response(body=data, headers={"Content-Type": kind})


def _article(title: str, date: str, paragraphs: list[str], site: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title} | {site}</title>"
        f"<meta property='og:type' content='article'></head><body>"
        f"<header><nav><a href='/'>Басты бет</a> <a href='/kk/news/'>Жаңалықтар</a></nav></header>"
        f"<main><h1>{title}</h1><div class='date'>{date}</div><div class='news-text'>{body}</div></main>"
        f"<footer>© {site}</footer></body></html>"
    )


# -- a Kazakh akimat with an RSS feed named in <link rel="alternate"> ---------------------------------
JAMBYL_SITE = "Жамбыл облысының әкімдігі"
JAMBYL_ITEMS = [
    (
        "/kk/news/2025/11/jambyl-omby-kelisim",
        "Жамбыл облысы мен Омбы облысы ынтымақтастық туралы келісімге қол қойды",
        "Tue, 04 Nov 2025 09:30:00 +0500",
        [
            "Тараз қаласында Жамбыл облысының әкімі мен Ресейдің Омбы облысының губернаторы екі өңір арасындағы "
            "сауда-экономикалық ынтымақтастық туралы келісімге қол қойды.",
            "Құжат бойынша тараптар ауыл шаруашылығы өнімдерін жеткізу, білім беру және туризм салаларында бірлескен "
            "жобаларды жүзеге асырады. Омбы облысының делегациясы Тараздағы өнеркәсіп кәсіпорындарын аралады.",
            "Келесі кездесу 2026 жылы Омбыда өтеді деп күтілуде.",
        ],
    ),
    (
        "/kk/news/2025/11/taraz-jol-jondeu",
        "Таразда үш көше күрделі жөндеуден өтті",
        "Mon, 03 Nov 2025 15:10:00 +0500",
        [
            "Тараз қаласында биыл үш көше күрделі жөндеуден өтті, деп хабарлады облыстық жолаушылар көлігі басқармасы.",
            "Жұмыстар барысында жаяу жүргінші жолдары мен жарықтандыру жаңартылды. Тұрғындар жұмыстың сапасына "
            "қанағаттанатынын айтты, ал мердігер кепілдік мерзімі бес жыл екенін атап өтті.",
        ],
    ),
    (
        "/kk/news/2025/11/jambyl-mektep",
        "Жамбыл облысында жаңа мектеп ашылды",
        "Sat, 01 Nov 2025 11:00:00 +0500",
        [
            "Жамбыл облысының Шу ауданында 600 орындық жаңа мектеп ашылды. Мектепте заманауи зертханалар мен "
            "спорт залы бар.",
            "Облыс әкімдігінің мәліметінше, биыл өңірде тағы екі мектептің құрылысы аяқталады, олар балаларды "
            "үш ауысымды оқудан құтқаруға көмектеседі.",
        ],
    ),
    (
        "/kk/news/2025/10/jambyl-kuz",
        "Жамбыл облысында күзгі егін жинау аяқталды",
        "Fri, 31 Oct 2025 10:00:00 +0500",
        [
            "Жамбыл облысында күзгі егін жинау науқаны аяқталды. Диқандар бидай мен қант қызылшасының мол өнімін "
            "жинады, деп мәлімдеді облыстық ауыл шаруашылығы басқармасы.",
        ],
    ),
]


def jambyl_site() -> LocalSite:
    items = "".join(
        f"<item><title>{title}</title><link>{{base}}{path}</link><pubDate>{date}</pubDate>"
        f"<description>{paras[0][:150]}</description></item>"
        for path, title, date, paras in JAMBYL_ITEMS
    )
    home = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{JAMBYL_SITE}</title>"
        "<link rel='alternate' type='application/rss+xml' title='Жаңалықтар' href='/rss/kk/news.xml'></head>"
        f"<body><h1>{JAMBYL_SITE}</h1><p>Ресми интернет-ресурс</p></body></html>"
    )
    site = LocalSite()
    site.pages["/kk/"] = (home, HTML)
    site.pages["/rss/kk/news.xml"] = (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{JAMBYL_SITE} — жаңалықтар</title><link>{{base}}/kk/</link>{items}</channel></rss>",
        RSS,
    )
    for path, title, date, paras in JAMBYL_ITEMS:
        site.pages[path] = (_article(title, date[5:16], paras, JAMBYL_SITE), HTML)
    return site


# -- a Kyrgyz regional administration with a plain list page and no feed ----------------------------
CHUY_SITE = "Чуйская областная государственная администрация"
CHUY_ITEMS = [
    (
        "/ru/news/10452-chuyskaya-oblast-i-novosibirskaya-oblast-dogovorilis",
        "Чуйская область и Новосибирская область договорились о поставках зерна",
        "05.11.2025",
        [
            "В Бишкеке полномочный представитель правительства в Чуйской области и губернатор Новосибирской "
            "области подписали меморандум о сотрудничестве в сфере сельского хозяйства и переработки зерна.",
            "Стороны договорились организовать прямые поставки пшеницы и обмен опытом между аграрными вузами. "
            "Делегация Новосибирской области посетила элеватор в Сокулукском районе.",
            "Рабочая группа представит план совместных проектов до конца года.",
        ],
    ),
    (
        "/ru/news/10451-v-chuyskoy-oblasti-otremontirovali-dorogi",
        "В Чуйской области отремонтировали 40 километров дорог",
        "04.11.2025",
        [
            "В Чуйской области завершён ремонт 40 километров дорог местного значения. Работы шли в Аламединском, "
            "Сокулукском и Жайылском районах.",
            "По словам дорожной службы, до зимы планируется обновить ещё несколько мостов через оросительные каналы.",
        ],
    ),
    (
        "/ru/news/10449-v-tokmoke-otkrylas-shkola",
        "В Токмоке открылась новая школа на 900 мест",
        "02.11.2025",
        [
            "В Токмоке Чуйской области открылась новая школа на 900 учеников. В здании есть спортивный зал, "
            "библиотека и кабинеты робототехники.",
            "Строительство велось по государственной программе; ещё две школы области сдадут в следующем году.",
        ],
    ),
    (
        "/ru/news/10447-yarmarka-v-kante",
        "В Канте прошла сельскохозяйственная ярмарка",
        "01.11.2025",
        [
            "В городе Кант Чуйской области прошла осенняя сельскохозяйственная ярмарка: фермеры продавали овощи, "
            "фрукты и мёд по ценам ниже рыночных.",
        ],
    ),
    (
        "/ru/news/10446-zasedanie-kollegii",
        "Прошло заседание коллегии областной администрации",
        "31.10.2025",
        [
            "На заседании коллегии Чуйской областной администрации обсудили подготовку к отопительному сезону и "
            "ход уборки урожая в районах области.",
        ],
    ),
]


def chuy_site() -> LocalSite:
    cards = "".join(
        f"<div class='news-item'><span class='news-date'>{date}</span>"
        f"<a class='news-title' href='{path}'>{title}</a></div>"
        for path, title, date, _ in CHUY_ITEMS
    )
    page = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Новости | {CHUY_SITE}</title></head><body>"
        "<header><nav><a href='/ru/'>Главная</a> <a href='/ru/news/'>Новости</a> <a href='/ru/contacts/'>Контакты</a>"
        "</nav></header>"
        f"<main><h1>Новости</h1><div class='news-list'>{cards}</div>"
        "<div class='pager'><a href='/ru/news/?page=2'>2</a></div></main><footer>© 2025</footer></body></html>"
    )
    site = LocalSite()
    site.pages["/ru/news/"] = (page, HTML)
    for path, title, date, paras in CHUY_ITEMS:
        site.pages[path] = (_article(title, date, paras, CHUY_SITE), HTML)
    return site


# -- a page built by JavaScript: an empty mount point, a bundle, a noscript notice -------------------
JS_SHELL_PAGE = (
    "<!doctype html><html lang='ru'><head><meta charset='utf-8'><title>Акимат</title>"
    "<link rel='stylesheet' href='/static/css/main.8c1f.css'></head><body>"
    "<noscript>Для работы сайта включите JavaScript в настройках браузера.</noscript>"
    "<div id='app'></div>"
    "<script src='/static/js/chunk-vendors.3ab9.js'></script><script src='/static/js/app.77c2.js'></script>"
    "</body></html>"
)


def js_site() -> LocalSite:
    site = LocalSite()
    site.pages["/memleket/entities/shell/press/news"] = (JS_SHELL_PAGE, HTML)
    return site


def robots_site() -> LocalSite:
    site = chuy_site()
    site.robots_txt = "User-agent: *\nDisallow: /\n"
    return site


def with_base(site: LocalSite) -> LocalSite:
    """Fill `{base}` in pages (feeds carry absolute links) once the port is known."""
    for path, (body, kind) in list(site.pages.items()):
        if isinstance(body, str):
            site.pages[path] = (body.replace("{base}", site.url("").rstrip("/")), kind)
    return site
