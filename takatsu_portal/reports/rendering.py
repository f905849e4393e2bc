"""Rendering a job to PDF: a plain function (no Celery) so it can be tested and scripted.

WeasyPrint reads only the project's static folder and `data:` images (StaticOnlyFetcher);
user text reaches the HTML through Django's autoescaping, so it never becomes a tag or a URL.
"""

import hashlib
import io
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from takatsu_portal.core import attention

from .kinds import get_kind
from .models import ReportJob, ReportVersion


class RefusedURL(ValueError):
    """A URL outside what a report may read (anything but our static files and data: images)."""


def static_root():
    return Path(settings.STATICFILES_DIRS[0]).resolve()


def _weasyprint():
    import weasyprint  # 0.6 s to import: paid once per worker, on the first render

    return weasyprint


def make_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Answers file:// URLs inside the static folder and data:image/ URIs; raises for
        everything else. `calls` lists every URL WeasyPrint asked for."""

        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
            self.calls = []

        def fetch(self, url, headers=None):
            self.calls.append(url)
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                if not url[5:].lstrip().lower().startswith("image/"):
                    raise RefusedURL(f"only data: images are allowed: {url[:40]}")
                return super().fetch(url, headers)
            if scheme != "file" or parts.netloc not in ("", "localhost"):
                raise RefusedURL(f"refused URL: {url}")
            root = static_root()
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                raise RefusedURL(f"refused file outside static: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher()


def render_pdf(title, html, *, fetcher=None):
    """HTML → (PDF bytes, page count). The HTML's relative URLs resolve in the static folder."""
    weasyprint = _weasyprint()
    fetcher = fetcher or make_fetcher()
    options = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
    document = weasyprint.HTML(
        string=html, base_url=static_root().as_uri() + "/", url_fetcher=fetcher
    ).render(**options)
    document.metadata.title = title
    document.metadata.lang = "ja"
    out = io.BytesIO()
    document.write_pdf(out, **options)
    return out.getvalue(), len(document.pages)


def _stage(job_id, stage):
    """Tell the reports page where the job is (one UPDATE; the page polls the row)."""
    ReportJob.objects.filter(pk=job_id).update(stage=stage)


def render_job(job_id, *, fetcher=None):
    """Render job `job_id` and store its version. Idempotent: a job that already has a
    version is left as it is (a duplicate delivery of the task makes no second file)."""
    job = ReportJob.objects.get(pk=job_id)
    if ReportVersion.objects.filter(job=job).exists():
        return job.version
    _stage(job_id, ReportJob.Stage.BUILDING)
    # The job number goes with the params so that a kind can print it on the cover.
    built = get_kind(job.kind).build({**job.params, "job": job.pk})
    title = built.title
    _stage(job_id, ReportJob.Stage.TYPESETTING)
    pdf, pages = render_pdf(title, built.html, fetcher=fetcher)
    _stage(job_id, ReportJob.Stage.STORING)
    with transaction.atomic():
        # Locked so that two deliveries running at once still make one version.
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        existing = ReportVersion.objects.filter(job=job).first()
        if existing is not None:
            return existing
        version = ReportVersion(
            job=job,
            title=title,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            page_count=pages,
            snapshot={
                "kind": job.kind,
                "params": job.params,
                "title": title,
                "facts": built.facts,
                "rendered_at": timezone.now().isoformat(),
            },
        )
        version.file.save("report.pdf", ContentFile(pdf), save=False)
        version.save()
        # Shared content lists the finished versions (a council meeting's form to add an
        # agenda item offers them): it is made again (core/shared_cache.py).
        attention.changed(office=job.office_id)
    return version
