"""Tour settings from the app config, read at the boundary and passed to the services."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app


@dataclass(frozen=True)
class TourSettings:
    video_base_url: str = "https://meet.jit.si"
    reminder_minutes: tuple[int, ...] = (24 * 60, 60)
    access_code_lead: timedelta = timedelta(minutes=60)

    @classmethod
    def from_config(cls, config: Mapping) -> "TourSettings":
        return cls(
            video_base_url=config.get("TOUR_VIDEO_BASE_URL", cls.video_base_url).rstrip("/"),
            reminder_minutes=tuple(config.get("TOUR_REMINDER_MINUTES", cls.reminder_minutes)),
            access_code_lead=timedelta(minutes=config.get("TOUR_ACCESS_CODE_LEAD_MINUTES", 60)),
        )


def current_tour_settings() -> TourSettings:
    """The running app's tour settings (for views, the API, CLI commands and notices)."""
    return TourSettings.from_config(current_app.config)
