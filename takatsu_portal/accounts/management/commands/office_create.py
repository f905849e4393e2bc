"""manage.py office_create --code miyamae --name 宮前区役所 organisation.xlsx

Creates a ward office with its own copy of the city's guideline, its departments, sections
and staff from one CSV or .xlsx file (columns in README, sample in demo/data/), all or
nothing: every bad row is reported with its row number and nothing is written."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from takatsu_portal.accounts.office_setup import (
    office_setup_check,
    office_setup_refusal,
    office_setup_write,
)
from takatsu_portal.core.tabular import ImportRefused


class Command(BaseCommand):
    help = (
        "区役所を、部・課・職員の一覧（CSV又はExcel）から作成します"
        "（一行でも誤りがあれば何も作りません）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="部・課・職員の一覧（.csv 又は .xlsx）")
        parser.add_argument("--code", required=True, help="区役所のコード（例：miyamae）")
        parser.add_argument("--name", required=True, help="区役所の名称（例：宮前区役所）")
        parser.add_argument("--sort-order", type=int, default=0, help="表示順")

    def handle(self, *args, file, code, name, sort_order, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ファイル「{file}」がありません。")
        refusal = office_setup_refusal(code=code, name=name)
        if refusal:
            raise CommandError(refusal)
        try:
            preview = office_setup_check(data=path.read_bytes(), filename=path.name)
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        if not preview.is_valid:
            for line in preview.error_lines():
                self.stderr.write(line)
            raise CommandError(
                f"取り込めない行が{len(preview.bad_rows)}行あります。何も作成していません。"
                "ファイルを直して、もう一度実行してください。"
            )
        office = office_setup_write(preview=preview, code=code, name=name, sort_order=sort_order)
        self.stdout.write(
            f"{office.name}（{office.code}）を作成しました：部{len(preview.departments)}、"
            f"課{len(preview.sections)}、職員{len(preview.staff)}人。"
            "基本方針と具体的な取組は市の指針から写しました（管理画面で区の言葉に直せます）。"
        )
