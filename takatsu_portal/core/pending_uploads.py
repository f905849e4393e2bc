"""Files that came with a form refused for another reason (#10.6): a browser never fills a
file input again, so a refused form would silently lose them. They are kept under
MEDIA_ROOT/pending/ with random names; the page carries their list, signed and tied to the
user, in a hidden field `pending_uploads`; sent again, the list gives the files back (as
`File` objects that `uploads.validate_upload` and a FileField accept), and once the form is
saved they are attached and their pending copies removed. A list is good for a day."""

import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage

from .uploads import clean_upload_name

FIELD = "pending_uploads"
SALT = "takatsu_portal.core.pending_uploads"
MAX_AGE = 24 * 3600
FOLDER = "pending"


@dataclass(frozen=True)
class Pending:
    """The files a form carries over: the signed list for the hidden field, and their names
    to show."""

    token: str = ""
    names: tuple = ()
    paths: tuple = ()

    def files(self):
        """The files, opened for reading, under their original names."""
        return [
            File(default_storage.open(path, "rb"), name=name)
            for path, name in zip(self.paths, self.names, strict=True)
        ]

    def discard(self):
        """Remove the pending copies (after they were attached, or when given up)."""
        for path in self.paths:
            default_storage.delete(path)


def _entries(request):
    """The [path, name] pairs of the request's list, when it is genuine, this user's, recent
    and its files are still there; else none."""
    token = request.POST.get(FIELD, "")
    if not token:
        return []
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    if not isinstance(data, dict) or data.get("user") != request.user.pk:
        return []
    return [
        (path, name)
        for path, name in data.get("files", [])
        if path.startswith(f"{FOLDER}/") and default_storage.exists(path)
    ]


def pending_from(request):
    """The files carried over by the request's hidden field."""
    entries = _entries(request)
    return _pending(request, entries)


def keep(request, files, previous=None):
    """Store `files` (uploaded with a refused form) beside those of `previous`; the Pending to
    show on the page that re-renders the form."""
    entries = list(zip(previous.paths, previous.names, strict=True)) if previous else []
    for uploaded in files:
        uploaded.seek(0)
        path = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}", uploaded)
        entries.append((path, clean_upload_name(uploaded.name or "") or "file"))
    return _pending(request, entries)


def _pending(request, entries):
    if not entries:
        return Pending()
    token = signing.dumps(
        {"user": request.user.pk, "files": [list(entry) for entry in entries]}, salt=SALT
    )
    return Pending(
        token=token,
        names=tuple(name for _, name in entries),
        paths=tuple(path for path, _ in entries),
    )
