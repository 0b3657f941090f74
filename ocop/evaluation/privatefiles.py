"""Moving evidence uploaded before files were private (they lay under MEDIA_ROOT/dossiers/ with
timestamp names) into the private storage under random names. Run by migration
0002_evidence_private_storage on `migrate`, and by `manage.py move_private_files` (idempotent: e.g.
after restoring an old backup)."""

from django.core.files.storage import storages

from ocop.core.privatefiles import private_name, private_storage


def move_evidence_to_private(evidence_model, *, public=None, private=None):
    """Move every evidence file still found in the public storage; returns how many moved."""
    public = public or storages["default"]
    private = private or private_storage()
    moved = 0
    for pk, dossier_id, name in evidence_model.objects.values_list("pk", "dossier_id", "file").iterator():
        if not name or not public.exists(name):
            continue
        extension = name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else "bin"
        with public.open(name, "rb") as handle:
            new_name = private.save(private_name(f"dossiers/{dossier_id}", extension), handle)
        evidence_model.objects.filter(pk=pk).update(file=new_name)
        public.delete(name)
        moved += 1
    return moved
