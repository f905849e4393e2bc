"""`manage.py expire_pending_uploads`: delete the files of refused forms never attached.

A file kept with a refused form (core.pending_uploads) that no corrected form attached within
PENDING_UPLOAD_HOURS (a setting, default 24) is deleted with its row. Celery beat runs it every
hour (`core.expire_pending_uploads`); a second run finds nothing to do.
"""

from django.core.management.base import BaseCommand

from takatsu_portal.core import pending_uploads


class Command(BaseCommand):
    help = (
        "保存されないまま設定 PENDING_UPLOAD_HOURS（既定24時間）を過ぎた、保存待ちのファイルを"
        "削除します。 / Delete the pending uploads of refused forms older than "
        "PENDING_UPLOAD_HOURS (default 24) that were never attached."
    )

    def handle(self, *args, **options):
        removed = pending_uploads.expire()
        self.stdout.write(f"保存待ちのファイルを{removed}件削除しました。")
