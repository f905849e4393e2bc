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


# ---------------------------------------------------------------------------------------------
# Photos from a tablet's camera

MAX_PHOTO_BYTES = 15 * 1024 * 1024
# A 48-megapixel phone camera is about 8000 × 6000; anything larger is refused before decoding
# (a small file can declare a huge image and would take gigabytes of memory once decoded).
MAX_PHOTO_PIXELS = 50_000_000
MAX_PHOTO_SIDE = 12_000
PHOTO_STORED_SIDE = 1600
PHOTO_TYPES = {
    b"\xff\xd8\xff": "JPEG",
    b"\x89PNG\r\n\x1a\n": "PNG",
}


def validate_photo(uploaded, *, max_bytes=None, max_pixels=None):
    """A photo fit to store: (JPEG bytes, width, height), or ValidationError with the reason.

    The checks run cheapest first: the size of the file, its first bytes (JPEG or PNG, whatever
    its name says), then its declared dimensions, read from the header by `Image.open` without
    decoding the pixels; only an image within `max_pixels` is decoded (`load`). It is then
    turned upright by its EXIF orientation, shrunk to PHOTO_STORED_SIDE on its long side and
    re-encoded as a fresh JPEG: no EXIF, no GPS position, no maker notes, no comment survive.
    """
    from io import BytesIO

    from PIL import Image, ImageOps, UnidentifiedImageError

    max_bytes = max_bytes or MAX_PHOTO_BYTES
    max_pixels = max_pixels or MAX_PHOTO_PIXELS
    too_large = "カメラの設定で解像度を下げて撮り直してください。"
    if uploaded.size == 0:
        raise ValidationError("空のファイルは登録できません。")
    if uploaded.size > max_bytes:
        raise ValidationError(
            f"写真のファイルが大きすぎます（上限 {max_bytes // (1024 * 1024)}MB）。"
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    if not any(head.startswith(magic) for magic in PHOTO_TYPES):
        raise ValidationError("写真は JPEG または PNG の画像を選んでください。")
    uploaded.seek(0)
    try:
        image = Image.open(uploaded)  # reads the header only
    except Image.DecompressionBombError as error:
        # Pillow's own guard (far above max_pixels) refused the declared size while opening.
        raise ValidationError(f"画像の大きさが上限を超えています。{too_large}") from error
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError("画像ファイルとして読み取れません。") from error
    with image:
        width, height = image.size
        if width * height > max_pixels or max(width, height) > MAX_PHOTO_SIDE:
            raise ValidationError(
                f"画像の大きさ（{width}×{height}画素）が上限を超えています。{too_large}"
            )
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
            if upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            upright.thumbnail((PHOTO_STORED_SIDE, PHOTO_STORED_SIDE))
            out = BytesIO()
            # A new image: only the pixels are copied, no info dictionary, no EXIF.
            clean = Image.new(upright.mode, upright.size)
            clean.paste(upright)
            clean.save(out, format="JPEG", quality=85, optimize=True)
        except (OSError, Image.DecompressionBombError, SyntaxError) as error:
            raise ValidationError("画像ファイルとして読み取れません。") from error
    return out.getvalue(), clean.size[0], clean.size[1]
