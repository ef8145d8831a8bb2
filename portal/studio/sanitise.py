"""Markdown to safe HTML: markdown-it renders, nh3 (ammonia) decides what survives.

Every text a marketer writes goes through :func:`render_markdown` when it is saved; the
public page, the preview, the brief and emails show only its output. markdown-it's own
link check is switched off on purpose, so that nh3 is the one place that decides which
URLs and tags are allowed, and the preview can say what it removed (:func:`removals`).
"""

from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4",
    "blockquote", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
LINK_REL = "nofollow noopener noreferrer"

_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
_markdown.validateLink = lambda url: True  # nh3 judges every URL (and reports what it drops)


def _shift_headings(state) -> None:
    # The page has its h1 and section h2s: a text's "# Title" becomes an h3, "##" an h4.
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 2, 4)}"


_markdown.core.ruler.push("shift_headings", _shift_headings)


@dataclass(frozen=True)
class Rendered:
    """A text's safe HTML and a sentence for each thing the sanitiser took out."""

    html: Markup
    removed: tuple[str, ...]


def clean_html(html: str) -> str:
    """``html`` with only our tags, attributes and URL schemes left (idempotent)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(source: str) -> Rendered:
    """Render ``source`` (Markdown, raw HTML allowed in it) to sanitised HTML."""
    raw = _markdown.render(source or "")
    cleaned = clean_html(raw)
    return Rendered(Markup(cleaned), removals(raw, cleaned))  # noqa: S704 - sanitised above


class _Inventory(HTMLParser):
    """Counts the elements, attributes and URL schemes in a piece of HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: Counter[tuple[str, str, str]] = Counter()

    def handle_starttag(self, tag, attrs):
        self.items[("tag", tag, "")] += 1
        for name, value in attrs:
            if name in ("href", "src", "xlink:href", "action", "formaction"):
                scheme = (
                    (value or "").strip().split(":", 1)[0].lower() if ":" in (value or "") else ""
                )
                self.items[("url", tag, scheme)] += 1
            elif name != "rel":  # nh3 adds rel to links; never something removed
                self.items[("attr", tag, name)] += 1


def _inventory(html: str) -> Counter:
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser.items


def removals(before: str, after: str) -> tuple[str, ...]:
    """Sentences for what is in ``before`` and not in ``after``: removed elements,
    attributes (event handlers, styles) and links with a scheme we refuse."""
    gone = _inventory(before) - _inventory(after)
    sentences = []
    for (kind, tag, detail), count in sorted(gone.items()):
        times = f" ({count}×)" if count > 1 else ""
        if kind == "tag":
            sentences.append(f"the <{tag}> element{times}")
        elif kind == "attr":
            sentences.append(f"the {detail} attribute on <{tag}>{times}")
        elif detail:
            sentences.append(f"a {detail}: address on <{tag}>{times}")
        else:
            sentences.append(f"an address on <{tag}>{times}")
    return tuple(sentences)
