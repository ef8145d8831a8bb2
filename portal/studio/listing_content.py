"""What the public listing page shows of the studio's content, from live rows or a draft.

The listing template reads a :class:`ListingContent`; the public view builds it from
the published rows (already loaded with the unit, so no extra query), the studio's
preview from a draft snapshot. Both go through the same template, so the preview is
the public page.
"""

from dataclasses import dataclass, field

from flask import url_for
from markupsafe import Markup

from portal.models import InternetService, Media, MediaAsset, Unit
from portal.studio.content import assets_by_key
from portal.studio.sanitise import render_markdown


@dataclass(frozen=True)
class MediaView:
    kind: str
    alt_text: str
    caption: str = ""
    room: str | None = None
    floor: int | None = None
    orientation: str | None = None
    src: str = ""
    srcset: str = ""
    width: int = 800
    height: int = 520
    embed_url: str = ""
    hotspots: tuple = ()


@dataclass(frozen=True)
class ListingContent:
    description_html: Markup
    highlights_html: Markup
    neighbourhood_html: Markup
    unit_description_html: Markup
    amenities: tuple[str, ...]
    internet: tuple[InternetService, ...]
    building_media: tuple[MediaView, ...]
    unit_media: tuple[MediaView, ...]
    removed: tuple[str, ...] = field(default=())

    def building(self, kind: str) -> list[MediaView]:
        return [m for m in self.building_media if m.kind == kind]

    def unit(self, kind: str) -> list[MediaView]:
        return [m for m in self.unit_media if m.kind == kind]

    @property
    def panoramas(self) -> list[MediaView]:
        return [m for m in (*self.building_media, *self.unit_media) if m.kind == "virtual_tour"]


def _published_html(html: str, source: str) -> Markup:
    # Rows written before the studio (or by tests) have text but no rendering yet: shown
    # escaped, as plain text, never as markup.
    if html:
        return html if isinstance(html, Markup) else Markup.escape(html)
    return Markup("<p>{}</p>").format(source) if source else Markup("")


def _view(
    kind, alt, caption, room, floor, orientation, hotspots, url, asset: MediaAsset | None
) -> MediaView:
    common = {
        "kind": kind,
        "alt_text": alt,
        "caption": caption or "",
        "room": room,
        "floor": floor,
        "orientation": orientation,
        "hotspots": tuple(hotspots or ()),
    }
    if asset is not None:

        def sized(width):
            return url_for(
                "studio_public.media_file", key=asset.key, width=width, ext=asset.extension
            )

        largest = asset.largest_width
        return MediaView(
            **common,
            src=sized(largest),
            srcset=", ".join(f"{sized(w)} {w}w" for w in asset.widths),
            width=largest,
            height=round(asset.height * largest / asset.width),
        )
    if kind == "video":
        return MediaView(**common, embed_url=url)
    return MediaView(**common, src=url_for("static", filename=url))


def _from_row(media: Media) -> MediaView:
    return _view(
        media.kind, media.alt_text, media.caption, media.room, media.floor,
        media.orientation, media.hotspots, media.url, media.asset,
    )  # fmt: skip


def _from_items(items: list[dict]) -> tuple[MediaView, ...]:
    assets = assets_by_key(i.get("asset") for i in items)
    return tuple(
        _view(
            i["kind"],
            i["alt_text"],
            i.get("caption"),
            i.get("room"),
            i.get("floor"),
            i.get("orientation"),
            i.get("hotspots"),
            i.get("url", ""),
            assets.get(i.get("asset")),
        )  # fmt: skip
        for i in items
    )


def published_content(unit: Unit) -> ListingContent:
    """The content the public page shows for ``unit`` (its rows as published)."""
    prop = unit.property
    return ListingContent(
        description_html=_published_html(prop.description_html, prop.description),
        highlights_html=_published_html(prop.highlights_html, prop.highlights),
        neighbourhood_html=_published_html(prop.neighbourhood_html, prop.neighbourhood_blurb),
        unit_description_html=_published_html(unit.description_html, unit.description),
        amenities=tuple(prop.amenities or ()),
        internet=tuple(prop.internet_services),
        building_media=tuple(_from_row(m) for m in prop.media),
        unit_media=tuple(_from_row(m) for m in unit.media),
    )


def draft_content(unit: Unit, property_content: dict, unit_content: dict) -> ListingContent:
    """The content the page would show with these snapshots published (for the preview).

    ``removed`` lists what the sanitiser takes out of the texts, for the marketer.
    """
    texts = {
        name: render_markdown(property_content.get(name, ""))
        for name in ("description", "highlights", "neighbourhood")
    }
    unit_text = render_markdown(unit_content.get("description", ""))
    removed = tuple(
        f"{name.title()}: {what}"
        for name, rendered in (*texts.items(), ("unit description", unit_text))
        for what in rendered.removed
    )
    internet = tuple(
        InternetService(
            provider=s["provider"],
            technology=s["technology"],
            max_down_mbps=s["down"],
            max_up_mbps=s["up"],
        )
        for s in sorted(property_content.get("internet", []), key=lambda s: -s["down"])
    )
    return ListingContent(
        description_html=texts["description"].html,
        highlights_html=texts["highlights"].html,
        neighbourhood_html=texts["neighbourhood"].html,
        unit_description_html=unit_text.html,
        amenities=tuple(property_content.get("amenities", ())),
        internet=internet,
        building_media=_from_items(property_content.get("media", [])),
        unit_media=_from_items(unit_content.get("media", [])),
        removed=removed,
    )
