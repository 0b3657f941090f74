"""Backup → restore into an empty database → every table and every media file identical."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from ocop.api import domain
from ocop.api.models import Scope
from ocop.core.backup import BackupError, create_backup, restore_backup, verify_backup
from tests.factories import CertificateFactory, unit

pytestmark = pytest.mark.integration


def snapshot(settings_dict):
    """{table: sorted rows} read with the bare driver, the same way for source and target."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        import sqlite3

        name = str(settings_dict["NAME"])
        conn = sqlite3.connect(name, uri=name.startswith("file:"))
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        out = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}  # noqa: S608
        conn.close()
        return out
    import psycopg

    from ocop.core.backup import pg_conninfo

    with psycopg.connect(pg_conninfo(settings_dict)) as conn:
        tables = [
            r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}  # noqa: S608


@pytest.fixture
def restore_target(tmp_path):
    """Settings of an empty database of the same engine, and a Django alias "restored" for it."""
    source = connections["default"].settings_dict
    target = dict(source)
    if source["ENGINE"].endswith("sqlite3"):
        target["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        import psycopg

        from ocop.core.backup import pg_conninfo

        target["NAME"] = f"{source['NAME']}_restore"
        admin = pg_conninfo({**source, "NAME": "postgres"})
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}"')
            conn.execute(f'CREATE DATABASE "{target["NAME"]}"')
    yield target
    if not source["ENGINE"].endswith("sqlite3"):
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}"')


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_table_and_media_file(admin_units, vinh_long_officer, tmp_path, restore_target):
    cert = CertificateFactory()
    domain.issue_token(
        actor=vinh_long_officer,
        name="sync",
        partner="VPĐP TW",
        scopes=[Scope.CERTIFICATES],
        province=unit("86", map="current"),
    )
    default_storage.save(f"products/{cert.product_id}/nhan.jpg", ContentFile(b"\xff\xd8 photo bytes"))
    storages["private"].save("dossiers/1/0123abcd.pdf", ContentFile(b"%PDF-1.4 evidence"))
    archive = tmp_path / "backup.tar"

    manifest = create_backup(archive)
    media, private = tmp_path / "restored-media", tmp_path / "restored-private"
    result = restore_backup(archive, restore_target, media_root=media, private_root=private)

    source, restored = snapshot(connections["default"].settings_dict), snapshot(restore_target)
    assert sorted(restored) == sorted(source) == sorted(manifest["tables"])
    assert {t: len(rows) for t, rows in source.items()} == manifest["tables"]
    assert manifest["tables"]["registry_producer"] == 1
    assert len(source["api_apitoken"]) == 1
    for table in source:
        assert restored[table] == source[table], table
    source_files = {
        p.relative_to(settings.MEDIA_ROOT).as_posix(): p.read_bytes()
        for p in Path(settings.MEDIA_ROOT).rglob("*")
        if p.is_file()
    }
    restored_files = {
        p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()
    }
    assert restored_files == source_files
    source_private = {
        p.relative_to(settings.PRIVATE_MEDIA_ROOT).as_posix(): p.read_bytes()
        for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*")
        if p.is_file()
    }
    restored_private = {
        p.relative_to(private).as_posix(): p.read_bytes() for p in private.rglob("*") if p.is_file()
    }
    assert (restored_private == source_private, "dossiers/1/0123abcd.pdf" in restored_private) == (True, True)
    assert result == {
        "tables": len(manifest["tables"]),
        "rows": sum(manifest["tables"].values()),
        "media_files": len(source_files) + len(source_private),
    }


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_non_empty_database(admin_units, tmp_path, restore_target):
    archive = tmp_path / "backup.tar"
    create_backup(archive, include_media=False)
    restore_backup(archive, restore_target, include_media=False)
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(archive, restore_target, include_media=False)


def _tamper(archive, out, name, data):
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        for member in src.getmembers():
            body = src.extractfile(member).read()
            if member.name == name:
                body = data
            member.size = len(body)
            dst.addfile(member, io.BytesIO(body))


@pytest.mark.django_db(transaction=True)
def test_damaged_backup_is_refused_before_anything_changes(admin_units, tmp_path, restore_target):
    archive = tmp_path / "backup.tar"
    manifest = create_backup(archive, include_media=False)
    db_member = next(iter(manifest["files"]))
    damaged = tmp_path / "damaged.tar"
    _tamper(archive, damaged, db_member, b"garbage")
    with pytest.raises(BackupError, match="Checksum mismatch"):
        restore_backup(damaged, restore_target, include_media=False)
    assert snapshot(restore_target) == {}


def _evil_archive(path, member_name):
    """A well-formed backup whose manifest lists a member that escapes the media folder."""
    body = b"owned"
    manifest = {
        "format": 1,
        "engine": "sqlite",
        "tables": {},
        "files": {member_name: {"sha256": __import__("hashlib").sha256(body).hexdigest(), "size": len(body)}},
    }
    with tarfile.open(path, "w") as archive:
        for name, data in ((member_name, body), ("manifest.json", json.dumps(manifest).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("name", ["media/../../escaped.txt", "/escaped.txt", "media/a/../../../escaped.txt"])
def test_zip_slip_member_is_refused(tmp_path, name):
    archive = tmp_path / "evil.tar"
    _evil_archive(archive, name)
    with pytest.raises(BackupError, match="unsafe archive member"):
        verify_backup(archive)
    assert not (tmp_path / "escaped.txt").exists()


def test_symlink_member_is_refused(tmp_path):
    archive = tmp_path / "evil.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("media/link")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(info)
        data = json.dumps({"format": 1, "engine": "sqlite", "tables": {}, "files": {}}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="unsafe archive member"):
        verify_backup(archive)


def test_restore_command_reports_a_missing_file_cleanly(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore", str(tmp_path / "nope.tar"), "--verify-only")


@pytest.mark.django_db(transaction=True)
def test_backup_command_writes_and_verifies(admin_units, tmp_path):
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "b.tar"), "--no-media", stdout=out)
    assert out.getvalue().startswith(f"Backup written to {tmp_path / 'b.tar'}: ")
    assert "checksums verified" in out.getvalue()
    assert not (tmp_path / "b.tar.partial").exists()


# #12 item 11: bounded expansion, and a restore that fails its check changes nothing ----------------


def _execute(settings_dict, sql):
    if settings_dict["ENGINE"].endswith("sqlite3"):
        import sqlite3

        conn = sqlite3.connect(settings_dict["NAME"])
        conn.execute(sql)
        conn.commit()
        conn.close()
        return
    import psycopg

    from ocop.core.backup import pg_conninfo

    with psycopg.connect(pg_conninfo(settings_dict)) as conn:
        conn.execute(sql)


@pytest.mark.django_db(transaction=True)
def test_restore_failing_its_row_count_check_leaves_the_target_as_it_was(
    admin_units, tmp_path, restore_target
):
    archive = tmp_path / "backup.tar"
    manifest = create_backup(archive, include_media=False)
    restore_backup(archive, restore_target, include_media=False)
    _execute(
        restore_target,
        "UPDATE geo_adminunit SET name = 'giữ nguyên' WHERE id = (SELECT MIN(id) FROM geo_adminunit)",
    )
    before = snapshot(restore_target)
    manifest["tables"]["geo_adminunit"] += 1  # the dump no longer matches its manifest
    wrong = tmp_path / "wrong-counts.tar"
    _tamper(archive, wrong, "manifest.json", json.dumps(manifest).encode())

    with pytest.raises(BackupError, match="geo_adminunit"):
        restore_backup(wrong, restore_target, include_media=False, force=True)

    assert snapshot(restore_target) == before


def _bomb(path, *, compressed):
    """A consistent backup (empty SQLite database, manifest with right checksums) whose media member is
    50 MB of zeros: a few kilobytes once gzip-compressed."""
    import hashlib
    import sqlite3

    db = path.parent / "empty.sqlite3"
    sqlite3.connect(db).close()
    members = {"database.sqlite3": db.read_bytes(), "media/zeros.bin": bytes(50 * 1024 * 1024)}
    files = {n: {"sha256": hashlib.sha256(b).hexdigest(), "size": len(b)} for n, b in members.items()}
    manifest = {"format": 1, "engine": "sqlite", "tables": {}, "files": files}
    with tarfile.open(path, "w:gz" if compressed else "w") as tar:
        for name, body in [*members.items(), ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))


def test_compressed_archive_is_refused_before_expanding_anything(tmp_path):
    archive = tmp_path / "bomb.tar.gz"
    _bomb(archive, compressed=True)
    media = tmp_path / "media"

    with pytest.raises(BackupError, match="uncompressed tar"):
        restore_backup(
            archive,
            {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "t.db")},
            media_root=media,
        )

    assert (archive.stat().st_size < 1024 * 1024, media.exists(), (tmp_path / "t.db").exists()) == (
        True,
        False,
        False,
    )


def test_restore_refuses_what_does_not_fit_on_the_disk(tmp_path, monkeypatch):
    import shutil

    archive = tmp_path / "big.tar"
    _bomb(archive, compressed=False)
    media = tmp_path / "media"
    free = shutil.disk_usage(tmp_path)._replace(free=10 * 1024 * 1024)
    monkeypatch.setattr("ocop.core.backup.shutil.disk_usage", lambda path: free)  # a 10 MB disk

    with pytest.raises(BackupError, match="expands to"):
        restore_backup(
            archive,
            {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "t.db")},
            media_root=media,
        )

    assert (media.exists(), (tmp_path / "t.db").exists()) == (False, False)
