"""Jinja filters shared by pages and (later) emails, so both format facts alike."""

from datetime import date
from decimal import Decimal

from flask import Flask


def money(value: int | Decimal | None) -> str:
    if value is None:
        return "–"
    return f"€{int(value):,}".replace(",", "\u202f")


def area(value: Decimal | float) -> str:
    return f"{float(value):g} m²"


def long_date(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def bedrooms_label(value: int) -> str:
    if value == 0:
        return "Studio"
    return f"{value} bedroom" + ("s" if value > 1 else "")


def register(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(area)
    app.add_template_filter(long_date)
    app.add_template_filter(bedrooms_label)
