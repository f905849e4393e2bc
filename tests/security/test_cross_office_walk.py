"""Every page of the portal that takes an id, opened with another office's ids (issue 15).

The walk is generated from the URL configuration (`get_resolver`), so a new page is covered
without being listed here. Each URL keyword argument is mapped to the kind of object it
points at by the tables below; a URL with a keyword argument that no table knows FAILS the
walk and says which table to extend.

Office A (高津区役所) has one person per role (plus a plain member of staff and a section
manager, who are roles of their own); office B (宮前区役所) has one object of every kind that
belongs to an office, each with the marker 「宮前秘匿」 in its texts. For every URL, every person
of office A asks for office B's object by GET and by POST: the answer must be 404, or 403 where
the view refuses by role before it looks (405 for a GET of an action that only takes POST),
and the marker never appears. The city planning bureau (no office) reads every ward: its GETs
of a ward's record are answered (never 403/404 for a record it may read) and its POSTs refused
with 403.
"""

import datetime
import io
import sys
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from takatsu_portal.accounts.roles import Role
from tests.factories import DepartmentFactory, OfficeFactory, SectionFactory, UserFactory

MARKER = "宮前秘匿"

# Keyword arguments whose value is the id of an office-owned object, whatever the URL.
KWARG_KINDS = {
    "period_pk": "period",
    "course_pk": "course",
    "job": "bulletin_job",
}

# `pk` means the object of the page: the URL name's first matching prefix says which.
PK_KINDS = [
    ("plans:plan_", "plan"),
    ("plans:project_", "project"),
    ("plans:proposal_", "proposal"),
    ("plans:improvement_", "improvement"),
    # 他区の優良事例: office B's improvement, which office B has not shared city-wide.
    ("plans:practice_", "improvement"),
    ("plans:working_group_", "group"),
    ("plans:meeting_", "meeting"),
    ("plans:agenda_item_create", "meeting"),
    ("plans:agenda_item_", "item"),
    ("plans:report_start", "project"),
    ("plans:report_", "report"),
    ("plans:attachment_", "attachment"),
    ("feedback:window_", "window"),
    ("feedback:survey_", "survey"),
    ("feedback:question_create", "survey"),
    ("feedback:question_", "question"),
    ("feedback:paper_entry", "survey"),
    ("feedback:response_import", "survey"),
    ("feedback:voice_", "voice"),
    ("inspections:inspection_", "inspection"),
    ("inspections:team_add", "inspection"),
    ("inspections:walk", "inspection"),
    ("inspections:finding_", "finding"),
    ("inspections:photo", "photo"),
    # location_*: the `kind` keyword says building, floor or place (see LOCATION below).
    ("inspections:location_", "location"),
    ("inspections:template_", "shared"),
    ("inspections:item_", "shared"),
    ("bulletins:issue_", "issue"),
    ("bulletins:article_create", "issue"),
    ("bulletins:article_", "article"),
    ("bulletins:attachment_add", "article"),
    ("bulletins:attachment_", "bulletin_attachment"),
    ("training:course_", "course"),
    ("training:session_", "session"),
    ("training:apply", "session"),
    ("training:nominate", "session"),
    ("training:attendance", "session"),
    ("training:signin_sheet", "session"),
    ("training:cancel", "enrolment"),
    ("training:decide", "enrolment"),
    ("training:request_move", "enrolment"),
    ("training:move", "enrolment"),
    ("training:evaluate", "enrolment"),
    ("training:certificate", "enrolment"),
    ("training:job", "training_job"),
    ("training:person_record", "person"),
    ("training:requirement_", "requirement"),
    ("reports:", "report_job"),
    ("imports:", "import_job"),
    # The plain-language glossary is the city's, shared by every office.
    ("plain_language:term_", "shared"),
]

# Keyword arguments that are no office's object id, each with its value and the reason.
NOT_IDS = {
    "year": (2026, "a calendar month, not a record"),
    "month": (10, "a calendar month, not a record"),
    "kind": ("annual_plan", "a report kind (reports:request) or a location kind"),
}

# URLs left out of the walk, each with the reason (tested in their own files).
LEFT_OUT = {
    "public_survey": "the public survey form residents open without login (a token, not an id)",
    "training:feed": "a calendar feed opened without login through its secret key "
    "(tests/training/test_calendar_feed.py)",
}

# Certificates are verified by code (the QR code on the certificate): the code of office B's.
CODE_KINDS = {"training:certificate_verify": "enrolment"}

LOCATION = ("building", "floor", "place")


def iter_patterns(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from iter_patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or ""), pattern


def kwarg_names(pattern):
    return list(pattern.pattern.regex.groupindex)


def pk_kind(name):
    for prefix, kind in PK_KINDS:
        if name.startswith(prefix):
            return kind
    return None


def walked_patterns():
    """(URL name, keyword argument names) of every portal URL that takes an argument."""
    rows = []
    for name, pattern in iter_patterns(get_resolver()):
        names = kwarg_names(pattern)
        if not names or name.startswith("admin:") or name in LEFT_OUT:
            continue
        rows.append((name, tuple(names)))
    return sorted(set(rows))


def unknown_kwargs(name, names):
    """The keyword arguments of `name` that no table maps (a new page that needs a line)."""
    missing = []
    for kwarg in names:
        if kwarg == "pk" and pk_kind(name) is not None:
            continue
        if kwarg == "code" and name in CODE_KINDS:
            continue
        if kwarg in KWARG_KINDS or kwarg in NOT_IDS:
            continue
        missing.append(kwarg)
    return missing


def urls_for(name, names, world):
    """The addresses of `name` with office B's objects, as (label, url, object kind)."""
    kinds = [pk_kind(name)] if "pk" in names else []
    if "code" in names:
        return [(name, reverse(name, kwargs={"code": world.enrolment.certificate_code}), "code")]
    if name.startswith("inspections:location_"):
        if "pk" not in names:
            return []  # the form that adds a building, floor or place: no object of B
        out = []
        for kind in LOCATION:
            kwargs = {"kind": kind}
            kwargs["pk"] = getattr(world, kind).pk
            out.append((f"{name}[{kind}]", reverse(name, kwargs=kwargs), kind))
        return out
    kwargs = {}
    for kwarg in names:
        if kwarg == "pk":
            kind = pk_kind(name)
            if kind == "shared":
                return []
            kwargs["pk"] = getattr(world, kind).pk
        elif kwarg in KWARG_KINDS:
            kind = KWARG_KINDS[kwarg]
            kinds.append(kind)
            kwargs[kwarg] = getattr(world, kind).pk
        else:
            kwargs[kwarg] = NOT_IDS[kwarg][0]
    owned = [k for k in kinds if k != "shared"]
    return [(name, reverse(name, kwargs=kwargs), owned[0] if owned else None)]


# ---------------------------------------------------------------------------------------------
# Office A's people and office B's objects, made once for the module.

OFFICE_A_ROLES = {
    "staff": [Role.STAFF],
    "wg_lead": [Role.STAFF, Role.WG_LEAD],
    "subcommittee": [Role.STAFF, Role.SUBCOMMITTEE],
    "council": [Role.COUNCIL],
    "section_manager": [Role.STAFF, Role.SECTION_MANAGER],
    "administrator": [Role.ADMINISTRATOR],
    "editor": [Role.STAFF, Role.EDITOR],
    "trainer": [Role.STAFF, Role.TRAINER],
    # Every role at once: the widest view a person of office A can have.
    "everything": [r for r in Role if r != Role.CITY],
}


def test_every_role_is_walked():
    walked = {r for roles in OFFICE_A_ROLES.values() for r in roles}
    assert walked | {Role.CITY} == set(Role), "add the new role to OFFICE_A_ROLES"


def build_world():
    from importlib import import_module

    from django.apps import apps

    # The guideline's master data (idempotent): a transactional test run before this module
    # on the same database empties every table, the migration's rows included.
    import_module("takatsu_portal.core.migrations.0002_guideline_master_data").load(apps, None)
    from bulletins import services as bulletin_services
    from bulletins.models import Article
    from bulletins.models import Attachment as BulletinAttachment
    from bulletins.report import KEY as BULLETIN_PDF
    from inspections import services as inspection_services
    from inspections.models import Building, ChecklistTemplate, Floor, Place, PlaceType, Rating
    from plans.models import Attachment, ProgressReport, ReportingPeriod
    from takatsu_portal.core.models import ImportJob
    from takatsu_portal.reports.models import ReportJob
    from tests.feedback.factories import (
        AnswerFactory,
        QuestionFactory,
        ResponseFactory,
        SurveyFactory,
        VoiceFactory,
        WindowFactory,
    )
    from tests.inspections.conftest import SHIPPED, upload
    from tests.plans.factories import (
        AgendaItemFactory,
        ImprovementFactory,
        MeetingFactory,
        PlanFactory,
        ProjectFactory,
        ProposalFactory,
        WorkingGroupFactory,
    )
    from tests.training.factories import CourseFactory, SessionFactory
    from training.models import Enrolment, Requirement
    from training.report_kinds import CERTIFICATE

    # Office A: one person per role, and the city planning bureau.
    takatsu = OfficeFactory(code="takatsu-walk", name="高津区役所")
    department_a = DepartmentFactory(office=takatsu, name="区民サービス部")
    section_a = SectionFactory(department=department_a, name="区民課")
    people = {
        label: UserFactory(username=f"a-{label}", roles=roles, section=section_a)
        for label, roles in OFFICE_A_ROLES.items()
    }
    people["city"] = UserFactory(username="a-city", roles=[Role.CITY], section=None)

    # Office B: one of each object, every text marked.
    office = OfficeFactory(code="miyamae-walk", name="宮前区役所")
    department = DepartmentFactory(office=office, name=f"{MARKER}部")
    section = SectionFactory(department=department, name=f"{MARKER}課")
    roles_b = [r for r in Role if r != Role.CITY]
    owner = UserFactory(
        username="b-owner", roles=roles_b, section=section, full_name=f"{MARKER} 太郎"
    )

    plan = PlanFactory(office=office, title=f"{MARKER}計画")
    group = WorkingGroupFactory(office=office, lead=owner, name=f"{MARKER}ワーキング")
    project = ProjectFactory(plan=plan, title=f"{MARKER}事業", working_group=group, section=section)
    period = ReportingPeriod.objects.create(
        plan=plan,
        number=1,
        label="第1四半期（4〜6月）",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 6, 30),
        due_on=datetime.date(2026, 7, 10),
    )
    report = ProgressReport.objects.create(
        project=project, period=period, author=owner, do_text=f"{MARKER}の実施内容"
    )
    attachment = Attachment(
        report=report,
        original_name=f"{MARKER}.txt",
        content_type="text/plain",
        size=5,
        uploaded_by=owner,
    )
    attachment.file.save("upload", ContentFile(MARKER.encode()), save=False)
    attachment.save()
    meeting = MeetingFactory(office=office, title=f"{MARKER}会議")

    window = WindowFactory(section=section, name=f"{MARKER}窓口")
    survey = SurveyFactory(office=office, title=f"{MARKER}アンケート", created_by=owner)
    survey.windows.set([window])
    question = QuestionFactory(survey=survey, order=1, text=f"{MARKER}の設問")
    free_text = QuestionFactory(survey=survey, order=2, kind="text", text="ご意見")
    response = ResponseFactory(survey=survey, window=window)
    AnswerFactory(response=response, question=free_text, text=f"{MARKER}の自由記述")
    voice = VoiceFactory(
        office=office,
        section=section,
        summary=f"{MARKER}の声",
        contact_name=f"{MARKER}花子",
        recorded_by=owner,
    )

    building = Building.objects.create(office=office, name=f"{MARKER}庁舎")
    floor = Floor.objects.create(building=building, name=f"{MARKER}1階", level=1)
    place = Place.objects.create(
        floor=floor, name=f"{MARKER}玄関", place_type=PlaceType.ENTRANCE, section=section
    )
    SHIPPED.load(apps, None)  # the shipped checklist (shared by every office)
    template = ChecklistTemplate.objects.get(name=SHIPPED.NAME)
    inspection = inspection_services.inspection_create(
        office=office,
        by=owner,
        title=f"{MARKER}点検",
        inspected_on=datetime.date(2026, 10, 1),
        template=template,
        places=[place],
    )
    needs = inspection_services.answer_record(
        inspection=inspection,
        place=place,
        item=inspection.template_version.items.get(code="物-02"),
        by=owner,
        rating=Rating.NEEDS,
        note=f"{MARKER}の指摘",
        photo=upload(),
    )

    issue = bulletin_services.issue_create(office=office, title=f"{MARKER}号", by=owner)
    article = Article(issue=issue, title=f"{MARKER}記事", body=f"{MARKER}の本文")
    bulletin_services.article_save(article=article, by=owner, audience=None)
    bulletin_services.issue_publish(issue=issue, by=owner)
    bulletin_attachment = BulletinAttachment(
        article=article,
        original_name=f"{MARKER}.txt",
        content_type="text/plain",
        size=5,
        uploaded_by=owner,
    )
    bulletin_attachment.file.save("upload", ContentFile(MARKER.encode()), save=False)
    bulletin_attachment.save()

    course = CourseFactory(office=office, title=f"{MARKER}研修", organiser=owner)
    session = SessionFactory(course=course, place=f"{MARKER}会議室")
    enrolment = Enrolment.objects.create(
        session=session,
        user=owner,
        state=Enrolment.State.CONFIRMED,
        completed_on=datetime.date(2026, 10, 1),
    )
    requirement = Requirement.objects.create(
        office=office, title=f"{MARKER}受講義務", audience="all", course=course
    )

    def job(kind, params):
        return ReportJob.objects.create(kind=kind, params=params, requested_by=owner, office=office)

    import_job = ImportJob(
        kind="voices", office=office, requested_by=owner, filename=f"{MARKER}.csv", size=5
    )
    import_job.file.save("upload.csv", ContentFile(MARKER.encode()), save=False)
    import_job.save()

    return SimpleNamespace(
        people=people,
        office=office,
        plan=plan,
        group=group,
        project=project,
        period=period,
        report=report,
        attachment=attachment,
        proposal=ProposalFactory(
            plan=plan, title=f"{MARKER}企画案", proposer=owner, section=section
        ),
        improvement=ImprovementFactory(author=owner, title=f"{MARKER}改善"),
        meeting=meeting,
        item=AgendaItemFactory(meeting=meeting, plan=plan, presented_version=plan.version),
        window=window,
        survey=survey,
        question=question,
        voice=voice,
        building=building,
        floor=floor,
        place=place,
        inspection=inspection,
        finding=needs.finding,
        photo=needs.photos.get(),
        issue=issue,
        article=article,
        bulletin_attachment=bulletin_attachment,
        bulletin_job=job(BULLETIN_PDF, {"issue": issue.pk}),
        course=course,
        session=session,
        enrolment=enrolment,
        requirement=requirement,
        person=owner,
        training_job=job(CERTIFICATE, {"enrolment": enrolment.pk}),
        report_job=job("annual_plan", {"plan": plan.pk}),
        import_job=import_job,
    )


@pytest.fixture(scope="module")
def world(request, tmp_path_factory):
    """Office A's people and office B's objects, made once in a transaction that the module's
    end rolls back (as tests/conftest.py's module_cast); each test runs in a savepoint."""
    from django.conf import settings

    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    media = tmp_path_factory.mktemp("walk-media")
    old_media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = str(media)
    atomic = transaction.atomic()
    with blocker.unblock():
        atomic.__enter__()
        try:
            made = build_world()
            # One signed-in client per person for the whole module (a sign-in per request
            # would double the walk's time); their sessions are rolled back with the rest.
            made.clients = {}
            for who, user in made.people.items():
                made.clients[who] = Client()
                made.clients[who].force_login(user)
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            settings.MEDIA_ROOT = old_media
            raise
    try:
        yield made
    finally:
        with blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
        settings.MEDIA_ROOT = old_media


def body(response):
    """The text a user gets: the page, the CSV, or every cell of the .xlsx."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(content))
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return content.decode("utf-8-sig", errors="replace")


REFUSED = {403, 404}
# The city's GET of a ward's page: the page (200, or a redirect to it), or 403 for a form that
# writes (the city writes nothing), or 405 for an action that takes only POST; a detail page
# always answers 200. Never 404: the city may know of every ward's records.
CITY_GET = {200, 302, 403, 405}
# Pages that answer 404 to the city for another reason than scope, each with the reason.
CITY_GETS = {
    "bulletins:article_detail": (
        {403},
        "an article is addressed to a ward's staff and opening it marks it read: the city is in "
        "no audience (tests/bulletins/test_permission_matrix.py)",
    ),
    "bulletins:issue_pdf_download": ({404}, "office B's issue has no PDF made yet"),
    "reports:download": ({404}, "office B's report job has no PDF made yet"),
    "imports:detail": ({403}, "an import is its requester's own page; the city imports nothing"),
    "plans:practice_detail": (
        {404},
        "the city-wide page of good practices shows only those their ward shared city-wide; "
        "office B's improvement is not shared (the city reads it at plans:improvement_detail)",
    ),
}


# ---------------------------------------------------------------------------------------------


def test_the_walk_finds_pages_of_every_app():
    names = {name for name, _ in walked_patterns()}
    for name in [
        "plans:project_detail",
        "feedback:voice_detail",
        "inspections:finding_detail",
        "bulletins:article_detail",
        "training:session_detail",
        "reports:detail",
        "imports:detail",
    ]:
        assert name in names


@pytest.mark.parametrize("name,names", walked_patterns(), ids=lambda v: str(v))
def test_every_keyword_argument_is_in_a_table(name, names):
    missing = unknown_kwargs(name, names)
    assert not missing, (
        f"{name} takes {missing}: add the object kind it points at to PK_KINDS (for pk, by the "
        f"URL name's prefix) or KWARG_KINDS in {__name__}, and an object of that kind of office "
        f"B to build_world(); or, for a value that is no office's record, to NOT_IDS."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name,names", walked_patterns(), ids=lambda v: str(v))
def test_office_a_never_reaches_office_b_records(db, world, name, names):
    if unknown_kwargs(name, names):
        pytest.fail(f"{name}: see test_every_keyword_argument_is_in_a_table")
    problems = []
    for label, url, kind in urls_for(name, names, world):
        if kind is None:
            continue
        for who, client in world.clients.items():
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                status = response.status_code
                text = body(response)
                if who == "city":
                    if method == "post":
                        if status != 403:
                            problems.append(f"city POST {url} → {status} (expected 403)")
                    elif status not in CITY_GETS.get(name, (CITY_GET,))[0] or (
                        name.endswith("detail") and name not in CITY_GETS and status != 200
                    ):
                        problems.append(f"city GET {url} → {status} (the city reads every ward)")
                    continue
                ok = status in REFUSED or (method == "get" and status == 405)
                if not ok:
                    problems.append(f"{who} {method.upper()} {url} → {status}")
                if MARKER in text:
                    problems.append(f"{who} {method.upper()} {url} shows office B's text")
    assert not problems, "\n".join(problems)


PROBED = [
    "plans:project_detail",
    "feedback:voice_detail",
    "inspections:finding_detail",
    "bulletins:article_detail",
    "training:session_detail",
    "reports:detail",
]


@pytest.mark.django_db
def test_the_probe_would_notice_a_leak(client, world):
    """Office B's own people get the same addresses with the marker: a page that leaked would
    be seen by the walk above."""
    client.force_login(world.person)
    walked = dict(walked_patterns())
    for name in PROBED:
        [(_, url, _)] = urls_for(name, walked[name], world)
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER in body(response), url
    for name in ["plans:project_list", "feedback:voice_list", "plans:project_export_xlsx"]:
        assert MARKER in body(client.get(reverse(name))), name


# The widest views of office A (every role at once, the administrator) and the narrowest (a
# member of staff): what a list shows to a role is a subset of what it shows to all of them.
LIST_READERS = ["everything", "administrator", "staff"]


def pages_without_ids():
    """The names of the portal's pages that take no argument (lists, exports, forms)."""
    return sorted(
        name
        for name, pattern in iter_patterns(get_resolver())
        if name and not kwarg_names(pattern) and not name.startswith("admin:")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", pages_without_ids())
def test_office_a_lists_and_exports_show_nothing_of_office_b(db, world, name):
    """Lists, searches, exports and forms (whose choices could name another office's
    records) of office A never show office B's texts; the city's may."""
    url = reverse(name)
    seen = []
    for who in LIST_READERS:
        client = world.clients[who]
        response = client.get(url)
        assert response.status_code < 500, f"{who} GET {url} → {response.status_code}"
        if MARKER in body(response):
            seen.append(who)
    assert not seen, f"GET {url} shows office B's text to {seen}"


# ---------------------------------------------------------------------------------------------
# Ids in a form's body: the report kinds' conditions name a record of the office.

# The model of a report form's choice → office B's object of that model in build_world().
CHOICE_KINDS = {
    "AnnualPlan": "plan",
    "ReportingPeriod": "period",
    "CouncilMeeting": "meeting",
    "Inspection": "inspection",
    "Issue": "issue",
}


def report_choices():
    from takatsu_portal.reports.kinds import REGISTRY

    return sorted(
        (key, name, field.queryset.model.__name__)
        for key, kind in REGISTRY.items()
        for name, field in getattr(kind.form, "base_fields", {}).items()
        if hasattr(field, "queryset")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("key,field,model", report_choices())
def test_a_report_cannot_be_asked_for_another_offices_record(db, world, key, field, model):
    """POST /reports/request/<kind>/ with office B's record in the form's body: the form
    refuses it (400) and no job is made, whoever asks."""
    from takatsu_portal.reports.models import ReportJob

    assert model in CHOICE_KINDS, (
        f"the report kind {key} chooses a {model}: add it to CHOICE_KINDS in {__name__} (and "
        f"an object of office B to build_world())"
    )
    target = getattr(world, CHOICE_KINDS[model])
    url = reverse("reports:request", args=[key])
    before = ReportJob.objects.filter(office=world.office).count()
    for who in OFFICE_A_ROLES:
        response = world.clients[who].post(url, {f"{key}-{field}": target.pk})
        assert response.status_code in REFUSED | {400}, f"{who} POST {url} → {response.status_code}"
        assert MARKER not in body(response), f"{who} POST {url} shows office B's text"
    assert ReportJob.objects.filter(office=world.office).count() == before
    # The probe: office B's own person asks with the same body and gets the job.
    owner = Client()
    owner.force_login(world.person)
    assert owner.post(url, {f"{key}-{field}": target.pk}).status_code == 302
    assert ReportJob.objects.filter(office=world.office).count() == before + 1
