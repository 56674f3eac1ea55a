"""Main text of an unknown page: score text blocks, take the subtree whose blocks add up best.

Every block element (p, div, li, td, …) owns the text that sits in it outside nested blocks, inline
children (<span>, <b>, <a>) included, so text placed straight in a <span> counts like a paragraph.
A block of prose scores its length; a link-heavy or tiny block scores below zero. The element whose
descendants' scores sum highest is the article: it grows to a parent when the article is split in
sibling blocks (their prose outweighs what lies between), and stays narrow when the parent adds mostly
menus and link lists. Inside it, link lists and furniture blocks are left out.
One pass over the tree in Python, the rest in lexbor (C), so a page costs about a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scrapers.parsers.clean import BLOCK_TAGS, SPACES

SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "iframe", "select", "option", "textarea",
                       "button", "input", "head", "title", "meta", "link", "object", "embed", "canvas"])  # fmt: skip
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
# Containers whose whole subtree is page chrome on nearly every site.
CHROME_TAGS = frozenset(["nav", "footer", "aside", "menu"])
# Elements that own their text as a block: the cleaner's block tags plus sectioning and chrome containers.
OWNERS = BLOCK_TAGS | CHROME_TAGS | frozenset(["body", "form", "fieldset", "details", "summary", "caption"])
PROSE_MARKS = frozenset(".,;:!?»\"")
MIN_PROSE = 60  # characters: below this a block is a caption, a date, a label
LINK_HEAVY = 0.5  # share of a block's characters inside links


@dataclass
class Block:
    """Text one block element owns outside nested blocks: one segment per run between nested blocks or <br>."""

    node_id: int
    tag: str
    chain: tuple[int, ...]  # ids of the ancestors, nearest first
    in_chrome: bool = False
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0

    @property
    def text(self) -> str:
        return SPACES.sub(" ", " ".join(self.parts)).strip()


class _Owner:
    """The block element text is attributed to; a nested block or <br> starts a new segment of it."""

    __slots__ = ("chain", "current", "in_chrome", "node_id", "order", "tag")

    def __init__(self, node: LexborNode, chain: tuple[int, ...], in_chrome: bool, order: list[Block]) -> None:
        self.node_id, self.tag, self.chain, self.in_chrome, self.order = node.mem_id, node.tag or "", chain, in_chrome, order
        self.current = self.new_segment()

    def new_segment(self) -> Block:
        block = Block(self.node_id, self.tag, self.chain, self.in_chrome)
        self.order.append(block)
        self.current = block
        return block


def _hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    return "hidden" in attrs or "display:none" in (attrs.get("style") or "").replace(" ", "")


def _collect(root: LexborNode) -> list[Block]:
    """Text segments in document order, by one iterative walk (lexbor hands over each node's text)."""
    order: list[Block] = []
    # (node, owning block, inside a link, inside chrome); None as node closes a nested block of `owner`.
    stack: list[tuple[LexborNode | None, _Owner | None, bool, bool]] = [(root, None, False, False)]
    while stack:
        node, owner, in_link, in_chrome = stack.pop()
        if node is None:
            if owner is not None:
                owner.new_segment()
            continue
        tag = node.tag
        if tag == "-text":
            text = node.text_content
            if owner is not None and text and not text.isspace():
                segment = owner.current
                segment.parts.append(text)
                if in_link:
                    segment.link_chars += len(text.strip())
            continue
        if tag is None or tag.startswith("-") or tag in SKIP_TAGS or _hidden(node):
            continue
        if tag == "br":
            if owner is not None:
                owner.new_segment()
            continue
        in_chrome = in_chrome or tag in CHROME_TAGS
        if tag in OWNERS or owner is None:
            chain = (owner.node_id, *owner.chain) if owner is not None else ()
            stack.append((None, owner, in_link, in_chrome))
            owner = _Owner(node, chain, in_chrome, order)
        elif tag == "a":
            in_link = True
        child = node.last_child
        while child is not None:
            stack.append((child, owner, in_link, in_chrome))
            child = child.prev
    return [block for block in order if block.parts]


def _score(block: Block, text: str) -> float:
    chars = len(text)
    if block.in_chrome:
        return -max(chars, 20)
    density = block.link_chars / chars if chars else 1.0
    if density > LINK_HEAVY:
        return -chars
    if chars < MIN_PROSE:
        return -5.0 if block.tag not in HEADINGS else 0.0
    prose = chars * (1 - density)
    return prose if any(mark in text for mark in PROSE_MARKS) else prose * 0.5


def main_text(tree: LexborHTMLParser) -> list[str]:
    """Lines of the article of a page (clutter not yet filtered by line rules); [] when there is no text."""
    root = tree.body
    if root is None:
        return []
    blocks = _collect(root)
    texts = [b.text for b in blocks]
    scores = [_score(b, t) if t else 0.0 for b, t in zip(blocks, texts, strict=True)]
    totals: dict[int, float] = {}
    for block, score in zip(blocks, scores, strict=True):
        if score:
            totals[block.node_id] = totals.get(block.node_id, 0.0) + score
            for ancestor in block.chain:
                totals[ancestor] = totals.get(ancestor, 0.0) + score
    if not totals:
        return []
    best = max(totals, key=lambda key: totals[key])
    if totals[best] <= 0:
        return []
    lines = []
    for block, text, score in zip(blocks, texts, scores, strict=True):
        if text and (block.node_id == best or best in block.chain) and _kept(block, text, score):
            lines.append(text)
    return lines


def _kept(block: Block, text: str, score: float) -> bool:
    """Inside the article: prose, headings and short lines stay; link lists and chrome go."""
    if block.in_chrome:
        return False
    return score > 0 or block.link_chars <= LINK_HEAVY * len(text)
