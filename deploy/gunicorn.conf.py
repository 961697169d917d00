"""gunicorn's configuration for prongsai in production (docs/deployment.md):

    gunicorn -c deploy/gunicorn.conf.py

with the environment of /etc/prongsai/prongsai.env (docs/configuration.md). Sync workers behind nginx, which
buffers slow clients; cores + 1 of them (the pages are CPU work: with 2 × cores + 1, as for
I/O-bound apps, requests queued behind each other on a busy machine); the app is loaded once in the master (a broken setting stops
gunicorn at once, with its one-line message) and workers are renewed now and then to give memory back.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.glogging import Logger

from prongsai.web.logs import SurveyRequests, is_survey_path


def _int(name: str, default: int, minimum: int = 1) -> int:
    value = os.environ.get(name, "")
    if not value:
        return default
    if not value.isdigit() or int(value) < minimum:
        raise SystemExit(
            f"{name} ต้องเป็นจำนวนเต็มไม่น้อยกว่า {minimum} ไม่ใช่ {value!r} "
            f"({name} must be a whole number of at least {minimum}, e.g. {name}={default})"
        )
    return int(value)


wsgi_app = "prongsai.web.wsgi:application"
bind = [part.strip() for part in os.environ.get("PRONGSAI_WEB_BIND", "127.0.0.1:8000").split(",") if part.strip()]
workers = _int("PRONGSAI_WEB_WORKERS", (os.cpu_count() or 1) + 1)
threads = _int("PRONGSAI_WEB_THREADS", 1)  # more than 1: gunicorn's gthread workers
timeout = _int("PRONGSAI_WEB_TIMEOUT", 60)  # a request taking longer is killed (documents take a few seconds)
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # renew a worker after this many requests (PDF rendering and big imports leave memory behind)
max_requests_jitter = 200
preload_app = True
forwarded_allow_ips = "127.0.0.1,::1"  # nginx on this machine may say the request came over HTTPS

_access = os.environ.get("PRONGSAI_WEB_ACCESS_LOG", "-")
accesslog = None if _access.lower() in ("", "off", "none") else _access  # "-": stdout, to journald
errorlog = "-"
loglevel = os.environ.get("PRONGSAI_LOG_LEVEL", "warning").lower()
# Who, what, status, size, and how long it took (%(M)s: milliseconds), with the proxy's client address.
access_log_format = '%({x-real-ip}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


class AnonymousSurveyLogger(Logger):
    """gunicorn's logger, silent about the public survey form (/s/…): no access line, no error line, since
    either carries the time (and the access line the address) of an answer (docs/security.md)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.error_log.addFilter(SurveyRequests())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if is_survey_path(str(environ.get("PATH_INFO", ""))):
            return
        super().access(resp, req, environ, request_time)


logger_class = AnonymousSurveyLogger
proc_name = "prongsai"


def post_worker_init(worker: object) -> None:
    """Each worker reaps lost jobs (prongsai.web.jobs.start_reaper): in-process jobs live in the workers, and a
    worker killed mid-job (its timeout, the OOM killer) leaves its jobs "running" until another reaps them."""
    from prongsai.web import jobs

    jobs.start_reaper()


def when_ready(server: object) -> None:
    """In the master, before the workers fork: import every view (≈1 s: matplotlib, the checker, documents),
    read the frameworks and compile the templates, so that no worker's first request pays for it (a worker
    is renewed every ~2,000 requests). The database is not touched."""
    if not preload_app:
        return
    import gc

    from prongsai.web.server import warm

    warm()
    # What the master holds now (≈190,000 objects: Django, NumPy, matplotlib, the frameworks) lives as long as
    # the workers: out of the garbage collector's sight, a full collection in a worker takes milliseconds
    # instead of 0.1–1 s in the middle of a request, and the shared memory pages stay shared.
    gc.freeze()
