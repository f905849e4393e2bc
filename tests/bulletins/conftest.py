"""Named users of one ward office and a bulletin to read: `people.staff` (区民課) and
`people.other` (保険年金課, another department) read; `people.editor` writes; `people.manager`
manages 区民課; `stranger` works at another ward office and must see none of it."""

import datetime
from types import SimpleNamespace

import pytest

from bulletins import services
from bulletins.models import Article, Issue
from takatsu_portal.accounts.roles import Role
from tests.cast import Cast, make_stranger, users
from tests.factories import DepartmentFactory, SectionFactory


def make_sections(office):
    kumin_dept = DepartmentFactory(office=office, name="区民サービス部")
    town_dept = DepartmentFactory(office=office, name="まちづくり推進部")
    return SimpleNamespace(
        kumin=SectionFactory(department=kumin_dept, name="区民課"),
        hoken=SectionFactory(department=kumin_dept, name="保険年金課"),
        somu=SectionFactory(department=town_dept, name="総務課"),
    )


def make_people(sections):
    return users(
        sections.kumin,
        staff=("staff", Role.STAFF),
        other=("other", Role.STAFF, sections.somu),
        hoken=("hoken", Role.STAFF, sections.hoken),
        editor=("editor", Role.STAFF, Role.EDITOR, sections.somu),
        subcommittee=("subcommittee", Role.STAFF, Role.SUBCOMMITTEE, sections.somu),
        council=("council", Role.COUNCIL, sections.somu),
        lead=("wglead", Role.STAFF, Role.WG_LEAD),
        manager=("manager", Role.STAFF, Role.SECTION_MANAGER),
        other_manager=("manager2", Role.STAFF, Role.SECTION_MANAGER, sections.somu),
        admin=("admin", Role.ADMINISTRATOR, sections.somu),
    )


@pytest.fixture(scope="session")
def cast():
    """The bulletin's people (tests/conftest.py makes them once per module); the stranger is an
    editor and subcommittee member of another ward office."""
    return Cast(
        sections=make_sections,
        people=make_people,
        stranger=lambda: make_stranger((Role.EDITOR, Role.SUBCOMMITTEE, Role.STAFF)),
    )


@pytest.fixture
def make_article(office, people):
    """make_article(title=..., body=..., published=True, required=False, audience=None, ...)"""

    def make(
        *,
        title="窓口の受付時間の変更について",
        body="4月から窓口の受付時間が変わります。",
        published=True,
        issue=None,
        audience=None,
        **fields,
    ):
        if issue is None:
            issue = services.issue_create(office=office, title="4月号", by=people.editor)
        if fields.get("required") and "confirm_by" not in fields:
            fields["confirm_by"] = datetime.date(2026, 12, 25)
        article = Article(issue=issue, title=title, body=body, **fields)
        if audience:
            article.audience_all = False
        services.article_save(article=article, by=people.editor, audience=audience)
        if published and not issue.is_published:
            services.issue_publish(issue=issue, by=people.editor)
            issue.refresh_from_db()
        article.refresh_from_db()
        return article

    return make


@pytest.fixture
def required_article(make_article):
    return make_article(title="マイナンバーカードの交付手順の変更", required=True)


__all__ = ["Issue"]
