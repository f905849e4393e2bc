"""Projects, proposals and individual improvements point at their own office's policies and
initiative areas (core 0007 made the copies), matched by number. Rows of an office without a
copy keep the template's. Historical rows are left as they were: they show the same text."""

from django.db import migrations


class _Lookup:
    """Policy or area ids by (office id, number); office id None is the city's template."""

    def __init__(self, apps, model_name):
        rows = apps.get_model("core", model_name).objects.values_list("id", "office_id", "number")
        self.number_of = {pk: number for pk, _, number in rows}
        self.by_key = {(office_id, number): pk for pk, office_id, number in rows}

    def target(self, pk, office_id):
        return self.by_key.get((office_id, self.number_of.get(pk)), pk)


def _repoint(apps, *, to_template):
    policies = _Lookup(apps, "Policy")
    areas = _Lookup(apps, "InitiativeArea")
    for model_name, office_path, has_area in (
        ("Project", "plan__office_id", True),
        ("Proposal", "plan__office_id", True),
        ("Improvement", "section__department__office_id", False),
    ):
        Model = apps.get_model("plans", model_name)
        Through = Model.policies.through
        owner = f"{model_name.lower()}_id"
        office_of = dict(Model.objects.values_list("id", office_path))
        if to_template:
            office_of = dict.fromkeys(office_of)
        for link_pk, owner_pk, policy_id in Through.objects.values_list("pk", owner, "policy_id"):
            new = policies.target(policy_id, office_of.get(owner_pk))
            if new != policy_id:
                Through.objects.filter(pk=link_pk).update(policy_id=new)
        if has_area:
            for pk, area_id in Model.objects.values_list("id", "initiative_area_id"):
                new = areas.target(area_id, office_of.get(pk))
                if new != area_id:
                    Model.objects.filter(pk=pk).update(initiative_area_id=new)


def forwards(apps, schema_editor):
    _repoint(apps, to_template=False)


def backwards(apps, schema_editor):
    _repoint(apps, to_template=True)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0009_remove_indicator_survey_question"),
        ("core", "0007_office_guideline_copies"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
