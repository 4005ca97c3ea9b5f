"""Closeloop: supplier self-assessments, corrective actions and feedback reports."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping | None = None) -> Flask:
    """Build the application from the environment, then apply `config` overrides."""
    from portal import assets, cli, lifecycle, service_worker
    from portal.auth import renewal as session_renewal
    from portal.auth.views import bp as auth_bp
    from portal.auth.views import init_login
    from portal.config import load_config
    from portal.errors.handlers import register_error_handlers
    from portal.extensions import babel, csrf, db, limiter
    from portal.i18n import names as language_names
    from portal.i18n.logic import select_locale
    from portal.i18n.views import bp as i18n_bp
    from portal.i18n.views import init_template_helpers
    from portal.ids import DatabaseIdConverter
    from portal.organisations import scoping as organisation_scoping
    from portal.risk.upkeep import keep_risk_current
    from portal.typed_input import CleanedRequest, isolated

    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.config.update(load_config(Path(app.instance_path)))
    app.request_class = CleanedRequest  # typed text arrives without bidi controls
    app.add_template_filter(isolated, "bdi")
    # Before any blueprint adds its rules: every <int:…> in a URL is a database id.
    app.url_map.converters["int"] = DatabaseIdConverter
    if config:
        app.config.update(config)

    if app.config["TRUSTED_PROXIES"]:
        # Behind a load balancer: take the client's address from X-Forwarded-For, so
        # that rate limits count each client and not the balancer.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(PROJECT_ROOT / "translations"),
    )
    csrf.init_app(app)
    init_login(app)
    organisation_scoping.init_app(app)
    session_renewal.init_app(app)
    limiter.init_app(app)

    from portal.actions.buyer_views import bp as actions_bp
    from portal.actions.supplier_views import bp as supplier_actions_bp
    from portal.assessments import autosave  # noqa: F401 - adds its route to supplier_bp
    from portal.assessments.buyer_views import bp as buyer_assessments_bp
    from portal.assessments.supplier_answers import bp as supplier_answers_bp
    from portal.assessments.supplier_views import bp as supplier_bp
    from portal.audit.views import bp as audit_bp
    from portal.dashboard.views import bp as dashboard_bp
    from portal.exports.views import bp as exports_bp
    from portal.findings.views import bp as findings_bp
    from portal.notifications.views import bp as notifications_bp
    from portal.organisations.views import bp as instance_bp
    from portal.questionnaires.views import bp as questionnaires_bp
    from portal.reports.views import buyer_bp as buyer_reports_bp
    from portal.reports.views import supplier_bp as supplier_reports_bp
    from portal.risk.views import bp as risk_bp
    from portal.sharing.views import bp as supplier_sharing_bp
    from portal.suppliers.edit_views import bp as supplier_edit_bp
    from portal.suppliers.import_views import bp as supplier_import_bp
    from portal.suppliers.views import bp as suppliers_bp
    from portal.users.password_views import bp as password_bp
    from portal.users.views import bp as users_bp

    for blueprint in (
        auth_bp,
        i18n_bp,
        supplier_bp,
        supplier_answers_bp,
        supplier_sharing_bp,
        dashboard_bp,
        buyer_assessments_bp,
        findings_bp,
        actions_bp,
        supplier_actions_bp,
        supplier_reports_bp,
        buyer_reports_bp,
        suppliers_bp,
        supplier_import_bp,
        supplier_edit_bp,
        exports_bp,
        questionnaires_bp,
        risk_bp,
        audit_bp,
        users_bp,
        password_bp,
        notifications_bp,
        instance_bp,
    ):
        app.register_blueprint(blueprint)

    lifecycle.init_app(app)
    assets.init_app(app)
    service_worker.init_app(app)
    keep_risk_current(db.session)
    init_template_helpers(app)
    language_names.init_app(app)
    register_error_handlers(app)
    cli.register(app)
    return app
