"""One word for one thing (#10.10): a survey's count of people is 回答者数 and its count of
answers 回答件数, never the ambiguous 回答数 (which meant 3,341 in one place and 1,756 in
another), in the feedback area's pages, exports and the council's satisfaction report."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ["feedback", "templates/feedback", "templates/includes"]


def test_no_survey_page_export_or_report_says_kaitousuu():
    sources = [
        path
        for folder in FOLDERS
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".py", ".html") and "migrations" not in path.parts
    ]
    assert len(sources) > 50  # the area's sources, not an empty folder
    offenders = [str(p.relative_to(ROOT)) for p in sources if "回答数" in p.read_text()]
    assert offenders == []
    # Both words are in use where they belong.
    text = "".join(p.read_text() for p in sources)
    assert "回答者数" in text and "回答件数" in text
