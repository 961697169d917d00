"""Who may see and change what. Every view and API call goes through ``access_for``.

An outsider gets 404 (the agency's existence is not confirmed to them); a member without the right
gets 403. Oversight users and viewers read; editors change what their unit is responsible for;
admins change everything in their agency.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Agency, Assessment, Membership, Office, OfficeMembership, Role


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
            raise PermissionDenied("ต้องเป็นผู้ดูแลหน่วยงาน (agency admin only)")

    def require_edit(self, unit_id: int | None = None, *, any_unit: bool = False) -> None:
        allowed = self.can_edit_any if any_unit else self.can_edit(unit_id)
        if not allowed:
            raise PermissionDenied("ไม่มีสิทธิ์แก้ไขรายการนี้ (not allowed to change this)")


def agencies_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Agency]:
    if not user.is_authenticated:
        return Agency.objects.none()
    return Agency.objects.filter(memberships__user=user).distinct()


def access_for(user: AbstractBaseUser | AnonymousUser, agency_id: int) -> Access:
    if not user.is_authenticated:
        raise Http404
    membership = Membership.objects.select_related("agency", "unit").filter(user=user, agency_id=agency_id).first()
    if membership is None:
        raise Http404
    return Access(membership.agency, membership)


def assessment_for(access: Access, fiscal_year: int) -> Assessment:
    assessment = Assessment.objects.filter(agency=access.agency, fiscal_year=fiscal_year).first()
    if assessment is None:
        raise Http404
    return assessment


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
            raise PermissionDenied("ต้องเป็นผู้ดูแลสำนักงาน (office admin only)")


def offices_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Office]:
    if not user.is_authenticated:
        return Office.objects.none()
    return Office.objects.filter(memberships__user=user).distinct()


def office_access_for(user: AbstractBaseUser | AnonymousUser, office_id: int) -> OfficeAccess:
    """Like agencies: whoever is not a member of the office gets 404."""
    if not user.is_authenticated:
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
    "agencies_for",
    "assessment_for",
    "office_access_for",
    "offices_for",
]
