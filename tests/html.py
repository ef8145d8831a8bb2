"""Small readers for the HTML our pages render."""

import re

_LISTING_LINK = re.compile(r'href="/listings/(\d+)"')


def listed_ids(html: str) -> list[int]:
    """Ids of the listing cards on a page, in page order, each once."""
    return list(dict.fromkeys(int(m) for m in _LISTING_LINK.findall(html)))
