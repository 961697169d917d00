"""Background jobs: long work (site checks, document batches, imports, scoring many agencies) with progress.

A Job row is the truth about a piece of work, whoever runs it: a thread of the web process (the embedded
default) or a Celery worker. Progress, cancellation and the heartbeat go through this row, so the page that
watches a job never needs to know where it runs, and a job whose worker died can be found and retried.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agencies import Agency


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("รอคิว")
        RUNNING = "running", _("กำลังทำ")
        DONE = "done", _("เสร็จแล้ว")
        FAILED = "failed", _("ไม่สำเร็จ")
        CANCELLED = "cancelled", _("ยกเลิกแล้ว")

    FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(max_length=40)  # a name registered in prongsai.web.jobs
    params = models.JSONField(default=dict, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs")
    # An oversight office's job (an import of many agencies' results): seen by the office's members.
    office = models.ForeignKey("Office", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs")
    title = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    runner = models.CharField(max_length=20, blank=True)  # "thread" or "celery"
    worker = models.CharField(max_length=200, blank=True)  # host:pid of the process running it
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "heartbeat"], name="job_status_heartbeat")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
