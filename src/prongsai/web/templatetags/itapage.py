"""The register's box for the agency's ITA page: ``{% ita_box %}`` shows the snippet to copy, its downloads and
the public page's address (prongsai/web/views/itapage.py), for those who may change the register."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from prongsai.itapage import snippet_html

from ..views.itapage import page_for

register = template.Library()


@register.inclusion_tag("prongsai/_ita_box.html", takes_context=True)
def ita_box(context: template.Context) -> dict[str, Any]:
    assessment = context["assessment"]
    page = page_for(assessment)
    public = reverse("ita_page", args=[assessment.agency_id, assessment.fiscal_year])
    request = context.get("request")
    return {
        "agency": context["agency"],
        "assessment": assessment,
        "snippet": snippet_html(page),
        "published": sum(not item.missing for item in page.items),
        "total": len(page.items),
        "public_url": request.build_absolute_uri(public) if request is not None else public,
    }
