"""Downloads: every file the portal hands out (CSV, .xlsx, PDF, attachments) goes through
`attachment`, which names it twice (RFC 6266: an ASCII name for old clients, the Japanese one
in filename*) and forbids content sniffing."""

from urllib.parse import quote

from django.http import FileResponse, HttpResponse

from .export_views import charset_of
from .tabular import EXCEL_MIME


def safe_filename(text):
    """`text` fit for a file name on Windows: no folder separators or reserved characters."""
    cleaned = "".join("_" if ch in '<>:"/\\|?*' or not ch.isprintable() else ch for ch in text)
    return cleaned.strip(" .")[:120] or "download"


def content_disposition(filename, filename_ja):
    """`attachment` with an ASCII name for old clients and the Japanese one (RFC 6266)."""
    return f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename_ja, safe='')}"


def attachment(content, *, content_type, filename, filename_ja):
    """A download with an ASCII name for old clients and the Japanese one (RFC 6266 filename*)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, filename_ja)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_attachment(handle, *, content_type, filename, filename_ja):
    """A stored file streamed as a download, named as `attachment` names it."""
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, filename_ja)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_download(content, *, encoding, filename, filename_ja):
    """CSV bytes written by `tabular.csv_bytes` in `encoding` (utf-8 or cp932)."""
    return attachment(
        content,
        content_type=f"text/csv; charset={charset_of(encoding)}",
        filename=filename,
        filename_ja=filename_ja,
    )


def xlsx_download(content, *, filename, filename_ja):
    """An .xlsx workbook written by `tabular.workbook_bytes`."""
    return attachment(content, content_type=EXCEL_MIME, filename=filename, filename_ja=filename_ja)
