"""The sign-in email really leaves through SMTP, and its link signs the prospect in."""

import re
from urllib.parse import urlsplit

import pytest


@pytest.fixture
def app_config(smtp_server):
    return dict(smtp_server.config)


def test_sign_in_link_arrives_by_smtp_and_works(client, smtp_server):
    """Text and HTML parts carry the same single-use link; following it signs in."""
    assert client.post("/me/sign-in", data={"email": "pia@example.com"}).status_code == 303
    [message] = smtp_server.inbox.messages
    assert message["To"] == "pia@example.com"
    assert message["Subject"] == "Your Doorstep sign-in link"
    parts = {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart()
    }
    url = re.search(r"http://\S+/me/sign-in/\S+", parts["text/plain"]).group(0)
    assert url.replace("&", "&amp;") in parts["text/html"] or url in parts["text/html"]
    path = urlsplit(url).path
    assert client.post(path).status_code == 303
    assert client.get("/me/").status_code == 200
