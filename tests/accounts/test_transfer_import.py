"""Staff transfers (人事異動) imported from a file: `manage.py staff_transfers_import` and the
admin's import page, all or nothing, every bad row reported with its number and reason."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from takatsu_portal.accounts.models import StaffTransfer
from takatsu_portal.accounts.roles import Role
from takatsu_portal.accounts.transfer_import import staff_transfers_check
from tests.factories import DepartmentFactory, OfficeFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "demo" / "data" / "staff_transfers_sample.csv"
HEADER = "職員番号,ユーザー名,異動先の区役所,異動先の課,異動日,備考"


@pytest.fixture
def city():
    takatsu = OfficeFactory(code="takatsu", name="高津区役所")
    miyamae = OfficeFactory(code="miyamae", name="宮前区役所")
    t_department = DepartmentFactory(office=takatsu, name="区民サービス部")
    m_department = DepartmentFactory(office=miyamae, name="区民サービス部")
    m_other = DepartmentFactory(office=miyamae, name="まちづくり推進部")
    sections = {
        "t_kumin": SectionFactory(department=t_department, name="区民課"),
        "m_koseki": SectionFactory(department=m_department, name="戸籍住民サービス課"),
        "m_somu1": SectionFactory(department=m_department, name="総務課"),
        "m_somu2": SectionFactory(department=m_other, name="総務課"),
        "t_chiiki": SectionFactory(department=t_department, name="地域振興課"),
    }
    people = {
        "hina": UserFactory(
            username="ito.hina", staff_number="100001", full_name="伊藤 陽菜",
            section=sections["t_kumin"],
        ),
        "sakai": UserFactory(
            username="miyamae.sakai", staff_number="200001", full_name="酒井 千尋",
            section=sections["m_koseki"],
        ),
    }  # fmt: skip
    return {"takatsu": takatsu, "miyamae": miyamae, **sections, **people}


def csv_file(tmp_path, *lines, name="transfers.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8-sig")
    return path


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("staff_transfers_import", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_registers_every_transfer_with_its_history(tmp_path, city):
    path = csv_file(
        tmp_path,
        "100001,,宮前区役所,戸籍住民サービス課,2027-04-01,定期人事異動",
        ",miyamae.sakai,takatsu,地域振興課,2027/4/1,",
    )
    out, err = run(path)
    assert "2件の異動を登録しました" in out and err == ""
    hina = StaffTransfer.objects.get(user=city["hina"], effective_on=datetime.date(2027, 4, 1))
    assert hina.to_section == city["m_koseki"] and hina.note == "定期人事異動"
    assert hina.applied_at is None
    assert hina.history.get().history_change_reason == "人事異動のファイルから登録（transfers.csv）"
    sakai = StaffTransfer.objects.get(user=city["sakai"])
    assert sakai.to_section == city["t_chiiki"]
    # Nothing moves before the date: the beat task applies them (accounts/transfers.py).
    city["hina"].refresh_from_db()
    assert city["hina"].section == city["t_kumin"]


def test_the_demo_sample_file_checks_against_the_demo_data():
    from demo.city import seed_city
    from tests.demo.seeding import parts

    parts(seed_city)  # 高津区's organisation and staff, and 宮前区's
    preview = staff_transfers_check(data=SAMPLE.read_bytes(), filename=SAMPLE.name)
    assert preview.error_lines() == []
    assert [row.to_section.department.office.name for row in preview.rows] == [
        "宮前区役所",
        "高津区役所",
        "高津区役所",
    ]


def test_an_xlsx_file_with_real_dates_works_the_same(tmp_path, city):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    day = datetime.date(2027, 4, 1)
    sheet.append([100001, None, "宮前区役所", "戸籍住民サービス課", day, None])
    path = tmp_path / "transfers.xlsx"
    book.save(path)
    run(path)
    assert StaffTransfer.objects.get().effective_on == datetime.date(2027, 4, 1)


BAD_ROWS = [
    (",nobody,宮前区役所,戸籍住民サービス課,2027-04-01,", "ユーザー名「nobody」の職員はいません"),
    ("999999,,宮前区役所,戸籍住民サービス課,2027-04-01,", "職員番号「999999」の職員はいません"),
    (",,宮前区役所,戸籍住民サービス課,2027-04-01,", "職員番号とユーザー名が空欄です"),
    ("100001,,川崎区役所,区民課,2027-04-01,", "区役所「川崎区役所」はありません"),
    ("100001,,宮前区役所,市民課,2027-04-01,", "課「市民課」はありません"),
    (
        "100001,,宮前区役所,地域振興課,2027-04-01,",
        "課「地域振興課」は宮前区役所の課ではありません（高津区役所の課です）",
    ),
    ("100001,,宮前区役所,総務課,2027-04-01,", "宮前区役所には課「総務課」が複数あります"),
    ("100001,,宮前区役所,戸籍住民サービス課,4月1日,", "異動日「4月1日」は日付として読めません"),
    ("100001,,宮前区役所,戸籍住民サービス課,2027-02-30,", "異動日「2027-02-30」は日付として"),
    ("100001,,宮前区役所,戸籍住民サービス課,,", "異動日が空欄です"),
    ("100001,miyamae.sakai,宮前区役所,戸籍住民サービス課,2027-04-01,", "別の職員を指しています"),
]


@pytest.mark.parametrize(("line", "reason"), BAD_ROWS)
def test_each_kind_of_bad_row_is_reported_with_its_number_and_nothing_is_written(
    tmp_path, city, line, reason
):
    path = csv_file(tmp_path, ",miyamae.sakai,高津区役所,区民課,2027-04-01,", line)
    with pytest.raises(CommandError, match="取り込めない行が1行あります。何も登録していません"):
        run(path)
    preview = staff_transfers_check(data=path.read_bytes(), filename=path.name)
    [line_text] = preview.error_lines()
    assert line_text.startswith("3行目：")
    assert reason in line_text
    assert not StaffTransfer.objects.exists()


def test_a_section_named_with_its_department_is_found(tmp_path, city):
    run(csv_file(tmp_path, "100001,,宮前区役所,まちづくり推進部／総務課,2027-04-01,"))
    assert StaffTransfer.objects.get().to_section == city["m_somu2"]


def test_a_person_twice_in_the_file_is_refused_on_the_second_row(tmp_path, city):
    path = csv_file(
        tmp_path,
        "100001,,宮前区役所,戸籍住民サービス課,2027-04-01,",
        ",ito.hina,高津区役所,地域振興課,2027年10月1日,",
    )
    preview = staff_transfers_check(data=path.read_bytes(), filename=path.name)
    assert preview.error_lines() == [
        "3行目：伊藤 陽菜さん（ito.hina）が2行目にもあります（一つのファイルに一人一行です）"
    ]


def test_a_transfer_already_registered_for_the_person_and_date_is_refused(tmp_path, city):
    StaffTransfer.objects.create(
        user=city["hina"], to_section=city["t_chiiki"], effective_on=datetime.date(2027, 4, 1)
    )
    path = csv_file(tmp_path, "100001,,宮前区役所,戸籍住民サービス課,2027-04-01,")
    with pytest.raises(CommandError):
        run(path)
    preview = staff_transfers_check(data=path.read_bytes(), filename=path.name)
    assert preview.error_lines() == [
        "2行目：伊藤 陽菜さんには2027年04月01日の異動がすでに登録されています（未反映）"
    ]
    assert StaffTransfer.objects.count() == 1


def test_every_bad_row_is_reported_not_only_the_first(tmp_path, city):
    path = csv_file(
        tmp_path,
        ",nobody,宮前区役所,戸籍住民サービス課,2027-04-01,",
        "100001,,宮前区役所,戸籍住民サービス課,2027-04-01,",
        "200001,,高津区役所,区民課,あした,",
    )
    with pytest.raises(CommandError, match="取り込めない行が2行あります"):
        _, err = run(path)
    preview = staff_transfers_check(data=path.read_bytes(), filename=path.name)
    assert [line.split("：")[0] for line in preview.error_lines()] == ["2行目", "4行目"]


def test_a_file_without_the_columns_is_refused_as_a_whole(tmp_path, city):
    path = tmp_path / "x.csv"
    path.write_text("氏名,課\n伊藤,区民課\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1行目（見出し）に「職員番号」又は「ユーザー名」"):
        run(path)


def test_check_only_writes_nothing(tmp_path, city):
    out, _ = run(csv_file(tmp_path, "100001,,宮前区役所,戸籍住民サービス課,2027-04-01,"), "--check")
    assert "すべて登録できます" in out
    assert not StaffTransfer.objects.exists()


# ---------------------------------------------------------------------------------------------
# The admin's import page


def upload(client, text, name="transfers.csv"):
    data = (HEADER + "\n" + text + "\n").encode("utf-8-sig")
    return client.post(
        reverse("admin:accounts_stafftransfer_import"),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_an_administrator_previews_then_confirms_the_import(client, city):
    admin_user = UserFactory(roles=[Role.ADMINISTRATOR])
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:accounts_stafftransfer_changelist")).content.decode()
    assert reverse("admin:accounts_stafftransfer_import") in changelist
    response = upload(client, "100001,,宮前区役所,戸籍住民サービス課,2027-04-01,定期")
    page = response.content.decode()
    assert response.status_code == 200
    assert "登録する異動（1件）" in page and "伊藤 陽菜" in page and "2027年4月1日" in page
    assert not StaffTransfer.objects.exists()  # a preview writes nothing
    token = response.context["token"]
    response = client.post(
        reverse("admin:accounts_stafftransfer_import"), {"confirm": "1", "token": token}
    )
    assert response.status_code == 302
    transfer = StaffTransfer.objects.get()
    assert transfer.created_by == admin_user and transfer.to_section == city["m_koseki"]
    # The same confirmation again registers nothing more.
    response = client.post(
        reverse("admin:accounts_stafftransfer_import"), {"confirm": "1", "token": token}
    )
    assert StaffTransfer.objects.count() == 1


def test_the_admin_page_lists_every_bad_row_and_offers_no_confirmation(client, city):
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    response = upload(
        client,
        ",nobody,宮前区役所,戸籍住民サービス課,2027-04-01,\n"
        "100001,,宮前区役所,地域振興課,2027-04-01,",
    )
    page = response.content.decode()
    assert "取り込めない行が2行あります" in page
    assert "2行目" in page and "ユーザー名「nobody」の職員はいません" in page
    assert "3行目" in page and "宮前区役所の課ではありません" in page
    assert 'name="confirm"' not in page
    assert not StaffTransfer.objects.exists()


def test_a_file_of_another_type_is_refused_on_the_form(client, city):
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    response = client.post(
        reverse("admin:accounts_stafftransfer_import"),
        {"file": SimpleUploadedFile("transfers.pdf", b"%PDF-1.4", content_type="application/pdf")},
    )
    assert response.status_code == 200
    assert "CSV（.csv）又はExcel（.xlsx）のファイルを選んでください" in response.content.decode()


@pytest.mark.parametrize("role", [Role.STAFF, Role.SUBCOMMITTEE])
def test_other_roles_cannot_reach_the_import_page(client, city, role):
    client.force_login(UserFactory(roles=[role]))
    response = upload(client, "100001,,宮前区役所,戸籍住民サービス課,2027-04-01,")
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert not StaffTransfer.objects.exists()


def test_the_city_planning_bureau_is_refused_with_its_reason(client, city):
    from takatsu_portal.accounts.permissions import CITY_READ_ONLY

    client.force_login(UserFactory(roles=[Role.CITY], section=None))
    response = upload(client, "100001,,宮前区役所,戸籍住民サービス課,2027-04-01,")
    assert response.status_code == 403
    assert CITY_READ_ONLY in response.content.decode()
    assert not StaffTransfer.objects.exists()


def test_the_preview_runs_the_same_queries_for_two_rows_and_twenty(client, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    people = [
        UserFactory(username=f"p{n}", staff_number=f"3000{n:02d}", section=city["t_kumin"])
        for n in range(20)
    ]
    upload(client, f"{people[0].staff_number},,宮前区役所,戸籍住民サービス課,2027-04-01,")
    counts = []  # after a first upload (which saves the session's first changes)
    for size in (2, 20):
        lines = "\n".join(
            f"{p.staff_number},,宮前区役所,戸籍住民サービス課,2027-04-01," for p in people[:size]
        )
        with CaptureQueriesContext(connection) as queries:
            response = upload(client, lines)
        assert f"登録する異動（{size}件）" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
