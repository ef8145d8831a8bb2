"""A real SMTP server on loopback (aiosmtpd) whose answers a test can script.

``Mailbox.refuse(address, "451 4.3.0 try later")`` answers RCPT for that address with
the given replies, one per attempt, then accepts; ``connections`` counts the SMTP
sessions (EHLO) so connection reuse can be checked; ``raw`` keeps each message's bytes.
With ``pipelining=True`` it advertises RFC 2920 PIPELINING (aiosmtpd reads commands in
order from its buffer, so it copes with them; it just does not say so by default).
"""

import asyncio
from contextlib import contextmanager
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from tests.loopback_servers import free_port


class Mailbox:
    def __init__(self, delay: float = 0.0, pipelining: bool = False):
        self.messages: list = []
        self.raw: list[bytes] = []
        self.connections = 0
        self.delay = delay  # seconds before answering DATA (a slower server)
        self.pipelining = pipelining
        self._rcpt_answers: dict[str, list[str]] = {}

    def refuse(self, address: str, *answers: str) -> None:
        self._rcpt_answers[address.lower()] = list(answers)

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.messages]

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answers = self._rcpt_answers.get(address.lower())
        if answers:
            return answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.raw.append(envelope.content)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 2.0.0 queued"


@contextmanager
def smtp_mailbox(delay: float = 0.0, pipelining: bool = False):
    """Run a ``Mailbox`` on a free loopback port; yields (mailbox, config overrides)."""
    mailbox = Mailbox(delay, pipelining)
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, {"MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": port}
    finally:
        controller.stop()
