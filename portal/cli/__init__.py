"""Flask CLI commands, one module per command group (``flask <group> <command>``)."""

from flask import Flask

from portal.cli.demo import demo
from portal.cli.followups import followups
from portal.cli.geo import geo
from portal.cli.insights import insights
from portal.cli.jobs import jobs
from portal.cli.mail import mail
from portal.cli.prospects import prospects
from portal.cli.staff import staff
from portal.cli.studio import studio
from portal.cli.tours import tours


def register(app: Flask) -> None:
    """Add every command group to ``app.cli``."""
    for group in (demo, staff, mail, jobs, tours, geo, prospects, followups, studio, insights):
        app.cli.add_command(group)
