"""Every existing office gets its own copy of the guideline: the rows loaded by 0002 stay as
the city's template (office NULL), and each office's copy keeps their numbers, codes, titles
and texts word for word. The apps repoint their references in their own migrations (plans
0010, training 0003), so that the floor's migrations name no app."""

from django.db import migrations
from django.utils import timezone

REASON = "市の指針（雛形）から区役所の指針として写した"


def _copy(apps, model_name, fields):
    Model = apps.get_model("core", model_name)
    Historical = apps.get_model("core", f"Historical{model_name}")
    Office = apps.get_model("accounts", "Office")
    templates = list(Model.objects.filter(office__isnull=True).order_by("number"))
    for office in Office.objects.order_by("id"):
        have = set(Model.objects.filter(office=office).values_list("number", flat=True))
        for template in templates:
            if template.number in have:
                continue
            row = Model.objects.create(
                office=office, **{name: getattr(template, name) for name in fields}
            )
            Historical.objects.create(
                id=row.id,
                office_id=office.id,
                history_date=timezone.now(),
                history_type="+",
                history_change_reason=REASON,
                **{name: getattr(row, name) for name in fields},
            )


def copy(apps, schema_editor):
    _copy(apps, "Policy", ["number", "title", "description"])
    _copy(apps, "InitiativeArea", ["code", "number", "scope", "title", "description"])


class Migration(migrations.Migration):
    dependencies = [("core", "0006_guideline_per_office")]
    # Backwards: the apps' migrations point their rows back at the template first; the copies
    # themselves are then left in place (unapplying 0006 would fail on them, as it should).
    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
