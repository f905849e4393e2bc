import time
from pathlib import Path

from django.apps import AppConfig


class ReportKindsConfig(AppConfig):
    name = "tests.reportkinds"
    label = "test_reportkinds"

    def ready(self):
        from plans.reporting import PlanReportForm, plan_of
        from takatsu_portal.reports.kinds import Built, Param, ReportKind, register

        def build(params):
            """params: plan; sleep_once (a marker file: the first build that finds it missing
            creates it and sleeps `seconds`); fail_times + counter (a file counting builds: the
            first `fail_times` raise OSError, a transient error)."""
            if params.get("sleep_once"):
                marker = Path(params["sleep_once"])
                if not marker.exists():
                    marker.write_text("slept")
                    time.sleep(params.get("seconds", 60))
            if params.get("counter"):
                counter = Path(params["counter"])
                n = int(counter.read_text() or 0) if counter.exists() else 0
                counter.write_text(str(n + 1))
                if n < params.get("fail_times", 0):
                    raise OSError(f"一時的なエラー（{n + 1}回目）")
            plan = plan_of(params)
            html = (
                '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>試験</title>'
                f'<link rel="stylesheet" href="css/print.css"></head><body><h1>{plan.pk}</h1>'
                "<p>試験用の報告書</p></body></html>"
            )
            return Built(title="試験用の報告書", html=html, facts={"plan": plan.title})

        register(
            ReportKind(
                key="test_kind",
                label="試験用の報告書",
                description="信頼性の試験だけで使う。",
                build=build,
                office_of=lambda params: plan_of(params).office_id,
                form=PlanReportForm,
                default_params=lambda office=None: {},
                params=(Param("plan", "計画のID"),),
                order=999,
            )
        )
