"""Courses point at their own office's policies (core 0007 made the copies), by number."""

from django.db import migrations


def _repoint(apps, *, to_template):
    Policy = apps.get_model("core", "Policy")
    rows = Policy.objects.values_list("id", "office_id", "number")
    number_of = {pk: number for pk, _, number in rows}
    by_key = {(office_id, number): pk for pk, office_id, number in rows}
    Course = apps.get_model("training", "Course")
    Through = Course.policies.through
    office_of = dict(Course.objects.values_list("id", "office_id"))
    for link_pk, course_id, policy_id in Through.objects.values_list(
        "pk", "course_id", "policy_id"
    ):
        office_id = None if to_template else office_of.get(course_id)
        new = by_key.get((office_id, number_of.get(policy_id)), policy_id)
        if new != policy_id:
            Through.objects.filter(pk=link_pk).update(policy_id=new)


def forwards(apps, schema_editor):
    _repoint(apps, to_template=False)


def backwards(apps, schema_editor):
    _repoint(apps, to_template=True)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_calendar_feed"),
        ("core", "0007_office_guideline_copies"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
