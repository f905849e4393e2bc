"""manage.py restore ARCHIVE: an archive of `manage.py backup` into an empty install."""

from django.core.management.base import BaseCommand, CommandError

from takatsu_portal.core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Restore an archive of `manage.py backup` into an empty database and an empty media "
        "folder, after checking every checksum. --check only checks the archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--check", action="store_true", help="check the archive's checksums, restore nothing"
        )

    def handle(self, *args, archive, check=False, **options):
        try:
            manifest = backup_verify(archive) if check else backup_restore(archive=archive)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        files = len(manifest["files"]) - 1
        done = "確認しました" if check else "復元しました"
        self.stdout.write(
            f"{archive}: {manifest['created_at']} のバックアップ（ファイル {files} 件）を{done}。"
        )
