"""Who cooperates with whom: Russian region and foreign partner sides, the event type and a confidence."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from analysis import cues
from analysis.clean import main_text as extract_main_text
from analysis.gazetteer import Gazetteer, Place, load_gazetteer
from analysis.lemmas import is_cyrillic, lemma_keys, morph, tokens
from analysis.listing import listed_together, strip_dateline
from analysis.mentions import find_mentions
from analysis.sentences import Sentence, split_sentences

RUSSIA = "RU"
_TITLE_WEIGHT = 2.0
_LEAD_WEIGHT = 1.5
_LEAD_SENTENCES = 2
_NEAR_TOKENS = 8
_FAR_FACTOR = 0.6
# A country this many times stronger than its regions, all named only after the lead, is the side itself.
_COUNTRY_OVER_LATE_REGIONS = 3.0
_LOCATION_FACTOR = {"en": 0.4, "ru": 0.6}
# A side must score this share of the strongest side of its kind (drops places merely passed through).
_RUSSIAN_DOMINANCE = 0.5
_REGION_DOMINANCE = 0.6
_COUNTRY_DOMINANCE = 0.3
_CONFIDENCE_SCALE = 8.0
# One passing mention ("визит министра в Москву") does not make a region a side.
_MIN_RUSSIAN_SCORE = 2.0
# A partner named only after the lead with this share of the Russian side's evidence is a passing remark
# ("ранее вологодские лесопромышленники заключили контракты с Казахстаном" under a story of two Russian regions).
_PASSING_SHARE = 0.3
_FEDERAL_DOMINANCE = 3.0
_ENUMERATION_GAP_RE = re.compile(r"\s*(?:,|\band\b|\bи\b|\bжәне\b)\s*(?:,|\band\b|\bи\b)?\s*", re.IGNORECASE)


@dataclass
class Cooperation:
    """The verdict on one article."""

    is_cooperation: bool
    parties: list[tuple[str, str]] = field(default_factory=list)
    event: str | None = None
    confidence: float = 0.0
    mentioned: list[str] = field(default_factory=list)


@dataclass
class _Evidence:
    score: float = 0.0
    count: int = 0
    first: int = 1 << 30
    cue_sentences: set[int] = field(default_factory=set)
    participant: bool = False  # named in a cue sentence other than as the venue
    listed_with: set[str] = field(default_factory=set)  # enumerated side by side with these places
    acts_now: bool = False  # in a cue sentence that tells of what is done, not only of a proposal or a plan


def _sentence_keys(sentence: Sentence) -> list[frozenset[str]]:
    """Every form each word of the sentence may be looked up by (lemmas, Kazakh stems, English forms)."""
    keys = [lemma_keys(t.text) for t in tokens(sentence.text)]
    # "жолдастық кездесу" / "товарищеская встреча" / "friendly meeting" is a sports match, not talks
    # (blanked, not dropped: positions must stay those of the tokens)
    return [frozenset() if i and keys[i - 1] & cues.FRIENDLY_MATCH else k for i, k in enumerate(keys)]


def _cue_strength(keys: list[frozenset[str]], position: int) -> float:
    best = 0.0
    for i, forms in enumerate(keys):
        weight = max((cues.CUE_WEIGHTS.get(f, 0.0) for f in forms), default=0.0)
        if weight:
            best = max(best, weight * (1.0 if abs(i - position) <= _NEAR_TOKENS else _FAR_FACTOR))
    return best


def _is_venue(previous: str, word: str) -> bool:
    """ "in Moscow" / "в Москве": the place is where it happened, not who took part."""
    previous = previous.lower()
    if previous in cues.ROUTE_END_PREPOSITIONS:
        return True
    if previous not in cues.LOCATION_PREPOSITIONS:
        return False
    if not is_cyrillic(word):
        return True
    cases = {p.tag.case for p in morph().parse(word.lower())}
    return bool(cases & {"loct", "loc2"}) and "accs" not in cases


def _collect(sentences: list[Sentence], lang: str, gaz: Gazetteer) -> dict[str, _Evidence]:
    evidence: dict[str, _Evidence] = defaultdict(_Evidence)

    def country_of(code: str) -> str | None:
        place = gaz.get(code)
        return place.country if place is not None else None

    reference_paragraphs: set[int] = set()
    opened: set[int] = set()
    for sentence in sentences:
        if sentence.paragraph >= 0 and sentence.paragraph not in opened:
            opened.add(sentence.paragraph)
            if cues.REFERENCE_PARAGRAPH_RE.match(sentence.text):
                reference_paragraphs.add(sentence.paragraph)
    for idx, sentence in enumerate(sentences):
        found = find_mentions(sentence.text)
        if not found:
            continue
        for group in listed_together(sentence.text, found, country_of):
            for code in group:
                evidence[code].listed_with |= group - {code}
        toks = tokens(sentence.text)
        starts = {t.start: i for i, t in enumerate(toks)}
        keys = _sentence_keys(sentence)
        days = cues.CULTURAL_DAYS_RE.search(sentence.text) is not None
        working_group = cues.WORKING_GROUP_RE.search(sentence.text) is not None
        proposal = not cues.PROPOSAL_WORDS.isdisjoint(set().union(*keys))
        # earlier partners and past agreements ("Напомним, ...", "in 2022 ...") are background, not sides
        background = idx > 0 and (
            sentence.paragraph in reference_paragraphs or cues.looks_back(sentence.text, set().union(*keys))
        )
        previous_venue_end: int | None = None
        for m in sorted(found, key=lambda m: m.start):
            position = starts.get(m.start, 0)
            strength = _cue_strength(keys, position)
            if days:  # "Дни Псковской области в Гродно" is cooperation without any other cue word
                strength = max(strength, cues.STRONG_WEIGHT)
            if working_group:
                strength = max(strength, cues.CUE_WEIGHTS["делегация"])
            venue = position > 0 and _is_venue(toks[position - 1].text, toks[position].text)
            # "consulates in Omsk and Kazan", "в Омске и Казани": the preposition covers the whole enumeration
            if previous_venue_end is not None and _ENUMERATION_GAP_RE.fullmatch(
                sentence.text[previous_venue_end : m.start]
            ):
                venue = True
            previous_venue_end = m.end if venue else None
            if strength and venue:
                strength *= _LOCATION_FACTOR.get(lang, 0.6)
            if background:
                strength = 0.0
            ev = evidence[m.code]
            ev.score += strength * sentence.weight
            ev.count += 1
            ev.first = min(ev.first, idx)
            if strength:
                ev.cue_sentences.add(idx)
                ev.participant = ev.participant or not venue
                ev.acts_now = ev.acts_now or not proposal
    return evidence


def _dominant(codes: list[str], evidence: dict[str, _Evidence], share: float) -> list[str]:
    scored = [c for c in codes if evidence[c].score > 0 and evidence[c].participant]
    if not scored:
        return []
    top = max(evidence[c].score for c in scored)
    chosen = {c for c in scored if evidence[c].score >= share * top}
    # Places enumerated together with a side are sides alike, however often each is named later.
    chosen |= {c for c in scored if evidence[c].listed_with & chosen}
    return sorted(chosen, key=lambda c: -evidence[c].score)


def _without_enclosed_cities(chosen: list[str], evidence: dict[str, _Evidence], gaz: Gazetteer) -> list[str]:
    """A capital beside the region around it (Bishkek beside Chüy) is one side: keep the stronger."""
    kept = list(chosen)
    for code in chosen:
        place = gaz.get(code)
        region = place.within if place is not None else None
        if region in kept and code in kept:
            kept.remove(code if evidence[code].score <= evidence[region].score else region)
    return kept


def _country_acts_alone(places: list[Place], chosen: list[str], evidence: dict[str, _Evidence]) -> bool:
    """The country (its ambassador, ministry, "Kyrgyzstan") carries the story and its regions come in only late,
    faintly and as a proposal ("we propose a business mission to Bishkek", "invited to a forum in Astana next
    year"): the side is the country. A region offered cooperation itself ("sent a proposal of cooperation to
    Almaty Region") acts now and stays."""
    country = next((p.code for p in places if p.is_country), None)
    if country is None or evidence[country].score <= 0 or not evidence[country].participant:
        return False
    late = all(evidence[c].first > _LEAD_SENTENCES and not evidence[c].acts_now for c in chosen)
    faint = _COUNTRY_OVER_LATE_REGIONS * sum(evidence[c].score for c in chosen) <= evidence[country].score
    return late and faint


def _partner_sides(evidence: dict[str, _Evidence], gaz: Gazetteer) -> list[str]:
    by_country: dict[str, list[Place]] = defaultdict(list)
    for code in evidence:
        place = gaz.get(code)
        if place is not None and place.country != RUSSIA:
            by_country[place.country].append(place)
    per_country: list[tuple[float, list[str]]] = []
    for places in by_country.values():
        regions = [p.code for p in places if not p.is_country]
        chosen = _without_enclosed_cities(_dominant(regions, evidence, _REGION_DOMINANCE), evidence, gaz)
        if chosen and _country_acts_alone(places, chosen, evidence):
            chosen = []
        if not chosen:
            chosen = _dominant([p.code for p in places if p.is_country], evidence, 0.0)
        if chosen:
            # A country's strength counts its regions and the country name together.
            strength = sum(evidence[p.code].score for p in places)
            per_country.append((strength, chosen))
    if not per_country:
        return []
    # A country named once, late, beside a partner of the headline or lead ("Среди ведущих партнёров —
    # Китай, Казахстан, Беларусь и Турция" closing an export story about Iran) is a mention, not a side.
    early = [chosen for _, chosen in per_country if any(evidence[c].first <= _LEAD_SENTENCES for c in chosen)]
    if early:
        per_country = [
            (s, chosen)
            for s, chosen in per_country
            if not (sum(evidence[c].count for c in chosen) == 1 and evidence[chosen[0]].first > _LEAD_SENTENCES)
        ]
    top = max(s for s, _ in per_country)
    return [
        c for s, chosen in sorted(per_country, key=lambda x: -x[0]) if s >= _COUNTRY_DOMINANCE * top for c in chosen
    ]


def _russian_sides(evidence: dict[str, _Evidence], gaz: Gazetteer) -> list[str]:
    codes = [c for c in evidence if (p := gaz.get(c)) is not None and p.country == RUSSIA and not p.is_country]
    return [c for c in _dominant(codes, evidence, _RUSSIAN_DOMINANCE) if evidence[c].score >= _MIN_RUSSIAN_SCORE]


def _sides_meet(
    russian: list[str], partners: list[str], evidence: dict[str, _Evidence], gaz: Gazetteer, lead_end: int
) -> bool:
    """Both sides in one cue sentence, or each in a cue sentence of the title/lead (a partner's country counts)."""
    rus: set[int] = set().union(*(evidence[c].cue_sentences for c in russian))
    par: set[int] = set()
    for code in partners:
        par |= evidence[code].cue_sentences
        place = gaz.get(code)
        if place is not None and place.country in evidence:
            par |= evidence[place.country].cue_sentences
    if rus & par:
        return True
    return any(i < lead_end for i in rus) and any(i < lead_end for i in par)


def _in_passing(partners: list[str], evidence: dict[str, _Evidence], gaz: Gazetteer, lead_end: int) -> bool:
    """No partner (nor its country) is named in the title or lead: the story is about something else."""
    for code in partners:
        place = gaz.get(code)
        codes = [code] + ([place.country] if place is not None and place.country in evidence else [])
        if any(evidence[c].first < lead_end for c in codes):
            return False
    return True


def _country_score(code: str, evidence: dict[str, _Evidence], gaz: Gazetteer) -> float:
    place = gaz.get(code)
    if place is None or place.is_country or place.country not in evidence:
        return 0.0
    return evidence[place.country].score


# What a headline names decides the event (a forum the delegations came to is a forum, not a visit),
# except that talks held by a delegation that travelled are a visit.
_TITLE_EVENT_ORDER = ("meeting", "other", "trade")


def _signs(text: str, words: set[str]) -> bool:
    """A sentence that tells of a document being signed now (not planned, not years ago)."""
    signing = bool(words & cues.SIGNING_WORDS) or cues.KAZAKH_SIGNING_RE.search(text) is not None
    if cues.SIGNED_PLAN_RE.search(text):
        words = (words - {"plan", "plans"}) | {"plan_document"}
    return bool(
        signing
        and (words & cues.AGREEMENT_NOUNS or "plan_document" in words)
        and not words & cues.FUTURE_WORDS
        and not cues.KAZAKH_SIGNING_TO_COME_RE.search(text)
        and not cues.looks_back(text, words)
    )


def _event(sentences: list[Sentence]) -> str:
    scores: dict[str, float] = defaultdict(float)
    agreement = signed_in_title = False
    early_visit = False
    in_title: set[str] = set()
    for idx, sentence in enumerate(sentences):
        words: set[str] = set().union(*_sentence_keys(sentence))
        if _signs(sentence.text, words):
            agreement = True
            signed_in_title = signed_in_title or idx == 0
        for event, vocabulary in cues.EVENT_CUES.items():
            hits = len(words & vocabulary)
            if hits:
                scores[event] += hits * sentence.weight
                if idx == 0:
                    in_title.add(event)
                if event == "visit" and idx <= _LEAD_SENTENCES:
                    early_visit = True
    title = sentences[0].text if sentences else ""
    # contracts signed at a fair are the fair's outcome; a headline about the signing makes it an agreement
    if "forum" in in_title and not signed_in_title:
        return "forum"
    if cues.CULTURAL_DAYS_RE.search(title) and not signed_in_title:
        return "other"
    if agreement:
        return "agreement"
    # a headline about the flight, the exchange or the launch names the event, whoever travelled for it
    if "other" in in_title and "visit" not in in_title and "meeting" not in in_title:
        return "other"
    if early_visit or "visit" in in_title:
        return "visit"
    for event in _TITLE_EVENT_ORDER:
        if event in in_title:
            return event
    if not scores:
        return "other"
    return max(scores, key=lambda e: (scores[e], -cues.EVENT_ORDER.index(e)))


def detect_cooperation(
    title: str,
    text: str,
    *,
    lang: str = "ru",
    home_region: str | None = None,
    is_main_text: bool = False,
    gazetteer: Gazetteer | None = None,
) -> Cooperation:
    """Decide whether the article reports a Russian region cooperating with a foreign partner."""
    gaz = gazetteer or load_gazetteer()
    # "Как Омск и Павлодар полвека назад стали побратимами"; "Губернатор: итоги недели" (a round-up's main
    # story is the region's own week, whatever one paragraph says)
    if any(rule.search(title) for rule in (cues.HISTORY_TITLE_RE, cues.ROUNDUP_TITLE_RE, cues.SPORT_RESULT_TITLE_RE)):
        return Cooperation(False, [], None, 0.0, [])
    body = strip_dateline(text if is_main_text else extract_main_text(text, title))
    sentences = split_sentences(
        title, body, title_weight=_TITLE_WEIGHT, lead_weight=_LEAD_WEIGHT, lead_sentences=_LEAD_SENTENCES
    )
    evidence = _collect(sentences, lang, gaz)
    mentioned = sorted(evidence, key=lambda c: (-evidence[c].score, -evidence[c].count, evidence[c].first))
    russian = _russian_sides(evidence, gaz)
    partners = _partner_sides(evidence, gaz)
    lead_end = 1 + _LEAD_SENTENCES
    # The site's own region is implied only when the text is about one foreign country's dealings;
    # a story pairing two foreign countries (Kazakhstan–Uzbekistan) is not the home region's.
    partner_countries = {place.country for c in partners if (place := gaz.get(c)) is not None}
    if not russian and len(partner_countries) == 1 and home_region and (home := gaz.get(home_region)) is not None:
        federal = evidence[RUSSIA].score if RUSSIA in evidence else 0.0
        partner_top = max(evidence[c].score for c in partners)
        if home.country == RUSSIA and not home.is_country and federal < 0.5 * partner_top:
            russian = [home.code]
            evidence[home.code].cue_sentences.update(range(lead_end))
            evidence[home.code].first = 0  # the site's own region speaks from the headline
    # Russia itself far ahead of every Russian region ("Deputy Foreign Ministers ... the forum will be held in
    # Omsk"): federal-level relations, where a region is only a host or a consulate's seat.
    if (
        russian
        and RUSSIA in evidence
        and evidence[RUSSIA].score >= _FEDERAL_DOMINANCE * max(evidence[c].score for c in russian)
    ):
        russian = []
    if not russian or not partners or not _sides_meet(russian, partners, evidence, gaz, lead_end):
        return Cooperation(False, [], None, 0.0, mentioned)
    partner_strength = max(evidence[c].score + _country_score(c, evidence, gaz) for c in partners)
    russian_strength = max(evidence[c].score for c in russian)
    if _in_passing(partners, evidence, gaz, lead_end) and partner_strength < _PASSING_SHARE * russian_strength:
        return Cooperation(False, [], None, 0.0, mentioned)
    # The mirror case: foreign sides in the headline, Russian regions only late and weakly ("Jambyl and Talas
    # agree on canals ... Omsk and Novosibirsk have similar plans") is a story without a Russian side.
    russian_late = all(evidence[c].first >= lead_end for c in russian)
    if russian_late and russian_strength < _PASSING_SHARE * partner_strength:
        return Cooperation(False, [], None, 0.0, mentioned)
    strength = min(russian_strength, partner_strength)
    confidence = round(1.0 - math.exp(-strength / _CONFIDENCE_SCALE), 3)
    parties = [(r, p) for r in russian for p in partners]
    return Cooperation(True, parties, _event(sentences), confidence, mentioned)
