"""URLs: every agency page lives under /a/<agency>/ and every assessment page under /a/<agency>/<year>/."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import accounts
from .api import api
from .throttle import ThrottledLoginView
from .views import agency, assessment, documents, frameworks, jobs, oversight, people, plan, register, surveys, tokens

year = "a/<int:agency_id>/<int:year>/"

urlpatterns = [
    path("", agency.home, name="home"),
    path("login/", ThrottledLoginView.as_view(template_name="prongsai/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    *accounts.urlpatterns,
    path("i18n/", include("django.conf.urls.i18n")),
    path("invite/<str:token>/", agency.accept_invitation, name="accept_invitation"),
    path("tokens/", tokens.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("a/<int:agency_id>/", agency.agency, name="agency"),
    path("a/<int:agency_id>/new/", agency.assessment_new, name="assessment_new"),
    path("a/<int:agency_id>/followup/", agency.followup, name="followup"),
    path("a/<int:agency_id>/members/", people.members, name="members"),
    path("a/<int:agency_id>/members/<int:membership_id>/", people.member_edit, name="member_edit"),
    path("a/<int:agency_id>/members/<int:membership_id>/remove/", people.member_remove, name="member_remove"),
    path("a/<int:agency_id>/members/<int:membership_id>/password/", people.member_password, name="member_password"),
    path("a/<int:agency_id>/members/<int:membership_id>/mail/", people.member_reset_mail, name="member_reset_mail"),
    path("a/<int:agency_id>/units/", people.units, name="units"),
    path("a/<int:agency_id>/units/<int:unit_id>/", people.unit_edit, name="unit_edit"),
    path("a/<int:agency_id>/units/<int:unit_id>/remove/", people.unit_remove, name="unit_remove"),
    path("a/<int:agency_id>/profile/", people.profile, name="profile"),
    path("a/<int:agency_id>/jobs/", jobs.agency_jobs, name="agency_jobs"),
    path("jobs/<int:job_id>/", jobs.job_page, name="job"),
    path("jobs/<int:job_id>/status/", jobs.job_status, name="job_status"),
    path("jobs/<int:job_id>/cancel/", jobs.job_cancel, name="job_cancel"),
    path("jobs/<int:job_id>/file/", jobs.job_file, name="job_file"),
    path(year, assessment.analysis, name="analysis"),
    path(year + "results/", assessment.results_edit, name="results"),
    path(year + "results/import/", assessment.results_import, name="results_import"),
    path(year + "results/template.<str:fmt>", assessment.results_template, name="results_template"),
    path(year + "results/from-register/", assessment.results_from_register, name="results_from_register"),
    path(year + "rollover/", assessment.rollover, name="rollover"),
    path(year + "register/", register.register, name="register"),
    path(year + "register/export.<str:fmt>", register.register_export, name="register_export"),
    path(year + "register/check/", register.check_start, name="check_start"),
    path(year + "register/check/<int:run_id>/", register.check_status, name="check_status"),
    path(year + "register/<str:code>/", register.register_entry, name="register_entry"),
    path(year + "register/<str:code>/accept/", register.proposal_accept, name="proposal_accept"),
    path(year + "register/<str:code>/evidence/", register.register_evidence, name="register_evidence"),
    path("a/<int:agency_id>/evidence/<int:evidence_id>/", register.evidence_file, name="evidence_file"),
    path(year + "documents/<str:kind>.<str:fmt>", documents.document, name="document"),
    path(year + "documents/set/", jobs.document_set_start, name="document_set"),
    path(year + "templates/<str:kind>/", documents.template_upload, name="template_upload"),
    path(year + "templates/<str:kind>/reset/", documents.template_reset, name="template_reset"),
    path(year + "plan/", plan.plan, name="plan"),
    path(year + "plan/draft/", plan.plan_draft, name="plan_draft"),
    path(year + "plan/review/", plan.plan_review, name="plan_review"),
    path(year + "plan/signing/", plan.plan_signing, name="plan_signing"),
    path("a/<int:agency_id>/updates/<int:update_id>/file/", plan.update_file, name="update_file"),
    path(year + "plan/new/", plan.measure_edit, name="measure_new"),
    path(year + "plan/recommendation/<int:rec_id>/unit/", plan.recommendation_unit, name="recommendation_unit"),
    path(year + "plan/recommendation/<int:rec_id>/text/", plan.recommendation_text, name="recommendation_text"),
    path(year + "plan/<int:measure_id>/", plan.measure_edit, name="measure"),
    path(year + "plan/<int:measure_id>/updates/", plan.measure_update, name="measure_update"),
    path(year + "surveys/", surveys.survey_list, name="surveys"),
    path(year + "surveys/<str:tool>/", surveys.survey_detail, name="survey_detail"),
    path(year + "surveys/<str:tool>/toggle/", surveys.survey_toggle, name="survey_toggle"),
    path(year + "surveys/<str:tool>/tokens/", surveys.survey_tokens, name="survey_tokens"),
    path(year + "surveys/<str:tool>/poster.pdf", surveys.survey_poster, name="survey_poster"),
    path(year + "surveys/<str:tool>/answers.<str:fmt>", surveys.survey_export, name="survey_export"),
    path("s/<str:slug>/", surveys.survey_answer, name="survey_answer"),
    path("o/<int:office_id>/", oversight.dashboard, name="oversight"),
    path("o/<int:office_id>/import/", oversight.import_page, name="oversight_import"),
    path("o/<int:office_id>/export/<str:table>.xlsx", oversight.export, name="oversight_export"),
    path("years/<int:year>/changes/", frameworks.year_changes, name="year_changes"),
    path("frameworks/", frameworks.framework_upload, name="framework_upload"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
