"""Render an email from its text and HTML templates with the brand layout and footer."""

from dataclasses import dataclass

from flask import render_template


@dataclass(frozen=True)
class EmailFooter:
    """The links at the foot of every email (``prospects.contact_links.email_footer``).

    :param preferences_url: the contact preferences page (signed in), where every kind of
        message can be tuned or stopped.
    :param unsubscribe_url: the recipient's one-click unsubscribe page, when we know who
        they are; a message they did not ask for must pass the same URL to ``queue_email``
        as its ``List-Unsubscribe`` header.
    """

    preferences_url: str
    unsubscribe_url: str | None = None


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(name: str, subject: str, *, footer: EmailFooter, **context) -> RenderedEmail:
    """Render ``emails/<name>.txt`` and ``emails/<name>.html`` with the same context.

    Both parts come from the same context objects the pages use, so an email states
    exactly the facts the website shows; both end with ``footer``'s links.
    """
    context["subject"] = subject
    context["footer"] = footer
    return RenderedEmail(
        subject=subject,
        text=render_template(f"emails/{name}.txt", **context),
        html=render_template(f"emails/{name}.html", **context),
    )
