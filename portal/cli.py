"""`flask --app portal …` commands for operators and scripts."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from portal.config import LANGUAGES
from portal.extensions import db


def register(app: Flask) -> None:
    """Attach every command to the app."""
    for command in (
        migrate,
        create_organisation_command,
        create_user_command,
        import_questionnaire_command,
        create_supplier_command,
        assign_command,
        send_outbox,
        send_reminders_command,
        send_digests_command,
        worker_command,
        seed_demo,
    ):
        app.cli.add_command(command)


@click.command("migrate")
@with_appcontext
def migrate():
    """Bring the database schema up to date."""
    from portal.migrate import upgrade

    upgrade()
    click.echo("Database is up to date.")


def _check_email(email: str) -> None:
    """Refuse what the web forms refuse: an address mail cannot be sent to."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise click.ClickException(f"{email!r} is not a valid email address: {error}") from None


def _act_for(name: str | None) -> int:
    """Run the command for the organisation named (by default the only one); its id."""
    from portal.organisations.logic import OrganisationProblem, organisation_named
    from portal.organisations.scoping import scope_to

    try:
        organisation = organisation_named(name)
    except OrganisationProblem as problem:
        raise click.ClickException(f"{problem} (--organisation NAME).") from None
    scope_to(db.session, organisation.id)
    return organisation.id


ORGANISATION = click.option(
    "--organisation", help="The buying organisation's name; needed when there are several."
)


@click.command("create-organisation")
@with_appcontext
@click.argument("name")
def create_organisation_command(name: str):
    """Add a buying organisation to the portal (then create its first admin)."""
    from sqlalchemy.exc import IntegrityError

    from portal.organisations.logic import create_organisation

    if not name.strip():
        raise click.ClickException("The organisation needs a name.")
    try:
        organisation = create_organisation(name)
        db.session.commit()
    except IntegrityError:
        raise click.ClickException(f"An organisation is already named {name!r}.") from None
    click.echo(f"Created organisation {organisation.name} (id {organisation.id}).")


@click.command("create-user")
@with_appcontext
@ORGANISATION
@click.option("--email", required=True)
@click.option(
    "--role",
    type=click.Choice(["buyer", "admin", "instance-admin"]),
    required=True,
    help="instance-admin: runs the portal (organisations and their first admins), in none.",
)
@click.option("--name", default="")
@click.option("--password", help="Asked for when not given.")
def create_user_command(
    organisation: str | None, email: str, role: str, name: str, password: str | None
):
    """Create a buyer or admin of an organisation, or an instance admin, who signs in with
    a password."""
    from portal.auth.logic import UserExists, create_user
    from portal.auth.models import Role

    instance_admin = role == "instance-admin"
    if instance_admin and organisation:
        raise click.ClickException("An instance admin belongs to no organisation.")
    _check_email(email)
    if not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.ClickException("The password needs at least 8 characters.")
    organisation_id = None if instance_admin else _act_for(organisation)
    try:
        user = create_user(
            email,
            Role.INSTANCE_ADMIN if instance_admin else Role(role),
            name=name,
            password=password,
            organisation_id=organisation_id,
        )
    except UserExists as exists:
        raise click.ClickException(f"A user with the email {exists} already exists.") from None
    db.session.commit()
    click.echo(f"Created {role} {user.email} (id {user.id}).")


@click.command("import-questionnaire")
@with_appcontext
@click.option(
    "--organisation", help="Publish it for this organisation only (default: shared by all)."
)
@click.argument("file", type=click.File("rb"))
def import_questionnaire_command(organisation: str | None, file):
    """Validate a questionnaire definition file and publish it."""
    from portal.questionnaires.definition import DefinitionError
    from portal.questionnaires.logic import import_questionnaire

    try:
        owner = _act_for(organisation) if organisation else None
        version = import_questionnaire(file.read(), by=None, organisation_id=owner)
    except DefinitionError as error:
        db.session.rollback()
        raise click.ClickException("The file was refused:\n" + "\n".join(error.errors)) from None
    db.session.commit()
    click.echo(f"Published {version.key} version {version.version} (id {version.id}).")


@click.command("create-supplier")
@with_appcontext
@ORGANISATION
@click.option("--name", required=True)
@click.option("--country", required=True, help="ISO 3166 alpha-2 code, e.g. VN.")
@click.option("--category", required=True)
@click.option("--contact-email", required=True)
@click.option("--contact-name", default="")
@click.option("--language", default="en", type=click.Choice(sorted(LANGUAGES)))
def create_supplier_command(
    organisation, name, country, category, contact_email, contact_name, language
):
    """Create a supplier with one contact; print the supplier id."""
    from portal.auth.logic import UserExists
    from portal.suppliers.logic import InvalidCountry, create_supplier

    if not name.strip():
        raise click.ClickException("The supplier needs a name.")
    if not category.strip():
        raise click.ClickException("The supplier needs a category.")
    _check_email(contact_email)
    _act_for(organisation)
    try:
        supplier = create_supplier(
            name=name,
            country=country,
            category=category,
            contact_email=contact_email,
            contact_name=contact_name,
            contact_locale=language,
            by=None,
        )
    except InvalidCountry:
        raise click.ClickException(f"{country!r} is not an ISO 3166 country code.") from None
    except UserExists:
        raise click.ClickException(f"{contact_email} is already in use.") from None
    db.session.commit()
    click.echo(supplier.id)


@click.command("assign")
@with_appcontext
@click.option("--supplier", "supplier_id", type=int, required=True)
@click.option("--questionnaire", "key", required=True, help="Questionnaire key (latest version).")
@click.option("--due", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
def assign_command(supplier_id: int, key: str, due):
    """Assign the latest version of a questionnaire; print the contact's sign-in link."""
    from sqlalchemy import select

    from portal.assessments.logic import assign
    from portal.assessments.status import TransitionRefused
    from portal.auth.logic import issue_sign_in_link
    from portal.questionnaires.models import QuestionnaireVersion
    from portal.suppliers.models import Supplier

    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None:
        raise click.ClickException(f"No supplier with id {supplier_id}.")
    version = db.session.scalar(
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.key == key)
        .order_by(QuestionnaireVersion.version.desc())
        .limit(1)
    )
    if version is None:
        raise click.ClickException(f"No published questionnaire with key {key!r}.")
    try:
        assign(supplier, version, due.date(), by=None)
    except TransitionRefused as refused:
        raise click.ClickException(refused.message) from None
    token = issue_sign_in_link(
        supplier.contact, by=None, days=current_app.config["SIGN_IN_LINK_DAYS"]
    )
    db.session.commit()
    click.echo(_link_url(token))


def _link_url(token: str) -> str:
    from portal.urls import absolute_url

    return absolute_url("auth.link", token=token)


@click.command("send-outbox")
@with_appcontext
def send_outbox():
    """Deliver queued mail now (failures stay queued for a later retry)."""
    from portal.notifications.logic import deliver_pending

    sent, failed = deliver_pending()
    click.echo(f"Sent {sent}, failed {failed}.")


@click.command("send-reminders")
@with_appcontext
@click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Run as on this date (YYYY-MM-DD)."
)
def send_reminders_command(today):
    """Queue the reminders due today (each once), then deliver the outbox. Run it daily."""
    from portal.reminders.logic import send_reminders

    day = today.date() if today else date.today()
    counts = send_reminders(day)
    db.session.commit()
    details = ", ".join(f"{family} {count}" for family, count in counts.items())
    click.echo(f"Queued {sum(counts.values())} reminders for {day.isoformat()} ({details}).")
    _deliver_now_or_queue()


def _deliver_now_or_queue() -> None:
    """Hand the outbox to the job queue when there is one, else deliver it now."""
    from portal.jobs import enqueue
    from portal.notifications.logic import deliver_pending

    if current_app.config.get("REDIS_URL"):
        job = enqueue("portal.notifications.jobs.deliver_outbox")
        click.echo(f"Delivery queued as job {job.id}.")
        return
    sent, failed = deliver_pending()
    click.echo(f"Sent {sent}, failed {failed}.")
    if failed:
        click.echo(f"{failed} mail(s) stay in the outbox and will be retried.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--simple", is_flag=True, help="Run jobs in this process (no fork).")
@click.pass_context
def worker_command(ctx, burst: bool, simple: bool):
    """Run background jobs (mail delivery) from the Redis queue given by REDIS_URL."""
    from flask.cli import ScriptInfo
    from rq import SimpleWorker, Worker

    from portal.jobs import QUEUE_NAME, redis_connection

    app = ctx.ensure_object(ScriptInfo).load_app()
    url = app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("Set REDIS_URL: without Redis, jobs run in the web process.")
    worker_class = SimpleWorker if simple else Worker
    worker = worker_class([QUEUE_NAME], connection=redis_connection(url))
    worker.work(burst=burst, with_scheduler=True)


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
def seed_demo(if_empty: bool):
    """Create a demo buyer, suppliers and assignments; print how to sign in."""
    from portal.demo import seed

    seed(if_empty=if_empty, link_url=_link_url)


@click.command("send-digests")
@with_appcontext
def send_digests_command():
    """Queue each digest-choosing buyer's daily digest (once), then deliver. Run it daily."""
    from portal.notifications.digest import send_digests

    count = send_digests()
    db.session.commit()
    click.echo(f"Queued {count} digest mails.")
    _deliver_now_or_queue()
