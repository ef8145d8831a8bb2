"""The links at the foot of every email: contact preferences and one-click unsubscribe.

Built with ``portal.links.external_url``, so they point at ``PORTAL_BASE_URL`` whether a
request or a job renders the message.
"""

from portal.links import external_url
from portal.mail.render import EmailFooter
from portal.models import Prospect
from portal.prospects.preferences import unsubscribe_token


def unsubscribe_url(prospect: Prospect, *, secret_key: str) -> str:
    """The prospect's permanent one-click unsubscribe link (RFC 8058 POSTs to it too)."""
    return external_url("prospects.unsubscribe_link", token=unsubscribe_token(prospect, secret_key))


def email_footer(prospect: Prospect | None, *, secret_key: str) -> EmailFooter:
    """Footer links for a message to ``prospect`` (None: an address with no account yet,
    which gets the preferences page only)."""
    known = prospect is not None and prospect.erased_at is None
    return EmailFooter(
        preferences_url=external_url("prospects.contact"),
        unsubscribe_url=unsubscribe_url(prospect, secret_key=secret_key) if known else None,
    )
