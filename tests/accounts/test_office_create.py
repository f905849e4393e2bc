"""manage.py office_create: a new ward office with its guideline copy, departments, sections
and staff from one CSV or .xlsx file, all or nothing, every bad row reported by number."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from takatsu_portal.accounts.models import Department, Office, Section, User
from takatsu_portal.accounts.roles import Role, roles_of
from takatsu_portal.core.models import InitiativeArea, Policy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "demo" / "data" / "office_create_sample.csv"
HEADER = ["部", "課", "ユーザー名", "職員番号", "氏名", "ふりがな", "メールアドレス", "役割"]


def run(path, code="saiwai", name="幸区役所"):
    out, err = io.StringIO(), io.StringIO()
    call_command("office_create", str(path), code=code, name=name, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def xlsx(tmp_path, rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    path = tmp_path / "office.xlsx"
    workbook.save(path)
    return path


def test_the_sample_file_creates_the_office_its_guideline_sections_and_staff():
    out, err = run(SAMPLE)
    office = Office.objects.get(code="saiwai")
    assert office.name == "幸区役所"
    assert "部2、課4、職員5人" in out and err == ""
    assert list(office.departments.values_list("name", flat=True)) == [
        "幸区まちづくり推進部",
        "幸区役所区民サービス部",
    ]
    assert list(Section.objects.for_office(office).values_list("name", flat=True)) == [
        "総務課",
        "地域振興課",
        "区民課",
        "保険年金課",
    ]
    sub = User.objects.get(username="saiwai-sub")
    assert sub.office == office and sub.section.name == "総務課"
    assert sub.full_name == "小倉 美咲" and sub.staff_number == "310002"
    assert roles_of(sub) == {Role.STAFF, Role.SUBCOMMITTEE}
    assert roles_of(User.objects.get(username="saiwai-staff")) == {Role.STAFF}
    assert roles_of(User.objects.get(username="saiwai-admin")) == {Role.ADMINISTRATOR}
    assert not sub.has_usable_password()
    assert sub.history.first().history_change_reason == "区役所の設定ファイルから作成"
    assert Policy.objects.for_office(office).count() == 5
    assert InitiativeArea.objects.for_office(office).count() == 6


def test_an_xlsx_file_works_the_same(tmp_path):
    path = xlsx(
        tmp_path, [["区民部", "区民課", "tama1", 320001, "多摩 太郎", "たま たろう", "", "職員"]]
    )
    run(path, code="tama", name="多摩区役所")
    user = User.objects.get(username="tama1")
    assert user.staff_number == "320001" and user.office.code == "tama"


def test_a_file_with_two_bad_rows_reports_both_and_writes_nothing(tmp_path):
    UserFactory(username="taken")
    path = xlsx(
        tmp_path,
        [
            ["区民部", "区民課", "good1", "1", "良い 人", "よい ひと", "", "職員"],
            ["区民部", "区民課", "taken", "2", "重複 人", "", "", "職員"],
            ["区民部", "区民課", "good2", "3", "良い 人2", "", "", "職員"],
            ["区民部", "", "nosection", "4", "", "カタカナ", "not-an-address", "部長"],
        ],
    )
    before = (Office.objects.count(), Department.objects.count(), User.objects.count())
    with pytest.raises(CommandError, match="取り込めない行が2行あります。何も作成していません"):
        run(path)
    assert (Office.objects.count(), Department.objects.count(), User.objects.count()) == before
    assert not Policy.objects.filter(office__code="saiwai").exists()


def test_every_bad_row_is_reported_with_its_row_number_in_japanese(tmp_path):
    UserFactory(username="taken")
    path = xlsx(
        tmp_path,
        [
            ["区民部", "区民課", "good1", "1", "良い 人", "", "", ""],
            ["区民部", "区民課", "taken", "2", "重複 人", "", "", ""],
            ["区民部", "", "nosection", "1", "", "abc", "not-an-address", "部長"],
        ],
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("office_create", str(path), code="saiwai", name="幸区役所", stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0] == "3行目：ユーザー名「taken」はすでに使われています"
    assert lines[1].startswith("4行目：課が空欄です")
    for reason in (
        "氏名が空欄です",
        "職員番号「1」が2行目と重複しています",
        "ふりがなは、ひらがな又はカタカナで入力してください",
        "メールアドレス「not-an-address」の形式が正しくありません",
        "役割「部長」はありません",
    ):
        assert reason in lines[1]


def test_an_existing_office_code_or_a_missing_column_is_refused_before_reading_rows(tmp_path):
    Office.objects.create(code="saiwai", name="別の区役所")
    with pytest.raises(CommandError, match="コード「saiwai」の区役所はすでにあります"):
        run(SAMPLE)
    path = tmp_path / "office.csv"
    path.write_text("部,課,氏名\n区民部,区民課,名前\n", encoding="utf-8")
    with pytest.raises(CommandError, match="「ユーザー名」の列がありません"):
        run(path, code="tama", name="多摩区役所")
    assert not Office.objects.filter(code="tama").exists()
