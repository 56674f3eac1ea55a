"""Synthetic news corpus for bench_search_scale.py: ru/en/kk sentences with Zipf-distributed words.

Each language has a ranked vocabulary: function and news words written here (Russian ones in several
inflections from pymorphy3), the gazetteer's region names, and a long tail of made-up place and
family names from syllables, so some terms occur in a handful of articles and the top ones in nearly
all. Word ranks are drawn from a Zipf law (exponent 1), the way word frequencies fall in real text.
Russian articles name a region with "… области" in nine of ten cases: the lemma "область" is in most
documents. Languages 60 % ru, 25 % en, 15 % kk; dates spread evenly over two years, in id order.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from analysis.lemmas import lemma, morph

GAZETTEER = Path(__file__).resolve().parent.parent / "analysis" / "data" / "gazetteer"
LANG_SHARES = {"ru": 0.60, "en": 0.25, "kk": 0.15}
TOPICS = ("trade", "industry", "forestry", "agriculture", "energy", "transport", "education", "science",
          "healthcare", "culture", "tourism", "sport", "youth", "ecology", "investment", "humanitarian")
SPAN_DAYS = 730

# Ranked roughly by frequency in official news: function words first, then the trade's vocabulary.
_RU_TEXT = """
в и на с по о для что не а к из за это также как от год который его область регион сотрудничество
развитие вопрос работа губернатор встреча делегация правительство республика стороны проект предприятие
соглашение меморандум визит форум рамка экономический торговый министр глава администрация город район
партнёр сфера направление программа продукция поставка товарооборот рост миллион рубль тонна компания
совместный международный межрегиональный двусторонний подписать обсудить провести отметить рассказать
состояться принять участие договориться заявить посетить организовать представить создать укрепить
сельский хозяйство промышленность энергетика транспорт логистика образование наука здравоохранение
культура туризм спорт молодёжь экология инвестиция гуманитарный лесной промышленный молочный зерно
машиностроение студент университет школа выставка ярмарка конференция переговоры консульство посольство
генеральный консул посол аким акимат представительство торговля экспорт импорт рынок производство завод
фабрика технология цифровой маршрут туристический фестиваль делегат бизнес предприниматель малый средний
перспективный договорённость исполнение план мероприятие неделя день месяц заседание комиссия совет
межправительственный рабочий группа обмен опыт специалист кадры подготовка вуз колледж дорога ремонт
строительство жильё объект инфраструктура агропромышленный комплекс фермер урожай пшеница мясо рыба лес
древесина мебель станок оборудование нефть газ уголь электроэнергия железный дорога авиарейс аэропорт
граница таможня пункт пропуск грузовой перевозка контейнер терминал склад экспортёр импортёр инвестор
"""

_EN_TEXT = """
the of and to in a for on with by is was at from as that this it be will region cooperation governor
delegation meeting government republic sides agreement memorandum visit forum economic trade minister
head city district partner sector program products supply turnover growth million tonnes company joint
international interregional bilateral signed discussed held noted said took part agreed stated visited
organized presented created strengthen agriculture industry energy transport logistics education science
healthcare culture tourism sport youth ecology investment humanitarian forestry timber dairy grain
engineering students university school exhibition fair conference talks consulate embassy consul
ambassador akim akimat office export import market production plant factory technology digital route
tourist festival business entrepreneurs small medium prospects arrangements plan event week day month
session commission council intergovernmental working group exchange experience specialists training
college road repair construction housing facility infrastructure complex farmer harvest wheat meat fish
forest furniture machine equipment oil gas coal electricity railway flight airport border customs cargo
container terminal warehouse exporters importers investors development project enterprise oblast
"""

_KK_TEXT = """
және бен мен үшін бойынша туралы да де бұл осы бір жыл облыс өңір ынтымақтастық даму мәселе жұмыс әкім
кездесу делегация үкімет республика тараптар жоба кәсіпорын келісім меморандум сапар форум экономикалық
сауда министр басшы қала аудан әріптес сала бағыт бағдарлама өнім жеткізу тауар айналым өсу миллион
теңге тонна компания бірлескен халықаралық өңіраралық екіжақты қол қойды талқылады өткізді атап өтті
айтты қатысты келісті мәлімдеді барды ұйымдастырды таныстырды құрды нығайту ауыл шаруашылығы өнеркәсіп
энергетика көлік логистика білім ғылым денсаулық сақтау мәдениет туризм спорт жастар экология
инвестиция гуманитарлық орман сүт астық машина жасау студент университет мектеп көрме жәрмеңке
конференция келіссөздер консулдық елшілік бас консул елші әкімдік өкілдік экспорт импорт нарық өндіріс
зауыт фабрика технология цифрлық бағдар туристік фестиваль кәсіпкер шағын орта болашақ уағдаластық
жоспар іс шара апта күн ай отырыс комиссия кеңес үкіметаралық жұмыс топ тәжірибе алмасу маман кадр
даярлау колледж жол жөндеу құрылыс тұрғын үй нысан инфрақұрылым кешен фермер егін бидай ет балық ағаш
жиһаз станок жабдық мұнай газ көмір электр темір әуежай шекара кеден жүк тасымалдау контейнер терминал
қойма инвестор
"""
RU_WORDS, EN_WORDS, KK_WORDS = _RU_TEXT.split(), _EN_TEXT.split(), _KK_TEXT.split()

KK_ENDINGS_BACK = ("", "", "ның", "да", "ға", "мен", "дан", "лар")
KK_ENDINGS_FRONT = ("", "", "нің", "де", "ге", "мен", "ден", "лер")

# Syllables for the long tail of names (villages, family names, firms) that make the rare terms:
# every combination of one item from each group, e.g. ново+бор+ин+ск, ақ+тау+жан+ты, agro+gaz+o+corp.
RU_TAIL = (
    "ново старо красно бело черно верхне нижне усть кара ак светло сосно березо камен яро дубро лесо"
    " зареч подго озер велико мало широко",
    "бор яр луг дол гор реч поль сосн берез ольх кедр ключ брод мост холм стан вал рог лип клён сад дуб"
    " лад мир слав град вет снеж мох пес глин тал вяз рябин щук сом карп бобр",
    " о ин ан ем ур ял ищ",
    "ск ка ово ино ево ное ье инск овка ец ич енко ов ин ский",
)
EN_TAIL = (
    "agro tech inter trans euro nord west east sib ural volga steppe altai amur baikal kama don ob lena irtysh",
    "gaz neft prom stroy mash les bank trade log food milk grain steel wood chem med soft net bio aqua",
    " o a i on ex et ar",
    "corp group plus line invest holding systems service export union",
)
KK_TAIL = (
    "ақ қара көк сары жаңа ескі ұлы кіші жас алтын күміс тас бай қызыл боз",
    "тау су көл бұлақ дала тас тоғай бел жар сай өзен кент құдық қорған шоқы жол бау құм орман мала",
    " ан ай ар ас ат ақ ым тал бек",
    "ты лы өзек бай тоғай шоқы бұлақ ауыл",
)
WORD = re.compile(r"[^\W_]+", re.UNICODE)  # the index's tokens (storage.text): hyphens split words


@dataclass
class Vocabulary:
    """One language's forms: `forms[i]` is a surface word, `lemmas[i]` what the index holds for it."""

    forms: list[str]
    lemmas: list[str]
    entry_start: np.ndarray  # first form of each ranked entry
    entry_count: np.ndarray  # how many forms it has
    probabilities: np.ndarray  # Zipf probability of each entry
    cumulative: np.ndarray  # their running sum, for drawing by bisection


def _ru_forms(word: str, limit: int = 6) -> list[str]:
    parse = morph().parse(word)[0]
    forms = [word]
    for form in parse.lexeme:
        text = form.word.replace("ё", "е")
        if text not in forms:
            forms.append(text)
        if len(forms) >= limit:
            break
    return forms


def _kk_forms(word: str) -> list[str]:
    front = any(ch in "әеөүіі" for ch in word)
    return list(dict.fromkeys(word + e for e in (KK_ENDINGS_FRONT if front else KK_ENDINGS_BACK)))


def _tail(parts: tuple[str, str, str, str], size: int, rng: np.random.Generator) -> list[str]:
    a, b, c, d = (p.split(" ") for p in parts)
    words = list(dict.fromkeys(w + x + y + z for w in a if w for x in b if x for y in c for z in d if z))
    rng.shuffle(words)
    return words[:size]


def region_names(lang: str) -> list[tuple[str, str]]:
    """(code, name) of every gazetteer region in `lang`."""
    found: list[tuple[str, str]] = []
    for path in sorted(GAZETTEER.glob("*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8")):
            name = entry.get("name", {}).get(lang)
            if name and entry.get("type") == "region":
                found.append((entry["code"], name))
    return found


def build_vocabulary(lang: str, rng: np.random.Generator, tail_size: int) -> Vocabulary:
    if lang == "ru":
        entries = [_ru_forms(w.replace("ё", "е")) for w in RU_WORDS]
        tail = [[w] for w in _tail(RU_TAIL, tail_size, rng)]
    elif lang == "en":
        # plurals for the content words only (the first 19 are function words)
        entries = [[w, w + "s"] if i > 18 and w[-1] not in "sdy" else [w] for i, w in enumerate(EN_WORDS)]
        tail = [[w.capitalize()] for w in _tail(EN_TAIL, tail_size, rng)]
    else:
        entries = [_kk_forms(w) for w in KK_WORDS]
        tail = [_kk_forms(w)[:2] for w in _tail(KK_TAIL, tail_size, rng)]
    names = list(dict.fromkeys(w for _, name in region_names(lang) for w in WORD.findall(name)))
    entries += [[w] for w in names] + tail
    forms, starts, counts = [], [], []
    for entry in entries:
        starts.append(len(forms))
        counts.append(len(entry))
        forms.extend(entry)
    weights = 1.0 / np.arange(1, len(entries) + 1, dtype=np.float64)
    probabilities = weights / weights.sum()
    return Vocabulary(forms, [lemma(f) for f in forms], np.array(starts), np.array(counts), probabilities,
                      np.cumsum(probabilities))


@dataclass
class Row:
    id: int
    source_id: str
    url: str
    title: str
    lead: str
    body: str
    language: str
    published_at: datetime
    title_lemmas: str
    body_lemmas: str  # of lead + body, as the index takes them
    regions: list[str]
    topics: list[str]
    is_cooperation: bool


class Corpus:
    """Deterministic article generator: `batch(first_id, n)` gives the same rows for the same seed."""

    def __init__(self, seed: int = 15, tail: int = 100_000, body_words: int = 60, now: datetime | None = None):
        self.seed = seed
        rng = np.random.default_rng(seed)
        sizes = {"ru": tail, "en": tail * 2 // 5, "kk": tail // 4}
        self.vocab = {lang: build_vocabulary(lang, rng, sizes[lang]) for lang in LANG_SHARES}
        self.body_words = body_words
        self.n = 1_000_000  # the corpus size, which spreads the ids over the two years
        self.now = now or datetime.now(UTC).replace(microsecond=0)
        self.partners = [code for code, _ in region_names("ru") if not code.startswith("RU-")]
        self.ru_regions = [(code, _oblast_genitive(name)) for code, name in region_names("ru")
                           if code.startswith("RU-") and name.endswith("область")]
        self.sources = [f"bench-{lang}-{i:03d}" for lang in LANG_SHARES for i in range(100)]

    def words_per_article(self) -> int:
        return 9 + 14 + self.body_words

    def expected_df(self, lang: str, n_articles: int) -> np.ndarray:
        """Expected number of articles containing each entry of `lang` (from the Zipf probabilities)."""
        docs = n_articles * LANG_SHARES[lang]
        return docs * (1.0 - (1.0 - self.vocab[lang].probabilities) ** self.words_per_article())

    def _words(self, lang: str, rng: np.random.Generator, count: int) -> tuple[list[str], list[str]]:
        v = self.vocab[lang]
        entries = np.minimum(np.searchsorted(v.cumulative, rng.random(count)), len(v.entry_start) - 1)
        picks = v.entry_start[entries] + (rng.random(count) * v.entry_count[entries]).astype(np.int64)
        return [v.forms[i] for i in picks], [v.lemmas[i] for i in picks]

    def batch(self, first_id: int, n: int) -> list[Row]:
        rng = np.random.default_rng([self.seed, first_id])
        langs = rng.choice(list(LANG_SHARES), size=n, p=list(LANG_SHARES.values()))
        # Ids grow as articles are fetched, as in a live database: age falls with the id; publication
        # precedes the fetch by hours (exponential, mean 8 h).
        ages = SPAN_DAYS * (1.0 - (first_id + np.arange(n)) / self.n) + rng.exponential(1 / 3, n)
        rows = []
        for k in range(n):
            rows.append(self._article(first_id + k, str(langs[k]), float(ages[k]), rng))
        return rows

    def _article(self, article_id: int, lang: str, age_days: float, rng: np.random.Generator) -> Row:
        forms, lemmas = self._words(lang, rng, self.words_per_article())
        partner = self.partners[int(rng.integers(len(self.partners)))]
        regions, prefix, prefix_lemmas = [partner], [], []
        if lang == "ru" and rng.random() < 0.9:
            code, (adjective, adjective_lemma) = self.ru_regions[int(rng.integers(len(self.ru_regions)))]
            regions.insert(0, code)
            prefix, prefix_lemmas = [adjective, "области"], [adjective_lemma, lemma("области")]
        title_forms, title_lemmas = prefix + forms[:9], prefix_lemmas + lemmas[:9]
        title = " ".join(title_forms)
        lead = " ".join(forms[9:23]) + "."
        body_forms = forms[23:]
        sentences = [" ".join(body_forms[i : i + 15]) for i in range(0, len(body_forms), 15)]
        body = ". ".join(s[:1].upper() + s[1:] for s in sentences) + "."
        chosen_topics = sorted({TOPICS[int(i)] for i in rng.integers(len(TOPICS), size=int(rng.integers(1, 3)))})
        source = f"bench-{lang}-{article_id % 100:03d}"
        return Row(
            id=article_id, source_id=source, url=f"https://{source}.example/news/{article_id}",
            title=title[:1].upper() + title[1:], lead=lead, body=body, language=lang,
            published_at=self.now - timedelta(days=age_days), title_lemmas=" ".join(title_lemmas),
            body_lemmas=" ".join(lemmas[9:]), regions=regions, topics=chosen_topics,
            is_cooperation=bool(rng.random() < 0.4),
        )


def _oblast_genitive(name: str) -> tuple[str, str]:
    """'Вологодская область' → ('Вологодской', its lemma), for '… области' phrases."""
    adjective = name.split()[0]
    parse = morph().parse(adjective.lower())[0]
    inflected = parse.inflect({"gent", "femn", "sing"})
    word = inflected.word if inflected is not None else adjective.lower()
    return word.capitalize(), lemma(word)
