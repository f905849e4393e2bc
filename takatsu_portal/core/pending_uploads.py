"""Files that came with a form refused for another reason (#10.6): a browser never fills a
file input again, so a refused form would silently lose them. Each is kept under
MEDIA_ROOT/pending/ with a random name and a row (core.models.PendingUpload: whose, when, the
original name); the page carries their list, signed and tied to the user, in a hidden field
`pending_uploads`; sent again, the list gives the files back (as `File` objects that
`uploads.validate_upload` and a FileField accept), and once the form is saved they are
attached and their pending copies removed.

A file never attached expires after PENDING_UPLOAD_HOURS (24): the form no longer takes it
back, and `expire()` — run by the beat task `core.expire_pending_uploads` and the command
`manage.py expire_pending_uploads` — deletes its row and its file."""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from .models import PendingUpload
from .uploads import clean_upload_name

logger = logging.getLogger(__name__)

FIELD = "pending_uploads"
SALT = "takatsu_portal.core.pending_uploads"
FOLDER = "pending"


def lifetime():
    """How long a pending file is kept (PENDING_UPLOAD_HOURS)."""
    return timedelta(hours=settings.PENDING_UPLOAD_HOURS)


@dataclass(frozen=True)
class Pending:
    """The files a form carries over: the signed list for the hidden field, and their names
    to show."""

    token: str = ""
    names: tuple = ()
    paths: tuple = ()
    ids: tuple = ()

    def files(self):
        """The files, opened for reading, under their original names."""
        return [
            File(default_storage.open(path, "rb"), name=name)
            for path, name in zip(self.paths, self.names, strict=True)
        ]

    def discard(self):
        """Remove the pending copies and their rows (after they were attached)."""
        for path in self.paths:
            default_storage.delete(path)
        PendingUpload.objects.filter(pk__in=self.ids).delete()


def _rows(request):
    """The rows of the request's list, when it is genuine, this user's, not expired and their
    files are still there; else none."""
    token = request.POST.get(FIELD, "")
    if not token:
        return []
    try:
        data = signing.loads(token, salt=SALT, max_age=lifetime())
    except signing.BadSignature:
        return []
    if not isinstance(data, dict) or data.get("user") != request.user.pk:
        return []
    ids = [pk for pk in data.get("files", []) if isinstance(pk, int)]
    rows = PendingUpload.objects.filter(
        pk__in=ids, user=request.user, created_at__gte=timezone.now() - lifetime()
    ).in_bulk()
    return [rows[pk] for pk in ids if pk in rows and default_storage.exists(rows[pk].path)]


def pending_from(request):
    """The files carried over by the request's hidden field."""
    return _pending(request, _rows(request))


def keep(request, files, previous=None):
    """Store `files` (uploaded with a refused form) beside those of `previous`; the Pending to
    show on the page that re-renders the form."""
    rows = list(PendingUpload.objects.filter(pk__in=previous.ids)) if previous else []
    for uploaded in files:
        uploaded.seek(0)
        path = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}", uploaded)
        rows.append(
            PendingUpload.objects.create(
                user=request.user,
                path=path,
                name=clean_upload_name(uploaded.name or "") or "file",
            )
        )
    return _pending(request, rows)


def _pending(request, rows):
    if not rows:
        return Pending()
    token = signing.dumps({"user": request.user.pk, "files": [row.pk for row in rows]}, salt=SALT)
    return Pending(
        token=token,
        names=tuple(row.name for row in rows),
        paths=tuple(row.path for row in rows),
        ids=tuple(row.pk for row in rows),
    )


def expire(*, now=None):
    """Delete the pending files never attached, older than PENDING_UPLOAD_HOURS: their rows and
    their files, and any file of the folder older than that without a row (kept before rows
    existed, or whose row a failed request rolled back). Returns the number of files removed."""
    now = now or timezone.now()
    cutoff = now - lifetime()
    removed = 0
    for row in PendingUpload.objects.filter(created_at__lt=cutoff).iterator():
        default_storage.delete(row.path)
        row.delete()
        removed += 1
    try:
        _, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        names = []
    known = set(
        PendingUpload.objects.filter(path__in=[f"{FOLDER}/{n}" for n in names]).values_list(
            "path", flat=True
        )
    )
    for name in names:
        path = f"{FOLDER}/{name}"
        if path not in known and default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    if removed:
        logger.info("pending uploads expired: %s file(s) older than %s", removed, cutoff)
    return removed
