"""The agency's ITA page (prongsai.itapage): public and read-only per agency and year, and as HTML for editors to
paste into or upload to the agency's own website.

The public page needs no login: it shows what the agency publishes anyway (its name, every item of the year and
the links the register holds as published), nothing about who does what. Agencies are named by their number in
prongsai, as every other page names them.
"""

from __future__ import annotations

import base64
import hashlib

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from prongsai.errors import FrameworkError
from prongsai.itapage import PAGE_STYLE, ItaPage, is_web_link, ita_page, page_html, snippet_html

from ..access import MAX_ID, access_for, assessment_for
from ..models import Assessment, RegisterAnswer, RegisterStatus

__all__ = ["page_for", "public_page", "published_links", "snippet_download"]

# The page's own <style>, allowed by its hash: the app's policy (style-src 'self') stays as strict as elsewhere.
STYLE_SOURCE = f"'sha256-{base64.b64encode(hashlib.sha256(PAGE_STYLE.encode()).digest()).decode()}'"
MAX_AGE = 300  # seconds a browser or proxy may keep the public page before asking again (an ETag answers cheaply)
YEARS = range(2500, 2701)  # the fiscal years a framework may have (prongsai.framework.Framework.fiscal_year)
PARTS = {"snippet": "ita-snippet", "page": "ita-page"}


def published_links(assessment: Assessment) -> dict[str, list[str]]:
    """The links the register holds as published: items answered มี, not carried from last year and still to be
    checked (``to_check``: last year's link may no longer be right), and web (http/https) addresses only."""
    return {
        entry.item_code: [url for url in entry.url_list() if is_web_link(url)]
        for entry in assessment.register.all()
        if entry.answer == RegisterAnswer.YES and entry.status != RegisterStatus.TO_CHECK
    }


def page_for(assessment: Assessment) -> ItaPage:
    return ita_page(assessment.framework, published_links(assessment), agency_name=assessment.agency.name)


@require_safe
@csp_update({"style-src": [STYLE_SOURCE]})  # type: ignore[arg-type]  # its types know views of the request alone
def public_page(request: HttpRequest, agency_id: int, year: int) -> HttpResponseBase:
    """The page of an agency's year, for anyone: 404 for an agency or a year prongsai does not hold."""
    if not 0 < agency_id <= MAX_ID or year not in YEARS:
        raise Http404
    assessment = Assessment.objects.select_related("agency").filter(agency_id=agency_id, fiscal_year=year).first()
    if assessment is None:
        raise Http404
    try:
        html = page_html(page_for(assessment))
    except FrameworkError as exc:  # a year whose framework is gone: nothing to show against
        raise Http404 from exc
    etag = f'"{hashlib.sha256(html.encode()).hexdigest()[:32]}"'
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(request, etag=etag, response=response) or response


@login_required
def snippet_download(request: HttpRequest, agency_id: int, year: int, part: str) -> HttpResponse:
    """For the agency's editors: the snippet to paste (``snippet``) or the whole page to upload (``page``)."""
    if part not in PARTS:
        raise Http404
    access = access_for(request.user, agency_id)
    access.require_edit(any_unit=True)
    page = page_for(assessment_for(access, year))
    body = snippet_html(page) if part == "snippet" else page_html(page)
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{PARTS[part]}-{year}.html"'
    return response
