"""Render an email from its text and HTML templates with the brand layout."""

from dataclasses import dataclass

from flask import render_template


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(name: str, subject: str, **context) -> RenderedEmail:
    """Render ``emails/<name>.txt`` and ``emails/<name>.html`` with the same context.

    Both parts come from the same context objects the pages use, so an email states
    exactly the facts the website shows.
    """
    context["subject"] = subject
    return RenderedEmail(
        subject=subject,
        text=render_template(f"emails/{name}.txt", **context),
        html=render_template(f"emails/{name}.html", **context),
    )
