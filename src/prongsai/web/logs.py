"""Logs that keep survey respondents anonymous (docs/security.md, "Survey anonymity").

A log line about the public survey form (/s/<slug>/) would carry its time — and in an access log its address
— which is enough to match a respondent to an answer. So such lines are not written at all: masking the
address would still leave the line's time, its place among other lines and journald's own timestamp. This
module has no Django import, so that deploy/gunicorn.conf.py can use it before Django is set up.
"""

from __future__ import annotations

import logging
import re

SURVEY_PREFIX = "/s/"  # urls.py: path("s/<str:slug>/", survey_answer)
# A survey path inside a message ("Bad Request: /s/Ab3_x/", '"POST /s/Ab3_x/ HTTP/1.1"'); not one inside
# another site's URL, which has a host before it.
_IN_MESSAGE = re.compile(r"(?:^|[\s\"'(:=])/s/[^/\s]+/?")


def is_survey_path(path: str) -> bool:
    return path.startswith(SURVEY_PREFIX)


class SurveyRequests(logging.Filter):
    """Drops every record about a request to the survey form: Django's own (django.request 4xx/5xx,
    django.security CSRF failures, runserver's django.server) and any other that names the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path_info", None) or getattr(request, "path", None)
        if isinstance(path, str) and is_survey_path(path):
            return False
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a record whose arguments do not fit its format: keep it as it is
            return True
        return _IN_MESSAGE.search(message) is None
