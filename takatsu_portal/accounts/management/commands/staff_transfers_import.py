"""manage.py staff_transfers_import transfers.xlsx

Registers staff transfers (人事異動) from one CSV or .xlsx file (columns in README, sample in
demo/data/), all or nothing: every bad row is reported with its row number and nothing is
written. The transfers are applied on their date by the beat task, as those of the admin."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from takatsu_portal.accounts.transfer_import import (
    staff_transfers_check,
    staff_transfers_import,
)
from takatsu_portal.core.tabular import ImportRefused


class Command(BaseCommand):
    help = (
        "人事異動を、職員・異動先の区役所と課・異動日の一覧（CSV又はExcel）から登録します"
        "（一行でも誤りがあれば何も登録しません）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="人事異動の一覧（.csv 又は .xlsx）")
        parser.add_argument("--check", action="store_true", help="確認だけして、何も登録しません")

    def handle(self, *args, file, check, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ファイル「{file}」がありません。")
        data = path.read_bytes()
        try:
            preview = staff_transfers_check(data=data, filename=path.name)
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        if not preview.is_valid:
            for line in preview.error_lines():
                self.stderr.write(line)
            raise CommandError(
                f"取り込めない行が{len(preview.bad_rows)}行あります。何も登録していません。"
                "ファイルを直して、もう一度実行してください。"
            )
        if check:
            self.stdout.write(f"{len(preview.rows)}件の異動は、すべて登録できます（確認のみ）。")
            return
        try:
            transfers = staff_transfers_import(data=data, filename=path.name, by=None)
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{len(transfers)}件の異動を登録しました。発令日に所属が変わります"
            "（毎日の定時処理で反映します）。"
        )
