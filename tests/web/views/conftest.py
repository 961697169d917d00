"""What the kit's browser tests share: an agency admin (somsri) of a FY2569 assessment, signed in through the
login page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from prongsai.web import services
from prongsai.web.models import Agency, Assessment, Membership, Role, Unit

from .kit_people import PASSWORD, YEAR


@pytest.fixture
def officer(transactional_db: Any) -> Assessment:
    agency = Agency.objects.create(name="องค์การบริหารส่วนตำบลทรงคนอง", district="สามพราน", province="นครปฐม")
    unit = Unit.objects.create(agency=agency, name="สำนักปลัด", code="office")
    user = User.objects.create_user("somsri", "somsri@example.org", PASSWORD)
    Membership.objects.create(user=user, agency=agency, role=Role.ADMIN, unit=unit)
    return services.assessment_create(user, agency, YEAR)
