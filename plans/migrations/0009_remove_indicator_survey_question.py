"""Drop the indicator's foreign key to feedback's questions (carried over to source_key and
source_ref by 0008): plans' models no longer reference feedback."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0008_indicator_source"),
    ]

    operations = [
        migrations.RemoveField(model_name="historicalindicator", name="survey_question"),
        migrations.RemoveField(model_name="indicator", name="survey_question"),
    ]
