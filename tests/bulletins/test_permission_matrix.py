"""Each URL of the bulletin × each role (and anonymous, and a member of another office) → the
answer the design expects. GET for pages; POST with an empty form for actions, refused (403)
before the form is read, or answered with the form's errors (400) or a redirect (302)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from bulletins import services
from bulletins.models import Attachment
from bulletins.urls import urlpatterns

ROLES = ["staff", "lead", "subcommittee", "council", "manager", "admin", "editor", "city"]
ALL = set(ROLES)
# An article is addressed to a ward's staff (opening it marks it read): the city planning
# bureau is in no audience.
WARD = ALL - {"city"}
EDIT = {"editor", "subcommittee", "admin"}
STATUS = EDIT | {"manager"}
OK = 200

# name → (method, object kind, who may (status for them))
MATRIX = {
    "index": ("get", None, ALL, OK),
    "search": ("get", None, ALL, OK),
    "issue_create": ("get", None, EDIT, OK),
    "issue_detail": ("get", "issue", ALL, OK),
    "issue_edit": ("get", "issue", EDIT, OK),
    "issue_publish": ("post", "draft_issue", EDIT, 400),
    "issue_unschedule": ("post", "draft_issue", EDIT, 302),  # not scheduled: told so
    "issue_history": ("get", "issue", EDIT, OK),
    "issue_status": ("get", "issue", STATUS, OK),
    "issue_pdf": ("post", "issue", EDIT, 302),
    "issue_pdf_download": ("get", "issue_job", ALL, OK),
    "article_create": ("get", "draft_issue", EDIT, OK),
    "article_preview": ("post", None, EDIT, OK),
    "article_detail": ("get", "article", WARD, OK),
    "article_confirm": ("post", "article", WARD, 302),
    "article_edit": ("get", "article", EDIT, OK),
    "article_delete": ("get", "draft_article", EDIT, OK),
    "article_history": ("get", "article", WARD, OK),
    "article_status": ("get", "article", STATUS, OK),
    "article_status_csv": ("get", "article", STATUS, OK),
    "article_status_xlsx": ("get", "article", STATUS, OK),
    "attachment_add": ("post", "article", EDIT, 302),
    "attachment_download": ("get", "attachment", WARD, OK),
    "attachment_delete": ("post", "attachment", EDIT, 302),
}


def test_the_matrix_covers_every_url_of_the_app():
    assert {p.name for p in urlpatterns} == set(MATRIX)


@pytest.fixture
def objects(people, office, make_article, settings, tmp_path):
    from takatsu_portal.reports.models import ReportJob, ReportVersion

    settings.MEDIA_ROOT = tmp_path
    article = make_article(required=True)
    draft_issue = services.issue_create(office=office, title="下書きの号", by=people.editor)
    draft_article = make_article(issue=draft_issue, published=False, title="下書きの記事")
    attachment = Attachment(
        article=article,
        original_name="手順.txt",
        content_type="text/plain",
        size=5,
        uploaded_by=people.editor,
    )
    attachment.file.save("upload", ContentFile(b"hello"), save=False)
    attachment.save()
    job = ReportJob.objects.create(
        kind="bulletin_issue",
        params={"issue": article.issue.pk},
        requested_by=people.editor,
        office=office,
        state=ReportJob.State.SUCCEEDED,
    )
    version = ReportVersion(
        job=job, title="情報紙", sha256="0" * 64, size=8, page_count=1, snapshot={}
    )
    version.file.save("issue.pdf", ContentFile(b"%PDF-1.7"), save=False)
    version.save()
    return {
        "issue": article.issue,
        "article": article,
        "draft_issue": draft_issue,
        "draft_article": draft_article,
        "attachment": attachment,
        "job": job,
    }


@pytest.fixture
def people_by_role(people):
    return {
        "staff": people.staff,
        "lead": people.lead,
        "subcommittee": people.subcommittee,
        "council": people.council,
        "manager": people.manager,
        "admin": people.admin,
        "editor": people.editor,
        "city": people.city,
    }


def url_for(name, kind, objects):
    if kind is None:
        return reverse(f"bulletins:{name}")
    if kind == "issue_job":
        return reverse(f"bulletins:{name}", args=[objects["issue"].pk, objects["job"].pk])
    return reverse(f"bulletins:{name}", args=[objects[kind].pk])


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer(client, people_by_role, objects, role, name):
    method, kind, allowed, status = MATRIX[name]
    client.force_login(people_by_role[role])
    response = getattr(client, method)(url_for(name, kind, objects))
    if role in allowed:
        assert response.status_code == status, (role, name, response.status_code)
    else:
        assert response.status_code == 403, (role, name, response.status_code)
        assert "このページにはアクセスできません" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_is_sent_to_the_login_page(client, objects, name):
    method, kind, _, _ = MATRIX[name]
    response = getattr(client, method)(url_for(name, kind, objects))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row[1] is not None))
def test_a_member_of_another_office_finds_nothing(client, stranger, objects, name):
    """An editor of another ward office: every object of this office is a 404."""
    method, kind, _, _ = MATRIX[name]
    client.force_login(stranger)
    response = getattr(client, method)(url_for(name, kind, objects))
    assert response.status_code == 404, (name, response.status_code)


@pytest.mark.django_db
def test_readers_do_not_find_drafts(client, people, objects):
    client.force_login(people.staff)
    for name in ("issue_detail", "article_detail"):
        kind = "draft_issue" if name == "issue_detail" else "draft_article"
        assert client.get(url_for(name, kind, objects)).status_code == 404


@pytest.mark.django_db
def test_a_published_issue_cannot_be_published_again_or_added_to(client, people, objects):
    client.force_login(people.editor)
    issue = objects["issue"]
    assert client.post(reverse("bulletins:issue_publish", args=[issue.pk])).status_code == 403
    assert client.get(reverse("bulletins:article_create", args=[issue.pk])).status_code == 403
    article = objects["article"]
    assert client.get(reverse("bulletins:article_delete", args=[article.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row[0] == "post"))
def test_the_city_planning_bureau_is_refused_every_action_with_its_reason(
    client, people, objects, name
):
    from takatsu_portal.accounts.permissions import CITY_READ_ONLY

    method, kind, _, _ = MATRIX[name]
    client.force_login(people.city)
    response = client.post(url_for(name, kind, objects))
    assert response.status_code == 403, (name, response.status_code)
    assert CITY_READ_ONLY in response.content.decode()
