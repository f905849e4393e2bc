from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from takatsu_portal.reports.kinds import REGISTRY, current_plan_params, get_kind
from takatsu_portal.reports.rendering import render_pdf


class Command(BaseCommand):
    help = "報告書をPDFで作成してファイルに書き出す（ジョブと版は作らない）。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(REGISTRY), help="報告書の種類")
        parser.add_argument("--plan", type=int, help="計画のID（省略時は今年度の計画）")
        parser.add_argument("--output", required=True, type=Path, help="書き出すPDFファイル")

    def handle(self, *args, kind, plan, output, **options):
        report_kind = get_kind(kind)
        try:
            params = {"plan": plan} if plan else current_plan_params()
            title, html = report_kind.build(params)
        except Exception as exc:
            raise CommandError(str(exc)) from exc
        pdf, pages = render_pdf(title, html)
        output.write_bytes(pdf)
        self.stdout.write(f"{output}: {pages} pages, {len(pdf)} bytes")
