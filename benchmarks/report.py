"""Feedback report PDF: time and peak memory against a bare one-paragraph WeasyPrint document.

Seeds a fresh database (SQLite in a temporary folder) with a generated questionnaire of 40
scored questions in 5 sections, one supplier whose accepted assessment raised red flags,
the buyer's findings on them and 10 corrective actions, and 6 peers with accepted
assessments of the same questionnaire (so the peer comparison is in the report). Then, in
the same run and after one warm-up each, times BENCH_RUNS renderings of a bare
`<p>…</p>` document and of the whole feedback report (its HTML: loading the assessment,
gathering the content, Jinja; then its PDF through `html_to_pdf`, as the rendering job
does). Peak memory (peak RSS) is read in a fresh child process per document: before
rendering, after one rendering and after BENCH_MEMORY_RUNS (does it keep growing?). Last, a
cProfile of BENCH_PROFILE_RUNS report renderings says where the time goes.
Goal: per page of report, within 5x the bare document; under 150 MB peak.
Run: .venv/bin/python benchmarks/report.py
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
PROFILE_RUNS = int(os.environ.get("BENCH_PROFILE_RUNS", "5"))
MEMORY_RUNS = int(os.environ.get("BENCH_MEMORY_RUNS", "20"))
LOCALE = os.environ.get("BENCH_LOCALE", "en")
PAPER = "a4"
PEERS = 6
BARE_HTML = (
    "<p>Thank you for answering our supplier self-assessment. This one paragraph is the "
    "whole document: it measures what WeasyPrint costs before any report content.</p>"
)
RATIO_GOAL, MEMORY_GOAL_MB = 5.0, 150

TOPICS = [
    (
        "workers",
        "Workers and wages",
        "Travailleurs et salaires",
        [
            "written contracts",
            "payslips",
            "overtime pay",
            "rest days",
            "leave",
            "wage deductions",
            "probation periods",
            "young workers",
        ],
    ),
    (
        "safety",
        "Health and safety",
        "Santé et sécurité",
        [
            "emergency exits",
            "fire extinguishers",
            "first aid",
            "protective equipment",
            "machine guards",
            "chemical storage",
            "drinking water",
            "toilets",
        ],
    ),
    (
        "environment",
        "Environment",
        "Environnement",
        [
            "environmental permits",
            "waste sorting",
            "waste water",
            "energy use",
            "water use",
            "air emissions",
            "spill kits",
            "packaging",
        ],
    ),
    (
        "ethics",
        "Business ethics",
        "Éthique des affaires",
        [
            "anti-bribery rules",
            "gifts register",
            "conflicts of interest",
            "subcontractors",
            "recruitment fees",
            "identity papers",
            "data protection",
            "fair competition",
        ],
    ),
    (
        "management",
        "Management system",
        "Système de management",
        [
            "written policies",
            "grievance channel",
            "worker representatives",
            "training records",
            "internal audits",
            "certifications",
            "risk assessment",
            "improvement plan",
        ],
    ),
]
# (section index, question index) -> severity of the red flag its worst answer raises
CRITICAL = {
    (0, 2): "high",
    (0, 7): "critical",
    (1, 0): "critical",
    (1, 5): "medium",
    (2, 1): "medium",
    (3, 5): "high",
    (4, 1): "low",
}


def _texts(en: str, fr: str) -> dict:
    return {"en": en, "fr": fr}


def questionnaire_yaml() -> bytes:
    """5 sections of 8 scored questions (yes/no, single choice, number), 7 with red flags."""
    import yaml

    sections = []
    for s, (key, title_en, title_fr, topics) in enumerate(TOPICS):
        questions = []
        for q, topic in enumerate(topics):
            question = {
                "key": f"{key}_{q + 1}",
                "label": _texts(
                    f"About {topic}: is what we ask of suppliers in place for every worker "
                    "and at every site?",
                    f"À propos de « {topic} » : ce que nous demandons aux fournisseurs est-il "
                    "en place pour chaque travailleur et sur chaque site ?",
                ),
                "help": _texts(
                    f"Think of the last twelve months. Answer for {topic} as things really "
                    "are, not as they should be: the report helps you improve.",
                    f"Pensez aux douze derniers mois. Répondez pour « {topic} » selon la "
                    "réalité, pas selon ce qui devrait être : le rapport vous aide à progresser.",
                ),
            }
            kind = q % 3
            if kind == 0:
                question["type"] = "yes_no"
                question["score"] = {"points": {"yes": 10, "no": 0}}
                when = {"equals": "no"}
            elif kind == 1:
                question["type"] = "single_choice"
                question["options"] = [
                    {"key": "all", "label": _texts("Yes, everywhere", "Oui, partout")},
                    {"key": "some", "label": _texts("Only in part", "En partie seulement")},
                    {"key": "none", "label": _texts("No, not yet", "Non, pas encore")},
                ]
                question["score"] = {"points": {"all": 10, "some": 4, "none": 0}}
                when = {"equals": "none"}
            else:
                question["type"] = "number"
                question["label"] = _texts(
                    f"About {topic}: how many days a month is something wrong?",
                    f"À propos de « {topic} » : combien de jours par mois quelque chose "
                    "ne va pas ?",
                )
                question["unit"] = _texts("days", "jours")
                question.update(min=0, max=31, integer=True)
                question["score"] = {
                    "ranges": [
                        {"max": 1, "points": 10},
                        {"min": 1, "max": 6, "points": 5},
                        {"min": 6, "points": 0},
                    ]
                }
                when = {"min": 6}
            if (s, q) in CRITICAL:
                question["critical"] = [
                    {
                        "when": when,
                        "severity": CRITICAL[(s, q)],
                        "finding": _texts(
                            f"The answer on {topic} shows a serious gap. Left as it is, it "
                            "puts workers at risk and breaks what most laws and buyer codes "
                            "require: name a responsible person, fix it and keep a record.",
                            f"La réponse sur « {topic} » montre un manque sérieux. En l'état, "
                            "cela met les travailleurs en danger et va contre la plupart des "
                            "lois et des codes des acheteurs : nommez un responsable, corrigez "
                            "et gardez une trace.",
                        ),
                    }
                ]
            questions.append(question)
        sections.append(
            {
                "key": key,
                "title": _texts(title_en, title_fr),
                "weight": 1.5 if s == 0 else 1,
                "questions": questions,
            }
        )
    definition = {
        "key": "bench-report",
        "version": 1,
        "languages": ["en", "fr"],
        "title": _texts("Supplier self-assessment (benchmark)", "Auto-évaluation (benchmark)"),
        "sections": sections,
    }
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False).encode()


def answer(section: int, question: int, quality: int) -> str:
    """An answer to question (section, question): worst on red-flag questions when
    quality is 0 (the reported supplier), else varied by `quality` (the peers)."""
    kind = question % 3
    if quality == 0 and (section, question) in CRITICAL:
        return ("no", "none", "9")[kind]
    level = (section * 8 + question + quality) % 4  # 0 best ... 3 worst
    if kind == 0:
        return "no" if level == 3 else "yes"
    if kind == 1:
        return ("all", "all", "some", "none")[level]
    return ("0", "2", "3", "7")[level]


def answered_assessment(version, supplier, quality: int):
    """Assign, answer every section on the supplier's behalf and submit."""
    from portal.assessments.logic import assign, save_section, submit

    contact = supplier.contacts[0]
    assessment = assign(supplier, version, date.today() + timedelta(days=30), by=None)
    for s, section in enumerate(version.definition.sections):
        form = {f"q-{q.key}": [answer(s, i, quality)] for i, q in enumerate(section.questions)}
        errors = save_section(assessment, section, form, by=contact)
        assert not errors, errors
    submit(assessment, by=contact)
    return assessment


def seed() -> int:
    """The reported supplier's accepted assessment with findings and 10 actions, and its
    peers; returns the assessment's id."""
    from portal.actions.logic import create_action
    from portal.assessments.review import accept, latest_revision
    from portal.auth.logic import create_user
    from portal.auth.models import Role
    from portal.extensions import db
    from portal.findings.logic import record_finding
    from portal.questionnaires.logic import import_questionnaire
    from portal.suppliers.logic import create_supplier

    version = import_questionnaire(questionnaire_yaml(), by=None)
    assert sum(len(s.questions) for s in version.definition.sections) == 40
    buyer = create_user("buyer@bench.example", Role.BUYER, password="bench-password")
    for n in range(1, PEERS + 1):
        peer = create_supplier(
            name=f"Peer {n}",
            country="PT",
            category="Textiles",
            contact_email=f"peer{n}@bench.example",
            by=None,
        )
        accept(answered_assessment(version, peer, quality=n), by=buyer)
    supplier = create_supplier(
        name="Tejidos Andinos del Sur S.A.C.",
        country="PE",
        category="Textiles",
        contact_email="contact@bench.example",
        contact_name="Rosa Quispe",
        contact_locale=LOCALE,
        by=None,
    )
    assessment = answered_assessment(version, supplier, quality=0)
    accept(
        assessment,
        by=buyer,
        comment="Thank you for your frank answers. Please start with the emergency exits and "
        "the young workers: we will call you next week to agree on the first steps.",
    )
    flags = latest_revision(assessment).red_flags
    assert len(flags) == len(CRITICAL), flags
    # Findings on all red flags but one (that one shows as a red flag with no action yet),
    # and 10 actions over them: two on each of the first four, one on each of the next two.
    findings = [
        record_finding(
            assessment,
            by=buyer,
            title=f"Red flag on {flag['question']}",
            severity=flag["severity"],
            description="Seen during the visit of the site; the manager agreed to fix it.",
            question_key=flag["question"],
            critical_rule=flag["rule"],
        )
        for flag in flags[:-1]
    ]
    for n, finding in enumerate([f for f in findings[:4] for _ in (0, 1)] + findings[4:6]):
        create_action(
            finding,
            by=buyer,
            title=f"Corrective action {n + 1}: fix the cause and keep a record",
            what_must_change=(
                "Name a responsible person, write down how it is done from now on, train "
                "the people concerned and send a photo of the result as evidence."
            ),
            responsible_name="Rosa Quispe",
            responsible_role="Production manager",
            due_date=date(2000, 1, 1) + timedelta(days=30 * (n + 1)),  # some overdue
            today=date(2000, 1, 1),
        )
    db.session.commit()
    return assessment.id


def make_app(database_url: str):
    os.environ.update({"DATABASE_URL": database_url, "SECRET_KEY": "bench"})
    from portal import create_app

    return create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})


def render_report(assessment_id: int):
    """What the rendering job does: load, build the HTML, date it, lay out and write the
    PDF. Returns (html_seconds, pdf_seconds, RenderedPDF)."""
    from flask_babel import force_locale, format_date

    from portal.extensions import db
    from portal.reports.cache import DATE_MARK
    from portal.reports.documents import FEEDBACK, KINDS
    from portal.reports.rendering import html_to_pdf

    db.session.remove()  # a fresh session, as a job or request has: nothing loaded yet
    started = time.perf_counter()
    kind = KINDS[FEEDBACK]
    html = kind.html(kind.load(assessment_id), LOCALE, PAPER)
    with force_locale(LOCALE):
        html = html.replace(DATE_MARK, format_date(date.today(), "long"))
    built = time.perf_counter()
    rendered = html_to_pdf(html)
    return built - started, time.perf_counter() - built, rendered


def render_bare() -> bytes:
    from weasyprint import HTML

    return HTML(string=BARE_HTML).write_pdf()


def max_rss_mb() -> float:
    """This process's peak resident memory in MB.

    `ru_maxrss` (RUSAGE_SELF) is not usable in a child: Linux keeps across fork and exec
    the peak of the process it was forked from (here the 200 MB parent), so every child
    would report at least that. VmHWM, the peak RSS of the process's own memory since its
    exec, is the same measure without that inheritance; ru_maxrss is the fallback.
    """
    try:
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024
    except (OSError, AttributeError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(which: str, database_url: str, assessment_id: int) -> None:
    """Peak memory before and after rendering in this fresh process; prints JSON."""
    if which == "bare":
        import weasyprint  # noqa: F401 - what the bare document needs loaded first

        before = max_rss_mb()
        render_bare()
        after = max_rss_mb()
        for _ in range(MEMORY_RUNS - 1):
            render_bare()
    else:
        app = make_app(database_url)
        with app.test_request_context():
            from portal.assessments.models import Assessment
            from portal.extensions import db

            db.session.get(Assessment, assessment_id)  # app, models and a connection loaded
            import weasyprint  # noqa: F401

            before = max_rss_mb()
            render_report(assessment_id)
            after = max_rss_mb()
            for _ in range(MEMORY_RUNS - 1):
                render_report(assessment_id)
    print(json.dumps({"before": before, "after": after, "after_all": max_rss_mb()}))


def peak_memory(which: str, database_url: str, assessment_id: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", which, database_url, str(assessment_id)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


GROUPS = (  # (label, what the module path starts with); the first match wins
    ("fontTools (font subsetting)", ("fontTools",)),
    ("WeasyPrint PDF writing (pdf/, draw/, pydyf)", ("weasyprint/pdf", "weasyprint/draw", "pydyf")),
    ("WeasyPrint text shaping (Pango/HarfBuzz via cffi)", ("weasyprint/text",)),
    ("WeasyPrint layout", ("weasyprint/layout", "weasyprint/formatting_structure")),
    ("WeasyPrint CSS (parsing, cascade, computed styles)", ("weasyprint/css", "tinycss2")),
    ("CSS selectors (cssselect2)", ("cssselect2",)),
    ("HTML parsing (tinyhtml5/html5lib, ElementTree)", ("tinyhtml5", "html5lib", "xml")),
    ("WeasyPrint other (document, images, svg, urls)", ("weasyprint",)),
    ("Jinja templates", ("jinja2", "templates")),
    ("SQLAlchemy and the database", ("sqlalchemy", "sqlite3")),
    ("portal (content: scores, peers, findings)", ("portal",)),
    ("Babel, Flask", ("babel", "flask_babel", "flask", "werkzeug")),
)


def _group(filename: str) -> str:
    path = filename.replace("\\", "/")
    for marker in ("site-packages/", "/lib/python3", str(ROOT) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    if path.startswith("."):
        path = path.split("/", 1)[-1]
    for label, prefixes in GROUPS:
        if path.startswith(prefixes):
            return label
    if filename.startswith("~") or filename.startswith("<"):
        return "built-ins and C calls (compression, cffi, str)"
    return "other Python (stdlib)"


def profile(assessment_id: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILE_RUNS):
        render_report(assessment_id)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = max(stats.total_tt, 1e-9)
    per_run = 1000 / PROFILE_RUNS
    by_group: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        group = _group(filename)
        if group.startswith("built-ins"):  # C calls: charge them to what they do
            if "zlib" in name or "compress" in name:
                group = "built-ins: zlib compression"
            elif "_cffi_backend" in name or "cffi" in name or "pango" in name:
                group = "built-ins: cffi calls (Pango, HarfBuzz, fontconfig)"
        by_group[group] += tottime
    print(f"\nprofile of {PROFILE_RUNS} report renderings (cProfile slows everything down)")
    print("self time by part:")
    for group, seconds in sorted(by_group.items(), key=lambda item: -item[1])[:14]:
        print(f"  {group:<55} {seconds * per_run:7.1f} ms/run  {seconds / total:6.1%}")
    phases = {
        "feedback_html (load, content, Jinja)": ("documents.py", "feedback_html"),
        "HTML.render (parse, style, layout)": ("weasyprint/__init__.py", "render"),
        "  computed styles (cascade, selectors)": ("css/__init__.py", "get_all_computed_styles"),
        "  formatting structure (boxes)": (
            "formatting_structure/build.py",
            "build_formatting_structure",
        ),
        "  layout_document (incl. text shaping)": ("layout/__init__.py", "layout_document"),
        "Document.write_pdf": ("weasyprint/document.py", "write_pdf"),
        "  fonts dictionary (incl. subsetting)": ("pdf/fonts.py", "build_fonts_dictionary"),
        "  font subsetting (HarfBuzz/fontTools)": ("pdf/fonts.py", "subset"),
        "  drawing pages (draw/)": ("draw/__init__.py", "draw_page"),
    }
    print("cumulative time of the main phases:")
    for label, (suffix, function) in phases.items():
        cumulative = sum(
            row[3]
            for (filename, _line, name), row in stats.stats.items()
            if name == function and filename.replace("\\", "/").endswith(suffix)
        )
        print(f"  {label:<55} {cumulative * per_run:7.1f} ms/run  {cumulative / total:6.1%}")

    def where(filename: str, line: int, name: str) -> str:
        short = "/".join(Path(filename).parts[-2:]) if filename[0] not in "~<" else ""
        return f"{short}:{line}({name})" if short else name

    print("top functions by cumulative time (a chain of wrappers within 3 % shown once):")
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][3])
    shown, previous = 0, None
    for (filename, line, name), (_cc, calls, _tt, cumulative, _callers) in rows:
        if (
            name in ("<module>", "run", "wrapper", "<listcomp>")
            or name.startswith("<built-in")
            or _group(filename).startswith("other Python")
        ):
            continue
        if previous is not None and cumulative >= 0.97 * previous:
            continue
        previous = cumulative
        print(
            f"  {cumulative * per_run:7.1f} ms/run {calls // PROFILE_RUNS:>7} calls  "
            f"{where(filename, line, name)}"
        )
        shown += 1
        if shown == 15:
            break
    print("top functions by self time (the C calls of Pango/HarfBuzz count in their caller):")
    for (filename, line, name), (_cc, calls, tottime, _ct, _callers) in sorted(
        stats.stats.items(), key=lambda item: -item[1][2]
    )[:10]:
        print(
            f"  {tottime * per_run:7.1f} ms/run {calls // PROFILE_RUNS:>7} calls  "
            f"{where(filename, line, name)}"
        )
    print(f"Python function calls per rendering: {stats.total_calls // PROFILE_RUNS:,}")


def spread(samples: list[float]) -> str:
    quartiles = statistics.quantiles(samples, n=4)
    return f"{quartiles[0] * 1000:.1f}–{quartiles[2] * 1000:.1f}"


def main() -> None:
    import weasyprint

    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/bench.db"
        app = make_app(database_url)
        started = time.perf_counter()
        with app.test_request_context():
            from portal.migrate import upgrade

            upgrade()
            assessment_id = seed()
        seeded = time.perf_counter() - started

        with app.test_request_context():
            render_bare()  # warm-ups: fonts found, caches filled, templates compiled
            rendered = render_report(assessment_id)[2]
            bare_pages = len(weasyprint.HTML(string=BARE_HTML).render().pages)
            # Interleaved, so that both see the same load on a shared machine; wall and CPU.
            bare, bare_cpu, html_part, pdf_part, total, total_cpu = [], [], [], [], [], []
            for _ in range(RUNS):
                start, start_cpu = time.perf_counter(), time.process_time()
                render_bare()
                bare.append(time.perf_counter() - start)
                bare_cpu.append(time.process_time() - start_cpu)
                start, start_cpu = time.perf_counter(), time.process_time()
                built, written, rendered = render_report(assessment_id)
                total.append(time.perf_counter() - start)
                total_cpu.append(time.process_time() - start_cpu)
                html_part.append(built)
                pdf_part.append(written)
            profile(assessment_id)
        bare_memory = peak_memory("bare", database_url, assessment_id)
        report_memory = peak_memory("report", database_url, assessment_id)

    bare_ms, report_ms = statistics.median(bare) * 1000, statistics.median(total) * 1000
    bare_cpu_ms = statistics.median(bare_cpu) * 1000
    report_cpu_ms = statistics.median(total_cpu) * 1000
    per_page = report_ms / rendered.pages / bare_ms
    per_page_cpu = report_cpu_ms / rendered.pages / bare_cpu_ms
    peak = report_memory["after"]
    print(f"\nWeasyPrint {weasyprint.__version__}, Python {sys.version.split()[0]}, {LOCALE}")
    print(
        f"seeded in {seeded:.1f} s: 40 scored questions, {len(CRITICAL)} red flags, "
        f"10 actions, {PEERS} peers"
    )
    print(f"median of {RUNS} interleaved runs after one warm-up (interquartile range), ms")
    print(f"{'':<18}{'wall':>9}{'':<15}{'CPU':>9}")
    print(
        f"bare document:    {bare_ms:9.1f} ({spread(bare)})  {bare_cpu_ms:9.1f}   {bare_pages} page"
    )
    print(
        f"report:           {report_ms:9.1f} ({spread(total)})  {report_cpu_ms:9.1f}"
        f"   {rendered.pages} pages, {len(rendered.pdf) / 1024:.1f} KB"
    )
    print(f"  HTML (load, content, Jinja): {statistics.median(html_part) * 1000:7.1f} ms")
    print(f"  PDF (html_to_pdf):           {statistics.median(pdf_part) * 1000:7.1f} ms")
    verdict = "met" if per_page <= RATIO_GOAL else "missed"
    print(
        f"ratio per page:   {per_page:.2f} x bare (wall), {per_page_cpu:.2f} x (CPU)"
        f"  goal <= {RATIO_GOAL:.0f} x: {verdict}"
    )
    for name, memory in (("bare", bare_memory), ("report", report_memory)):
        print(
            f"peak memory {name + ':':<8}{memory['after']:6.1f} MB  (before rendering "
            f"{memory['before']:.1f} MB, +{memory['after'] - memory['before']:.1f} MB; "
            f"after {MEMORY_RUNS} renderings {memory['after_all']:.1f} MB)"
        )
    verdict = "met" if max(peak, report_memory["after_all"]) < MEMORY_GOAL_MB else "missed"
    print(f"memory goal:      < {MEMORY_GOAL_MB} MB peak: {verdict}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
