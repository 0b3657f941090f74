"""manage.py transcribe_qd26 SOURCE.html > ocop/criteria/data/QD26-2026.yaml

Re-runs the transcription of QĐ 26/2026/QĐ-TTg Annex I–II (ocop/criteria/transcribe/qd26.py). Exits with an
error, writing nothing, when the copy has a slip that is not recorded in qd26.SLIPS."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocop.criteria.transcribe import qd26

DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "sources" / "qd-26-2026-TTg.html"


class Command(BaseCommand):
    help = "Transcribe QĐ 26/2026/QĐ-TTg Annex II (HTML) into the criteria YAML on standard output."

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", default=str(DEFAULT_SOURCE))

    def handle(self, *args, source, **options):
        text = Path(source).read_text(encoding="utf-8")
        document, unresolved = qd26.build(text)
        if unresolved:
            raise CommandError("Unresolved slips in the copy:\n" + "\n".join(unresolved))
        sys.stdout.write(qd26.dump(document))
