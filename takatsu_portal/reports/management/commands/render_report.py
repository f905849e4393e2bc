"""render_report KIND [--plan N | --meeting N | --period N | ...] --output FILE: the same PDF as
the reports page, from the command line (no job or version is made)."""

from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError

from takatsu_portal.reports.kinds import REGISTRY, all_param_names, get_kind
from takatsu_portal.reports.rendering import render_pdf


class Command(BaseCommand):
    help = (
        "報告書をPDFで作成してファイルに書き出す（ジョブと版は作らない）。"
        "条件を省略すると今年度（最新の期間）の報告書を作る。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "kind",
            choices=sorted(REGISTRY),
            help="報告書の種類: " + "、".join(f"{k.key}（{k.label}）" for k in REGISTRY.values()),
        )
        for name, text in all_param_names().items():
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, type=int, help=text)
        parser.add_argument("--output", required=True, type=Path, help="書き出すPDFファイル")

    def handle(self, *args, kind, output, **options):
        report_kind = get_kind(kind)
        accepted = {param.name for param in report_kind.params}
        given = {name: options[name] for name in all_param_names() if options.get(name)}
        stray = sorted(set(given) - accepted)
        if stray:
            raise CommandError(
                f"{kind} では使えないオプションです: "
                + ", ".join(f"--{name.replace('_', '-')}" for name in stray)
            )
        try:
            params = given or report_kind.default_params()
            built = report_kind.build(params)
        except (ValueError, ObjectDoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        pdf, pages = render_pdf(built.title, built.html)
        output.write_bytes(pdf)
        self.stdout.write(f"{output}: {pages} pages, {len(pdf)} bytes ({built.title})")
