"""Main text of an unknown page: score text blocks, take the subtree whose blocks add up best.

Every block element (p, div, li, td, …) owns the text that sits in it outside nested blocks, inline
children (<span>, <b>, <a>) included, so text placed straight in a <span> counts like a paragraph.
A block of prose scores its length; a link-heavy or tiny block scores below zero. The element whose
descendants' scores sum highest is the article: it grows to a parent when the article is split in
sibling blocks (their prose outweighs what lies between), and stays narrow when the parent adds mostly
menus and link lists. Inside it, link lists, chrome and clutter-named blocks are left out.
Never-text tags and hidden elements go in lexbor (C) first; the walk is then lexbor's own traversal with
a dictionary lookup per node (a few milliseconds for a news page, most of the extraction's time).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from scrapers.parsers.clean import BIG_SHARE, BLOCK_TAGS, CLUTTER_WORDS, is_clutter_class

SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "iframe", "select", "option", "textarea",
                       "button", "input", "head", "title", "meta", "link", "object", "embed", "canvas",
                       "math"])  # fmt: skip
STRIP_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "select", "textarea", "object",
              "embed", "canvas", "math"]  # fmt: skip
HIDDEN = (
    '[hidden], [style*="display:none" i], [style*="display: none" i], [style*="visibility:hidden" i], '
    '[style*="visibility: hidden" i]'
)
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
# Containers whose whole subtree is page chrome on nearly every site.
CHROME_TAGS = frozenset(["nav", "footer", "aside", "menu"])
# Elements that own their text as a block: the cleaner's block tags plus sectioning and chrome containers.
OWNERS = BLOCK_TAGS | CHROME_TAGS | frozenset(["body", "form", "fieldset", "details", "summary", "caption"])
PROSE_MARKS = re.compile(r"[.,;:!?»\"。，]")
CLUTTER_HINT = re.compile("|".join(w.replace("-", "") for w in CLUTTER_WORDS), re.I)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
TITLE_BONUS = 400.0  # prose-characters worth of being the headline's container
TITLE_LEVELS = 3
FORGIVE_BELOW = 1000  # characters of article outside clutter below which big clutter is reconsidered
MIN_PROSE = 60  # characters: below this a block is a caption, a date, a label
LINK_HEAVY = 0.5
SHORT_SCORE = -5.0  # a short line of plain text (caption, date, label): slightly below nothing
# A block's score counts fully for its own element and fades with each level up: an ancestor wins only
# when it gathers several good blocks (an article split in parts), not by holding the whole page.
DECAY = 0.7
CLIMB_LEVELS = 5  # how far above the best element an article's other parts may sit
CLIMB_JUNK = 0.1  # an ancestor may add this much junk (link lists; chrome and clutter weighted) per unit of prose
MARKED_JUNK = 0.1  # chrome and clutter are left out of the text anyway: they weigh a tenth as junk in the climb


class Block:
    """A run of text one block element owns outside nested blocks (a nested block or <br> ends a run)."""

    __slots__ = ("chain", "chrome", "clutter", "link_chars", "node_id", "parts", "tag", "text")

    def __init__(self, node_id: int, tag: str, chain: tuple[int, ...], chrome: bool, clutter: int) -> None:
        self.node_id, self.tag, self.chrome, self.clutter = node_id, tag, chrome, clutter
        self.chain = chain  # ids of the owner's ancestors, nearest first
        self.parts: list[str] = []
        self.link_chars = 0
        self.text = ""


class _Owner:
    """A block element and its open run of text, shared by the inline elements inside it."""

    __slots__ = ("chain", "current", "node_id", "tag")

    def __init__(self, node_id: int, tag: str, chain: tuple[int, ...]) -> None:
        self.node_id, self.tag, self.chain = node_id, tag, chain  # chain: itself, then its owners upward
        self.current: Block | None = None


# What a node's children inherit: (owner, inside a link, inside chrome, id of a clutter-named ancestor or 0).
_Context = tuple[_Owner, bool, bool, int]
_clutter_names: dict[str, bool] = {}  # class+id strings seen before; pages and sites repeat them


def _names_clutter(names: str) -> bool:
    known = _clutter_names.get(names)
    if known is None:
        known = bool(CLUTTER_HINT.search(names)) and is_clutter_class(names)
        if len(_clutter_names) < 50_000:  # bounded: a long-running poller sees many sites
            _clutter_names[names] = known
    return known


def _drop_hidden(tree: LexborHTMLParser) -> None:
    """Never-text tags and hidden elements go in lexbor (C) before the walk, which then never sees them."""
    if tree.body is not None:
        tree.body.strip_tags(STRIP_TAGS, recursive=True)
    for node in tree.css(HIDDEN):
        if node.tag not in ("html", "body"):
            node.decompose()


def _collect(tree: LexborHTMLParser, owners: list[_Owner]) -> list[Block]:
    """Text runs in document order, from one traversal (a node's context is found by its parent's id)."""
    body = tree.body
    if body is None:
        return []
    _drop_hidden(tree)
    order: list[Block] = []
    body_id = body.mem_id
    owners.append(_Owner(body_id, "body", (body_id,)))
    contexts: dict[int, _Context] = {body_id: (owners[0], False, False, 0)}
    context_of, append_block = contexts.get, order.append
    for node in body.traverse(include_text=True, skip_empty=True):
        tag = node.tag
        if tag == "-text":
            text = node.text_content
            if not text or text.isspace():
                continue
            parent = node.parent
            ctx = context_of(parent.mem_id) if parent is not None else None
            if ctx is None:
                continue
            owner, in_link, chrome, clutter = ctx
            run = owner.current
            if run is None or order[-1] is not run or run.chrome != chrome or run.clutter != clutter:
                # a nested block came in between, or an inline part of another kind starts
                run = Block(owner.node_id, owner.tag, owner.chain[1:], chrome, clutter)
                append_block(run)
                owner.current = run
            run.parts.append(text)
            if in_link:
                run.link_chars += len(text.strip())
            continue
        mem = node.mem_id
        if mem == body_id or tag is None or tag[0] == "-" or tag in SKIP_TAGS:
            continue  # no context: its subtree is skipped too
        parent = node.parent
        ctx = context_of(parent.mem_id) if parent is not None else None
        if ctx is None:
            continue
        owner, in_link, chrome, clutter = ctx
        if tag == "br":
            owner.current = None
            continue
        attrs = node.attributes
        if attrs:
            names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}" if not clutter else " "
            if names != " " and _names_clutter(names):
                clutter = mem
            if attrs.get("role") == "navigation":
                chrome = True
        if tag in CHROME_TAGS:
            chrome = True
        if tag in OWNERS:
            new_owner = _Owner(mem, tag, (mem, *owner.chain))
            owners.append(new_owner)
            contexts[mem] = (new_owner, False, chrome, clutter)
        elif tag == "a" or chrome is not ctx[2] or clutter != ctx[3]:
            contexts[mem] = (owner, in_link or tag == "a", chrome, clutter)
        else:
            contexts[mem] = ctx
    for run in order:
        run.text = " ".join("".join(run.parts).split())  # text nodes keep their own spaces
    return [run for run in order if run.text]


def _weight(text: str) -> int:
    """Length in Latin-letter terms: a Chinese, Japanese or Korean character says as much as a short word."""
    if text.isascii():
        return len(text)
    return len(text) + 2 * len(CJK.findall(text))


def _score(block: Block) -> float:
    text = block.text
    chars = _weight(text)
    if block.chrome or block.clutter:
        return -max(chars, 20)
    density = min(1.0, block.link_chars / len(text))
    if density > LINK_HEAVY:
        return -chars
    if chars < MIN_PROSE:
        return 0.0 if block.tag in HEADINGS else SHORT_SCORE
    prose = chars * (1 - density)
    return prose if PROSE_MARKS.search(text) else prose * 0.5


def _forgive_big_clutter(blocks: list[Block]) -> bool:
    """A clutter-named element holding much of the page's text is a wrapper after all ("…advert…");
    whether any was forgiven."""
    total = sum(len(b.text) for b in blocks) or 1
    by_clutter: dict[int, int] = {}
    for block in blocks:
        if block.clutter:
            by_clutter[block.clutter] = by_clutter.get(block.clutter, 0) + len(block.text)
    forgiven = {key for key, chars in by_clutter.items() if chars >= BIG_SHARE * total}
    for block in blocks:
        if block.clutter in forgiven:
            block.clutter = 0
    return bool(forgiven)


def _titled(blocks: list[Block], totals: dict[int, float], good: dict[int, float], body_id: int) -> int:
    """The nearest element above the page's one <h1> that holds prose (not <body>), or 0: the article sits
    there more often than not, so it gets a bonus against wordier sidebars."""
    headings = [b for b in blocks if b.tag == "h1" and not (b.chrome or b.clutter)]
    if len(headings) != 1:
        return 0
    for ancestor in headings[0].chain[:TITLE_LEVELS]:
        if ancestor == body_id:
            return 0  # <body> is the page, not the article
        if ancestor in totals and good.get(ancestor, 0.0) > 0:
            return ancestor
    return 0


def _pick(blocks: list[Block], scores: list[float], owners: list[_Owner]) -> int:
    """The article element: the best-scoring element (scores fading upward), then the highest ancestor a
    few levels up that adds prose with little junk: an article split into sibling parts is taken whole."""
    own: dict[int, float] = {}
    good: dict[int, float] = {}
    bad: dict[int, float] = {}
    for block, score in zip(blocks, scores, strict=True):
        if score:
            key = block.node_id
            own[key] = own.get(key, 0.0) + score
            if score > 0:
                good[key] = good.get(key, 0.0) + score
            elif score < SHORT_SCORE:  # link lists, chrome, clutter: a caption or a label is not junk
                weight = MARKED_JUNK if block.chrome or block.clutter else 1.0
                bad[key] = bad.get(key, 0.0) - score * weight
    if not own:
        return 0
    # Owners come in document order, so children before parents when read backwards: one pass sums subtrees.
    totals: dict[int, float] = {}
    for owner in reversed(owners):
        key = owner.node_id
        total = totals.get(key, 0.0) + own.get(key, 0.0)
        totals[key] = total
        if len(owner.chain) > 1:
            parent = owner.chain[1]
            totals[parent] = totals.get(parent, 0.0) + DECAY * total
            good[parent] = good.get(parent, 0.0) + good.get(key, 0.0)
            bad[parent] = bad.get(parent, 0.0) + bad.get(key, 0.0)
    titled = _titled(blocks, totals, good, owners[0].node_id)
    if titled:
        totals[titled] += TITLE_BONUS
    best = max(totals, key=lambda key: totals[key])
    if totals[best] <= 0:
        return 0
    if best == titled:
        return best  # the headline's container already holds the parts below the headline: no climb
    chain = next(o.chain for o in owners if o.node_id == best)
    chosen = best
    for ancestor in chain[1 : 1 + CLIMB_LEVELS]:
        added_good = good.get(ancestor, 0.0) - good.get(best, 0.0)
        added_bad = bad.get(ancestor, 0.0) - bad.get(best, 0.0)
        if added_good > 0 and added_bad <= CLIMB_JUNK * added_good:
            chosen = ancestor
    return chosen


def main_text(tree: LexborHTMLParser) -> list[str]:
    """Lines of the article of a page (line rules not yet applied); [] when there is no text."""
    owners: list[_Owner] = []
    blocks = _collect(tree, owners)
    lines = _article(blocks, owners)
    # A big clutter-named element (an "advertorial" wrapper, a gallery widget) is forgiven only when the
    # page has no article outside it: a 50-photo gallery beside a real article stays out.
    if sum(len(line) for line in lines) < FORGIVE_BELOW and _forgive_big_clutter(blocks):
        wider = _article(blocks, owners)
        if sum(len(line) for line in wider) > sum(len(line) for line in lines):
            return wider
    return lines


def _article(blocks: list[Block], owners: list[_Owner]) -> list[str]:
    """Kept lines of the best element."""
    scores = [_score(b) for b in blocks]
    chosen = _pick(blocks, scores, owners)
    if not chosen:
        return []
    return [b.text for b, s in zip(blocks, scores, strict=True)
            if (b.node_id == chosen or chosen in b.chain) and _kept(b, s)]  # fmt: skip


def _kept(block: Block, score: float) -> bool:
    """Inside the article: prose, headings and short lines stay; link lists, chrome and clutter go."""
    if block.chrome or block.clutter:
        return False
    return score > 0 or block.link_chars <= LINK_HEAVY * len(block.text)
