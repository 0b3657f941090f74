"""Evidence files become private: the field uses the private storage, and files uploaded before (under
MEDIA_ROOT/dossiers/, timestamp names) move there under random names (ocop/evaluation/privatefiles.py;
`manage.py move_private_files` does the same again, e.g. after restoring an older backup)."""

# Imports inside functions: the app code a migration runs is imported when it is applied, not each time
# the migrations are loaded.
from django.db import migrations, models

import ocop.core.privatefiles
import ocop.evaluation.models


def move_files(apps, schema_editor):
    from ocop.evaluation.privatefiles import move_evidence_to_private

    move_evidence_to_private(apps.get_model("evaluation", "Evidence"))


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evidence",
            name="file",
            field=models.FileField(
                storage=ocop.core.privatefiles.private_storage, upload_to=ocop.evaluation.models.evidence_path
            ),
        ),
        migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True),
    ]
