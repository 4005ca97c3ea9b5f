"""Every model, imported once so that the metadata is complete (for Alembic)."""

from portal.actions.models import ActionEvent, ActionUpdate, CorrectiveAction
from portal.assessments.models import Answer, Assessment, KeptAnswers, ReviewComment, Revision
from portal.audit.models import AuditEntry
from portal.auth.models import SignInLink, User
from portal.dashboard.models import SupplierOverview
from portal.evidence.models import EvidenceFile
from portal.findings.models import Finding
from portal.notifications.models import DigestItem, OutboxMail
from portal.organisations.models import Organisation
from portal.questionnaires.models import QuestionnaireVersion
from portal.reminders.models import SentReminder
from portal.reports.models import RenderedReport
from portal.risk.models import RatingOverride, RiskChange, SupplierRisk
from portal.sharing.models import AnswerShare, SharingStop
from portal.suppliers.models import Company, Supplier, SupplierContact
from portal.users.models import PasswordLink

__all__ = [
    "ActionEvent",
    "ActionUpdate",
    "Answer",
    "AnswerShare",
    "Assessment",
    "AuditEntry",
    "EvidenceFile",
    "Company",
    "CorrectiveAction",
    "DigestItem",
    "Finding",
    "KeptAnswers",
    "Organisation",
    "OutboxMail",
    "PasswordLink",
    "QuestionnaireVersion",
    "RatingOverride",
    "RenderedReport",
    "ReviewComment",
    "Revision",
    "RiskChange",
    "SentReminder",
    "SharingStop",
    "SignInLink",
    "SupplierContact",
    "SupplierOverview",
    "Supplier",
    "SupplierRisk",
    "User",
]
