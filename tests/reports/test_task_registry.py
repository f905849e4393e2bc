"""The render task is registered in any process that asks for a report, not only in a worker
(services.enqueue sends it by name)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_fresh_web_process_knows_the_render_task_by_name():
    code = (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tests.settings')\n"
        "django.setup()\n"
        "from takatsu_portal.reports.services import RENDER_TASK, _render_task\n"
        "assert _render_task().name == RENDER_TASK\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
