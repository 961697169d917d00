"""Models of the web app; the domain rules they need live in the core (prongsai.*)."""

from .agencies import Agency, AgencyTemplate, ApiToken, Invitation, Membership, Role, Unit
from .assessments import Assessment, IndicatorResult, RegisterAnswer
from .audit import AuditEntry
from .measures import AreaAssignment, Measure, MeasureStatus, MeasureUpdate, Recommendation, ReminderSent
from .register import Evidence, RegisterEntry, RegisterStatus

__all__ = [
    "Agency",
    "AgencyTemplate",
    "ApiToken",
    "AreaAssignment",
    "Assessment",
    "AuditEntry",
    "Evidence",
    "IndicatorResult",
    "Invitation",
    "Measure",
    "MeasureStatus",
    "MeasureUpdate",
    "Membership",
    "Recommendation",
    "RegisterAnswer",
    "RegisterEntry",
    "RegisterStatus",
    "ReminderSent",
    "Role",
    "Unit",
]
