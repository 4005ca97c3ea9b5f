"""Telling that two organisations name the same company: a key made from its name.

"Atelier Cuir Atlas SARL", "ATELIER CUIR ATLAS" and "Atelier Cuir-Atlas s.a.r.l." are one
company in one country. The key ignores case, accents, punctuation, spacing and the legal
form (Ltd, GmbH, S.A. de C.V., Co., Ltd. …) at the end of the name; letters of every
script are kept, so that "有限公司" names still compare.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import select, tuple_

from portal.extensions import db
from portal.suppliers.models import Company

# Legal forms, as words after punctuation is removed, most specific first; removed only
# at the end of a name, repeatedly ("Co Ltd", "Pvt Ltd", "SA de CV").
LEGAL_FORMS = (
    "sa de cv",
    "s de rl de cv",
    "pvt ltd",
    "pte ltd",
    "sdn bhd",
    "co ltd",
    "co inc",
    "limited",
    "ltd",
    "llc",
    "llp",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "company",
    "co",
    "plc",
    "gmbh",
    "ag",
    "kg",
    "sarl",
    "sas",
    "sa",
    "srl",
    "spa",
    "sl",
    "bv",
    "nv",
    "oy",
    "ab",
    "as",
    "aps",
    "kft",
    "sro",
    "spzoo",
    "ltda",
    "eireli",
    "me",
    "jsc",
    "tnhh",
    "pt",
    "tbk",
    "cv",
    "ooo",
    "ltd sti",
    "sti",
    "pvt",
    "private limited",
    "public company limited",
    "pcl",
    "有限公司",
    "股份有限公司",
    "有限责任公司",
    "株式会社",
)
# Dotted abbreviations become one word before punctuation goes: "s.a.r.l." -> "sarl".
_DOTTED = re.compile(r"\b(?:\w\.){2,}")
_NOT_WORD = re.compile(r"[^\w]+")
# Longest first, so that "co ltd" goes as one form before "ltd" alone.
_FORMS = sorted({tuple(form.split(" ")) for form in LEGAL_FORMS}, key=len, reverse=True)


def company_key(name: str) -> str:
    """The comparable form of a company name: lower case, unaccented, words joined by one
    space, legal form at the end removed (a name that is only a legal form keeps it)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = [w for w in _NOT_WORD.split(text.replace("_", " ")) if w]
    words = _without_legal_form(words)
    return " ".join(words)


def _without_legal_form(words: list[str]) -> list[str]:
    changed = True
    while changed and words:
        changed = False
        for form in _FORMS:
            n = len(form)
            if len(words) > n and tuple(words[-n:]) == form:
                words = words[:-n]
                changed = True
                break
            # CJK names carry the legal form glued to the name: "广州纺织有限公司".
            if n == 1 and len(words[-1]) > len(form[0]) and words[-1].endswith(form[0]):
                if not form[0].isascii():
                    words = [*words[:-1], words[-1][: -len(form[0])]]
                    changed = True
                    break
    return words


KnownCompanies = dict[tuple[str, str], Company]  # (country, name key) -> company
LOOKUP_CHUNK = 500


def known_companies(names: Iterable[tuple[str, str]]) -> KnownCompanies:
    """The companies these (name, country) pairs name, in a few queries for a whole import:
    for each, the one company_for would find by name (one known without a number first)."""
    wanted = {(country.strip().upper(), company_key(name)) for name, country in names}
    known: KnownCompanies = {}
    pairs = sorted(wanted)
    for start in range(0, len(pairs), LOOKUP_CHUNK):
        chunk = pairs[start : start + LOOKUP_CHUNK]
        query = (
            select(Company)
            .where(tuple_(Company.country, Company.key).in_(chunk))
            .order_by(Company.registration_number.is_not(None), Company.id)
        )
        for company in db.session.scalars(query):
            known.setdefault((company.country, company.key), company)
    return known


def company_for(
    name: str,
    country: str,
    registration_number: str | None = None,
    *,
    known: KnownCompanies | None = None,
) -> Company:
    """The company these details name, found among every organisation's, else a new one.

    A registration number decides when given (the same number in the same country is the
    same company, a different one is another); otherwise the name key in the country
    does, preferring a company known without a number. Nothing of the answer tells the
    caller whether another organisation knew the company.

    `known` (from known_companies) answers a name without a query, and learns the
    companies created here, so that two rows of one import naming one company share it.
    """
    key = company_key(name)
    number = (registration_number or "").strip() or None
    if known is not None and number is None:
        if (country, key) not in known:
            known[(country, key)] = _new_company(name, country, key, None)
        return known[(country, key)]
    if number is not None:
        found = db.session.scalar(
            select(Company)
            .where(Company.country == country, Company.registration_number == number)
            .order_by(Company.id)
            .limit(1)
        )
        if found is not None:
            return found
    candidates = select(Company).where(Company.country == country, Company.key == key)
    if number is not None:
        candidates = candidates.where(Company.registration_number.is_(None))
    found = db.session.scalar(
        candidates.order_by(Company.registration_number.is_not(None), Company.id).limit(1)
    )
    if found is not None:
        if number is not None:
            found.registration_number = number
        return found
    return _new_company(name, country, key, number)


def _new_company(name: str, country: str, key: str, number: str | None) -> Company:
    company = Company(name=name.strip(), country=country, key=key, registration_number=number)
    db.session.add(company)
    return company
