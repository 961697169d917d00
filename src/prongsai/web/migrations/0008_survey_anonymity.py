"""Survey anonymity (docs/security.md): no week on a response, a pool per survey for answers not yet written
with the others, and the answers already stored written again in random order (their rows kept the order in
which they came)."""

import secrets
import uuid
from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def _rewrite_in_random_order(apps: Any, schema_editor: Any) -> None:
    response = apps.get_model("prongsai", "SurveyResponse")
    for survey_id in response.objects.values_list("survey_id", flat=True).distinct():
        rows = response.objects.filter(survey_id=survey_id)
        answers = list(rows.values_list("answers", flat=True))
        secrets.SystemRandom().shuffle(answers)
        rows.delete()
        response.objects.bulk_create(
            [response(id=uuid.uuid4(), survey_id=survey_id, answers=a) for a in answers], batch_size=500
        )


class Migration(migrations.Migration):
    dependencies = [
        ("prongsai", "0007_plan_signing"),
    ]

    operations: list[migrations.operations.base.Operation] = [
        migrations.CreateModel(
            name="SurveyPool",
            fields=[
                (
                    "survey",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="pool",
                        serialize=False,
                        to="prongsai.survey",
                    ),
                ),
                ("answers", models.JSONField(default=list)),
            ],
        ),
        migrations.RemoveField(
            model_name="surveyresponse",
            name="week",
        ),
        migrations.RunPython(_rewrite_in_random_order, migrations.RunPython.noop),
    ]
