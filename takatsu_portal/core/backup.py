"""Backing up and restoring the portal: the PostgreSQL database and the media folder (council
PDFs, progress report attachments) in one archive with a manifest of SHA-256 checksums.

An archive is an uncompressed tar (the dump and the PDFs are compressed already) holding
  manifest.json   when, which database, and every other member with its size and SHA-256
  database.dump   `pg_dump --format=custom` (one consistent snapshot of the database)
  media/...       every file under MEDIA_ROOT, copied after the dump
The media folder is copied after the dump: a file is written before the row that names it
commits, so every file a row of the dump names is in the archive (a newer file is harmless).

Restore goes into an empty install only (a database without tables, an empty or missing
media folder), checks every checksum before it writes anything, restores the dump in one
transaction and checks each file again once written.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections

FORMAT = "takatsu-portal-backup/1"
DUMP = "database.dump"
MANIFEST = "manifest.json"
MEDIA = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Japanese."""


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _pg(alias="default"):
    """pg_dump / pg_restore connection arguments and environment for a database alias."""
    db = settings.DATABASES[alias]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            "バックアップと復元は PostgreSQL のデータベースだけに対応しています"
            f"（今の設定: {db['ENGINE']}）。"
        )
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or "", "PGCONNECT_TIMEOUT": "10"}
    return args, env


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} が失敗しました: {result.stderr.strip()}")


def _media_files(root):
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup_create(*, output, alias="default"):
    """Write one archive of the database `alias` and MEDIA_ROOT to `output` (a file path);
    returns the manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    args, env = _pg(alias)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="takatsu-backup-") as tmp:
        dump = Path(tmp) / DUMP
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(dump), *args], env)  # fmt: skip
        members = [(DUMP, dump)]
        for path in _media_files(media_root):
            members.append((f"{MEDIA}/{path.relative_to(media_root).as_posix()}", path))
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": settings.DATABASES[alias]["NAME"],
            "files": [
                {"name": name, "size": path.stat().st_size, "sha256": sha256_of(path)}
                for name, path in members
            ],
        }
        partial = output.with_name(output.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f, tarfile.open(fileobj=f, mode="w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            info.mtime = int(datetime.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name, path in members:
                tar.add(path, arcname=name, recursive=False)
        partial.replace(output)
    return manifest


def _safe_name(name):
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"アーカイブに不正なファイル名があります: {name}")
    return path


def _read_manifest(tar):
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError) as error:
        raise BackupError("アーカイブに manifest.json がないか、読めません。") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"このポータルのバックアップではありません（{manifest.get('format')}）。")
    return manifest


def backup_verify(archive):
    """Check every member of `archive` against its manifest (names, sizes, checksums);
    returns the manifest or raises BackupError."""
    with tarfile.open(archive, mode="r:") as tar:
        manifest = _read_manifest(tar)
        expected = {f["name"]: f for f in manifest["files"]}
        found = set()
        for member in tar.getmembers():
            if member.name == MANIFEST:
                continue
            _safe_name(member.name)
            entry = expected.get(member.name)
            if entry is None or not member.isfile():
                raise BackupError(f"目録にないファイルがアーカイブにあります: {member.name}")
            digest = hashlib.sha256()
            with tar.extractfile(member) as f:
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
            if member.size != entry["size"] or digest.hexdigest() != entry["sha256"]:
                raise BackupError(f"チェックサムが一致しません（壊れています）: {member.name}")
            found.add(member.name)
        missing = sorted(set(expected) - found)
        if missing:
            raise BackupError(f"アーカイブに欠けているファイルがあります: {', '.join(missing)}")
    return manifest


def _database_is_empty(alias):
    with connections[alias].cursor() as cursor:
        return not connections[alias].introspection.table_names(cursor)


def backup_restore(*, archive, alias="default"):
    """Restore `archive` into the empty database `alias` and the empty MEDIA_ROOT; returns the
    manifest. Refuses (BackupError) before writing anything when either is not empty or a
    checksum does not match."""
    args, env = _pg(alias)
    media_root = Path(settings.MEDIA_ROOT)
    if not _database_is_empty(alias):
        raise BackupError(
            "復元先のデータベースが空ではありません。空のデータベースを作成して指定してください。"
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"復元先のメディアフォルダが空ではありません: {media_root}")
    manifest = backup_verify(archive)
    connections[alias].close()
    with (
        tempfile.TemporaryDirectory(prefix="takatsu-restore-") as tmp,
        tarfile.open(archive, mode="r:") as tar,
    ):
        tar.extract(DUMP, tmp, filter="data")
        _run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", *args, str(Path(tmp) / DUMP)], env)  # fmt: skip
        media_root.mkdir(parents=True, exist_ok=True)
        for entry in manifest["files"]:
            name = _safe_name(entry["name"])
            if name.parts[0] != MEDIA:
                continue
            target = media_root.joinpath(*name.parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(entry["name"]) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
            if sha256_of(target) != entry["sha256"]:
                raise BackupError(f"復元したファイルのチェックサムが一致しません: {target}")
    return manifest
