"""Home, the agency dashboard, follow-up and accepting an invitation (members and units: views/people.py)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prongsai.errors import FrameworkError
from prongsai.frameworks import available_years, current_fiscal_year
from prongsai.thai import fiscal_year_of, half_year_period

from .. import services
from ..access import access_for, admin_access_for, agencies_for, offices_for
from ..forms import AcceptInvitationForm
from ..http import SignedInRequest
from ..i18n import core_message
from ..models import Assessment, Invitation, Measure, MeasureStatus, Membership, RegisterEntry, RegisterStatus
from ..pagecache import cached_page
from ..services import first_steps


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    agencies = list(agencies_for(request.user))
    offices = list(offices_for(request.user))
    if len(agencies) == 1 and not offices:
        return redirect("agency", agency_id=agencies[0].pk)
    return render(request, "prongsai/home.html", {"agencies": agencies, "offices": offices})


def _due(agency_id: int, today: dt.date) -> dict[str, object]:
    month_end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    open_measures = Measure.objects.filter(assessment__agency_id=agency_id).exclude(
        status__in=[MeasureStatus.DONE, MeasureStatus.CANCELLED]
    )
    open_entries = RegisterEntry.objects.filter(assessment__agency_id=agency_id, due_date__isnull=False).exclude(
        status=RegisterStatus.CHECKED
    )
    # One query each for measures and register items up to the month's end, split here into late and due.
    measures = list(
        open_measures.filter(period_end__lte=month_end)
        .order_by("period_end", "pk")
        .select_related("assessment")
        .prefetch_related("units")
    )
    entries = list(
        open_entries.filter(due_date__lte=month_end)
        .order_by("due_date", "pk")  # the framework's order within a day: entries are made O1 first
        .select_related("unit", "assessment")
    )
    return {
        "overdue_measures": [m for m in measures if m.period_end < today],
        "due_measures": [m for m in measures if m.period_end >= today],
        # due_date__isnull=False above: the None test only tells the type checker
        "overdue_entries": [e for e in entries if e.due_date is not None and e.due_date < today],
        "due_entries": [e for e in entries if e.due_date is not None and e.due_date >= today],
    }


@login_required
@cached_page
def agency(request: SignedInRequest, agency_id: int) -> HttpResponse:
    access = access_for(request.user, agency_id)
    today = timezone.localdate()
    year = fiscal_year_of(today)
    assessments = list(access.agency.assessments.prefetch_related("results"))
    # Counts in the database (one query each) rather than every register entry and measure as objects.
    ready = Q(status__in=[RegisterStatus.READY, RegisterStatus.CHECKED])
    register = {
        row["assessment"]: (row["total"], row["ready"])
        for row in RegisterEntry.objects.filter(assessment__agency=access.agency)
        .values("assessment")
        .annotate(total=Count("id"), ready=Count("id", filter=ready))
    }
    measures = {
        row["assessment"]: (row["total"], row["done"])
        for row in Measure.objects.filter(assessment__agency=access.agency)
        .values("assessment")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status=MeasureStatus.DONE)))
    }
    rows = []
    for assessment in assessments:
        results = assessment.to_results()
        register_total, register_ready = register.get(assessment.pk, (0, 0))
        measures_total, measures_done = measures.get(assessment.pk, (0, 0))
        rows.append(
            {
                "assessment": assessment,
                "score": results.score() if results else None,
                "register_ready": register_ready,
                "register_total": register_total,
                "measures": measures_total,
                "measures_done": measures_done,
            }
        )
    half_end = half_year_period(year)[1]
    steps_year = first_steps.steps_year(assessments, today)
    counts = first_steps.Counts(register=register, measures={pk: total for pk, (total, _) in measures.items()})
    steps = first_steps.first_steps(access.agency, assessments, counts, steps_year)
    context = {
        "steps": steps,
        "steps_year": steps_year,
        "steps_left": sum(1 for s in steps if not s.done),
        "access": access,
        "agency": access.agency,
        "rows": rows,
        "today": today,
        "fiscal_year": year,
        "half_year_end": half_end,
        "year_end": dt.date(half_end.year, 9, 30),
        # every year prongsai has (provisional ones too), newest first, the current fiscal year chosen
        "new_years": sorted(
            (y for y in available_years() if y not in {a.fiscal_year for a in assessments}), reverse=True
        ),
        "default_year": current_fiscal_year(today),
        **_due(agency_id, today),
    }
    return render(request, "prongsai/agency.html", context)


@login_required
@require_POST
def assessment_new(request: SignedInRequest, agency_id: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    try:
        year = int(request.POST.get("fiscal_year", ""))
        if Assessment.objects.filter(agency=access.agency, fiscal_year=year).exists():
            raise ValidationError(_("มีการประเมินปี %(year)s อยู่แล้ว") % {"year": year})
        services.assessment_create(request.user, access.agency, year)
    except (ValueError, FrameworkError, ValidationError) as exc:
        reason = _("เลือกปีงบประมาณจากรายการ") if isinstance(exc, ValueError) else core_message(exc)
        messages.error(request, _("สร้างการประเมินไม่ได้: %(reason)s") % {"reason": reason})
        return redirect("agency", agency_id=agency_id)
    return redirect("analysis", agency_id=agency_id, year=year)


@login_required
def followup(request: SignedInRequest, agency_id: int) -> HttpResponse:
    access = access_for(request.user, agency_id)
    today = timezone.localdate()
    year = int(request.GET.get("year") or fiscal_year_of(today))
    half_start, half_end = half_year_period(year)
    measures = Measure.objects.filter(assessment__agency=access.agency, assessment__fiscal_year=year)
    context = {
        "access": access,
        "agency": access.agency,
        "today": today,
        "fiscal_year": year,
        "half_start": half_start,
        "half_end": half_end,
        "half_measures": measures.filter(period_start__lte=half_end).prefetch_related("units", "updates"),
        "year_measures": measures.prefetch_related("units", "updates"),
        **_due(agency_id, today),
    }
    return render(request, "prongsai/followup.html", context)


@transaction.atomic
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation, token=token, accepted_at__isnull=True)
    form = AcceptInvitationForm(request.POST or None)
    if request.user.is_authenticated and request.method == "POST":
        user = request.user
    elif request.method == "POST" and form.is_valid():
        model = get_user_model()
        if model.objects.filter(username=form.cleaned_data["username"]).exists():
            form.add_error("username", _("ชื่อผู้ใช้นี้มีอยู่แล้ว"))
            return render(request, "prongsai/invitation.html", {"invitation": invitation, "form": form})
        user = model.objects.create_user(form.cleaned_data["username"], invitation.email, form.cleaned_data["password"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    else:
        return render(request, "prongsai/invitation.html", {"invitation": invitation, "form": form})
    Membership.objects.update_or_create(
        user=user, agency=invitation.agency, defaults={"role": invitation.role, "unit": invitation.unit}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return redirect("agency", agency_id=invitation.agency_id)
