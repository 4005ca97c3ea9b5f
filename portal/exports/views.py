"""Buyer pages: the list of exports and the download of each one."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template
from flask_babel import get_locale

from portal.auth.access import buyer_required
from portal.exports.formats import CSV_MIMETYPE, XLSX_MIMETYPE, to_csv, to_xlsx
from portal.exports.logic import build_table

bp = Blueprint("exports", __name__, url_prefix="/b/exports")


@bp.get("/")
@buyer_required
def index():
    return render_template("exports/index.html")


@bp.get("/<any(suppliers, assessments, answers):kind>.<any(csv, xlsx):file_format>")
@buyer_required
def download(kind: str, file_format: str):
    table = build_table(kind, str(get_locale() or "en"))
    if file_format == "csv":
        data, mimetype = to_csv(table.header, table.rows), CSV_MIMETYPE
    else:
        data, mimetype = to_xlsx(table.title, table.header, table.rows), XLSX_MIMETYPE
    filename = f"closeloop-{kind}-{date.today().isoformat()}.{file_format}"
    return Response(
        data,
        content_type=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
