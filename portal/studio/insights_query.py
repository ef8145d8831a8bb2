"""What the marketer asked the insights for: the period, the filters and the cut.

A plain value with an explicit ``now``, so every figure is reproducible; the view
builds it from ``InsightsFilterForm`` and the services never read the clock.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

PERIODS = {"30d": 30, "90d": 90, "180d": 180, "365d": 365}
DEFAULT_PERIOD = "90d"
CUTS = {
    "community": "Community",
    "agent": "Agent",
    "first_touch": "First-touch source",
    "last_touch": "Last-touch source",
    "month": "Month",
}
DEFAULT_CUT = "community"
# How a prospect without a campaign source and a tour without an agent are shown.
NO_SOURCE = "(direct / none)"
NO_AGENT = "(self-guided / none)"


@dataclass(frozen=True)
class InsightsQuery:
    """One view of the insights.

    :param now: outcomes (tours held, applications, leases) count up to this instant.
    :param start, end: leads that arrived in ``[start, end)``; tours that started then.
    :param by: one of ``CUTS``: what the rows of every table are.
    :param property_id, agent_id, source: narrow to one community, one agent (the
        agent of the lead's first booking, or of the tour), one first-touch source.
    """

    now: datetime
    start: datetime
    end: datetime
    by: str = DEFAULT_CUT
    property_id: int | None = None
    agent_id: int | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        if self.by not in CUTS:
            raise ValueError(f"by must be one of {', '.join(CUTS)}")
        if self.start >= self.end:
            raise ValueError("the period must start before it ends")

    @classmethod
    def last_days(cls, now: datetime, days: int = PERIODS[DEFAULT_PERIOD], **filters):
        """The ``days`` up to ``now`` (the default view is the last 90 days)."""
        return cls(now=now, start=now - timedelta(days=days), end=now, **filters)

    def with_cut(self, by: str) -> "InsightsQuery":
        return replace(self, by=by)
