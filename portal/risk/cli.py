"""`flask --app portal refresh-risk`: recompute every supplier's risk."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.extensions import db


@click.command("refresh-risk")
@with_appcontext
def refresh_risk_command():
    """Recompute every supplier's risk score and tier, and flag the changes."""
    from portal.risk.logic import refresh_all

    count, changes = refresh_all(by=None)
    db.session.commit()
    click.echo(f"Recomputed the risk of {count} suppliers; {len(changes)} changes flagged.")
