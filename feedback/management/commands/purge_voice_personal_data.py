"""`manage.py purge_voice_personal_data`: remove the personal data of old resident voices.

The name and contact of a resident voice are kept for VOICE_PERSONAL_DATA_YEARS years (a setting,
default 5) after the day
the voice was received, whatever its state, and then blanked; the voice itself (what was said,
the answer, the dates) stays for the statistics. Run it daily (cron or Celery beat). It is
idempotent: a second run finds nothing to do. `--dry-run` only counts.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...voices.services import purge_personal_data, retention_cutoff


class Command(BaseCommand):
    help = (
        "受付日から一定の年数（既定は設定 VOICE_PERSONAL_DATA_YEARS）を過ぎた区民の声の氏名・"
        "連絡先を削除します。区民の声の内容は残ります。--dry-run は件数を数えるだけです。 / "
        "Blank the name and contact of resident voices received more than N years ago "
        "(default: the VOICE_PERSONAL_DATA_YEARS setting); the voices themselves stay. "
        "--dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help="保存年数（受付日からの年数。省略時は設定 VOICE_PERSONAL_DATA_YEARS）",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="削除せず、対象の件数だけを表示します"
        )

    def handle(self, *args, years, dry_run, **options):
        if years is None:
            years = settings.VOICE_PERSONAL_DATA_YEARS
        if years < 1:
            raise CommandError("--years には1以上の年数を指定してください。")
        cutoff = retention_cutoff(years)
        count = purge_personal_data(years=years, dry_run=dry_run)
        scope = f"受付日が{cutoff:%Y年%-m月%-d日}より前（{years}年より前）の区民の声"
        if dry_run:
            self.stdout.write(
                f"{scope}のうち、個人情報を削除する対象は{count}件です"
                "（--dry-run のため変更していません）。"
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{scope}のうち、{count}件の個人情報（氏名・連絡先）を削除しました。"
                )
            )
