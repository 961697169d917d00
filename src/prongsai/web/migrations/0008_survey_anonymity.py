from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("prongsai", "0007_plan_signing"),
    ]

    operations: list[migrations.operations.base.Operation] = []
