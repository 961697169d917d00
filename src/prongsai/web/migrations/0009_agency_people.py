from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("prongsai", "0008_survey_anonymity"),
    ]

    operations: list[migrations.operations.base.Operation] = []
