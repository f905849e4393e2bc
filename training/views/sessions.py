"""Finding sessions (upcoming list, month calendar, iCalendar feeds) and keeping courses and
sessions (organisers), with conflict handling through the floor's versioning."""

import calendar as pycalendar
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from takatsu_portal.accounts.permissions import require_perm, user_may, writes_nothing_of_a_ward
from takatsu_portal.accounts.roles import Role, roles_of
from takatsu_portal.core import attention
from takatsu_portal.core.audit import record_event
from takatsu_portal.core.calendar import is_closed
from takatsu_portal.core.editing import save_or_explain
from takatsu_portal.core.history import render_history
from takatsu_portal.core.shared_cache import scope_part, shared_value
from takatsu_portal.core.versioning import save_versioned

from .. import services
from ..access import (
    ORGANISE_REFUSAL,
    VIEW_REFUSAL,
    courses_for,
    get_course_for_user,
    get_session_for_user,
    sessions_for,
)
from ..forms import CourseForm, SessionFilter, SessionForm
from ..ical import calendar_bytes, ics_response
from ..models import CalendarFeed, Course, Enrolment
from ..stamp import generation_keys as training_generation_keys
from .common import PER_PAGE, crumbs, paginate

State = Enrolment.State


def _my_enrolments(user):
    return (
        user.training_enrolments.filter(state__in=Enrolment.ACTIVE_STATES)
        .filter(session__ends_at__gte=timezone.now())
        .select_related("session", "session__course")
        .order_by("session__starts_at")
    )


WEEKDAYS = "月火水木金土日"


def _my_sessions(user):
    """The person's active enrolments in sessions that have not ended, as plain values (the
    list 「私の受講予定」 and their state in the upcoming list), kept in the cache until their
    own home-page generation moves (training's services call `changed_for` with them), their
    office's data changes (an organiser edits a session) or the day changes; a session that
    ended since is dropped at each request."""

    def compute():
        mine = []
        for enrolment in _my_enrolments(user):
            session = enrolment.session
            starts = timezone.localtime(session.starts_at)
            mine.append(
                {
                    "session_id": session.pk,
                    "url": session.get_absolute_url(),
                    "title": session.course.title,
                    "when": f"{starts.year}年{starts.month}月{starts.day}日 {starts:%H:%M}",
                    "ends_at": session.ends_at,
                    "state": enrolment.get_state_display(),
                }
            )
        return mine

    now = timezone.now()
    return [
        row for row in attention.cached(user, "training-mine", compute) if row["ends_at"] >= now
    ]


# Where the person's own state goes in a kept row's HTML (split there when the row is kept).
_MINE = "\x00"


def _session_rows(sessions):
    """The upcoming list's cells as plain values, made in Python, and each row's HTML rendered
    once (the `upcoming-row` partial of training/index.html) around the place of the person's
    own state ("mine"), which is put in per request (`_with_my_state`): these rows are shared,
    and a request renders no cell of them."""
    detail = reverse("training:session_detail", args=[0])[: -len("0/")]
    kinds = dict(Course.Kind.choices)
    rows = []
    for session in sessions:
        starts = timezone.localtime(session.starts_at)
        apply_by = timezone.localtime(session.apply_by)
        row = {
            "pk": session.pk,
            "starts_at": session.starts_at,
            "when": f"{starts.month}月{starts.day}日（{WEEKDAYS[starts.weekday()]}） "
            f"{starts:%H:%M}",
            "url": f"{detail}{session.pk}/",
            "title": session.course.title,
            "kind": str(kinds.get(session.course.kind, "")),
            "where": session.where or "—",
            "capacity": session.capacity,
            "confirmed": session.confirmed_count,
            "waiting": session.waiting_count,
            "apply_by": f"{apply_by.month}月{apply_by.day}日 {apply_by:%H:%M}",
        }
        html = render_to_string("training/index.html#upcoming-row", {"row": {**row, "mine": _MINE}})
        before, _, after = html.rpartition(_MINE)  # the state is the row's last cell
        row["html"] = (before, after)
        rows.append(row)
    return rows


def _upcoming_page(request, form):
    """One page of the office's upcoming sessions with their counts: the same for everyone of
    the office, so kept in the shared cache (core/shared_cache.py) until training's services
    change a course, a session or an enrolment (training/stamp.py), or the day changes."""

    def compute():
        sessions = (
            sessions_for(request.user)
            .upcoming()
            .select_related("course")
            .with_counts()
            .order_by("starts_at", "id")
        )
        if form.is_valid():
            if form.cleaned_data["category"]:
                sessions = sessions.filter(course__category=form.cleaned_data["category"])
            if form.cleaned_data["q"]:
                sessions = sessions.filter(course__title__icontains=form.cleaned_data["q"])
        page = paginate(request, sessions)
        return {
            "rows": _session_rows(page.object_list),
            "count": page.paginator.count,
            "number": page.number,
        }

    shared = shared_value(
        "training-upcoming-rows",
        (scope_part(request.user), sorted(request.GET.lists())),
        compute,
        generation_keys=training_generation_keys(),
    )
    # A session that started since the rows were kept is no longer upcoming.
    now = timezone.now()
    rows = [row for row in shared["rows"] if row["starts_at"] >= now]
    page_obj = Paginator(range(shared["count"]), PER_PAGE).get_page(shared["number"])
    return page_obj, rows


def _with_my_state(rows, mine):
    """Each row with the person's own state on the session ("—" when none), and its HTML
    with that state put in: `mine` holds their active enrolments in sessions that have not
    ended, which covers every upcoming one."""
    states = {enrolment["session_id"]: enrolment["state"] for enrolment in mine}
    marked = []
    for row in rows:
        state = states.get(row["pk"], "—")
        before, after = row["html"]
        marked.append({**row, "mine": state, "html": before + escape(state) + after})
    return marked


@require_perm("training.view", VIEW_REFUSAL)
def index(request):
    """Upcoming sessions (paginated, a fixed number of queries; the rows come from the shared
    cache), the person's own sessions, and the links of their role."""
    form = SessionFilter(request.GET or None)
    page_obj, rows = _upcoming_page(request, form)
    mine = _my_sessions(request.user)
    pending = 0
    if request.user.section_id and Role.SECTION_MANAGER in roles_of(request.user):
        pending = (
            Enrolment.objects.for_office(request.user.office)
            .filter(state=State.PENDING, user__section_id=request.user.section_id)
            .count()
        )
    rows = _with_my_state(rows, mine)
    return render(
        request,
        "training/index.html",
        {
            "breadcrumbs": crumbs(),
            "form": form,
            "page_obj": page_obj,
            "rows": rows,
            "rows_html": mark_safe("".join(row["html"] for row in rows)),  # noqa: S308
            "mine": mine,
            "pending": pending,
            "can_organise": user_may(request.user, "training.organise"),
            "can_compliance": user_may(request.user, "training.view_compliance"),
        },
    )


@require_perm("training.view", VIEW_REFUSAL)
def month(request, year=None, month=None):
    """A month calendar of sessions, Saturdays, Sundays and Japanese holidays marked."""
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404("その月は表示できません。")
    first = date(year, month, 1)
    days_in_month = pycalendar.monthrange(year, month)[1]
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = start + timedelta(days=days_in_month)
    sessions = (
        sessions_for(request.user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("course")
        .order_by("starts_at")
    )
    by_day = {}
    for session in sessions:
        by_day.setdefault(session.day, []).append(session)
    import jpholiday

    weeks = []
    for week in pycalendar.Calendar(firstweekday=6).monthdatescalendar(year, month):
        weeks.append(
            [
                {
                    "day": d,
                    "in_month": d.month == month,
                    "is_today": d == today,
                    "holiday": jpholiday.is_holiday_name(d) or "",
                    "closed": is_closed(d),
                    "weekday": d.weekday(),
                    "sessions": by_day.get(d, []),
                }
                for d in week
            ]
        )
    previous = first - timedelta(days=1)
    following = first + timedelta(days=days_in_month)
    return render(
        request,
        "training/calendar.html",
        {
            "breadcrumbs": crumbs(("研修カレンダー", None)),
            "weeks": weeks,
            "first": first,
            "previous": previous,
            "following": following,
            "weekdays": ["日", "月", "火", "水", "木", "金", "土"],
        },
    )


# ---------------------------------------------------------------------------------------------
# Courses


@require_perm("training.view", VIEW_REFUSAL)
def course_list(request):
    courses = (
        courses_for(request.user)
        .select_related("organiser")
        .annotate(session_count=Count("sessions", filter=Q(sessions__is_cancelled=False)))
        .order_by("-is_active", "category", "title", "id")
    )
    return render(
        request,
        "training/courses/list.html",
        {
            "breadcrumbs": crumbs(("研修一覧", None)),
            "page_obj": paginate(request, courses),
            "can_organise": user_may(request.user, "training.organise"),
        },
    )


@require_perm("training.view", VIEW_REFUSAL)
def course_detail(request, pk):
    course = get_course_for_user(request.user, pk)
    sessions = course.sessions.with_counts().order_by("starts_at", "id")
    return render(
        request,
        "training/courses/detail.html",
        {
            "breadcrumbs": crumbs(
                ("研修一覧", reverse("training:course_list")), (course.title, None)
            ),
            "course": course,
            "sessions": sessions,
            "requirements": course.requirements.filter(is_active=True),
            "can_organise": user_may(request.user, "training.organise"),
            "can_results": user_may(request.user, "training.view_evaluations"),
        },
    )


def _course_form_page(request, form, course, extra=None):
    title = f"研修の編集：{course.title}" if course else "研修の登録"
    tail = [("研修一覧", reverse("training:course_list"))]
    if course:
        tail.append((course.title, course.get_absolute_url()))
    tail.append(("編集" if course else "登録", None))
    context = {"breadcrumbs": crumbs(*tail), "form": form, "course": course, "page_title": title}
    context.update(extra or {})
    return render(
        request, "training/courses/form.html", context, status=400 if form.is_bound else 200
    )


@require_perm("training.organise", ORGANISE_REFUSAL)
def course_create(request):
    office = request.user.office
    if office is None:
        # Refused before the form: its organiser list and the new course need an office.
        raise PermissionDenied(services.COURSE_NO_OFFICE)
    form = CourseForm(request.POST or None, office=office, initial={"organiser": request.user})
    if request.method == "POST" and form.is_valid():

        def save():
            services.course_save(
                course=form.save(commit=False),
                by=request.user,
                policies=form.cleaned_data["policies"],
            )

        extra = save_or_explain(request, form, save)
        if extra is None:
            messages.success(request, f"研修「{form.instance.title}」を登録しました。")
            return redirect(form.instance)
        return _course_form_page(request, form, None, extra)
    return _course_form_page(request, form, None)


@require_perm("training.organise", ORGANISE_REFUSAL)
def course_edit(request, pk):
    course = get_course_for_user(
        request.user, pk, perm="training.organise", message=ORGANISE_REFUSAL
    )
    form = CourseForm(request.POST or None, instance=course, office=course.office)
    if request.method == "POST" and form.is_valid():

        def save():
            services.course_save(
                course=form.save(commit=False),
                by=request.user,
                policies=form.cleaned_data["policies"],
                expected_version=form.cleaned_data["version"],
            )

        extra = save_or_explain(request, form, save)
        if extra is None:
            messages.success(request, f"研修「{course.title}」を保存しました。")
            return redirect(course)
        return _course_form_page(request, form, course, extra)
    return _course_form_page(request, form, course)


# ---------------------------------------------------------------------------------------------
# Sessions


def _session_form_page(request, form, course, session, extra=None):
    tail = [
        ("研修一覧", reverse("training:course_list")),
        (course.title, course.get_absolute_url()),
    ]
    if session:
        tail.append((f"{session.day:%Y/%m/%d}の回", session.get_absolute_url()))
    tail.append(("編集" if session else "回の追加", None))
    context = {"breadcrumbs": crumbs(*tail), "form": form, "course": course, "session": session}
    context.update(extra or {})
    return render(
        request, "training/sessions/form.html", context, status=400 if form.is_bound else 200
    )


@require_perm("training.organise", ORGANISE_REFUSAL)
def session_create(request, course_pk):
    course = get_course_for_user(
        request.user, course_pk, perm="training.organise", message=ORGANISE_REFUSAL
    )
    if request.method == "POST":
        form = SessionForm(request.POST)
        if form.is_valid():
            session = form.save(commit=False)
            session.course = course
            save_versioned(session, by=request.user)
            messages.success(request, "研修の回を追加しました。")
            return redirect(session)
    else:
        form = SessionForm()
    return _session_form_page(request, form, course, None)


@require_perm("training.organise", ORGANISE_REFUSAL)
def session_edit(request, pk):
    session = get_session_for_user(
        request.user, pk, perm="training.manage_session", message=ORGANISE_REFUSAL
    )
    if request.method == "POST":
        form = SessionForm(request.POST, instance=session)
        if form.is_valid():
            moved = []

            def save():
                moved.extend(
                    services.session_save(
                        session=form.save(commit=False),
                        by=request.user,
                        expected_version=form.cleaned_data["version"],
                    )
                )

            extra = save_or_explain(request, form, save)
            if extra is None:
                note = f"キャンセル待ちから{len(moved)}名を繰り上げました。" if moved else ""
                messages.success(request, "研修の回を保存しました。" + note)
                return redirect(session)
            return _session_form_page(request, form, session.course, session, extra)
    else:
        form = SessionForm(instance=session)
    return _session_form_page(request, form, session.course, session)


@require_perm("training.view", VIEW_REFUSAL)
def session_detail(request, pk):
    session = get_session_for_user(request.user, pk)
    user = request.user
    manage = user_may(user, "training.manage_session", session)
    mine = session.enrolments.filter(user=user).order_by("-applied_at", "-id").first()
    other_sessions = []
    if mine and mine.is_active:
        other_sessions = session.course.sessions.upcoming().exclude(pk=session.pk)
    participants = waiting = pending = requests = ()
    counts = session.enrolments.aggregate(
        confirmed=Count("id", filter=Q(state=State.CONFIRMED)),
        waiting=Count("id", filter=Q(state=State.WAITING)),
    )
    if manage:
        rows = list(
            session.enrolments.filter(state__in=Enrolment.ACTIVE_STATES)
            .select_related("user", "user__section", "move_requested_to")
            .order_by("applied_at", "id")
        )
        participants = [e for e in rows if e.state == State.CONFIRMED]
        waiting = [e for e in rows if e.state == State.WAITING]
        pending = [e for e in rows if e.state == State.PENDING]
        requests = [e for e in rows if e.cancel_requested_at or e.move_requested_to_id]
    position = None
    if mine and mine.state == State.WAITING:
        from ..services import waiting_position

        position = waiting_position(mine)
    return render(
        request,
        "training/sessions/detail.html",
        {
            "breadcrumbs": crumbs(
                ("研修一覧", reverse("training:course_list")),
                (session.course.title, session.course.get_absolute_url()),
                (f"{session.day:%Y/%m/%d}の回", None),
            ),
            "session": session,
            "course": session.course,
            "mine": mine,
            "position": position,
            "counts": counts,
            "seats_left": max(session.capacity - counts["confirmed"], 0),
            "manage": manage,
            "participants": participants,
            "waiting": waiting,
            "pending": pending,
            "requests": requests,
            "other_sessions": other_sessions,
            "now": timezone.now(),
            "can_nominate": user_may(user, "training.nominate", session),
        },
    )


# ---------------------------------------------------------------------------------------------
# iCalendar


@require_perm("training.view", VIEW_REFUSAL)
def session_ics(request, pk):
    session = get_session_for_user(request.user, pk)
    return ics_response(
        calendar_bytes([session], name=session.course.title),
        f"training-{session.pk}.ics",
        f"研修_{session.course.title}.ics",
    )


@require_perm("training.view", VIEW_REFUSAL)
def my_ics(request):
    sessions = services.calendar_feed_sessions(request.user)
    return ics_response(
        calendar_bytes(sessions, name="私の研修"), "my-training.ics", "私の研修.ics"
    )


@login_not_required
@require_GET
def feed(request, user_pk, key):
    """A person's sessions as a calendar to subscribe to (Outlook, no login cookie): the key in
    the URL is the person's secret, compared in constant time. A wrong or replaced key, an
    inactive person or one who may no longer use training: 404, the same answer for each."""
    feed = CalendarFeed.objects.select_related("user").filter(user_id=user_pk).first()
    if (
        feed is None
        or not constant_time_compare(feed.key, key)
        or not feed.user.is_active
        or not user_may(feed.user, "training.view")
    ):
        raise Http404("この購読用URLは使えません。")
    content = calendar_bytes(
        services.calendar_feed_sessions(feed.user), name=f"研修予定（{feed.user.full_name}）"
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@writes_nothing_of_a_ward
@require_perm("training.view", VIEW_REFUSAL)
@require_POST
def feed_issue(request):
    """Issue the person's subscription URL, or replace it (the old one stops working)."""
    had = CalendarFeed.objects.filter(user=request.user).exists()
    services.calendar_feed_issue(user=request.user)
    record_event("calendar_feed_reissued" if had else "calendar_feed_issued", request=request)
    messages.success(
        request,
        "購読用のURLを再発行しました。前のURLは使えなくなりました。Outlookで新しいURLを登録し直してください。"
        if had
        else "購読用のURLを発行しました。OutlookにURLを登録してください。",
    )
    return redirect(reverse("training:my_record") + "#calendar-feed")


# ---------------------------------------------------------------------------------------------
# History (who changed what, when)


@require_perm("training.organise", ORGANISE_REFUSAL)
def course_history(request, pk):
    course = get_course_for_user(
        request.user, pk, perm="training.organise", message=ORGANISE_REFUSAL
    )
    return render_history(
        request,
        course,
        breadcrumbs=crumbs(
            ("研修一覧", reverse("training:course_list")),
            (course.title, course.get_absolute_url()),
            ("変更履歴", None),
        ),
    )


@require_perm("training.organise", ORGANISE_REFUSAL)
def session_history(request, pk):
    session = get_session_for_user(
        request.user, pk, perm="training.manage_session", message=ORGANISE_REFUSAL
    )
    return render_history(
        request,
        session,
        breadcrumbs=crumbs(
            (session.course.title, session.course.get_absolute_url()),
            (f"{session.day:%Y/%m/%d}の回", session.get_absolute_url()),
            ("変更履歴", None),
        ),
    )
