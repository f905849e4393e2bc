"""What the CSV export views share: the encoding asked for (?encoding=cp932 for Excel's
Shift-JIS, else UTF-8), the query string without a key, and the page that refuses a Shift-JIS
file when a row holds a character Shift-JIS cannot write (tabular.UnencodableError)."""

from dataclasses import dataclass

from django.shortcuts import render

ENCODINGS = ("utf-8", "cp932")


def csv_encoding(request):
    """The encoding of ?encoding= (utf-8 or cp932), UTF-8 when missing or unknown."""
    encoding = request.GET.get("encoding", "utf-8").lower()
    return encoding if encoding in ENCODINGS else "utf-8"


def charset_of(encoding):
    """The charset of a CSV response in `encoding`."""
    return "shift_jis" if encoding == "cp932" else "utf-8"


def query_without(request, *keys):
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


@dataclass(frozen=True)
class Link:
    """A way out of the error page: its label, the address (the query string of the export
    without ?encoding= is added) and the button style."""

    label: str
    url: str
    css: str = "btn btn-primary"


def unencodable_response(request, error, *, subject, key_label, links, breadcrumbs, advice=""):
    """The 400 page that lists each row (`subject`: 事業, 区民の声, 行) holding characters
    Shift-JIS cannot write, with `links` to the UTF-8 CSV, the .xlsx file or the list;
    `advice` replaces the sentence that suggests the other formats."""
    query = query_without(request, "encoding")
    return render(
        request,
        "includes/export_error.html",
        {
            "problems": error.problems,
            "subject": subject,
            "key_label": key_label,
            "advice": advice,
            "links": [(link, f"{link.url}?{query}" if query else link.url) for link in links],
            "breadcrumbs": breadcrumbs,
        },
        status=400,
    )
