"""What a supplier's feedback report shows, gathered as plain values in one language.

`feedback_content` is called inside `force_locale(...)`: every text it picks from the
questionnaire definition is in that language; the template translates the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from portal.actions.models import ActionStatus, CorrectiveAction
from portal.actions.queries import actions_for_assessment
from portal.actions.status import action_status_label
from portal.assessments.display import display_answer
from portal.assessments.models import Assessment, AssessmentStatus, Revision
from portal.assessments.scoring import SEVERITY_ORDER, question_points
from portal.findings.logic import findings_for, split_first_sentence
from portal.findings.models import Finding
from portal.questionnaires.answers import is_question_visible
from portal.questionnaires.definition import Definition, Severity
from portal.reports.peers import PeerComparison, Standing, compare, is_shared, peer_scores
from portal.risk.category_names import category_label
from portal.risk.logic import current_risk_summary
from portal.suppliers.logic import country_name

STRONG_SECTION = 60.0  # a section from this score up may be named as a strength
MAX_STRENGTHS = 3
MAX_GOOD_PRACTICES = 10
RECOGNITION_SCORE = 80.0  # overall score from which a supplier is recognised...
RECOGNITION_BLOCKERS = (Severity.CRITICAL, Severity.HIGH)  # ...unless it has such red flags


@dataclass(frozen=True)
class SectionResult:
    key: str
    title: str
    percent: float | None
    standing: Standing | None = None


@dataclass(frozen=True)
class GoodPractice:
    question: str
    answer: str


@dataclass(frozen=True)
class ActionLine:
    title: str
    what_must_change: str
    owner: str
    due_date: date
    status: str
    status_label: str
    overdue: bool
    finding: str
    finding_number: int | None = None  # the finding's number in the feedback report


@dataclass(frozen=True)
class Issue:
    """A red flag or a finding, with the actions that answer it."""

    title: str
    severity: str
    explanation: str  # what the questionnaire says about such an answer
    description: str  # what the buyer wrote
    question: str
    answer: str
    actions: tuple[ActionLine, ...]
    number: int = 0  # 1, 2, ... in the order the report lists them


@dataclass(frozen=True)
class FeedbackReport:
    supplier_name: str
    country: str
    category: str
    questionnaire_title: str
    questionnaire_version: int
    submitted_on: date | None
    accepted_on: date | None
    overall: float | None
    sections: tuple[SectionResult, ...]
    strengths: tuple[SectionResult, ...]
    good_practices: tuple[GoodPractice, ...]
    recognised: bool
    issues: tuple[Issue, ...]
    action_plan: tuple[ActionLine, ...]
    comparison: PeerComparison | None
    next_assessment: date | None
    customer_comment: str = ""  # what the buyer wrote to the supplier when accepting

    @property
    def serious_red_flags(self) -> bool:
        """Critical or high red flags: they come first, whatever the score."""
        return any(i.severity in RECOGNITION_BLOCKERS for i in self.issues)

    @property
    def open_actions(self) -> int:
        return sum(1 for a in self.action_plan if a.status != ActionStatus.CLOSED)


def accepted_revision(assessment: Assessment) -> Revision | None:
    """The revision the buyer accepted; None until the review is done."""
    if assessment.status != AssessmentStatus.ACCEPTED:
        return None
    accepted = [r for r in assessment.revisions if r.decision == AssessmentStatus.ACCEPTED]
    return accepted[-1] if accepted else None


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment else None


def _owner(action: CorrectiveAction) -> str:
    if action.responsible_name and action.responsible_role:
        return f"{action.responsible_name} ({action.responsible_role})"
    return action.responsible_name or action.responsible_role


def action_line(action: CorrectiveAction, finding_title: str, today: date) -> ActionLine:
    return ActionLine(
        title=action.title,
        what_must_change=action.what_must_change,
        owner=_owner(action),
        due_date=action.due_date,
        status=str(action.status),
        status_label=action_status_label(action.status),
        overdue=action.is_overdue(today),
        finding=finding_title,
    )


def _sections(definition: Definition, score: dict, comparison, locale: str):
    percents = (score or {}).get("sections") or {}
    standings = comparison.sections if comparison else {}
    return tuple(
        SectionResult(
            s.key, definition.text(s.title, locale), percents.get(s.key), standings.get(s.key)
        )
        for s in definition.sections
    )


def _strengths(sections: tuple[SectionResult, ...]) -> tuple[SectionResult, ...]:
    strong = [s for s in sections if s.percent is not None and s.percent >= STRONG_SECTION]
    return tuple(sorted(strong, key=lambda s: -s.percent)[:MAX_STRENGTHS])


def _good_practices(definition: Definition, answers: dict, locale: str):
    """Scored answers that earned every point they could, in questionnaire order."""
    found = []
    for question in definition.questions():
        if not is_question_visible(definition, question, answers):
            continue
        counted = question_points(question, answers.get(question.key))
        if counted is not None and counted[1] > 0 and counted[0] >= counted[1]:
            answer = display_answer(definition, question, answers[question.key], locale)
            found.append(GoodPractice(definition.text(question.label, locale), answer))
    return tuple(found[:MAX_GOOD_PRACTICES])


def _finding_texts(finding: Finding, definition: Definition, locale: str) -> tuple[str, str]:
    """(title, explanation): for a finding raised from a red flag, the definition's own text
    in `locale` (the buyer may write in another language); else the buyer's title."""
    if finding.question_key and finding.critical_rule is not None:
        try:
            question = definition.question(finding.question_key)
            text = definition.text(question.critical[finding.critical_rule].finding, locale)
        except (KeyError, IndexError):
            text = ""
        if text:
            return split_first_sentence(text)
    return finding.title, ""


def _issues(assessment, revision, definition, answers, actions, locale, today):
    """Findings with their actions, then red flags no finding answers yet; most severe first."""
    by_finding: dict[int, list[CorrectiveAction]] = {}
    for action in actions:
        by_finding.setdefault(action.finding_id, []).append(action)

    def answer_of(key: str | None) -> tuple[str, str]:
        if not key:
            return "", ""
        try:
            question = definition.question(key)
        except KeyError:
            return "", ""
        answer = display_answer(definition, question, answers.get(key), locale)
        return definition.text(question.label, locale), answer

    issues, covered = [], set()
    for finding in findings_for(assessment):
        title, explanation = _finding_texts(finding, definition, locale)
        question, answer = answer_of(finding.question_key)
        covered.add(finding.question_key)
        description = finding.description.strip()
        if description in (title, f"{title} {explanation}".strip()):
            description = ""
        lines = tuple(action_line(a, title, today) for a in by_finding.get(finding.id, []))
        issues.append(
            Issue(title, finding.severity, explanation, description, question, answer, lines)
        )
    for flag in revision.red_flags or []:
        if flag["question"] in covered:
            continue
        question_def = definition.question(flag["question"])
        text = definition.text(question_def.critical[flag["rule"]].finding, locale)
        question, answer = answer_of(flag["question"])
        title, explanation = split_first_sentence(text) if text else (question, "")
        issues.append(Issue(title, flag["severity"], explanation, "", question, answer, ()))
    ordered = sorted(issues, key=lambda i: SEVERITY_ORDER.get(Severity(i.severity), 9))
    return tuple(
        replace(
            issue,
            number=number,
            actions=tuple(replace(a, finding_number=number) for a in issue.actions),
        )
        for number, issue in enumerate(ordered, start=1)
    )


def feedback_content(assessment: Assessment, locale: str, today: date | None = None):
    """Everything the report of an accepted assessment shows; None before acceptance."""
    revision = accepted_revision(assessment)
    if revision is None:
        return None
    today = today or date.today()
    supplier = assessment.supplier
    questionnaire = assessment.questionnaire
    definition = questionnaire.definition
    answers = revision.answers or {}
    score = revision.score or {}
    comparison = compare(score, peer_scores(questionnaire.key, supplier.id))
    if comparison is not None and is_shared(questionnaire.key):
        comparison = replace(comparison, across_portal=True)
    sections = _sections(definition, score, comparison, locale)
    actions = actions_for_assessment(assessment.id)
    issues = _issues(assessment, revision, definition, answers, actions, locale, today)
    plan = tuple(sorted((a for i in issues for a in i.actions), key=lambda a: a.due_date))
    flags = {Severity(f["severity"]) for f in revision.red_flags or []}
    overall = score.get("overall")
    return FeedbackReport(
        supplier_name=supplier.name,
        country=country_name(supplier.country, locale),
        category=category_label(supplier.category, locale),
        questionnaire_title=definition.text(definition.title, locale) or questionnaire.title,
        questionnaire_version=questionnaire.version,
        submitted_on=_day(revision.submitted_at),
        accepted_on=_day(revision.decided_at),
        overall=overall,
        sections=sections,
        strengths=_strengths(sections),
        good_practices=_good_practices(definition, answers, locale),
        recognised=overall is not None
        and overall >= RECOGNITION_SCORE
        and not flags & set(RECOGNITION_BLOCKERS),
        issues=issues,
        action_plan=plan,
        comparison=comparison,
        next_assessment=current_risk_summary(supplier).next_due,
        customer_comment=revision.decision_comment or "",
    )
