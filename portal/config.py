"""Settings read from the environment, with defaults that are safe on a laptop."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

# Every shipped language, named in itself; translations/README.md says how to add one.
LANGUAGES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "zh_Hans": "中文（简体）",
    "vi": "Tiếng Việt",
    "id": "Bahasa Indonesia",
    "bn": "বাংলা",
    "hi": "हिन्दी",
    "ar": "العربية",
    "tr": "Türkçe",
}


def _secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: Path) -> dict:
    """Build the configuration mapping from environment variables."""
    instance_path.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'closeloop.db'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    redis_url = os.environ.get("REDIS_URL", "")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Closeloop <no-reply@closeloop.local>"),
        # Without MAIL_SERVER, print each mail with its link to the console (`make run`).
        "MAIL_CONSOLE": _bool("MAIL_CONSOLE", False),
        "SIGN_IN_LINK_DAYS": int(os.environ.get("SIGN_IN_LINK_DAYS", "14")),
        # Links that set a buyer's or admin's password: single use, hours not days.
        "PASSWORD_LINK_HOURS": int(os.environ.get("PASSWORD_LINK_HOURS", "24")),
        "REMINDER_DAYS": os.environ.get("REMINDER_DAYS", "7,1"),  # days before a due date
        # werkzeug's default; the test suite alone sets a cheap one.
        "PASSWORD_HASH_METHOD": "scrypt",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=int(os.environ.get("SESSION_DAYS", "30"))),
        # Every request body is limited to 2 MB, except the corrective-action update that
        # carries evidence: up to 5 x EVIDENCE_MAX_BYTES (actions/supplier_views.py).
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "EVIDENCE_MAX_BYTES": int(os.environ.get("EVIDENCE_MAX_BYTES", str(15 * 1024 * 1024))),
        "EVIDENCE_DIR": os.environ.get("EVIDENCE_DIR", ""),
        "WTF_CSRF_TIME_LIMIT": 3600,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LANGUAGES": LANGUAGES,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIMEZONE", "UTC"),
        "RISK_TIER_HIGH": float(os.environ.get("RISK_TIER_HIGH", "60")),
        "RISK_TIER_MEDIUM": float(os.environ.get("RISK_TIER_MEDIUM", "35")),
        "REASSESS_MONTHS_HIGH": int(os.environ.get("REASSESS_MONTHS_HIGH", "6")),
        "REASSESS_MONTHS_MEDIUM": int(os.environ.get("REASSESS_MONTHS_MEDIUM", "12")),
        "REASSESS_MONTHS_LOW": int(os.environ.get("REASSESS_MONTHS_LOW", "24")),
    }
