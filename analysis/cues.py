"""Cooperation cue words (lemmas, English forms, Kazakh stems) with weights, and event-type cue groups."""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that make a sentence naming two places a sentence about their cooperation.
STRONG_CUES = _words(
    """
    сотрудничество сотрудничать соглашение меморандум партнерство партнер партнерский взаимодействие
    побратим побратимский побратимство договоренность договор межрегиональный двусторонний кооперация
    взаимовыгодный
    cooperation cooperate cooperating agreement agreements memorandum partnership partner partners twin
    twinned sister roadmap bilateral interregional collaboration collaborate
    ынтымақтастық ынтымақтастығ келісім әріптестік әріптес серіктес серіктестік меморандум өзара
    өңіраралық екіжақты
    """
)
MEDIUM_CUES = _words(
    """
    делегация визит переговоры встреча встретиться форум товарооборот экспорт поставка консул генконсул
    посол консульство посольство бизнес миссия ярмарка выставка подписать подписание совместный обмен
    гость связь отношение экспортировать совещание закупка поставщик договориться контракт рейс обменяться
    обмениваться
    delegation delegations visit visited visiting talks meeting met meet forum consul ambassador consulate
    embassy exports export mission signed signing joint exchange guests ties relations contract contracts
    supplies flights ferry
    стенд экспозиция стажировка товарооборот
    stand turnover venture internship fair exhibition expo
    делегация сапар іссапар кездесу кездест форум бейнеконференция бірлескен айналым жәрмеңке көрме алмасу
    тағылымдама келісімшарт жеткізілім экспорт елші консул
    """
)
WEAK_CUES = _words(
    """
    посетить прибыть принять обсудить рассмотреть приветствовать пригласить отгрузить закупать поступить
    между связать соединить
    arrive arrived received receive discussed discuss welcomed hosted invited between link linking connect
    талқыла талқылан барды қатыс келді ұсын қол
    """
)
STRONG_WEIGHT = 2.0
CUE_WEIGHTS: dict[str, float] = {
    **dict.fromkeys(WEAK_CUES, 1.0),
    **dict.fromkeys(MEDIUM_CUES, 1.5),
    **dict.fromkeys(STRONG_CUES, STRONG_WEIGHT),
}
# "Дни Смоленской области", "Дни культуры", "Days of Pskov Region", "мәдениет күндері": cultural days are
# cooperation and an event of their own, even with a fair, a forum or a delegation's arrival in them.
# Capitalised "Дни"/"Days" before a name, so "в ближайшие дни" is no cue.
# A joint working group or commission at work ("рабочая группа", "working group", "жұмыс тобы") is cooperation
# even when the sentence has no other cue word; two words, so a pattern rather than a lemma.
WORKING_GROUP_RE = re.compile(
    r"рабоч\w*\s+групп|межрегиональн\w*\s+комисси|working\s+group|жұмыс\s+тоб|жұмыс\s+топ", re.IGNORECASE
)
# The word before a "meeting" that makes it a sports match.
FRIENDLY_MATCH = _words("жолдастық товарищеский friendly")
# A headline that looks decades back is a history column, not news of cooperation.
HISTORY_TITLE_RE = re.compile(
    r"\b(?:лет|года|полвека|век|веков|десятилетий|десятилетия)\s+назад\b|\byears\s+ago\b|\bdecades\s+ago\b"
    r"|жыл\s+бұрын|ғасыр\s+бұрын|страниц[аы]\s+истории|тарих\s+беттер|pages\s+of\s+history"
    r"|half\s+a\s+century\s+of|полвека\s+(?:дружбы|побратимства)|жарты\s+ғасыр"
    r"|\b19\d\d-[еx]\b|\b19\d\d\s+жылдар|\bin\s+the\s+19\d\ds\b",
    re.IGNORECASE,
)
# A round-up of the region's own week or year: its main story is domestic, whatever one paragraph says.
ROUNDUP_TITLE_RE = re.compile(
    r"итоги\s+недели|results\s+of\s+the\s+week|week\s+in\s+review|аптаның\s+қорытынды|апта\s+қорытынды"
    r"|annual\s+report|ежегодн\w*\s+отч[её]т|отч[её]т\w*\s+губернатора|жылдық\s+есеп|есеп\s+берді",
    re.IGNORECASE,
)
# A match's result in the headline ("«Барыс» Омбыда жеңіліп қалды", "обыграл", "lost to") is sport news.
SPORT_RESULT_TITLE_RE = re.compile(
    r"жеңіліп|жеңіске\s+жетті|\bжеңді\b|ұтылды|тең\s+түсті|обыграл|проиграл|сыграл\w*\s+вничью|\blost\s+to\b"
    r"|\bbeat\b|\bdefeated\b|\bdrew\s+with\b",
    re.IGNORECASE,
)
CULTURAL_DAYS_RE = re.compile(
    r"\bДни\s+(?:[А-ЯЁ]|культуры)|\bдни\s+культуры|\b(?:[Cc]ulture|[Cc]ultural)\s+[Dd]ays\b|\bDays\s+of\s+[A-Z]"
    r"|мәдениеті?\s+күндер|облысының\s+күндер"
)

AGREEMENT_NOUNS = _words(
    """
    соглашение меморандум договор документ план программа карта
    agreement agreements memorandum document documents treaty roadmap programme program
    келісім меморандум жоспар құжат бағдарлама
    """
)
# "signed a plan of joint actions", "signed the 2026-2028 action plan": "plan" is then the document, not an
# intention (FUTURE_WORDS holds the verb "plan").
SIGNED_PLAN_RE = re.compile(r"\bsign(?:ed|ing)\s+(?:(?:a|an|the)\s+)?(?:[\w–-]+\s+){0,2}plans?\b", re.IGNORECASE)
SIGNING_WORDS = _words("подписать подписание подписанный заключить signed signing sign inked")
# Kazakh signs with two words, "қол қойды" (put a hand); "қол жеткізді" (reached) is no signing.
KAZAKH_SIGNING_RE = re.compile(r"\bқол\s+қой|\bқол\s+қою", re.IGNORECASE)
# "қол қоюға уағдаласты" (agreed to sign), "қол қою көзделіп" (a signing is planned): still to come.
KAZAKH_SIGNING_TO_COME_RE = re.compile(r"\bқол\s+қоюға|\bқол\s+қою\s+(?:көздел|жоспар)|\bқол\s+қойылмақ", re.IGNORECASE)
# A proposal or an invitation for later ("предлагаем провести", "invited to the forum next year", "келесі жылы
# өтетін форумға шақырды"): a place named in it is where something may happen, not yet a side acting.
PROPOSAL_WORDS = _words(
    """
    предлагать предложить пригласить приглашать следующий будущий предстоящий планировать
    propose proposes proposed invite invites invited next planned
    ұсын ұсынды шақыр шақырды келесі алдағы өтетін
    """
)
# Signing still to come does not make the article an agreement.
FUTURE_WORDS = _words(
    """
    готовиться подготовка планировать планироваться предстоящий будущий может намерен намереваться проект
    мочь договориться готовый организация предложить предлагать
    prepare preparation preparations preparing might will plan plans planned draft expected organizing
    propose proposed proposes suggested
    жоба дайында алдағы көзделіп көзделуде жоспарлануда жоспарлап
    """
)
# A signing told as history ("подписанного два года назад", "былтыр ... қол қойған болатын", "Напомним, ...")
# is background.
PAST_WORDS = _words(
    """
    назад ранее прошлый прежде позапрошлый напомнить
    ago earlier previously last
    былтыр бұрын болатын
    """
)
# ... and so is one dated to a year ("в 2025 году подписали", "signed in 2022", "2024 жылы"), unless the year
# opens a term ("на 2026–2028 годы"), and "өткен жылы" (last year), "бұған дейін" (before that), "айта кетейік"
# (let us note: the Kazakh "Напомним").
PAST_RE = re.compile(
    r"\b(?:в|in)\s+(?:19|20)\d\d\b(?!\s*[–—-])|\b(?:19|20)\d\d(?:-х)?\s+(?:жыл|годах)|өткен\s+жыл|бұған\s+дейін"
    r"|айта\s+кетейік|еске\s+сала\s+кетейік|еске\s+салсақ"
    # "Регион также сотрудничает с …", "also cooperates with …": the partner's other ties, told in passing
    r"|\b(?:также|тоже)\s+(?:сотрудничает|развивает|поддерживает)\b"
    r"|\balso\s+(?:cooperates|works|develops|maintains|has)\b",
    re.IGNORECASE,
)


# A paragraph opened by a reference marker ("Справочно:", "Для справки", "Напомним,", "For reference:",
# "Айта кетейік,", "Еске салайық") is background as a whole: the regions its later sentences name ("Регион
# также сотрудничает с …") are the partner's history, not sides of this story.
REFERENCE_PARAGRAPH_RE = re.compile(
    r"^\W*(?:справочно|для\s+справки|справка\s*:|напомним|for\s+reference|background\s*:|айта\s+кетейік"
    r"|еске\s+сал|анықтама\s*:)",
    re.IGNORECASE,
)


def looks_back(text: str, keys: set[str] | frozenset[str]) -> bool:
    """A sentence that tells what happened before the story (by its words or a past date)."""
    return bool(keys & PAST_WORDS) or PAST_RE.search(text) is not None


EVENT_CUES: dict[str, frozenset[str]] = {
    "visit": _words(
        "визит делегация посетить прибыть приезд поездка гость миссия delegation visit visited visiting arrived trip "
        "mission сапар іссапар"
    ),
    "meeting": _words(
        "встреча переговоры встретиться обсудить совещание рассмотреть видеоконференция заседание meeting talks met "
        "meet discussed discuss videoconference session кездесу кездест талқыла бейнеконференция отырыс"
    ),
    "forum": _words(
        "форум конференция выставка ярмарка фестиваль саммит конгресс стенд экспозиция forum conference exhibition "
        "expo fair summit congress stand жәрмеңке көрме"
    ),
    "trade": _words(
        "экспорт поставка товарооборот контракт закупка отгрузить закупать экспортировать export exports "
        "supplies shipment contract turnover айналым экспорт жеткізілім"
    ),
    # Exchanges, internships and cultural days are events of their own ("other").
    # ... and so are a new flight, a joint production launched, training of specialists.
    "other": _words(
        "обмен обменяться стажировка обучение рейс запуск запустить exchange internship training flight flights "
        "launch launches launched алмасу тағылымдама рейс"
    ),
}
EVENT_ORDER = ("agreement", "visit", "meeting", "forum", "trade", "other")
LOCATION_PREPOSITIONS = _words("в во in at")
# "маршрут от Улан-Удэ до Улан-Батора": a route's end is a place, not a party.
ROUTE_END_PREPOSITIONS = _words("до")
