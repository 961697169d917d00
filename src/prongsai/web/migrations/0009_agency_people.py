"""Units: a code may be Thai (กองคลัง), and a unit names the drafting rules' unit it stands for (``role``).
A unit whose code was one of the rules' codes (office, finance …) already stood for it: it keeps that role."""

from typing import Any

from django.db import migrations, models

import prongsai.web.models.agencies


def roles_from_codes(apps: Any, schema_editor: Any) -> None:
    from prongsai.drafting import load_rules

    unit_model = apps.get_model("prongsai", "Unit")
    for code in (u.code for u in load_rules().units):
        unit_model.objects.filter(code=code, role="").update(role=code)


class Migration(migrations.Migration):
    dependencies = [
        ("prongsai", "0008_survey_anonymity"),
    ]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddField(
            model_name="unit",
            name="role",
            field=models.CharField(blank=True, default="", max_length=40, verbose_name="หน้าที่ตามกฎการร่างแผน"),
        ),
        migrations.AlterField(
            model_name="unit",
            name="code",
            field=models.CharField(
                max_length=40,
                validators=[prongsai.web.models.agencies.validate_unit_code],
                verbose_name="รหัส",
            ),
        ),
        migrations.RunPython(roles_from_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role", ""), _negated=True),
                fields=("agency", "role"),
                name="unit_role_unique_per_agency",
            ),
        ),
        # API tokens: named, with an expiry (issue 17, item 2)
        migrations.AlterModelOptions(name="apitoken", options={"ordering": ["-created"]}),
        migrations.AddField(
            model_name="apitoken",
            name="expires",
            field=models.DateTimeField(blank=True, null=True, verbose_name="หมดอายุ"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="name",
            field=models.CharField(max_length=100, verbose_name="ชื่อโทเค็น"),
        ),
        # a progress update's evidence file keeps the name it was given (issue 17, item 3)
        migrations.AddField(
            model_name="measureupdate",
            name="file_name",
            field=models.CharField(blank=True, max_length=200),
        ),
    ]
