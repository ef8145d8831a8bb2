"""What mail clients do to HTML, as a checker: the limits our email layout must keep.

Gmail clips a message over ~102 KB, drops <style> blocks in many clients and every
<script>; Outlook renders with Word (no flex, grid or positioning); images are often
blocked, so each needs alt text; a phone shows ~600 px at most.
"""

import re
from html.parser import HTMLParser

MAX_BYTES = 100 * 1024
MAX_WIDTH_PX = 600
# Inline properties that the common clients (Gmail, Outlook, Apple Mail) all honour.
SAFE_CSS = {
    "background",
    "background-color",
    "border",
    "border-top",
    "border-bottom",
    "border-left",
    "border-right",
    "border-radius",
    "border-collapse",
    "color",
    "display",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "height",
    "letter-spacing",
    "line-height",
    "margin",
    "margin-top",
    "margin-bottom",
    "margin-left",
    "margin-right",
    "max-height",
    "max-width",
    "mso-hide",
    "opacity",
    "overflow",
    "padding",
    "padding-top",
    "padding-bottom",
    "padding-left",
    "padding-right",
    "text-align",
    "text-decoration",
    "vertical-align",
    "white-space",
    "width",
}
FORBIDDEN_TAGS = {"script", "style", "link", "iframe", "form", "input", "button", "object", "embed"}
_PX = re.compile(r"(\d+)px")


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.hidden_texts: list[str] = []
        self._in_hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> is dropped or unsafe in mail")
        for name in attributes:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>: event handlers never run in mail")
        if tag == "img" and not (attributes.get("alt") or "").strip():
            self.problems.append("<img> without alt text (images are often blocked)")
        for name in ("href", "src"):
            url = attributes.get(name)
            if url is not None and not url.startswith(("https://", "http://", "mailto:")):
                self.problems.append(f"<{tag} {name}={url!r}>: links in mail must be absolute")
        width = attributes.get("width", "")
        if width.isdigit() and int(width) > MAX_WIDTH_PX:
            self.problems.append(f"<{tag} width={width}> is wider than {MAX_WIDTH_PX} px")
        self._check_style(tag, attributes.get("style") or "")
        if self._in_hidden or "display:none" in (attributes.get("style") or "").replace(" ", ""):
            self._in_hidden += 1

    def handle_endtag(self, tag):
        if self._in_hidden:
            self._in_hidden -= 1

    def handle_data(self, data):
        if self._in_hidden and data.strip():
            self.hidden_texts.append(data.strip())

    def _check_style(self, tag, style):
        for declaration in filter(None, (d.strip() for d in style.split(";"))):
            prop, _, value = declaration.partition(":")
            prop, value = prop.strip().lower(), value.strip().lower()
            if prop not in SAFE_CSS:
                self.problems.append(f"<{tag}> style {prop!r} is not safe in mail clients")
            if prop == "display" and ("flex" in value or "grid" in value):
                self.problems.append(f"<{tag}> display:{value} is ignored by Outlook")
            if "url(" in value or "var(" in value or "calc(" in value:
                self.problems.append(f"<{tag}> style {prop}: {value!r} is not supported")
            if prop in ("width", "max-width"):
                for px in _PX.findall(value):
                    if int(px) > MAX_WIDTH_PX:
                        self.problems.append(f"<{tag}> {prop} {px}px > {MAX_WIDTH_PX}px")


def mail_client_problems(html: str) -> list[str]:
    """Everything in ``html`` a common mail client would break, drop or clip."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    problems = list(checker.problems)
    if len(html.encode("utf-8")) > MAX_BYTES:
        problems.append(f"{len(html.encode())} bytes: Gmail clips messages over ~102 KB")
    return problems


def preheader(html: str) -> str:
    """The hidden preview text at the top of the body ('' when there is none)."""
    checker = _Checker()
    checker.feed(html)
    return " ".join(
        t.replace("\u2007", "").replace("\ufeff", "").replace("\u034f", "").strip()
        for t in checker.hidden_texts
    ).strip()
