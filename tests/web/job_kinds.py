"""Job kinds for the tests only: a worker started by the tests imports this module with ``-I``."""

from __future__ import annotations

import os
import time
from typing import Any

from prongsai.errors import InputError
from prongsai.web import jobs


@jobs.register("test_steps")
def steps(
    context: jobs.JobContext, *, steps: int, pause: float = 0.0, die_at: int = -1, hold_at: int = -1, gate: str = ""
) -> dict[str, Any]:
    """Counts to ``steps``, pausing between steps; on its first attempt it kills its own process at step
    ``die_at`` (as the OOM killer or an operator would), to prove a lost worker loses no job.

    On its first attempt it also holds at step ``hold_at`` until the file ``gate`` exists (for ever without
    one), so a test can act on a running job however slowly the machine polls, instead of racing the count."""
    from prongsai.web.models import Job

    attempt = Job.objects.values_list("attempts", flat=True).get(pk=context.job_id)
    for step in range(steps):
        if step == die_at and attempt == 1:
            os.kill(os.getpid(), 9)
        context.progress(step, steps, f"step {step}", force=True)
        while step == hold_at and attempt == 1 and not (gate and os.path.exists(gate)):
            if context.cancelled:  # the heartbeat thread saw the cancel flag: stop at the next progress call
                break
            time.sleep(0.05)  # the heartbeat thread keeps beating meanwhile, as in a long real step
        time.sleep(pause)
    return {"counted": steps, "attempt": attempt, "pid": os.getpid()}


@jobs.register("test_always_dies")
def always_dies(context: jobs.JobContext) -> None:
    os.kill(os.getpid(), 9)


BOMB_STEP = "อ่าน https://agency.example/bomb.pdf"


@jobs.register("test_killed_by_a_file")
def killed_by_a_file(context: jobs.JobContext) -> None:
    """Reads a file that kills its process every time (as a PDF bomb did before readers were bounded)."""
    context.progress(0, 1, BOMB_STEP, force=True)
    os.kill(os.getpid(), 9)


@jobs.register("test_bad_input")
def bad_input(context: jobs.JobContext) -> None:
    raise InputError("x.csv", "ใส่ตัวเลข (enter a number)", row=3, field="total")


@jobs.register("test_bug")
def bug(context: jobs.JobContext) -> None:
    raise ZeroDivisionError("division by zero")
