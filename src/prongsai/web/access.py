"""Who may see and change what. Every view and API call goes through ``access_for``.

An outsider gets 404 (the agency's existence is not confirmed to them); a member without the right
gets 403. Oversight users and viewers read; editors change what their unit is responsible for;
admins change everything in their agency. Members of an office that oversees the agency read it as oversight.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Agency, Assessment, Membership, Office, OfficeMembership, RegisterEntry, Role

# The largest id a database keeps (64-bit): a larger one in a URL names nothing, and SQLite would raise
# OverflowError on a foreign-key lookup (Django guards only lookups on the field itself), so 404 here.
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Access:
    agency: Agency
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def is_admin(self) -> bool:
        return self.membership.is_admin

    @property
    def can_edit_any(self) -> bool:
        return self.membership.can_edit

    def can_edit(self, unit_id: int | None) -> bool:
        return self.membership.can_edit_unit(unit_id)

    def require_admin(self) -> None:
        if not self.is_admin:
            raise PermissionDenied(_("ต้องเป็นผู้ดูแลหน่วยงาน"))

    def require_edit(self, unit_id: int | None = None, *, any_unit: bool = False) -> None:
        allowed = self.can_edit_any if any_unit else self.can_edit(unit_id)
        if not allowed:
            raise PermissionDenied(_("ไม่มีสิทธิ์แก้ไขรายการนี้"))


def agencies_for(user: User | AnonymousUser) -> QuerySet[Agency]:
    if not user.is_authenticated:
        return Agency.objects.none()
    return Agency.objects.filter(memberships__user=user).distinct()


def access_for(user: User | AnonymousUser, agency_id: int) -> Access:
    """A member's access; a member of an office that oversees the agency reads it as oversight does."""
    if not user.is_authenticated or not 0 < agency_id <= MAX_ID:
        raise Http404
    membership = Membership.objects.select_related("agency", "unit").filter(user=user, agency_id=agency_id).first()
    if membership is None:
        membership = _office_reader(user, agency_id)
    if membership is None:
        raise Http404
    return Access(membership.agency, membership)


def admin_access_for(user: User | AnonymousUser, agency_id: int) -> Access:
    """The access of a page or action that is the agency admin's alone: 404 for outsiders, 403 for its other
    members."""
    access = access_for(user, agency_id)
    access.require_admin()
    return access


def _office_reader(user: User, agency_id: int) -> Membership | None:
    """An unsaved oversight membership for a member of an office the agency is in (Office.agencies): the
    office opens the agency's pages and changes nothing, since an oversight role may not edit."""
    agency = Agency.objects.filter(pk=agency_id, offices__memberships__user=user).first()
    if agency is None:
        return None
    return Membership(user=user, agency=agency, role=Role.OVERSIGHT)


def assessment_for(access: Access, fiscal_year: int) -> Assessment:
    assessment = Assessment.objects.filter(agency=access.agency, fiscal_year=fiscal_year).first()
    if assessment is None:
        raise Http404
    return assessment


def entry_for(access: Access, fiscal_year: int, code: str) -> RegisterEntry:
    """The register's entry for one OIT item of the agency's year; its code in any case (o5 is O5)."""
    register = assessment_for(access, fiscal_year).register.select_related("unit", "assessment")
    entry = register.filter(item_code=code.upper()).first()
    if entry is None:
        raise Http404
    return entry


@dataclass(frozen=True)
class OfficeAccess:
    """A member of an oversight office: viewers read the dashboard, admins also import results."""

    office: Office
    membership: OfficeMembership

    @property
    def is_admin(self) -> bool:
        return self.membership.is_admin

    def require_admin(self) -> None:
        if not self.is_admin:
            raise PermissionDenied(_("ต้องเป็นผู้ดูแลสำนักงาน"))


def offices_for(user: User | AnonymousUser) -> QuerySet[Office]:
    if not user.is_authenticated:
        return Office.objects.none()
    return Office.objects.filter(memberships__user=user).distinct()


def office_access_for(user: User | AnonymousUser, office_id: int) -> OfficeAccess:
    """Like agencies: whoever is not a member of the office gets 404."""
    if not user.is_authenticated or not 0 < office_id <= MAX_ID:
        raise Http404
    membership = OfficeMembership.objects.select_related("office").filter(user=user, office_id=office_id).first()
    if membership is None:
        raise Http404
    return OfficeAccess(membership.office, membership)


__all__ = [
    "Access",
    "OfficeAccess",
    "Role",
    "access_for",
    "admin_access_for",
    "agencies_for",
    "assessment_for",
    "entry_for",
    "office_access_for",
    "offices_for",
]
