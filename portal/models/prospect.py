"""A prospective renter: one record shared by sales and marketing.

Prospects sign in with emailed magic links (no password), so the row doubles as
a Flask-Login user. Erasing a prospect ("delete my data") blanks every personal
field but keeps the row, so anonymised counts (stage, source, signals) survive for
marketing statistics and foreign keys from tours stay valid.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow

# The one lead lifecycle shared by marketing and sales, in funnel order. "visitor"
# is an anonymous session (no row); "lost" leaves the funnel from any stage.
LIFECYCLE_STAGES = ("visitor", "prospect", "lead", "toured", "applied", "leased", "lost")


class Prospect(db.Model):
    __tablename__ = "prospect"
    __table_args__ = (
        sa.CheckConstraint(
            "stage IN ('visitor', 'prospect', 'lead', 'toured', 'applied', 'leased', 'lost')",
            name="stage_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None only once erased: the address is personal data.
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stage: Mapped[str] = mapped_column(sa.String(16), default="prospect")
    stage_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lost_reason: Mapped[str | None] = mapped_column(sa.String(200))
    # {"utm_source": ..., "utm_medium": ..., "utm_campaign": ..., "referrer": ..., "at": iso}
    first_touch: Mapped[dict | None] = mapped_column(sa.JSON)
    last_touch: Mapped[dict | None] = mapped_column(sa.JSON)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Flask-Login: prospects share the login manager with staff, told apart by prefix.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.erased_at is None

    def get_id(self) -> str:
        return f"prospect:{self.id}"

    def has_role(self, *roles: str) -> bool:
        # Prospects hold no staff role; `roles_required` keeps them out of staff routes.
        return "prospect" in roles

    @property
    def role(self) -> str:
        return "prospect"

    @property
    def display_name(self) -> str:
        return self.name or (self.email or "").split("@")[0]

    def __repr__(self) -> str:
        return f"<Prospect {self.id}>"
