"""manage.py backup: one archive of the database and the media folder (core/backup.py)."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from takatsu_portal.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one archive of the PostgreSQL database (pg_dump, custom format) and the media "
        "folder, with a manifest of SHA-256 checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="the archive to write (default: var/backups/takatsu-<date>-<time>.tar)",
        )

    def handle(self, *args, output=None, **options):
        if not output:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BASE_DIR) / "var" / "backups" / f"takatsu-{stamp}.tar"
        try:
            manifest = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = len(manifest["files"]) - 1
        size = Path(output).stat().st_size
        self.stdout.write(f"{output}: データベースとファイル {files} 件（{size:,} バイト）")
