from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "prongsai.web"
    label = "prongsai"
    verbose_name = "prongsai"

    def ready(self) -> None:
        # Every process that runs Django (web, Celery workers, the command line) watches its writes, so that
        # the cached pages of all of them go stale together (pagecache.py).
        from django.conf import settings

        from . import pagecache

        if settings.PAGE_CACHE != "off":
            pagecache.watch_writes()
