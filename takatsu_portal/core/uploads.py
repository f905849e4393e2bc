"""Uploaded files, one set of rules for every app: a size cap, an extension allowlist checked
against the content, text that must decode, images re-encoded (whatever else they carried is
dropped), and a clean file name. Stored under random names outside the web root by the
FileFields that use them; downloaded through `downloads.attachment`."""

import codecs
from pathlib import PurePath

from django.core.exceptions import ValidationError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# extension → (content type, magic bytes at the start of the file or None for text)
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", [b"%PDF-"]),
    ".png": ("image/png", [b"\x89PNG\r\n\x1a\n"]),
    ".jpg": ("image/jpeg", [b"\xff\xd8\xff"]),
    ".jpeg": ("image/jpeg", [b"\xff\xd8\xff"]),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [b"PK\x03\x04"],
    ),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [b"PK\x03\x04"],
    ),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        [b"PK\x03\x04"],
    ),
    ".csv": ("text/csv", None),
    ".txt": ("text/plain", None),
}


def clean_upload_name(name):
    """The file's own name without any folder part, control characters or leading dots. The
    ideographic space (U+3000), common in Japanese names, is text and stays."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(
        ch for ch in base if (ch.isprintable() or ch == "\u3000") and ch not in '<>:"/\\|?*'
    )
    return base.lstrip(". ").strip()[:200]


SNIFF_BYTES = 2048


def _decodes(head, encoding, *, whole):
    """Whether `head` decodes in `encoding`. Unless it is the whole file, it may end inside a
    multi-byte character (the cut of the sniffed bytes), which an incremental decoder holds
    back instead of refusing."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(head, final=whole)
    except UnicodeDecodeError:
        return False
    return True


def _reencode_image(uploaded, content_type):
    """Images are re-encoded: whatever else the file carried (scripts, metadata) is dropped."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image, UnidentifiedImageError

    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            image.verify()
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            image.load()
            fmt = "PNG" if content_type == "image/png" else "JPEG"
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = BytesIO()
            image.save(out, format=fmt)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError("画像ファイルとして読み取れません。") from error
    return ContentFile(out.getvalue())


def validate_upload(uploaded):
    """(clean name, content type, file to store) or ValidationError with the reason."""
    name = clean_upload_name(uploaded.name or "")
    suffix = PurePath(name).suffix.lower()
    if not name or suffix not in ALLOWED_TYPES:
        allowed = "・".join(sorted(ext.lstrip(".").upper() for ext in ALLOWED_TYPES))
        raise ValidationError(f"添付できるファイルの種類は {allowed} です。")
    if uploaded.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            f"ファイルが大きすぎます（上限 {MAX_ATTACHMENT_BYTES // (1024 * 1024)}MB）。"
        )
    if uploaded.size == 0:
        raise ValidationError("空のファイルは添付できません。")
    content_type, magics = ALLOWED_TYPES[suffix]
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    whole = len(head) < SNIFF_BYTES or uploaded.size <= SNIFF_BYTES
    if magics is not None:
        if not any(head.startswith(m) for m in magics):
            raise ValidationError("ファイルの中身が拡張子と一致しません。")
    else:
        if not (_decodes(head, "utf-8", whole=whole) or _decodes(head, "cp932", whole=whole)):
            raise ValidationError("テキストファイルとして読み取れません。")
        if b"\x00" in head:
            raise ValidationError("テキストファイルとして読み取れません。")
    if content_type.startswith("image/"):
        stored = _reencode_image(uploaded, content_type)
    else:
        uploaded.seek(0)
        stored = uploaded
    return name, content_type, stored
