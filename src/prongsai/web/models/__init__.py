"""Models of the web app; the domain rules they need live in the core (prongsai.*)."""

from .agencies import Agency, AgencyTemplate, ApiToken, Invitation, Membership, Role, Unit
from .assessments import Assessment, IndicatorResult, RegisterAnswer
from .audit import AuditEntry
from .jobs import Job
from .kit import KitDataset, KitDocument
from .measures import AreaAssignment, Measure, MeasureStatus, MeasureUpdate, Recommendation, ReminderSent
from .oversight import Office, OfficeMembership, OfficeRole, PublishedResult, ResultImport
from .register import CheckRun, Evidence, RegisterEntry, RegisterStatus
from .surveys import MIN_GROUP, Survey, SurveyPool, SurveyResponse, SurveyToken, token_digest

__all__ = [
    "MIN_GROUP",
    "Agency",
    "AgencyTemplate",
    "ApiToken",
    "AreaAssignment",
    "Assessment",
    "AuditEntry",
    "CheckRun",
    "Evidence",
    "IndicatorResult",
    "Invitation",
    "Job",
    "KitDataset",
    "KitDocument",
    "Measure",
    "MeasureStatus",
    "MeasureUpdate",
    "Membership",
    "Office",
    "OfficeMembership",
    "OfficeRole",
    "PublishedResult",
    "Recommendation",
    "RegisterAnswer",
    "RegisterEntry",
    "RegisterStatus",
    "ReminderSent",
    "ResultImport",
    "Role",
    "Survey",
    "SurveyPool",
    "SurveyResponse",
    "SurveyToken",
    "Unit",
    "token_digest",
]
