"""Recorded priorities: the questionnaire's answers, validated and versioned.

Every change appends a ``PriorityVersion`` (never an update), so the prospect, the
agent's tour brief and follow-ups can all show what was said, by whom and when.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

import sqlalchemy as sa

from portal.extensions import db
from portal.forms import FieldErrors
from portal.models import PRIORITY_SOURCES, PriorityVersion, Prospect
from portal.prospects.topics import TOPICS
from portal.prospects.visitor import owner_clause, owner_values

IMPORTANCE_LEVELS = {
    "not_important": "Not important",
    "nice": "Nice to have",
    "important": "Important",
    "must_have": "Must have",
}
MAX_RENT = 100_000
MAX_BEDROOMS = 10
COMMUTE_LIMIT_RANGE = (5, 180)
NOTES_MAX = 2000


class InvalidPriorities(FieldErrors):
    """Answers out of range."""


@dataclass(frozen=True)
class Priorities:
    """One complete set of answers; unanswered topics are simply absent."""

    importance: dict[str, str] = field(default_factory=dict)
    commute_max_minutes: int | None = None
    budget_min: int | None = None
    budget_max: int | None = None
    bedrooms: int | None = None
    move_in: date | None = None
    notes: str = ""

    @property
    def is_empty(self) -> bool:
        return self == Priorities()

    def level(self, topic: str) -> str | None:
        return self.importance.get(topic)

    def to_json(self) -> dict:
        data = asdict(self)
        data["move_in"] = self.move_in.isoformat() if self.move_in else None
        return data

    @classmethod
    def from_json(cls, data: dict | None) -> "Priorities":
        """Build and validate; raises ``InvalidPriorities`` naming each bad answer."""
        data = dict(data or {})
        errors: dict[str, str] = {}
        importance = data.get("importance") or {}
        if not isinstance(importance, dict):
            errors["importance"] = "must map topics to importance levels"
            importance = {}
        for topic, level in importance.items():
            if topic not in TOPICS:
                errors[topic] = "is not a topic we ask about"
            elif level not in IMPORTANCE_LEVELS:
                errors[topic] = f"must be one of {', '.join(IMPORTANCE_LEVELS)}"

        def whole(name: str, low: int, high: int) -> int | None:
            value = data.get(name)
            if value in (None, ""):
                return None
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                errors[name] = f"must be a whole number from {low} to {high}"
                return None
            return value

        commute = whole("commute_max_minutes", *COMMUTE_LIMIT_RANGE)
        budget_min = whole("budget_min", 0, MAX_RENT)
        budget_max = whole("budget_max", 1, MAX_RENT)
        bedrooms = whole("bedrooms", 0, MAX_BEDROOMS)
        if budget_min is not None and budget_max is not None and budget_min > budget_max:
            errors["budget_min"] = "must not be above the maximum"
        move_in = data.get("move_in")
        if isinstance(move_in, str) and move_in:
            try:
                move_in = date.fromisoformat(move_in)
            except ValueError:
                errors["move_in"] = "must be a date (YYYY-MM-DD)"
                move_in = None
        elif not isinstance(move_in, date):
            move_in = None
        notes = data.get("notes") or ""
        if not isinstance(notes, str) or len(notes) > NOTES_MAX:
            errors["notes"] = f"must be text of at most {NOTES_MAX} characters"
            notes = ""
        unknown = set(data) - {f for f in cls.__dataclass_fields__}
        for name in sorted(unknown):
            errors[name] = "is not a question we ask"
        if errors:
            raise InvalidPriorities(errors)
        return cls(
            importance={t: importance[t] for t in TOPICS if t in importance},
            commute_max_minutes=commute,
            budget_min=budget_min,
            budget_max=budget_max,
            bedrooms=bedrooms,
            move_in=move_in,
            notes=notes.strip(),
        )


def stored_priorities(version: PriorityVersion) -> Priorities:
    """Read a stored version, tolerating answers to questions we no longer ask.

    Versions are immutable history; a topic dropped from the questionnaire later must
    not make old versions unreadable, so unknown topics and fields are skipped.
    """
    data = dict(version.answers or {})
    data = {k: v for k, v in data.items() if k in Priorities.__dataclass_fields__}
    importance = data.get("importance") if isinstance(data.get("importance"), dict) else {}
    data["importance"] = {
        t: level for t, level in importance.items() if t in TOPICS and level in IMPORTANCE_LEVELS
    }
    try:
        return Priorities.from_json(data)
    except InvalidPriorities as exc:
        return Priorities.from_json({k: v for k, v in data.items() if k not in exc.fields})


def latest_version(
    prospect: Prospect | None = None, visitor_id: str | None = None
) -> PriorityVersion | None:
    return db.session.scalar(
        sa.select(PriorityVersion)
        .where(owner_clause(PriorityVersion, prospect, visitor_id))
        .order_by(PriorityVersion.created_at.desc(), PriorityVersion.id.desc())
        .limit(1)
    )


def current_priorities(
    prospect: Prospect | None = None, visitor_id: str | None = None
) -> Priorities:
    """The latest answers of a prospect or an anonymous visitor (empty if none)."""
    version = latest_version(prospect, visitor_id)
    return stored_priorities(version) if version else Priorities()


def priority_history(
    prospect: Prospect | None = None, visitor_id: str | None = None
) -> list[PriorityVersion]:
    """Every version, oldest first."""
    return list(
        db.session.scalars(
            sa.select(PriorityVersion)
            .where(owner_clause(PriorityVersion, prospect, visitor_id))
            .order_by(PriorityVersion.created_at, PriorityVersion.id)
        )
    )


def record_priorities(
    answers: Priorities | dict,
    *,
    source: str,
    prospect: Prospect | None = None,
    visitor_id: str | None = None,
    staff_user_id: int | None = None,
) -> PriorityVersion | None:
    """Store a new version if the answers changed (flushes, does not commit).

    :param answers: a ``Priorities`` or its JSON form (validated here, so the tour
        booking and the API can pass what they received).
    :param source: "prospect" (they said it), "agent" (said on the tour) or "inferred".
    :returns: the new version, or None when nothing changed.
    """
    if source not in PRIORITY_SOURCES:
        raise ValueError(f"source must be one of {', '.join(PRIORITY_SOURCES)}")
    priorities = answers if isinstance(answers, Priorities) else Priorities.from_json(answers)
    if priorities == current_priorities(prospect, visitor_id):
        return None
    version = PriorityVersion(
        **owner_values(prospect, visitor_id),
        source=source,
        staff_user_id=staff_user_id,
        answers=priorities.to_json(),
    )
    db.session.add(version)
    db.session.flush()
    return version


def adopt_interest(
    topic: str,
    *,
    prospect: Prospect | None = None,
    visitor_id: str | None = None,
) -> PriorityVersion | None:
    """Turn an inferred interest into a stated "nice to have" (source "inferred"; flushes).

    Only unanswered topics: an inference never overrides what the prospect said.
    """
    if topic not in TOPICS:
        raise InvalidPriorities({topic: "is not a topic we ask about"})
    current = current_priorities(prospect, visitor_id)
    if current.level(topic) is not None:
        return None
    importance = {**current.importance, topic: "nice"}
    answers = Priorities.from_json({**current.to_json(), "importance": importance})
    return record_priorities(answers, source="inferred", prospect=prospect, visitor_id=visitor_id)


def describe_changes(before: Priorities, after: Priorities) -> list[str]:
    """Human lines for what changed between two versions (for the history view)."""
    lines = []
    for topic, label in TOPICS.items():
        old, new = before.level(topic), after.level(topic)
        if old != new:
            old_label = IMPORTANCE_LEVELS.get(old, "not answered")
            new_label = IMPORTANCE_LEVELS.get(new, "not answered")
            lines.append(f"{label}: {old_label} → {new_label}")
    for name, label in (
        ("commute_max_minutes", "Longest commute (min)"),
        ("budget_min", "Budget from (€)"),
        ("budget_max", "Budget up to (€)"),
        ("bedrooms", "Bedrooms"),
        ("move_in", "Move-in date"),
        ("notes", "Anything else"),
    ):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            lines.append(f"{label}: {old if old not in (None, '') else '—'} → {new or '—'}")
    return lines


def history_entries(versions) -> list[dict]:
    """Each version with what changed since the one before, newest first."""
    entries, before = [], Priorities()
    for version in versions:
        after = stored_priorities(version)
        entries.append({"version": version, "changes": describe_changes(before, after)})
        before = after
    return list(reversed(entries))
