"""The migration that makes the guideline per office (core 0006–0007, plans 0010, training
0003): every existing office gets its copy, Takatsu's texts stay word for word, and projects,
proposals, improvements and courses point at their own office's rows."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("core", "0005_import_job"),
    ("plans", "0009_remove_indicator_survey_question"),
    ("training", "0002_calendar_feed"),
    # The office settings (accounts 0004) came with the same change: an office of the old
    # state has none of their columns.
    ("accounts", "0003_office_name_translations"),
]
LOADED = import_module("takatsu_portal.core.migrations.0002_guideline_master_data")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest():
    """Every app's latest migration, migrated to again when the test ends whatever its outcome:
    a database left at an old state would fail every later test of the same worker."""
    nodes = MigrationExecutor(connection).loader.graph.leaf_nodes()
    yield nodes
    _migrate(nodes)


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_office_its_copy_and_repoints_their_records(master_data, latest):
    old = _migrate(BEFORE)
    Policy, Area = old.get_model("core", "Policy"), old.get_model("core", "InitiativeArea")
    Office = old.get_model("accounts", "Office")
    Department = old.get_model("accounts", "Department")
    Section = old.get_model("accounts", "Section")
    User = old.get_model("accounts", "User")
    takatsu = Office.objects.create(code="takatsu", name="高津区役所")
    miyamae = Office.objects.create(code="miyamae", name="宮前区役所", sort_order=50)
    sections = {
        office.code: Section.objects.create(
            department=Department.objects.create(office=office, name="区民部"), name="区民課"
        )
        for office in (takatsu, miyamae)
    }
    person = User.objects.create(username="someone", section=sections["miyamae"])
    Plan = old.get_model("plans", "AnnualPlan")
    Project, Proposal = old.get_model("plans", "Project"), old.get_model("plans", "Proposal")
    Improvement, Course = old.get_model("plans", "Improvement"), old.get_model("training", "Course")
    made = {}
    for office in (takatsu, miyamae):
        plan = Plan.objects.create(office=office, fiscal_year=2026, title="計画")
        project = Project.objects.create(
            plan=plan,
            code="R8-01",
            title="事業",
            initiative_area=Area.objects.get(number=3),
            section=sections[office.code],
            budget_requested=0,
        )
        project.policies.set([Policy.objects.get(number=2), Policy.objects.get(number=4)])
        proposal = Proposal.objects.create(
            plan=plan,
            title="提案",
            description="内容",
            initiative_area=Area.objects.get(number=1),
            section=sections[office.code],
            budget_estimate=0,
            proposer=person,
        )
        proposal.policies.set([Policy.objects.get(number=5)])
        course = Course.objects.create(
            office=office,
            title="接遇研修",
            category="service",
            objectives="基本",
            hours=1,
            organiser=person,
        )
        course.policies.set([Policy.objects.get(number=2)])
        made[office.code] = (project.pk, proposal.pk, course.pk)
    improvement = Improvement.objects.create(
        author=person,
        section=sections["miyamae"],
        title="改善",
        recorded_on="2026-06-01",
        problem="課題",
        change="内容",
        effect="効果",
    )
    improvement.policies.set([Policy.objects.get(number=1)])

    _migrate(latest)

    Policy, Area = apps.get_model("core", "Policy"), apps.get_model("core", "InitiativeArea")
    # The city's template and Takatsu's copy hold exactly what migration 0002 loaded.
    for office_id in (None, takatsu.pk, miyamae.pk):
        assert [
            (p.number, p.title, p.description) for p in Policy.objects.filter(office_id=office_id)
        ] == LOADED.POLICIES
        assert [
            (a.number, a.code, a.scope, a.title, a.description)
            for a in Area.objects.filter(office_id=office_id)
        ] == LOADED.INITIATIVE_AREAS
    Project, Proposal = apps.get_model("plans", "Project"), apps.get_model("plans", "Proposal")
    Course = apps.get_model("training", "Course")
    for office in (takatsu, miyamae):
        project_pk, proposal_pk, course_pk = made[office.code]
        project = Project.objects.get(pk=project_pk)
        assert [(p.office_id, p.number) for p in project.policies.order_by("number")] == [
            (office.pk, 2),
            (office.pk, 4),
        ]
        assert (project.initiative_area.office_id, project.initiative_area.number) == (
            office.pk,
            3,
        )
        proposal = Proposal.objects.get(pk=proposal_pk)
        assert [(p.office_id, p.number) for p in proposal.policies.all()] == [(office.pk, 5)]
        assert proposal.initiative_area.office_id == office.pk
        course = Course.objects.get(pk=course_pk)
        assert [(p.office_id, p.number) for p in course.policies.all()] == [(office.pk, 2)]
    improvement = apps.get_model("plans", "Improvement").objects.get(pk=improvement.pk)
    assert [(p.office_id, p.number) for p in improvement.policies.all()] == [(miyamae.pk, 1)]
    # The copies' history starts with their creation.
    assert Policy.objects.get(office=miyamae.pk, number=1).history.get().history_type == "+"
