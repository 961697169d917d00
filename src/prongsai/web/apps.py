from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "prongsai.web"
    label = "prongsai"
    verbose_name = "prongsai"
