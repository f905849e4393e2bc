"""Backup and restore (issue 17, item 7): `manage.py backup` writes one archive of the
database and the media folder with SHA-256 checksums; `manage.py restore` puts it into an
empty database and an empty media folder, where every record and every file is found again.

The backup reads the database through pg_dump, another connection, which sees committed rows
only: hence transaction=True."""

import datetime
import hashlib
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from psycopg import sql

from takatsu_portal.core.backup import BackupError, backup_verify
from takatsu_portal.reports.models import ReportJob, ReportVersion
from tests.factories import UserFactory
from tests.feedback.factories import (
    AnswerFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    VoiceFactory,
    WindowFactory,
)
from tests.plans.factories import (
    ImprovementFactory,
    MeetingFactory,
    PlanFactory,
    ProjectFactory,
    ProposalFactory,
    WorkingGroupFactory,
)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def connect(dbname=None):
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=dbname or db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"] or 5432,
        autocommit=True,
    )


def contents(dbname):
    """Every table's row count and a digest of its rows, and every sequence's position."""
    with connect(dbname) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        found = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                " FROM {} t"
            ).format(sql.Identifier(table))
            found[table] = conn.execute(query).fetchone()
        for (sequence,) in conn.execute(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall():
            query = sql.SQL("SELECT last_value FROM {}").format(sql.Identifier(sequence))
            found[f"sequence {sequence}"] = conn.execute(query).fetchone()
    return found


def files_of(root):
    root = Path(root)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def portal(master_data, media):
    """A few records of each app, and files: a council PDF and a progress report attachment."""
    from plans.models import Attachment, ProgressReport, ReportingPeriod

    lead = UserFactory(username="wglead", full_name="髙橋 𠮷子")
    plan = PlanFactory(title="令和8年度 区役所サービス向上計画")
    section = lead.section
    group = WorkingGroupFactory(office=plan.office, lead=lead)
    project = ProjectFactory(plan=plan, working_group=group, section=section)
    ProposalFactory(plan=plan, proposer=lead, section=section)
    ImprovementFactory(author=lead)
    MeetingFactory(office=plan.office)
    period = ReportingPeriod.objects.create(
        plan=plan, number=1, label="第1四半期", starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 6, 30), due_on=datetime.date(2026, 7, 10),
    )  # fmt: skip
    report = ProgressReport.objects.create(project=project, period=period, author=lead)
    attachment = Attachment(
        report=report, original_name="写真.png", content_type="image/png", size=3,
        uploaded_by=lead,
    )  # fmt: skip
    attachment.file.save("upload", ContentFile(os.urandom(3000)), save=False)
    attachment.save()
    window = WindowFactory(section=section)
    survey = SurveyFactory(office=plan.office, created_by=lead)
    question = QuestionFactory(survey=survey, kind="text", text="ご意見")
    AnswerFactory(response=ResponseFactory(survey=survey, window=window), question=question,
                  text="待ち時間が短くなった")  # fmt: skip
    VoiceFactory(office=plan.office, section=section, contact_name="区民花子", recorded_by=lead)
    job = ReportJob.objects.create(
        kind="annual_plan", params={"plan": plan.pk}, requested_by=lead, office=plan.office,
        state=ReportJob.State.SUCCEEDED,
    )  # fmt: skip
    pdf = b"%PDF-1.7\n" + os.urandom(5000)
    version = ReportVersion(
        job=job, title=plan.title, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf),
        page_count=1,
    )  # fmt: skip
    version.file.save("plan.pdf", ContentFile(pdf), save=False)
    version.save()
    return {"attachment": attachment, "version": version}


@pytest.fixture
def fresh_database():
    name = f"takatsu_restore_{uuid.uuid4().hex[:12]}"
    with connect("postgres") as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with connect("postgres") as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def restore(archive, dbname, media_root, *extra):
    db = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DATABASE_URL=(
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{dbname}"
        ),
        MEDIA_ROOT=str(media_root),
        CELERY_BROKER_URL="",
    )
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_a_backup_restored_into_a_fresh_install_has_every_record_and_file(
    portal, media, tmp_path, fresh_database
):
    archive = tmp_path / "backups" / "takatsu.tar"
    call_command("backup", output=str(archive))
    assert archive.stat().st_mode & 0o077 == 0  # residents' data: readable by its owner only
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "database.dump"} <= names
    assert f"media/{portal['version'].file.name}" in names
    assert f"media/{portal['attachment'].file.name}" in names

    restored_media = tmp_path / "restored-media"
    result = restore(archive, fresh_database, restored_media)
    assert result.returncode == 0, result.stderr
    assert "復元しました" in result.stdout

    source = contents(settings.DATABASES["default"]["NAME"])
    assert source["plans_project"][0] == 1 and source["feedback_residentvoice"][0] == 1
    assert contents(fresh_database) == source
    assert files_of(restored_media) == files_of(media)
    assert len(files_of(media)) == 2


def test_restore_refuses_a_database_that_is_not_empty(portal, tmp_path):
    archive = tmp_path / "takatsu.tar"
    call_command("backup", output=str(archive))
    source = settings.DATABASES["default"]["NAME"]
    result = restore(archive, source, tmp_path / "empty-media")
    assert result.returncode != 0
    assert "復元先のデータベースが空ではありません" in result.stderr
    assert not (tmp_path / "empty-media").exists()


def test_restore_refuses_a_media_folder_that_is_not_empty(portal, media, tmp_path, fresh_database):
    archive = tmp_path / "takatsu.tar"
    call_command("backup", output=str(archive))
    result = restore(archive, fresh_database, media)
    assert result.returncode != 0
    assert "メディアフォルダが空ではありません" in result.stderr
    assert contents(fresh_database) == {}  # nothing was written


def test_a_damaged_archive_is_refused_before_anything_is_written(portal, tmp_path, fresh_database):
    archive = tmp_path / "takatsu.tar"
    call_command("backup", output=str(archive))
    data = bytearray(archive.read_bytes())
    pdf_at = data.find(b"%PDF-1.7")
    data[pdf_at + 100] ^= 0xFF
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="チェックサムが一致しません"):
        backup_verify(damaged)
    result = restore(damaged, fresh_database, tmp_path / "new-media")
    assert result.returncode != 0 and "チェックサム" in result.stderr
    assert contents(fresh_database) == {}
    assert not (tmp_path / "new-media").exists()
    check = restore(archive, fresh_database, tmp_path / "new-media", "--check")
    assert check.returncode == 0 and "確認しました" in check.stdout


def test_backup_needs_postgresql(tmp_path, monkeypatch, db):
    sqlite = {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}
    monkeypatch.setitem(settings.DATABASES, "default", sqlite)
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("backup", output=str(tmp_path / "x.tar"))
