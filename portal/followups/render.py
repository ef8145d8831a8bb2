"""Render a follow-up from a snippet and its facts: pure and deterministic.

The same snippet and the same facts always give the same subject, plain text and HTML
(the brand layout of every email), so a preview is exactly what will be sent as long as
the facts hold. Nothing here reads the database or the clock.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from portal.followups.placeholders import _TOKEN
from portal.mail.render import EmailFooter, render_email


@dataclass(frozen=True)
class Filled:
    text: str
    used: tuple[tuple[str, str], ...]  # (key, value) in order of first use
    missing: tuple[str, ...]  # placeholders with no known value


@dataclass(frozen=True)
class RenderedFollowup:
    subject: str
    text: str
    html: str
    facts: tuple[tuple[str, str], ...]  # every (key, value) the message states


_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


def fill(template: str, facts: Mapping[str, str]) -> Filled:
    """Replace each ``{key}`` by its fact; a key without a value is reported as missing.

    A part in square brackets is optional: ``[You liked {liked}.]`` is left out when
    one of its facts is not known, and kept (without the brackets) when all are.
    """
    used: dict[str, str] = {}
    missing: list[str] = []

    def optional(match) -> str:
        inner = match.group(1)
        return inner if all(key in facts for key in _TOKEN.findall(inner)) else ""

    template = _OPTIONAL.sub(optional, template)

    def value(match) -> str:
        key = match.group(1)
        if key in facts:
            used.setdefault(key, facts[key])
            return facts[key]
        if key not in missing:
            missing.append(key)
        return match.group(0)

    return Filled(_TOKEN.sub(value, template), tuple(used.items()), tuple(missing))


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def render_followup(
    subject: str, body: str, *, footer: EmailFooter, property_name: str
) -> RenderedFollowup:
    """The email of an already filled ``subject`` and ``body`` (plain text and HTML)."""
    rendered = render_email(
        "followup",
        subject,
        footer=footer,
        paragraphs=paragraphs(body),
        property_name=property_name,
    )
    return RenderedFollowup(rendered.subject, rendered.text, rendered.html, ())


def render_snippet(
    subject: str,
    body: str,
    facts: Mapping[str, str],
    *,
    footer: EmailFooter,
    property_name: str,
) -> tuple[RenderedFollowup, tuple[str, ...]]:
    """Fill and render; returns the message and the placeholders that had no value."""
    filled_subject, filled_body = fill(subject, facts), fill(body, facts)
    used = dict(filled_subject.used) | dict(filled_body.used)
    missing = tuple(dict.fromkeys(filled_subject.missing + filled_body.missing))
    message = render_followup(
        filled_subject.text, filled_body.text, footer=footer, property_name=property_name
    )
    return (
        RenderedFollowup(message.subject, message.text, message.html, tuple(used.items())),
        missing,
    )
