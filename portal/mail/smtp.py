"""Deliver outbox emails over SMTP with the standard library."""

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from portal.models import OutboxEmail


class SmtpSender:
    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        from_address: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 10,
    ):
        self.host, self.port, self.from_address = host, port, from_address
        self.username, self.password, self.starttls = username, password, starttls
        self.timeout = timeout

    @classmethod
    def from_config(cls, config) -> "SmtpSender":
        return cls(
            config["MAIL_SMTP_HOST"],
            int(config["MAIL_SMTP_PORT"]),
            from_address=config["MAIL_FROM"],
            username=config.get("MAIL_SMTP_USERNAME"),
            password=config.get("MAIL_SMTP_PASSWORD"),
            starttls=bool(config.get("MAIL_SMTP_STARTTLS")),
        )

    def build_message(self, email: OutboxEmail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.from_address
        message["To"] = email.to_address
        message["Subject"] = email.subject
        # Stable per outbox row, so a resend after a timeout is recognisable as the same mail.
        headers = dict(email.headers or {})
        message["Message-ID"] = headers.pop("Message-ID", None) or make_msgid(
            idstring=f"outbox-{email.id}"
        )
        for name, value in headers.items():
            message[name] = value
        message.set_content(email.text_body)
        if email.html_body:
            message.add_alternative(email.html_body, subtype="html")
        for attachment in email.attachments or []:
            maintype, _, subtype = attachment["content_type"].partition("/")
            params = dict(p.strip().split("=", 1) for p in subtype.split(";")[1:] if "=" in p)
            message.add_attachment(
                attachment["content"].encode("utf-8"),
                maintype=maintype,
                subtype=subtype.split(";")[0],
                filename=attachment["filename"],
                params=params,
            )
        return message

    def send(self, email: OutboxEmail) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(self.build_message(email))
