"""Start the web app on the embedded default: migrate, check the frameworks, load the demo, serve.

Waitress is a real, pure-Python WSGI server: the same command works on a district office's laptop
(Linux or Windows). A scaled-out setup runs gunicorn on PostgreSQL instead (docs/configuration.md).
"""

from __future__ import annotations

import os

import django


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.web.settings")
    django.setup()


def prepare(*, demo: bool = True) -> list[str]:
    """Migrate and load what the app needs; returns lines to tell the user."""
    setup()
    from django.core.management import call_command

    from prongsai.frameworks import load_all

    call_command("migrate", interactive=False, verbosity=0)
    lines = [f"กรอบการประเมิน: ปีงบประมาณ {', '.join(str(f.fiscal_year) for f in load_all())}"]
    if demo:
        from prongsai.web.demo import DEMO_USERNAME, demo_exists, load_demo

        password = os.environ.get("PRONGSAI_DEMO_PASSWORD", "prongsai-demo")
        if not demo_exists():
            load_demo(password)
            lines.append(f"สร้างหน่วยงานตัวอย่าง อบต.ทรงคนอง แล้ว: เข้าสู่ระบบด้วย {DEMO_USERNAME} / {password}")
        else:
            lines.append(f"หน่วยงานตัวอย่างมีอยู่แล้ว: เข้าสู่ระบบด้วย {DEMO_USERNAME}")
    return lines


def serve(host: str, port: int, threads: int = 8) -> None:
    from waitress import serve as waitress_serve

    from prongsai.web.wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads, ident="prongsai")
