"""The insights as named tables: the page shows them and the CSV export writes them.

Both read the very same ``Table`` (headers and cells already worded), so a CSV is the
table on the page cell for cell. Only aggregates are here: counts, shares, medians,
community and agent names, sources and topics; never a prospect's name or address.
"""

import csv
import io
from dataclasses import dataclass

from portal.studio import followup_stats, funnel, outcome_mix, speed, tour_stats
from portal.studio.insights_query import CUTS, InsightsQuery
from portal.studio.insights_sql import without_jit

TABLES = {
    "funnel": "Funnel",
    "tours": "Tours: show rate and after hours",
    "speed": "Speed: first response, lead to tour, tour to application",
    "priorities": "Priorities among leased and lost prospects",
    "objections": "Objections among leased and lost prospects",
    "followups": "Follow-up performance",
}


# The leased-vs-lost tables, by the kind of topic they show.
MIX_TABLES = {"priority": "priorities", "objection": "objections"}


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None = None

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.headers)
        writer.writerows(self.rows)
        if self.total:
            writer.writerow(self.total)
        return out.getvalue()


# A rate or median over fewer than this many leads (tours, messages) says more about
# chance than about the group: the counts are shown, the rate reads SMALL instead.
MIN_GROUP = 5
SMALL = f"n < {MIN_GROUP}"


def too_small(n: int | None) -> bool:
    """True when a figure rests on 1 to ``MIN_GROUP - 1`` cases (0 shows "–")."""
    return n is not None and 0 < n < MIN_GROUP


def percent(value: float | None, n: int | None = None) -> str:
    """A share as "12.5%"; ``n`` is what it was taken over (a small group reads SMALL)."""
    if too_small(n):
        return SMALL
    return "–" if value is None else f"{value * 100:.1f}%"


def hours(seconds: float | None, n: int | None = None) -> str:
    """A median duration in hours; ``n`` is how many durations it is the median of."""
    if too_small(n):
        return SMALL
    return "–" if seconds is None else f"{seconds / 3600:.1f}"


@dataclass(frozen=True)
class Insights:
    """Everything the page shows for one query, computed once."""

    query: InsightsQuery
    funnel_rows: list
    funnel_total: funnel.FunnelRow
    tour_rows: list
    tour_total: tour_stats.TourRow
    speed_total: speed.SpeedRow
    speed_rows: list
    priorities: list
    objections: list
    follow_ups: list

    @classmethod
    def compute(cls, q: InsightsQuery, only: str | None = None) -> "Insights":
        """Run the queries (``only``: just what one table needs, for its CSV)."""

        def wanted(name: str) -> bool:
            return only is None or only == name

        without_jit()
        if only is None:
            funnel_rows, speed_total, speed_rows = speed.lead_figures(q)
        else:
            funnel_rows = funnel.funnel(q) if wanted("funnel") else []
            speed_total, speed_rows = speed.speed(q) if wanted("speed") else (None, [])
        tour_rows = tour_stats.tours(q) if wanted("tours") else []
        kinds = tuple(k for k, name in MIX_TABLES.items() if wanted(name))
        mix = outcome_mix.mixes(q, kinds) if kinds else {}
        return cls(
            query=q,
            funnel_rows=funnel_rows,
            funnel_total=funnel.total(funnel_rows),
            tour_rows=tour_rows,
            tour_total=tour_stats.total(tour_rows),
            speed_total=speed_total,
            speed_rows=speed_rows,
            priorities=mix.get("priority", []),
            objections=mix.get("objection", []),
            follow_ups=followup_stats.follow_ups(q) if wanted("followups") else [],
        )

    def table(self, name: str) -> Table:
        return getattr(self, f"_{name}_table")()

    def _funnel_table(self) -> Table:
        def cells(r: funnel.FunnelRow) -> tuple[str, ...]:
            return (
                r.cut,
                *(str(n) for n in (r.leads, r.toured, r.applied, r.leased, r.lost)),
                percent(r.toured_rate, r.leads),
                percent(r.applied_rate, r.toured),
                percent(r.leased_rate, r.applied),
                percent(r.lead_to_lease, r.leads),
            )

        headers = (CUTS[self.query.by], "Leads", "Toured", "Applied", "Leased", "Lost")
        headers += ("Lead → toured", "Toured → applied", "Applied → leased", "Lead → lease")
        return Table(
            "funnel",
            TABLES["funnel"],
            headers,
            tuple(cells(r) for r in self.funnel_rows),
            cells(self.funnel_total) if self.funnel_rows else None,
        )

    def _tours_table(self) -> Table:
        def cells(r: tour_stats.TourRow) -> tuple[str, ...]:
            return (
                r.cut,
                str(r.booked),
                str(r.attended),
                str(r.no_show),
                percent(r.show_rate, r.booked),
                str(r.scheduled),
                str(r.after_hours),
                percent(r.after_hours_share, r.scheduled),
            )

        headers = (CUTS[self.query.by], "Booked", "Attended", "No-show", "Show rate")
        headers += ("Tours scheduled", "After hours", "After-hours share")
        return Table(
            "tours",
            TABLES["tours"],
            headers,
            tuple(cells(r) for r in self.tour_rows),
            cells(self.tour_total) if self.tour_rows else None,
        )

    def _speed_table(self) -> Table:
        def cells(r: speed.SpeedRow) -> tuple[str, ...]:
            return (
                r.cut,
                str(r.leads),
                str(r.responded),
                hours(r.response_s, r.responded),
                str(r.toured),
                hours(r.lead_to_tour_s, r.toured),
                str(r.applied),
                hours(r.tour_to_application_s, r.applied),
            )

        headers = (CUTS[self.query.by], "Leads", "Responded", "Median first response (h)")
        headers += ("Toured", "Median lead → tour (h)", "Applied", "Median tour → application (h)")
        return Table(
            "speed",
            TABLES["speed"],
            headers,
            tuple(cells(r) for r in self.speed_rows),
            cells(self.speed_total) if self.speed_rows else None,
        )

    def _mix_table(self, name: str, first: str, rows: list) -> Table:
        headers = (first, "Leased", "Lost", "Share of leased", "Share of lost")
        return Table(
            name,
            TABLES[name],
            headers,
            tuple(
                (
                    r.label,
                    str(r.leased),
                    str(r.lost),
                    percent(r.leased_share, r.leased_total),
                    percent(r.lost_share, r.lost_total),
                )
                for r in rows
            ),
        )

    def _priorities_table(self) -> Table:
        return self._mix_table("priorities", "Priority", self.priorities)

    def _objections_table(self) -> Table:
        return self._mix_table("objections", "Objection", self.objections)

    def _followups_table(self) -> Table:
        def cells(r: followup_stats.FollowUpRow) -> tuple[str, ...]:
            return (
                r.kind,
                str(r.sent),
                str(r.recipients),
                str(r.unsubscribed),
                str(r.replied),
                percent(r.reply_rate, r.sent),
                str(r.leased_after),
            )

        headers = ("Message kind", "Sent", "Recipients", "Unsubscribed after", "Replied")
        headers += ("Reply rate", "Leased after")
        return Table(
            "followups",
            TABLES["followups"],
            headers,
            tuple(cells(r) for r in self.follow_ups),
            cells(followup_stats.total(self.follow_ups)) if self.follow_ups else None,
        )


# Shown on the page, in this order; the README's "Funnel insights" section says the same.
DEFINITIONS = (
    (
        "Lead",
        "A prospect's first inbound contact per community: their first tour booking or "
        "request there, whatever became of it. Leads count in the period they arrived; "
        "what became of them counts up to now.",
    ),
    ("Toured", "The lead has a tour at that community that happened (completed), not a booking."),
    (
        "Applied",
        "The prospect reached “applied” (or “leased” directly), counted at the community "
        "of the last tour they attended before that.",
    ),
    ("Leased", "An applied lead whose prospect then signed (reached “leased”)."),
    ("Lost", "The prospect's stage is now “lost”."),
    (
        "Show rate",
        "Tours attended ÷ tours booked: of the tours that started in the period (before "
        "now) and were confirmed, rescheduled, completed or missed, the completed ones.",
    ),
    (
        "First-response time",
        "From the lead to the first thing a person on our side did for it: a staff step on "
        "one of the prospect's tours there (confirm, reschedule, reassign, check in, record "
        "the outcome) or the first follow-up email to them. Automatic confirmations, "
        "reminders and sign-in links do not count. Median over the leads that got a response.",
    ),
    (
        "After-hours share",
        "Of the tours starting in the period that were not cancelled or expired, the share "
        "starting outside the community's opening hours, on its own clock and weekday.",
    ),
    (
        "Lead → tour, tour → application",
        "Medians, in hours: from the lead to its first tour attended there, and from that "
        "tour to the application.",
    ),
    (
        "Priorities, objections",
        "Among the period's leads now leased or lost: topics their latest priorities mark "
        "important or must have, and objections agents recorded on their tours there.",
    ),
    (
        "Follow-ups",
        "Messages of the follow-up plans delivered in the period (an SMS sent, an email the "
        "outbox delivered), per plan and step. Replied: after a message, an agent marked the "
        "prospect's reply, or the prospect booked or requested a tour within 7 days. "
        "Unsubscribed and leased after: after their first message of that kind.",
    ),
    (
        "Small groups",
        f"A share or median over fewer than {MIN_GROUP} leads, tours or messages reads "
        f"“{SMALL}”: the counts are shown, but a rate of 1 in 2 says little.",
    ),
    (
        "Sources, agents, months",
        "Sources are the campaign source (utm_source) of the prospect's first or last "
        "touch; the agent is the one of the lead's first booking (of the tour, in the "
        "tours table); months and dates are in UTC.",
    ),
)
