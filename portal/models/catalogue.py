"""The catalogue's version: one counter that every change to what listing pages show raises.

Listing pages keep what they derive from catalogue rows (cards, search pages, the
detail page's fragments) per server process; each request reads this one row to
know whether what it kept is still current (``portal.listings.catalogue_version``).
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class CatalogueVersion(db.Model):
    __tablename__ = "catalogue_version"
    __table_args__ = (sa.CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
