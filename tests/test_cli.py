"""`flask --app portal …` commands, run through Flask's CLI test runner."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.assessments.models import Assessment, AssessmentStatus
from portal.auth.logic import authenticate
from portal.auth.models import Role, User
from portal.demo import DEMO_BUYER, DEMO_PASSWORD, DEMO_SUPPLIERS
from portal.extensions import db
from portal.questionnaires.models import QuestionnaireVersion
from portal.suppliers.models import Supplier
from tests.conftest import SAMPLE

LINK = re.compile(r"http://localhost(/link/[A-Za-z0-9_\-]+)")


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args: str, **kwargs):
        return runner.invoke(args=list(args), **kwargs)

    return invoke


def _count(app, column) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(column)))


def _in_a_week() -> str:
    return (date.today() + timedelta(days=7)).isoformat()


def _signs_in(app, path: str) -> bool:
    response = app.test_client().post(path)
    return response.status_code == 302 and response.headers["Location"].endswith("/s/")


# --- create-user ------------------------------------------------------------------------------


def test_create_user_makes_a_buyer_who_can_sign_in(app, cli, client):
    result = cli(
        "create-user", "--email", "Bea@Example.com", "--role", "buyer", "--name", "Bea",
        "--password", "correct horse battery",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Created buyer bea@example.com" in result.output
    with app.app_context():
        user = authenticate("bea@example.com", "correct horse battery")
        assert user is not None
        assert (user.role, user.name) == (Role.BUYER, "Bea")
    response = client.post(
        "/sign-in", data={"email": "bea@example.com", "password": "correct horse battery"}
    )
    assert response.status_code == 302


def test_create_user_makes_an_instance_admin_of_no_organisation(app, cli, client):
    cli("create-organisation", "First")
    cli("create-organisation", "Second")  # no --organisation needed, even with several

    result = cli(
        "create-user", "--email", "ira@example.com", "--role", "instance-admin",
        "--password", "correct horse battery",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Created instance-admin ira@example.com" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ira@example.com"))
        assert (user.role, user.organisation_id) == (Role.INSTANCE_ADMIN, None)
    response = client.post(
        "/sign-in", data={"email": "ira@example.com", "password": "correct horse battery"}
    )
    assert client.get(response.headers["Location"]).headers["Location"] == "/i/"


def test_an_instance_admin_is_refused_an_organisation(app, cli):
    cli("create-organisation", "First")

    result = cli(
        "create-user", "--email", "ira@example.com", "--role", "instance-admin",
        "--organisation", "First", "--password", "correct horse battery",
    )  # fmt: skip

    assert result.exit_code != 0
    assert "An instance admin belongs to no organisation." in result.output
    assert _count(app, User.id) == 0


def test_create_user_asks_for_the_password_when_not_given(app, cli):
    result = cli(
        "create-user", "--email", "admin@example.com", "--role", "admin",
        input="long enough pass\nlong enough pass\n",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    with app.app_context():
        assert authenticate("admin@example.com", "long enough pass").role == Role.ADMIN


def test_create_user_refuses_a_duplicate_email(app, cli):
    first = cli(
        "create-user", "--email", "b@example.com", "--role", "buyer", "--password", "x" * 12
    )
    assert first.exit_code == 0

    again = cli(
        "create-user", "--email", "B@example.com", "--role", "buyer", "--password", "y" * 12
    )

    assert again.exit_code != 0
    assert "already exists" in again.output
    assert _count(app, User.id) == 1
    with app.app_context():
        assert authenticate("b@example.com", "x" * 12) is not None


def test_create_user_refuses_a_short_password(app, cli):
    result = cli(
        "create-user", "--email", "s@example.com", "--role", "buyer", "--password", "short"
    )

    assert result.exit_code != 0
    assert "at least 8 characters" in result.output
    assert _count(app, User.id) == 0


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "  "])
def test_create_user_refuses_an_invalid_email(app, cli, email):
    result = cli("create-user", "--email", email, "--role", "buyer", "--password", "x" * 12)

    assert result.exit_code != 0
    assert "is not a valid email address" in result.output
    assert _count(app, User.id) == 0


def test_create_user_refuses_the_supplier_role(app, cli):
    result = cli(
        "create-user", "--email", "s@example.com", "--role", "supplier", "--password", "x" * 12
    )

    assert result.exit_code != 0
    assert _count(app, User.id) == 0


# --- import-questionnaire ---------------------------------------------------------------------


def test_import_questionnaire_publishes_a_good_file_and_prints_its_key(app, cli):
    result = cli("import-questionnaire", str(SAMPLE))

    assert result.exit_code == 0, result.output
    assert "Published supplier-self-assessment version 1" in result.output
    with app.app_context():
        version = db.session.scalar(select(QuestionnaireVersion))
        assert (version.key, version.version) == ("supplier-self-assessment", 1)


def test_import_questionnaire_refuses_a_bad_file_with_its_errors(app, cli, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        SAMPLE.read_text("utf-8").replace(
            'show_if: {question: employs_minors, equals: "yes"}',
            'show_if: {question: written_rules, equals: "yes"}',
            1,
        ),
        "utf-8",
    )

    result = cli("import-questionnaire", str(broken))

    assert result.exit_code != 0
    assert "The file was refused" in result.output
    assert 'section "workers" › question "workers_under_18" › show_if' in result.output
    assert _count(app, QuestionnaireVersion.id) == 0


def test_import_questionnaire_refuses_the_same_version_twice(app, cli):
    assert cli("import-questionnaire", str(SAMPLE)).exit_code == 0

    again = cli("import-questionnaire", str(SAMPLE))

    assert again.exit_code != 0
    assert "already published" in again.output
    assert _count(app, QuestionnaireVersion.id) == 1


# --- create-supplier and assign ---------------------------------------------------------------


def test_create_supplier_prints_the_new_suppliers_id(app, cli):
    result = cli(
        "create-supplier", "--name", "Finca Verde", "--country", "co", "--category", "Coffee",
        "--contact-email", "ana@finca.example", "--contact-name", "Ana", "--language", "es",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    supplier_id = int(result.output.strip())
    with app.app_context():
        supplier = db.session.get(Supplier, supplier_id)
        assert (supplier.name, supplier.country) == ("Finca Verde", "CO")
        assert supplier.contact.email == "ana@finca.example"
        assert supplier.contact.locale == "es"


@pytest.mark.parametrize("country", ["XX", "Vietnam", ""])
def test_create_supplier_refuses_an_invalid_country(app, cli, country):
    result = cli(
        "create-supplier", "--name", "Nowhere Ltd", "--country", country, "--category", "Misc",
        "--contact-email", "n@nowhere.example",
    )  # fmt: skip

    assert result.exit_code != 0
    assert "is not an ISO 3166 country code" in result.output
    assert _count(app, Supplier.id) == 0
    assert _count(app, User.id) == 0


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--name", "  ", "The supplier needs a name."),
        ("--category", "", "The supplier needs a category."),
        ("--contact-email", "nobody", "is not a valid email address"),
    ],
)
def test_create_supplier_refuses_blank_names_and_invalid_emails(app, cli, option, value, message):
    options = {
        "--name": "Finca Verde",
        "--country": "CO",
        "--category": "Coffee",
        "--contact-email": "ana@finca.example",
        option: value,
    }

    result = cli("create-supplier", *[part for pair in options.items() for part in pair])

    assert result.exit_code != 0
    assert message in result.output
    assert _count(app, Supplier.id) == 0
    assert _count(app, User.id) == 0


def test_create_supplier_refuses_a_buyer_s_email(app, cli, make_supplier, make_buyer):
    make_supplier()
    with app.app_context():
        taken = db.session.get(User, make_buyer()).email

    result = cli(
        "create-supplier", "--name", "Second", "--country", "VN", "--category", "Misc",
        "--contact-email", taken,
    )  # fmt: skip

    assert result.exit_code != 0
    assert "already in use" in result.output
    assert _count(app, Supplier.id) == 1


def test_assign_prints_a_sign_in_link_that_works(app, cli, make_supplier, questionnaire):
    supplier_id, _contact = make_supplier()

    result = cli(
        "assign", "--supplier", str(supplier_id), "--questionnaire", "supplier-self-assessment",
        "--due", _in_a_week(),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    with app.app_context():
        (assessment,) = db.session.scalars(select(Assessment)).all()
        assert assessment.supplier_id == supplier_id
        assert assessment.questionnaire_id == questionnaire
        assert assessment.status == AssessmentStatus.INVITED
        assert assessment.due_date.isoformat() == _in_a_week()
    (path,) = LINK.findall(result.output)
    client = app.test_client()
    response = client.post(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/s/")
    assert f"/s/assessments/{assessment.id}" in client.get("/s/").text


def test_assign_refuses_an_unknown_questionnaire(app, cli, make_supplier, questionnaire):
    supplier_id, _contact = make_supplier()

    result = cli(
        "assign", "--supplier", str(supplier_id), "--questionnaire", "no-such-thing",
        "--due", _in_a_week(),
    )  # fmt: skip

    assert result.exit_code != 0
    assert "No published questionnaire with key 'no-such-thing'" in result.output
    assert _count(app, Assessment.id) == 0


def test_assign_refuses_an_unknown_supplier_and_a_past_due_date(
    app, cli, make_supplier, questionnaire
):
    supplier_id, _contact = make_supplier()
    yesterday = (date.today() - timedelta(days=1)).isoformat()

    unknown = cli(
        "assign", "--supplier", "99999", "--questionnaire", "supplier-self-assessment",
        "--due", _in_a_week(),
    )  # fmt: skip
    past = cli(
        "assign", "--supplier", str(supplier_id), "--questionnaire", "supplier-self-assessment",
        "--due", yesterday,
    )  # fmt: skip

    assert unknown.exit_code != 0
    assert "No supplier with id 99999" in unknown.output
    assert past.exit_code != 0
    assert "cannot be in the past" in past.output
    assert _count(app, Assessment.id) == 0


# --- seed-demo and migrate --------------------------------------------------------------------


def test_seed_demo_twice_creates_the_demo_once_and_prints_how_to_sign_in_both_times(app, cli):
    first = cli("seed-demo")
    counts = (
        _count(app, User.id),
        _count(app, Supplier.id),
        _count(app, Assessment.id),
        _count(app, QuestionnaireVersion.id),
    )
    second = cli("seed-demo")

    for result in (first, second):
        assert result.exit_code == 0, result.output
        assert DEMO_BUYER in result.output
        assert DEMO_PASSWORD in result.output
        paths = LINK.findall(result.output)
        assert len(paths) == 2  # the invited supplier, then the reviewed one
        assert all(_signs_in(app, path) for path in paths)
    # Buyer and admin, one contact each, and the second customer's buyer, its supplier (a
    # contact already counted) and its request.
    n = len(DEMO_SUPPLIERS)
    assert counts == (2 + n + 1, n + 1, n + 1, 1)
    assert (
        _count(app, User.id),
        _count(app, Supplier.id),
        _count(app, Assessment.id),
        _count(app, QuestionnaireVersion.id),
    ) == counts
    with app.app_context():
        assert authenticate(DEMO_BUYER, DEMO_PASSWORD) is not None


def test_seed_demo_if_empty_leaves_a_database_with_users_alone(app, cli, make_buyer):
    make_buyer()

    result = cli("seed-demo", "--if-empty")

    assert result.exit_code == 0, result.output
    assert "no demo data was added" in result.output
    assert LINK.search(result.output) is None
    assert _count(app, User.id) == 1
    assert _count(app, Supplier.id) == 0


def test_seed_demo_reuses_an_already_published_sample(app, cli, questionnaire):
    result = cli("seed-demo")

    assert result.exit_code == 0, result.output
    assert _count(app, QuestionnaireVersion.id) == 1
    with app.app_context():
        used = set(db.session.scalars(select(Assessment.questionnaire_id)))
    assert used == {questionnaire}


def test_migrate_is_idempotent_and_keeps_the_data(app, cli, make_buyer):
    buyer = make_buyer()

    first = cli("migrate")
    second = cli("migrate")

    for result in (first, second):
        assert result.exit_code == 0, result.output
        assert "Database is up to date." in result.output
    with app.app_context():
        assert db.session.get(User, buyer) is not None
