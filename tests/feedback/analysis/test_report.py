"""The resident satisfaction survey report (区民満足度調査報告書): built from factory data, its
PDF holds the headings and the numbers computed here from the same data, its font is
embedded; residents' free text and personal data never reach it; user text never makes
WeasyPrint fetch; a fixed number of queries as answers grow; the command, the form (the
user's own office only), the permissions and a job through report_request."""

import datetime
import re
import subprocess
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from feedback.analysis.report import (
    SatisfactionForm,
    answer_years,
    build_satisfaction,
    default_params,
)
from feedback.models import Question, ResidentVoice
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.reports.kinds import get_kind
from takatsu_portal.reports.models import ReportJob
from takatsu_portal.reports.rendering import make_fetcher, render_pdf, static_root
from takatsu_portal.reports.services import report_request
from tests.factories import OfficeFactory, UserFactory
from tests.feedback.factories import (
    AnswerFactory,
    ChoiceFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    VoiceFactory,
    WindowFactory,
)
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date
EVIL = '<img src="file:///etc/passwd"> 詳細は https://example.com/leak.png を参照'
FREE_TEXT = "受付の山田さんの説明が早口で聞き取れなかった"
RESIDENT_NAME = "高津花子"
RESIDENT_CONTACT = "090-1234-5678"
VOICE_SUMMARY = "転入手続きで長時間待たされた件"


def respond(survey, day, answers, *, window=None, channel="web", language="ja"):
    """A response with answers {question: value} (a list for several choices)."""
    response = ResponseFactory(
        survey=survey, submitted_on=day, window=window, channel=channel, language=language
    )
    for question, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            if question.kind in (Question.Kind.SATISFACTION, Question.Kind.NUMBER):
                fields = {"number": Decimal(one)}
            elif question.has_choices:
                fields = {"choice": one}
            else:
                fields = {"text": one}
            AnswerFactory(response=response, question=question, **fields)
    return response


def pct(part, whole):
    """A share in percent with one decimal, as the report prints it."""
    return f"{part * 100 / whole:.1f}%"


@pytest.fixture
def data(office, people, windows, survey):
    """Fiscal 2026: the main survey (four responses) and a second survey (one response);
    fiscal 2025: three responses of last year's survey. Voices of both years."""
    survey.title = "窓口サービス満足度アンケート"
    survey.save()
    j, h = windows.jumin, windows.hoken
    q = SimpleNamespace(
        sat=QuestionFactory(survey=survey, order=1, text="本日の窓口の対応"),
        purpose=QuestionFactory(survey=survey, order=2, kind="single", text="来庁の目的"),
        unclear=QuestionFactory(survey=survey, order=3, kind="multiple", text="分かりにくい点"),
        wait=QuestionFactory(survey=survey, order=4, kind="number", text="待ち時間（分）"),
        text=QuestionFactory(survey=survey, order=5, kind="text", text="ご意見・ご要望"),
    )
    move_in = ChoiceFactory(question=q.purpose, order=1, text="転入の届出")
    certificate = ChoiceFactory(question=q.purpose, order=2, text="証明書の請求")
    signs = ChoiceFactory(question=q.unclear, order=1, text="案内表示")
    forms_ = ChoiceFactory(question=q.unclear, order=2, text="書類の書き方")
    respond(
        survey,
        D(2026, 4, 10),
        {
            q.sat: 5,
            q.purpose: move_in,
            q.unclear: [signs, forms_],
            q.wait: 10,
            q.text: FREE_TEXT,
        },
        window=j,
    )
    respond(
        survey,
        D(2026, 4, 20),
        {q.sat: 3, q.purpose: certificate, q.unclear: [signs], q.wait: 20},
        window=j,
        channel="paper",
        language="en",
    )
    respond(
        survey,
        D(2026, 5, 5),
        {q.sat: 4, q.purpose: move_in, q.text: "駐輪場が狭い"},
        window=h,
    )
    respond(survey, D(2026, 6, 1), {q.sat: 1}, channel="import")

    second = SurveyFactory(
        office=office,
        created_by=people.subcommittee,
        title="転入者向けアンケート",
        opens_on=D(2026, 7, 1),
        closes_on=D(2026, 9, 30),
    )
    second_sat = QuestionFactory(survey=second, order=1, text="手続きの分かりやすさ")
    respond(second, D(2026, 7, 1), {second_sat: 5}, window=h)

    last = SurveyFactory(
        office=office,
        created_by=people.subcommittee,
        title="昨年度の窓口アンケート",
        opens_on=D(2025, 4, 1),
        closes_on=D(2026, 3, 31),
    )
    last_sat = QuestionFactory(survey=last, order=1)
    respond(last, D(2025, 4, 15), {last_sat: 2}, window=j)
    respond(last, D(2025, 5, 1), {last_sat: 5}, window=h)
    respond(last, D(2025, 6, 1), {last_sat: 4}, window=h)

    def voice(category, day, **fields):
        return VoiceFactory(
            office=office,
            section=j.section,
            category=category,
            received_on=day,
            due_on=day + datetime.timedelta(days=14),
            recorded_by=people.staff,
            **fields,
        )

    Cat = ResidentVoice.Category
    voice(
        Cat.WAITING,
        D(2026, 6, 3),
        contact_name=RESIDENT_NAME,
        contact_info=RESIDENT_CONTACT,
        summary=VOICE_SUMMARY,
    )
    voice(Cat.WAITING, D(2026, 6, 20))
    voice(Cat.MANNER, D(2026, 8, 2))
    voice(Cat.JARGON, D(2025, 9, 1))  # last fiscal year: not counted

    return SimpleNamespace(
        survey=survey,
        second=second,
        q=q,
        # The satisfaction points of fiscal 2026 and 2025, by window, as entered above.
        this_year={"jumin": [5, 3], "hoken": [4, 5], None: [1]},
        last_year=[2, 5, 4],
        months={4: [5, 3], 5: [4], 6: [1], 7: [5]},
        channels={"web": 3, "paper": 1, "import": 1},
        voices={"待ち時間": 2, "職員の対応": 1},
    )


def squeeze(text):
    return re.sub(r"\s", "", text)


def render_to(tmp_path, office, year=2026):
    fetcher = make_fetcher()
    built = build_satisfaction({"fiscal_year": year, "office": office.pk})
    pdf, pages = render_pdf(built.title, built.html, fetcher=fetcher)
    path = tmp_path / "satisfaction.pdf"
    path.write_bytes(pdf)
    return SimpleNamespace(path=path, pages=pages, fetcher=fetcher, built=built)


def satisfied(points):
    return sum(1 for p in points if p >= 4)


def test_pdf_has_headings_and_the_numbers_of_the_data_with_embedded_cjk_font(
    tmp_path, office, data
):
    out = render_to(tmp_path, office)
    text = pdf_text(out.path)
    flat = squeeze(text)
    for heading in [
        "区民満足度調査報告書",
        "令和8年度（2026年度）",
        "目次",
        "調査の概要",
        "満足度の前年度との比較",
        "窓口別の満足度",
        "課別の満足度",
        "月別の満足度",
        "アンケート別の結果",
        "区民の声の受付状況",
        "窓口サービス満足度アンケート",
        "転入者向けアンケート",
        office.name,
        "区企画調整会議",
    ]:
        assert squeeze(heading) in flat, heading

    # Overall this year against last year, computed here from the points entered.
    this_points = [p for points in data.this_year.values() for p in points]
    this_pct = satisfied(this_points) * 100 / len(this_points)
    last_pct = satisfied(data.last_year) * 100 / len(data.last_year)
    assert f"{this_pct:.1f}%" == "60.0%"
    assert f"「満足」「やや満足」の割合は{this_pct:.1f}%" in flat
    assert f"平均{sum(this_points) / len(this_points):.2f}" in flat
    assert (
        f"令和7年度の{last_pct:.1f}%から{abs(this_pct - last_pct):.1f}ポイント下がりました" in flat
    )
    assert f"{sum(data.last_year) / len(data.last_year):.2f}" in flat  # last year's mean

    # By window (and the section of each window): count, mean and share on one table row
    # (the chart's labels are lines of the text too; a table row has the mean).
    lines = text.splitlines()

    def table_row(label, points):
        mean = f"{sum(points) / len(points):.2f}"
        return next(
            cells for cells in map(str.split, lines) if cells[:1] == [label] and mean in cells
        )

    for name, section, points in [
        ("住民記録窓口", "区民課", data.this_year["jumin"]),
        ("国民健康保険窓口", "保険年金課", data.this_year["hoken"]),
        ("窓口の指定なし", "—", data.this_year[None]),
    ]:
        row = table_row(name, points)
        assert row[-4:] == [
            section,
            str(len(points)),
            f"{sum(points) / len(points):.2f}",
            pct(satisfied(points), len(points)),
        ]
    assert table_row("保険年金課", data.this_year["hoken"])[1:] == ["2", "4.50", pct(2, 2)]

    # By month: April this year.
    april, last_april = data.months[4], data.last_year[:1]
    assert table_row("2026年4月", april)[1:] == [
        str(len(april)),
        f"{sum(april) / len(april):.2f}",
        pct(satisfied(april), len(april)),
        str(len(last_april)),
        pct(satisfied(last_april), len(last_april)),
    ]

    # Responses of the year and by channel.
    responses = sum(data.channels.values())
    assert f"回答件数：{responses}件（アンケート2件）" in flat
    row = next(line for line in text.splitlines() if "紙（職員が入力）" in line)
    assert pct(data.channels["paper"], responses) in row

    # One survey's distributions: the satisfaction points, a single and a multiple choice.
    # A table's row holds bare numbers; the bar chart's line beside it says "件".
    def counts(label):
        n = len(label.split())
        return next(
            cells[n:]
            for cells in map(str.split, lines)
            if cells[:n] == label.split() and cells[n:] and not any("件" in c for c in cells)
        )

    main_points = [5, 3, 4, 1]
    for point, name in [(5, "満足"), (3, "ふつう"), (2, "やや不満")]:
        assert counts(f"{point} {name}") == [
            str(main_points.count(point)),
            pct(main_points.count(point), len(main_points)),
        ]
    assert counts("転入の届出") == ["2", pct(2, 3)]
    assert counts("証明書の請求") == ["1", pct(1, 3)]
    assert counts("案内表示") == ["2", pct(2, 2)]  # both respondents of the multiple choice
    assert counts("書類の書き方") == ["1", pct(1, 2)]
    assert "回答者2人" in flat
    # The waiting time (10 and 20 minutes): answers, minimum, mean, maximum.
    assert re.search(r"^\s*2\s+10\s+15\.00\s+20\s*$", text, re.MULTILINE)
    assert "自由記述の回答：2件（内容は掲載していません）" in flat

    # Resident voices of the year by category: twelve months and the total.
    assert f"受付件数{sum(data.voices.values())}件" in flat
    for label, count in data.voices.items():
        assert counts(label)[-1] == str(count)
    assert counts("役所言葉・専門用語") == ["0"] * 13  # last year's voice is not counted
    assert ["区民課", "3"] in [line.split() for line in lines]  # by section

    # Pages: numbered "n / N", the running header on inner pages, the CJK font embedded.
    assert out.pages >= 8
    assert re.search(rf"\b2 ?/ ?{out.pages}\b", text)
    pages = text.split("\f")
    assert "令和8年度 区民満足度調査報告書" in pages[1] and office.name in pages[1]
    fonts = subprocess.run(
        ["pdffonts", str(out.path)], capture_output=True, text=True, check=True
    ).stdout
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK-JP" in line]
    assert cjk and all(" yes " in line for line in cjk)
    assert out.built.facts == {"fiscal_year": 2026, "surveys": 2, "responses": responses}


def test_free_text_and_residents_names_and_contacts_never_reach_the_report(tmp_path, office, data):
    out = render_to(tmp_path, office)
    flat = squeeze(pdf_text(out.path, layout=False))
    for secret in [FREE_TEXT, "駐輪場が狭い", RESIDENT_NAME, RESIDENT_CONTACT, VOICE_SUMMARY]:
        assert squeeze(secret) not in flat, secret
        assert secret not in out.built.html, secret
    body = ResidentVoice.objects.filter(contact_name=RESIDENT_NAME).get().body
    assert squeeze(body) not in flat


def test_user_text_in_a_survey_title_and_a_window_name_renders_as_text_and_fetches_nothing(
    tmp_path, office, people, sections
):
    window = WindowFactory(section=sections.kumin, name=EVIL)
    survey = SurveyFactory(office=office, created_by=people.subcommittee, title=EVIL)
    survey.windows.set([window])
    question = QuestionFactory(survey=survey, order=1, text=EVIL)
    respond(survey, D(2026, 5, 1), {question: 4}, window=window)
    out = render_to(tmp_path, office)
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in out.built.html
    assert '<img src="file:///etc/passwd">' not in out.built.html
    text = squeeze(pdf_text(out.path, layout=False))
    assert '<imgsrc="file:///etc/passwd">' in text and "https://example.com/leak.png" in text
    assert out.fetcher.calls == [(static_root() / "css" / "print.css").as_uri()]


def test_window_table_breaks_across_pages_with_its_header_repeated(
    tmp_path, office, people, sections
):
    survey = SurveyFactory(office=office, created_by=people.subcommittee)
    question = QuestionFactory(survey=survey, order=1)
    for n in range(45):
        window = WindowFactory(section=sections.hoken, name=f"証明書発行窓口{n:02d}")
        respond(
            survey, D(2026, 4, 1) + datetime.timedelta(days=n), {question: 1 + n % 5}, window=window
        )
    out = render_to(tmp_path, office)
    # The window chart is drawn in three parts of at most 20 bars, so that none is taller
    # than a page (a chart is never split).
    assert "窓口別の満足・やや満足の割合（令和8年度）（3/3）" in out.built.html
    pages = pdf_text(out.path).split("\f")
    with_header = [p for p in pages if "証明書発行窓口" in p and "平均（5点満点）" in p]
    assert len(with_header) >= 2


# A fixed part (office, surveys and their windows, questions and choices, the office-wide
# analysis, the voices) and at most eight per survey (survey_results): two surveys here.
MAX_QUERIES = 16 + 8 * 2


def test_queries_do_not_grow_with_the_number_of_answers(
    office, data, windows, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        build_satisfaction({"fiscal_year": 2026, "office": office.pk})
    for n in range(60):
        respond(
            data.survey,
            D(2026, 4, 1) + datetime.timedelta(days=3 * n),
            {data.q.sat: 1 + n % 5, data.q.wait: n, data.q.text: f"意見{n}"},
            window=windows.jumin if n % 2 else windows.hoken,
            channel="paper",
        )
        VoiceFactory(office=office, section=windows.jumin.section, received_on=D(2026, 10, 1))
    with django_assert_max_num_queries(MAX_QUERIES) as large:
        built = build_satisfaction({"fiscal_year": 2026, "office": office.pk})
    assert len(large) == len(small)
    assert built.facts["responses"] == 5 + 60


def test_an_office_without_surveys_in_the_year_is_refused_in_japanese(office, data):
    with pytest.raises(ValueError, match="令和6年度（2024年度）のアンケートがありません"):
        build_satisfaction({"fiscal_year": 2024, "office": office.pk})
    other = OfficeFactory(code="miyamae", name="宮前区役所")
    with pytest.raises(ValueError, match="宮前区役所には"):
        build_satisfaction({"fiscal_year": 2026, "office": other.pk})


def test_render_report_command_with_options_and_with_none(tmp_path, office, data):
    out = tmp_path / "cli.pdf"
    call_command("render_report", "satisfaction", "--output", str(out))
    assert "転入者向けアンケート" in pdf_text(out)
    out2 = tmp_path / "cli2.pdf"
    call_command(
        "render_report",
        "satisfaction",
        "--fiscal-year",
        "2026",
        "--office",
        str(office.pk),
        "--output",
        str(out2),
    )
    assert "令和8年度" in pdf_text(out2)
    with pytest.raises(CommandError, match="アンケートがありません"):
        call_command(
            "render_report", "satisfaction", "--fiscal-year", "2020", "--output", str(out2)
        )


def test_default_params_take_the_current_year_else_the_newest_with_answers(office, data):
    assert answer_years(office) == [2026, 2025]
    params = default_params()
    assert params["office"] == office.pk
    current = FiscalYear.current().year
    # The current year when it has answers, else the newest that has.
    assert params["fiscal_year"] == (current if current in (2026, 2025) else 2026)


def test_form_offers_the_years_of_the_users_office_and_adds_that_office(
    office, people, data, stranger
):
    form = SatisfactionForm(user=people.subcommittee)
    assert [value for value, _ in form.fields["fiscal_year"].choices] == [2026, 2025]
    assert "office" not in form.fields
    bound = SatisfactionForm({"fiscal_year": "2026", "office": "999"}, user=people.subcommittee)
    assert bound.is_valid(), bound.errors
    assert bound.params() == {"fiscal_year": 2026, "office": office.pk}

    # Charlie of another office sees none of this office's years and cannot name it.
    theirs = SatisfactionForm({"fiscal_year": "2026", "office": str(office.pk)}, user=stranger)
    assert theirs.fields["fiscal_year"].choices == []
    assert not theirs.is_valid()


def test_a_user_without_an_office_chooses_one(office, data):
    admin = UserFactory(username="root", roles=[Role.ADMINISTRATOR], section=None)
    form = SatisfactionForm({"fiscal_year": "2026", "office": str(office.pk)}, user=admin)
    assert "office" in form.fields
    assert form.is_valid(), form.errors
    assert form.params() == {"fiscal_year": 2026, "office": office.pk}


def test_subcommittee_member_requests_the_report_and_the_job_succeeds(
    client, people, office, data, django_capture_on_commit_callbacks
):
    client.force_login(people.subcommittee)
    page = client.get(reverse("reports:index")).content.decode()
    assert "区民満足度調査報告書（区企画調整会議 報告用）" in page
    assert 'name="satisfaction-fiscal_year"' in page and "令和7年度（2025年度）" in page
    assert 'name="satisfaction-office"' not in page  # the user's own office, not a choice
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request", args=["satisfaction"]), {"satisfaction-fiscal_year": "2026"}
        )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.params == {"fiscal_year": 2026, "office": office.pk}
    assert job.office == office
    assert job.state == ReportJob.State.SUCCEEDED
    assert job.version.snapshot["facts"] == {"fiscal_year": 2026, "surveys": 2, "responses": 5}
    assert job.version.page_count >= 8

    client.force_login(people.council)
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_report_request_service_makes_a_succeeded_job(
    people, office, data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(
            kind="satisfaction",
            params={"fiscal_year": 2026, "office": office.pk},
            by=people.subcommittee,
        )
    job.refresh_from_db()
    assert job.state == ReportJob.State.SUCCEEDED
    assert job.version.title == f"{office.name} 区民満足度調査報告書（令和8年度）"


def test_staff_may_neither_request_nor_read_the_report(
    client, people, office, data, django_capture_on_commit_callbacks
):
    client.force_login(people.staff)
    response = client.post(
        reverse("reports:request", args=["satisfaction"]), {"satisfaction-fiscal_year": "2026"}
    )
    assert response.status_code == 403
    assert not ReportJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(
            kind="satisfaction",
            params={"fiscal_year": 2026, "office": office.pk},
            by=people.subcommittee,
        )
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 403


def test_stranger_of_another_office_cannot_ask_for_or_read_this_offices_report(
    client, stranger, people, office, data, django_capture_on_commit_callbacks
):
    client.force_login(stranger)
    response = client.post(
        reverse("reports:request", args=["satisfaction"]),
        {"satisfaction-fiscal_year": "2026", "satisfaction-office": str(office.pk)},
    )
    assert response.status_code == 400
    assert not ReportJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(
            kind="satisfaction",
            params={"fiscal_year": 2026, "office": office.pk},
            by=people.subcommittee,
        )
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_kind_reads_with_the_results_rule_and_is_asked_for_like_every_council_paper():
    kind = get_kind("satisfaction")
    assert kind.permission == "feedback.view_results"
    assert kind.request_permission == "portal.request_reports"
    assert kind.order == 50
    assert [param.name for param in kind.params] == ["fiscal_year", "office"]


@pytest.mark.django_db
def test_the_years_offered_are_those_of_the_surveys_with_answers(
    time_machine, django_assert_max_num_queries
):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 12, 0))
    office = OfficeFactory()
    elsewhere = OfficeFactory(code="miyamae", name="宮前区役所")
    # Open from February to May 2026: fiscal 2025 and 2026.
    spanning = SurveyFactory(
        office=office, opens_on=datetime.date(2026, 2, 1), closes_on=datetime.date(2026, 5, 31)
    )
    ResponseFactory(survey=spanning, submitted_on=datetime.date(2026, 2, 10))
    # Fiscal 2024, but nobody answered it.
    SurveyFactory(
        office=office, opens_on=datetime.date(2024, 6, 1), closes_on=datetime.date(2024, 9, 30)
    )
    # Another office's fiscal 2023 survey.
    ResponseFactory(
        survey=SurveyFactory(
            office=elsewhere,
            opens_on=datetime.date(2023, 6, 1),
            closes_on=datetime.date(2023, 9, 30),
        ),
        submitted_on=datetime.date(2023, 7, 1),
    )
    # Open until 2028: only the years up to today count.
    ResponseFactory(
        survey=SurveyFactory(
            office=office, opens_on=datetime.date(2026, 10, 1), closes_on=datetime.date(2028, 3, 31)
        ),
        submitted_on=datetime.date(2026, 10, 2),
    )
    with django_assert_max_num_queries(1):
        assert answer_years(office) == [2026, 2025]
    assert answer_years() == [2026, 2025, 2023]
