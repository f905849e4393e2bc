"""Training PDFs through the reports mechanism (a job row, rendered by the Celery worker):

- 修了証 (certificate of completion): one person's completion of one session, with a
  verification code and a QR code that opens the intranet page confirming it. Requested by the
  person themselves (or an organiser) from the session page; read on the training pages, not
  on the council's reports page (its `permission` is the organisers').
- 出席簿 (sign-in sheet): the confirmed participants of a session with a column to sign, for
  the organiser to print before the session.
- 研修実施状況報告書 (training report for the council): sessions held, participants, hours,
  satisfaction and compliance by section for one fiscal year.
"""

from collections import defaultdict
from decimal import Decimal

from django import forms
from django.conf import settings
from django.db.models import Avg, Count, Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from takatsu_portal.accounts.models import Office
from takatsu_portal.core import charts
from takatsu_portal.core.fiscal import FiscalYear, today, wareki
from takatsu_portal.reports.kinds import Built, Param, ReportForm, ReportKind, register

from . import compliance
from .models import Category, Enrolment, Evaluation, Session

CERTIFICATE = "training_certificate"
SIGNIN_SHEET = "training_signin"
COUNCIL = "training"


def verify_url(enrolment):
    return settings.PORTAL_BASE_URL + reverse(
        "training:certificate_verify", args=[enrolment.certificate_code]
    )


def qr_svg(url):
    import segno

    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(scale=6, border=4, omitsize=True, dark="#000", light="#fff")


class NoParamsForm(ReportForm):
    """Training PDFs are asked for from the training pages, never from the reports page."""


def build_certificate(params):
    enrolment = Enrolment.objects.select_related(
        "user", "user__section", "session", "session__course", "session__course__office"
    ).get(pk=params["enrolment"])
    if enrolment.completed_on is None:
        raise ValueError("この受講は修了していません。")
    course = enrolment.session.course
    url = verify_url(enrolment)
    context = {
        "title": f"修了証 {enrolment.user}",
        "enrolment": enrolment,
        "course": course,
        "office": course.office,
        "completed": wareki(enrolment.completed_on),
        "issued": wareki(today()),
        "url": url,
        "qr": mark_safe(qr_svg(url)),  # noqa: S308 (segno's own markup, no user text)
    }
    return Built(
        title=f"修了証（{course.title}）",
        html=render_to_string("training/pdf/certificate.html", context),
        facts={
            "code": enrolment.certificate_code,
            "completed_on": enrolment.completed_on.isoformat(),
        },
    )


def build_signin(params):
    session = Session.objects.select_related("course", "course__office").get(pk=params["session"])
    rows = (
        Enrolment.objects.filter(session=session, state=Enrolment.State.CONFIRMED)
        .select_related("user", "user__section")
        .order_by("user__section__sort_order", "user__full_name_kana", "id")
    )
    context = {
        "title": f"出席簿 {session.course.title}",
        "session": session,
        "office": session.course.office,
        "rows": rows,
        "day": wareki(session.day, weekday=True),
    }
    return Built(
        title=f"出席簿（{session.course.title} {session.day:%Y-%m-%d}）",
        html=render_to_string("training/pdf/signin.html", context),
        facts={"participants": rows.count()},
    )


def _office_of_enrolment(params):
    enrolments = Enrolment.objects.city_wide("report conditions")
    return enrolments.values_list("session__course__office_id", flat=True).get(
        pk=params["enrolment"]
    )


def _office_of_session(params):
    sessions = Session.objects.city_wide("report conditions")
    return sessions.values_list("course__office_id", flat=True).get(pk=params["session"])


register(
    ReportKind(
        key=CERTIFICATE,
        label="修了証（研修）",
        description="研修を修了した職員の修了証。研修のページから作成します。",
        build=build_certificate,
        office_of=_office_of_enrolment,
        form=NoParamsForm,
        default_params=lambda office=None: {},
        params=(Param("enrolment", "受講のID"),),
        fact_labels={"code": "確認コード", "completed_on": "修了日"},
        permission="training.organise",
        request_permission="training.view",
        order=900,
        on_reports_page=False,
    )
)

register(
    ReportKind(
        key=SIGNIN_SHEET,
        label="出席簿（研修）",
        description="研修の回の受講確定者の出席簿。研修の回のページから作成します。",
        build=build_signin,
        office_of=_office_of_session,
        form=NoParamsForm,
        default_params=lambda office=None: {},
        params=(Param("session", "研修の回のID"),),
        fact_labels={"participants": "受講確定者数"},
        permission="training.organise",
        request_permission="training.organise",
        order=901,
        on_reports_page=False,
    )
)


# ---------------------------------------------------------------------------------------------
# The council's training report


def first_office():
    office = Office.objects.order_by("sort_order", "id").first()
    if office is None:
        raise ValueError("区役所が登録されていません。")
    return office


def _office(params):
    pk = params.get("office")
    return Office.objects.get(pk=pk) if pk else first_office()


def default_params(office=None):
    office = (
        office
        if isinstance(office, Office)
        else (Office.objects.get(pk=office) if office else first_office())
    )
    return {"fiscal_year": FiscalYear.current().year, "office": office.pk}


class CouncilForm(ReportForm):
    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int)

    def limit(self, user):
        current = FiscalYear.current().year
        self.fields["fiscal_year"].choices = [
            (y, FiscalYear(y).label) for y in range(current, current - 6, -1)
        ]
        self.fields["fiscal_year"].initial = current
        if user.office is None:
            self.fields["office"] = forms.ModelChoiceField(
                label="区役所",
                queryset=Office.objects.order_by("sort_order", "id"),
                empty_label=None,
            )

    def params(self):
        params = super().params()
        if self.user.office is not None:
            params["office"] = self.user.office.pk
        return params


def council_data(office, fiscal_year):
    """The figures of the council report (a fixed number of queries)."""
    sessions = (
        Session.objects.for_office(office)
        .in_fiscal_year(fiscal_year)
        .filter(is_cancelled=False, starts_at__lte=_now())
        .select_related("course")
        .annotate(
            participants=Count(
                "enrolments",
                filter=Q(enrolments__attendance__in=Enrolment.COMPLETING),
                distinct=True,
            ),
            completed=Count(
                "enrolments", filter=Q(enrolments__completed_on__isnull=False), distinct=True
            ),
            satisfaction=Avg("enrolments__evaluation__satisfaction"),
        )
        .order_by("starts_at")
    )
    sessions = list(sessions)
    by_category = defaultdict(lambda: {"sessions": 0, "participants": 0, "hours": Decimal(0)})
    for s in sessions:
        row = by_category[s.course.category]
        row["sessions"] += 1
        row["participants"] += s.participants
        row["hours"] += s.course.hours * s.completed
    categories = [
        (label, by_category[value]) for value, label in Category.choices if value in by_category
    ]
    evaluations = (
        Evaluation.objects.for_office(office)
        .filter(enrolment__session__starts_at__date__range=(fiscal_year.start, fiscal_year.end))
        .aggregate(n=Count("id"), sat=Avg("satisfaction"), use=Avg("usefulness"))
    )
    total_hours = Enrolment.objects.for_office(office).filter(
        completed_on__range=(fiscal_year.start, fiscal_year.end)
    ).aggregate(h=Sum("session__course__hours"))["h"] or Decimal(0)
    result = compliance.summary(office, fiscal_year)
    figure = None
    if categories:
        figure = charts.bar_figure(
            title="分野別の受講者数（延べ）",
            labels=[label for label, _ in categories],
            values=[row["participants"] for _, row in categories],
            value_header="受講者数",
            unit="人",
            row_header="分野",
            chart_id="chart-categories",
        )
    return {
        "sessions": sessions,
        "categories": categories,
        "evaluations": evaluations,
        "total_hours": total_hours,
        "participants": sum(s.participants for s in sessions),
        "compliance": result,
        "figure": figure,
    }


def _now():
    from django.utils import timezone

    return timezone.now()


def build_council(params):
    office = _office(params)
    fiscal_year = FiscalYear(int(params.get("fiscal_year") or FiscalYear.current().year))
    data = council_data(office, fiscal_year)
    context = {
        "title": f"{fiscal_year.label} 研修実施状況報告書",
        "office": office,
        "fiscal_year": fiscal_year,
        "as_of": wareki(today()),
        **data,
    }
    return Built(
        title=f"研修実施状況報告書（{fiscal_year.label}）",
        html=render_to_string("training/pdf/council.html", context),
        facts={
            "fiscal_year": fiscal_year.year,
            "sessions": len(data["sessions"]),
            "participants": data["participants"],
        },
    )


register(
    ReportKind(
        key=COUNCIL,
        label="研修実施状況報告書（区企画調整会議 報告用）",
        description="年度の研修の実施回数、受講者数、研修時間、満足度と、課ごとの必修研修の受講状況。",
        build=build_council,
        office_of=lambda params: _office(params).pk,
        form=CouncilForm,
        default_params=default_params,
        params=(
            Param("fiscal_year", "年度（開始年。例：2026。省略時は今年度）"),
            Param("office", "区役所のID（省略時は最初の区役所）"),
        ),
        fact_labels={"sessions": "実施回数", "participants": "受講者数（延べ）"},
        order=60,
    )
)
