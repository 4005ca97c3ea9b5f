"""What buyers read about risk: tier names, why each contribution counts, what changed.

Stored scores keep names and parameters, never sentences, so that each reader sees them
in their own language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.lists import format_list
from babel.numbers import format_percent
from flask_babel import format_decimal, get_locale, ngettext, pgettext
from flask_babel import gettext as _

from portal.risk.models import RiskChange, Tier

SIGNED = "+#,##0.#;-#,##0.#"


def _locale() -> str:
    return str(get_locale() or "en")


def tier_label(tier: Tier | str) -> str:
    """The translated name of a tier (high, medium, low)."""
    labels = {
        Tier.HIGH: pgettext("risk tier", "high"),
        Tier.MEDIUM: pgettext("risk tier", "medium"),
        Tier.LOW: pgettext("risk tier", "low"),
    }
    return labels[Tier(tier)]


def contribution_label(name: str) -> str:
    """The translated name of one part of the score."""
    labels = {
        "country": _("Country"),
        "category": _("Category"),
        "assessment": _("Latest assessment"),
        "red_flags": _("Red flags"),
        "actions": _("Overdue corrective actions"),
    }
    return labels.get(name, name)


def _flag_counts(counts: Mapping[str, int]) -> str:
    texts = {
        "critical": lambda n: ngettext(
            "%(num)d critical red flag", "%(num)d critical red flags", n
        ),
        "high": lambda n: ngettext("%(num)d high red flag", "%(num)d high red flags", n),
        "medium": lambda n: ngettext("%(num)d medium red flag", "%(num)d medium red flags", n),
        "low": lambda n: ngettext("%(num)d low red flag", "%(num)d low red flags", n),
    }
    parts = [texts[s](counts[s]) for s in ("critical", "high", "medium", "low") if counts.get(s)]
    return format_list(parts, locale=_locale())


def _country(params: Mapping[str, Any]) -> str:
    from portal.suppliers.logic import country_name  # suppliers.logic imports risk

    name = country_name(params.get("code", ""), _locale())
    if params.get("default"):
        return _(
            "%(country)s has no rating of its own: the default rating %(rating)d of 5 applies",
            country=name,
            rating=params["rating"],
        )
    return _("%(country)s is rated %(rating)d of 5", country=name, rating=params["rating"])


def _category(params: Mapping[str, Any]) -> str:
    from portal.risk.category_names import category_label

    params = {**params, "category": category_label(params.get("category", ""))}
    if params.get("default"):
        return _(
            "The category “%(category)s” is not in the list: the default rating %(rating)d "
            "of 5 applies",
            category=params.get("category", ""),
            rating=params["rating"],
        )
    return _(
        "The category “%(category)s” is rated %(rating)d of 5",
        category=params.get("category", ""),
        rating=params["rating"],
    )


def _assessment(params: Mapping[str, Any]) -> str:
    if params.get("percent") is None:
        return _(
            "No accepted assessment with a score yet: %(share)s of these points count until "
            "one is accepted",
            share=format_percent(params.get("share", 0.6), locale=_locale()),
        )
    return _(
        "The latest accepted assessment scored %(percent)s: the lower the score, the more points",
        percent=format_percent(
            round(params["percent"] / 100, 3), locale=_locale(), decimal_quantization=False
        ),
    )


def _red_flags(params: Mapping[str, Any]) -> str:
    counts = params.get("counts") or {}
    if not counts:
        return _("No red flags in the accepted assessment or in a submission under review")
    if params.get("capped"):
        text = _(
            "Accepted assessment and submissions under review: %(flags)s (counted up to the "
            "maximum)",
            flags=_flag_counts(counts),
        )
    else:
        text = _(
            "Accepted assessment and submissions under review: %(flags)s",
            flags=_flag_counts(counts),
        )
    pending = params.get("pending", 0)
    if not pending:
        return text
    return _(
        "%(flags)s; %(pending)s",
        flags=text,
        pending=ngettext(
            "%(num)d pending: raised by a submission under review",
            "%(num)d pending: raised by a submission under review",
            pending,
        ),
    )


def _actions(params: Mapping[str, Any]) -> str:
    overdue = params.get("overdue", 0)
    if not overdue:
        return _("No corrective action is overdue")
    return ngettext(
        "%(num)d corrective action is overdue", "%(num)d corrective actions are overdue", overdue
    )


def explain(name: str, params: Mapping[str, Any]) -> str:
    """Why a contribution counts the points it does, in the current language."""
    explainers = {
        "country": _country,
        "category": _category,
        "assessment": _assessment,
        "red_flags": _red_flags,
        "actions": _actions,
    }
    return explainers[name](params) if name in explainers else ""


def points(value: float) -> str:
    """Points as a number in the current locale (one decimal at most)."""
    return format_decimal(value, format="#,##0.#")


def change_reason(reason: Mapping[str, Any]) -> str:
    """One moved contribution: "Country +6 points: Viet Nam is rated 5 of 5"."""
    return _(
        "%(what)s %(delta)s points: %(why)s",
        what=contribution_label(reason["name"]),
        delta=format_decimal(reason["new"] - reason["old"], format=SIGNED),
        why=explain(reason["name"], reason.get("params", {})),
    )


def change_text(change: RiskChange) -> str:
    """ "Risk changed: medium → high (score 48 → 63), because …" for the list of changes."""
    reasons = [change_reason(r) for r in change.reasons]
    because = format_list(reasons, locale=_locale()) if reasons else _("the tier limits changed")
    if change.old_tier != change.new_tier:
        return _(
            "Risk changed: %(old)s → %(new)s (score %(old_score)s → %(new_score)s), "
            "because %(reasons)s",
            old=tier_label(change.old_tier),
            new=tier_label(change.new_tier),
            old_score=points(change.old_score),
            new_score=points(change.new_score),
            reasons=because,
        )
    return _(
        "Risk score changed: %(old_score)s → %(new_score)s (still %(tier)s), because %(reasons)s",
        old_score=points(change.old_score),
        new_score=points(change.new_score),
        tier=tier_label(change.new_tier),
        reasons=because,
    )
