"""Indicators name their source of actual values through the floor's registry of indicator
sources (source_key + source_ref, as text) instead of a foreign key to feedback's questions:
every survey-linked indicator (and its history) is carried over as source "survey_satisfaction"
with the question's id; values filled automatically are marked "automatic". The foreign key is
dropped by the next migration, so plans' models no longer reference feedback."""

from django.db import migrations, models

SURVEY_SOURCE = "survey_satisfaction"


def carry_over(apps, schema_editor):
    for name in ("Indicator", "HistoricalIndicator"):
        model = apps.get_model("plans", name)
        rows = model.objects.filter(survey_question_id__isnull=False)
        for pk, question_id in rows.values_list("pk", "survey_question_id"):
            model.objects.filter(pk=pk).update(
                source_key=SURVEY_SOURCE, source_ref=str(question_id)
            )
    for name in ("IndicatorValue", "HistoricalIndicatorValue"):
        apps.get_model("plans", name).objects.filter(source="survey").update(source="automatic")


def carry_back(apps, schema_editor):
    Question = apps.get_model("feedback", "Question")
    existing = set(Question.objects.values_list("pk", flat=True))
    for name in ("Indicator", "HistoricalIndicator"):
        model = apps.get_model("plans", name)
        rows = model.objects.filter(source_key=SURVEY_SOURCE)
        for pk, ref in rows.values_list("pk", "source_ref"):
            if ref.isdigit() and int(ref) in existing:
                model.objects.filter(pk=pk).update(survey_question_id=int(ref))
    for name in ("IndicatorValue", "HistoricalIndicatorValue"):
        apps.get_model("plans", name).objects.filter(source="automatic").update(source="survey")


SOURCE_CHOICES = [("manual", "入力"), ("automatic", "記録から自動")]


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0007_project_starts_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalindicator",
            name="source_key",
            field=models.CharField(
                blank=True, default="", max_length=60, verbose_name="実績値の取得元"
            ),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="source_ref",
            field=models.CharField(
                blank=True, default="", max_length=100, verbose_name="取得元の対象"
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="source_key",
            field=models.CharField(
                blank=True, default="", max_length=60, verbose_name="実績値の取得元"
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="source_ref",
            field=models.CharField(
                blank=True, default="", max_length=100, verbose_name="取得元の対象"
            ),
        ),
        migrations.AlterField(
            model_name="historicalindicatorvalue",
            name="source",
            field=models.CharField(
                choices=SOURCE_CHOICES, default="manual", max_length=20, verbose_name="入力元"
            ),
        ),
        migrations.AlterField(
            model_name="indicatorvalue",
            name="source",
            field=models.CharField(
                choices=SOURCE_CHOICES, default="manual", max_length=20, verbose_name="入力元"
            ),
        ),
        migrations.RunPython(carry_over, carry_back),
    ]
