"""List pages at two sizes, the summary's numbers, the home page's overdue findings, and the
council's inspection report (photos embedded as data: URIs; the PDF fetches nothing else)."""

import datetime
import re

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import Finding, Rating
from inspections.report_kinds import build_inspection, inspection_context
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.reports.kinds import get_kind
from takatsu_portal.reports.rendering import make_fetcher, render_pdf

from .conftest import item, upload

CODES = ["物-02", "物-03", "物-04", "情-01", "情-02", "心-01", "心-05"]


def needs(inspection, place, code, by, **kwargs):
    return services.answer_record(
        inspection=inspection,
        place=place,
        item=item(inspection, code),
        by=by,
        rating=Rating.NEEDS,
        **kwargs,
    ).finding


def many_inspections(office, people, places, template, count):
    made = []
    for n in range(count):
        inspection = services.inspection_create(
            office=office,
            by=people.subcommittee,
            title=f"点検{n}",
            inspected_on=datetime.date(2025, 4, 1) + datetime.timedelta(days=n),
            template=template,
            places=[places.entrance],
        )
        for code in CODES[: 1 + n % len(CODES)]:
            needs(inspection, places.entrance, code, people.subcommittee)
        made.append(inspection)
    return made


@pytest.mark.parametrize("name", ["index", "finding_list"])
def test_list_pages_run_a_fixed_number_of_queries(
    client, people, places, shipped_template, office, django_assert_max_num_queries, name
):
    client.force_login(people.subcommittee)
    many_inspections(office, people, places, shipped_template, 2)
    with django_assert_max_num_queries(14) as small:
        assert client.get(reverse(f"inspections:{name}")).status_code == 200
    many_inspections(office, people, places, shipped_template, 8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(f"inspections:{name}")).status_code == 200


def test_the_inspection_page_runs_a_fixed_number_of_queries(
    client, people, places, shipped_template, office, django_assert_max_num_queries
):
    client.force_login(people.subcommittee)
    (small,) = many_inspections(office, people, places, shipped_template, 1)
    with django_assert_max_num_queries(40) as counted:
        client.get(small.get_absolute_url())
    large = services.inspection_create(
        office=office,
        by=people.subcommittee,
        title="大きな点検",
        inspected_on=datetime.date(2026, 5, 1),
        template=shipped_template,
        places=[places.entrance, places.counter, places.ramp],
    )
    for code in CODES:
        needs(large, places.entrance, code, people.subcommittee)
    with django_assert_max_num_queries(len(counted.captured_queries)):
        client.get(large.get_absolute_url())


@pytest.fixture
def two_years(inspection, people, places, shipped_template, office, media):
    """Last year's inspection with a finding closed in time, one closed late and one open;
    this year's with a finding turned into a proposal."""
    last = services.inspection_create(
        office=office,
        by=people.subcommittee,
        title="令和7年度の点検",
        inspected_on=datetime.date(2025, 10, 1),
        template=shipped_template,
        places=[places.entrance, places.counter],
    )
    on_time = needs(last, places.entrance, "物-02", people.subcommittee, severity="high")
    late = needs(last, places.counter, "情-04", people.subcommittee)
    needs(last, places.counter, "心-02", people.subcommittee)
    for finding, day in ((on_time, datetime.date(2025, 10, 20)), (late, datetime.date(2026, 3, 1))):
        services.finding_correct(
            finding=finding,
            by=people.subcommittee,
            expected_version=finding.version,
            correction="直した",
            corrected_on=day,
            photo=upload(),
        )
        finding.refresh_from_db()
        services.finding_recheck(
            finding=finding,
            by=people.subcommittee,
            expected_version=finding.version,
            confirmed=True,
            checked_on=day,
        )
    this = needs(inspection, places.entrance, "情-01", people.subcommittee, photo=upload())
    return {"last": last, "on_time": on_time, "late": late, "this": this}


def test_the_summary_counts_by_barrier_place_and_state_over_years(client, people, two_years):
    client.force_login(people.council)
    body = client.get(reverse("inspections:summary")).content.decode()
    assert "指摘事項：4件" in body
    assert "バリア別の指摘事項（全年度）" in body  # a chart ...
    assert "バリア別の指摘事項（全年度）（表）" in body  # ... with its table
    assert "期限内に完了した指摘事項の割合（年度別）（表）" in body
    # 令和7年度: 3 findings, 2 closed, 1 within its due date.
    row = re.search(
        r"令和7年度（2025年度）</th>\s*<td[^>]*>(\d+)件</td>\s*<td[^>]*>(\d+)件</td>\s*<td[^>]*>(\d+)件</td>\s*<td[^>]*>\s*([\d.]+)%",
        body,
    )
    assert row is not None, body
    assert row.groups() == ("3", "2", "1", "33.3")
    body = client.get(reverse("inspections:summary") + "?fiscal_year=2026").content.decode()
    assert "指摘事項：1件" in body


def test_overdue_findings_appear_on_the_sections_and_the_subcommittees_home_page(
    client, people, two_years
):
    # 令和7年度's open finding (心-02, due 90 days after 2025-10-01) is overdue today.
    open_one = Finding.objects.get(item__code="心-02")
    assert open_one.is_overdue
    for who in (people.staff, people.manager, people.subcommittee):
        client.force_login(who)
        body = client.get(reverse("home")).content.decode()
        assert "対応期限を過ぎて" in body or "対応期限を過ぎた" in body, who
    client.force_login(people.hoken_staff)
    assert "点検の指摘事項" not in client.get(reverse("home")).content.decode()


def test_the_inspection_report_embeds_before_and_after_photos_as_data_uris(people, two_years):
    last = two_years["last"]
    context = inspection_context(last)
    entry = next(e for e in context["entries"] if e["finding"] == two_years["on_time"])
    assert entry["after"] and entry["after"][0][1].startswith("data:image/jpeg;base64,")
    built = build_inspection({"inspection": last.pk})
    assert "令和7年度の点検" in built.title
    assert built.facts == {"fiscal_year": 2025, "inspection": last.pk, "findings": 3}
    # The only URLs in the HTML are the stylesheet and data: images.
    urls = set(re.findall(r'(?:src|href)="([^"]+)"', built.html))
    assert {u.split(",")[0] for u in urls} <= {"css/print.css", "data:image/jpeg;base64"}
    fetcher = make_fetcher()
    pdf, pages = render_pdf(built.title, built.html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF") and pages >= 2
    assert all(url.startswith(("data:image/", "file://")) for url in fetcher.calls)
    # Two after photos (identical pictures, so WeasyPrint fetches their data: URI once).
    assert built.html.count('src="data:image/jpeg;base64,') == 2
    assert any(url.startswith("data:image/") for url in fetcher.calls)


def test_the_report_kind_offers_only_the_users_offices_inspections(people, two_years, stranger):
    kind = get_kind("inspection")
    form = kind.form(user=people.subcommittee)
    assert set(form.fields["inspection"].queryset) == {
        two_years["last"],
        two_years["this"].inspection,
    }
    assert not kind.form(user=stranger).fields["inspection"].queryset.exists()


def test_fiscal_years_come_from_the_inspection_dates(two_years):
    from inspections.summary import fiscal_years

    assert fiscal_years(Finding.objects.all()) == [2026, 2025]
    assert FiscalYear(2025).start == datetime.date(2025, 4, 1)
