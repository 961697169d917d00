"""Django's admin, for the site administrator: agencies, units, memberships and invitations.

Agency staff work in the app itself; the admin is where a new agency and its first admin are set up."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    Agency,
    ApiToken,
    Assessment,
    AuditEntry,
    Invitation,
    Membership,
    Office,
    OfficeMembership,
    ResultImport,
    Unit,
)


class UnitInline(admin.TabularInline[Unit, Agency]):
    model = Unit
    extra = 0


class MembershipInline(admin.TabularInline[Membership, Agency]):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "kind", "district", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "district", "province"]
    inlines = [UnitInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "agency", "role", "unit"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "agency"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["email", "agency", "role", "created", "accepted_at"]
    readonly_fields = ["token"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin[Assessment]):
    list_display = ["agency", "fiscal_year", "source", "updated"]
    list_filter = ["fiscal_year"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are made on the site's token page (shown once there); the admin lists and revokes them only."""

    list_display = ["user", "name", "created", "expires", "last_used"]
    readonly_fields = ["user", "name", "digest", "created", "expires", "last_used"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ["at", "agency", "user", "action", "model", "object_repr"]
    list_filter = ["action", "model"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # the history is evidence: nobody edits it

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class OfficeMembershipInline(admin.TabularInline[OfficeMembership, Office]):
    model = OfficeMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin[Office]):
    list_display = ["name", "level", "province", "district"]
    list_filter = ["level"]
    search_fields = ["name", "province", "district"]
    filter_horizontal = ["agencies"]
    inlines = [OfficeMembershipInline]


@admin.register(ResultImport)
class ResultImportAdmin(admin.ModelAdmin[ResultImport]):
    list_display = ["created", "office", "filename", "rows", "imported_by"]
    list_filter = ["office"]
    readonly_fields = ["office", "filename", "rows", "years", "imported_by", "job", "created"]
