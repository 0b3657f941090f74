"""Backup and restore of the database and the media files, for SQLite and PostgreSQL.

A backup is one tar file:

    manifest.json        format, time, engine, Django version, last migration per app, row count per
                         table, and the SHA-256 and size of every other member
    database.sqlite3     SQLite: an online snapshot taken with SQLite's backup API
    database.pgdump      PostgreSQL: `pg_dump --format=custom` under an exported snapshot, so the row
                         counts in the manifest describe exactly the dumped data
    media/<path>         every file under MEDIA_ROOT
    private/<path>       every file under PRIVATE_MEDIA_ROOT (dossier evidence; never under MEDIA_ROOT)

The database is copied first, then the media: a row never points to a file missing from the backup
(files are only added by the platform, never rewritten in place). The archive is written under a
temporary name and renamed when complete, so a crash never leaves a file that looks like a backup.

Restore verifies every checksum before touching anything, refuses a non-empty target unless forced,
extracts only regular files under media/ (no absolute paths, no `..`, no links: a crafted archive
cannot write outside MEDIA_ROOT), and checks the restored row counts against the manifest.

Bounded: only a plain (uncompressed) tar is read, so no member can expand beyond the archive's own size
(a gzip bomb is refused unread), sparse members are refused, the manifest is at most MANIFEST_MAX bytes,
and the expanded size must fit the free space of the temporary folder and of the media folder before
anything is written. All or nothing: the row counts are checked before the target changes (SQLite: on
the extracted copy, then one backup-API step into the target; PostgreSQL: the dump and the check run as
ONE transaction through psql, and a failed check rolls it back), and the media are written only after."""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
CHUNK = 1024 * 1024
MANIFEST_MAX = 64 * 1024 * 1024


class BackupError(Exception):
    pass


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def engine_of(settings_dict):
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Unsupported database engine {engine}")


def pg_conninfo(settings_dict):
    from psycopg.conninfo import make_conninfo  # psycopg: only for a PostgreSQL database

    params = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict.get("PORT") or "") or None,
    }
    return make_conninfo(**{k: v for k, v in params.items() if v})


def _migrations(connection):
    latest = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name").order_by("id"):
        latest[app] = name
    return latest


def _counts(cursor, tables, quote):
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (table names from introspection)
        counts[table] = cursor.fetchone()[0]
    return counts


# Database dumps -----------------------------------------------------------------------------------


def _dump_sqlite(connection, workdir):
    connection.ensure_connection()
    target = workdir / "database.sqlite3"
    dst = sqlite3.connect(target)
    try:
        connection.connection.backup(dst)
        cursor = dst.cursor()
        tables = [
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = _counts(cursor, tables, lambda t: '"' + t.replace('"', '""') + '"')
    finally:
        dst.close()
    return target, counts


def _dump_postgresql(connection, workdir):
    import psycopg  # psycopg: only for a PostgreSQL database

    target = workdir / "database.pgdump"
    conninfo = pg_conninfo(connection.settings_dict)
    with psycopg.connect(conninfo) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
            )
        ]
        with conn.cursor() as cursor:
            counts = _counts(cursor, tables, lambda t: '"' + t.replace('"', '""') + '"')
        result = subprocess.run(  # noqa: S603
            [
                shutil.which("pg_dump") or "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
                f"--dbname={conninfo}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        conn.rollback()
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return target, counts


# Backup --------------------------------------------------------------------------------------------


def _media_files(media_root):
    root = Path(media_root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(output, *, database="default", media_root=None, include_media=True, private_root=None):
    """Write a backup archive to `output` (a path) and return its manifest."""
    connection = connections[database]
    engine = engine_of(connection.settings_dict)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    private_root = Path(private_root or settings.PRIVATE_MEDIA_ROOT)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="ocop-backup-") as tmp:
        workdir = Path(tmp)
        dump = _dump_sqlite if engine == "sqlite" else _dump_postgresql
        db_file, counts = dump(connection, workdir)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "django": django.get_version(),
            "migrations": _migrations(connection),
            "tables": counts,
            "files": {},
        }
        with tarfile.open(partial, "w") as archive:
            _add(archive, db_file, db_file.name, manifest)
            if include_media:
                for prefix, root in (("media", media_root), ("private", private_root)):
                    for path in _media_files(root):
                        rel = path.relative_to(root).as_posix()
                        _add(archive, path, f"{prefix}/{rel}", manifest)
            body = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(body), int(datetime.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
    os.replace(partial, output)
    return manifest


def _add(archive, path, name, manifest):
    """Add one file, streamed (dumps can be gigabytes), with its checksum in the manifest."""
    size = os.path.getsize(path)
    digest = sha256_file(path)
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(os.path.getmtime(path)), 0o644
    with open(path, "rb") as fh:
        archive.addfile(info, fh)
    manifest["files"][name] = {"sha256": digest, "size": size}


# Verification --------------------------------------------------------------------------------------


def safe_member_name(name):
    """The member's relative path if it is a plain relative path, else None."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(part in ("..", "") for part in path.parts):
        return None
    if "\\" in name or "\x00" in name:
        return None
    return path


def read_manifest(archive):
    try:
        member = archive.getmember("manifest.json")
        if member.size > MANIFEST_MAX:
            raise BackupError("manifest.json is too large: not an OCOP backup.")
        manifest = json.loads(archive.extractfile(member).read())
    except (KeyError, ValueError) as exc:
        raise BackupError("The archive has no valid manifest.json: not an OCOP backup.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def open_archive(path):
    """The backup as a plain tar (what `create_backup` writes). A compressed archive is refused: its
    members could expand far beyond its size (a gzip bomb) before any check could see them."""
    try:
        return tarfile.open(path, "r:")
    except tarfile.ReadError as exc:
        raise BackupError(
            f"Cannot read {path} as an uncompressed tar archive (what `manage.py backup` writes); "
            "decompress it first, on a disk with room for it."
        ) from exc
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Cannot read {path}: {exc}") from exc


def verify_backup(path):
    """Check every member against the manifest; return the manifest (with `expanded`: the bytes a
    restore writes) or raise BackupError."""
    archive = open_archive(path)
    try:
        with archive:
            return _verified_manifest(archive)
    except (OSError, tarfile.TarError, EOFError) as exc:  # e.g. a member claiming more than the file holds
        raise BackupError(f"Cannot read {path}: {exc}") from exc


def _verified_manifest(archive):
    manifest = read_manifest(archive)
    seen = set()
    expanded = 0
    for member in archive.getmembers():
        if member.name == "manifest.json":
            continue
        if not member.isfile() or member.issparse() or safe_member_name(member.name) is None:
            raise BackupError(f"Refusing unsafe archive member {member.name!r}.")
        expected = manifest["files"].get(member.name)
        if expected is None:
            raise BackupError(f"{member.name} is not listed in the manifest.")
        digest = hashlib.sha256()
        fh = archive.extractfile(member)
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != expected["sha256"] or member.size != expected["size"]:
            raise BackupError(f"Checksum mismatch for {member.name}: the backup is damaged.")
        seen.add(member.name)
        expanded += member.size
    missing = set(manifest["files"]) - seen
    if missing:
        raise BackupError(f"Missing from the archive: {', '.join(sorted(missing))}.")
    manifest["expanded"] = expanded
    return manifest


# Restore -------------------------------------------------------------------------------------------


def _sqlite_tables(conn):
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]


def restore_backup(
    path, settings_dict, *, media_root=None, force=False, include_media=True, private_root=None
):
    """Restore the archive into the database described by `settings_dict` and into `media_root`.

    Returns {"tables": n, "rows": n, "media_files": n}. Raises BackupError on any refusal; a refusal
    leaves the target database as it was, and the media are written only once the database is in."""
    manifest = verify_backup(path)
    engine = engine_of(settings_dict)
    if engine != manifest["engine"]:
        raise BackupError(
            f"This backup holds a {manifest['engine']} database; the target is {engine}. "
            "Restore into the same engine (use dumpdata/loaddata to move between engines)."
        )
    media_root = Path(media_root or settings.MEDIA_ROOT)
    private_root = Path(private_root or settings.PRIVATE_MEDIA_ROOT)
    db_name = "database.sqlite3" if engine == "sqlite" else "database.pgdump"
    sizes = dict.fromkeys(("media/", "private/"), 0)
    for name, member in manifest["files"].items():
        for prefix in sizes:
            if name.startswith(prefix):
                sizes[prefix] += member["size"]
    with tempfile.TemporaryDirectory(prefix="ocop-restore-") as tmp, open_archive(path) as archive:
        _check_room(tmp, manifest["files"][db_name]["size"], "the temporary folder")
        if include_media:
            _check_room(media_root, sizes["media/"], "the media folder")
            _check_room(private_root, sizes["private/"], "the private files folder")
        db_file = Path(tmp) / db_name
        with archive.extractfile(db_name) as src, open(db_file, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        if engine == "sqlite":
            counts = _restore_sqlite(db_file, settings_dict, manifest["tables"], force=force)
        else:
            counts = _restore_postgresql(db_file, settings_dict, manifest["tables"], force=force)
        media = (
            _restore_media(archive, media_root) + _restore_media(archive, private_root, prefix="private/")
            if include_media
            else 0
        )
    return {"tables": len(counts), "rows": sum(counts.values()), "media_files": media}


def _check_room(folder, size, what):
    """Refuse before writing `size` bytes under `folder` (or its nearest existing parent) if they do not
    fit, keeping a 5 % margin."""
    existing = Path(folder).resolve()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    free = shutil.disk_usage(existing).free
    if size > free * 0.95:
        raise BackupError(
            f"The backup expands to {size // (1024 * 1024)} MB in {what} ({existing}), which has "
            f"{free // (1024 * 1024)} MB free. Nothing was changed."
        )


def _compare(counts, expected):
    if counts != expected:
        diff = sorted(t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t))
        raise BackupError(
            f"Restored row counts differ from the manifest for: {', '.join(diff)}. Nothing was changed."
        )


def _restore_sqlite(db_file, settings_dict, expected, *, force):
    """Count the rows of the extracted copy first; only a copy matching the manifest replaces the
    target, in one step of SQLite's backup API (atomic for the target)."""
    quote = lambda t: '"' + t.replace('"', '""') + '"'  # noqa: E731
    src = sqlite3.connect(db_file)
    try:
        _compare(_counts(src.cursor(), _sqlite_tables(src), quote), expected)
        name = str(settings_dict["NAME"])
        dst = sqlite3.connect(name, uri=name.startswith("file:"))
        try:
            if _sqlite_tables(dst) and not force:
                raise BackupError(f"The target database {name} is not empty; use --force to replace it.")
            src.backup(dst)
            return _counts(dst.cursor(), _sqlite_tables(dst), quote)
        finally:
            dst.close()
    finally:
        src.close()


# Run after the dump's statements, in the same transaction: a mismatch raises, and psql's
# ON_ERROR_STOP with --single-transaction rolls everything back.
PG_CHECK = """
RESET search_path;  -- the dump's script empties it; the check reads the target's own schema
DO $ocop_check$
DECLARE
  expected jsonb := $ocop_manifest$__MANIFEST__$ocop_manifest$::jsonb;
  t text;
  n bigint;
BEGIN
  IF EXISTS (SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()
             EXCEPT SELECT jsonb_object_keys(expected))
     OR EXISTS (SELECT jsonb_object_keys(expected)
                EXCEPT SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()) THEN
    RAISE EXCEPTION 'OCOP restore check: the restored tables differ from the manifest';
  END IF;
  FOR t IN SELECT jsonb_object_keys(expected) LOOP
    EXECUTE format('SELECT count(*) FROM %I', t) INTO n;
    IF n <> (expected ->> t)::bigint THEN
      RAISE EXCEPTION 'OCOP restore check: % has % rows, the manifest says %', t, n, expected ->> t;
    END IF;
  END LOOP;
END
$ocop_check$;
"""


def _restore_postgresql(db_file, settings_dict, expected, *, force):
    """pg_restore's statements piped into ONE psql transaction followed by the row-count check
    (PG_CHECK): the target changes only if everything loaded and every count matches."""
    import psycopg  # psycopg: only for a PostgreSQL database

    conninfo = pg_conninfo(settings_dict)
    with psycopg.connect(conninfo) as conn:
        existing = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchone()[0]
    if existing and not force:
        raise BackupError(
            f"The target database {settings_dict['NAME']} is not empty; use --force to replace it."
        )
    dump = [shutil.which("pg_restore") or "pg_restore", "--no-owner", "--no-privileges", "--file=-"]
    if existing:
        dump += ["--clean", "--if-exists"]
    load = [
        shutil.which("psql") or "psql",
        "--no-psqlrc",
        "--quiet",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        f"--dbname={conninfo}",
    ]
    check = PG_CHECK.replace("__MANIFEST__", json.dumps(expected, sort_keys=True)).encode()
    with tempfile.TemporaryFile() as errors:
        try:
            with subprocess.Popen(  # noqa: S603  (our own pg_restore/psql command lines)
                load, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors
            ) as psql:
                with subprocess.Popen(  # noqa: S603
                    [*dump, str(db_file)], stdout=subprocess.PIPE, stderr=errors
                ) as restore:
                    try:
                        shutil.copyfileobj(restore.stdout, psql.stdin, CHUNK)
                    except BrokenPipeError:  # psql gave up (it says why on stderr)
                        restore.kill()
                # pg_restore has ended; a broken dump makes the transaction fail instead of committing
                # half of it, a complete one is followed by the check
                psql.stdin.write(check if restore.returncode == 0 else b"\nSELECT 1/0;\n")
        except BrokenPipeError:
            pass
        errors.seek(0)
        message = errors.read().decode(errors="replace").strip()
    if restore.returncode != 0 or psql.returncode != 0:
        raise BackupError(f"The restore failed and was rolled back (nothing was changed): {message}")
    with psycopg.connect(conninfo) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [row[0] for row in cursor.fetchall()]
        return _counts(cursor, tables, lambda t: '"' + t.replace('"', '""') + '"')


def _restore_media(archive, media_root, prefix="media/"):
    root = Path(media_root).resolve()
    count = 0
    for member in archive.getmembers():
        if not member.name.startswith(prefix):
            continue
        rel = safe_member_name(member.name[len(prefix) :])
        if rel is None or not member.isfile():
            raise BackupError(f"Refusing unsafe archive member {member.name!r}.")
        target = (root / rel).resolve()
        if not target.is_relative_to(root):
            raise BackupError(f"Refusing unsafe archive member {member.name!r}.")
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.extractfile(member) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        count += 1
    return count
