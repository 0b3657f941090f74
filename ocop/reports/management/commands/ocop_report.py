"""manage.py ocop_report --province <code> --as-of YYYY-MM-DD [--format text|xlsx|pdf] [--output FILE]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ocop.core.errors import DomainError
from ocop.reports.render import to_pdf, to_text, to_xlsx
from ocop.reports.report import build_report
from ocop.reports.scope import parse_as_of, resolve


class Command(BaseCommand):
    help = (
        "The OCOP report of a province as of a date: a Vietnamese narrative summary followed by tables. "
        "Codes are read on the administrative map in force at that date. Text goes to standard output "
        "unless --output is given; xlsx and pdf need --output."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", required=True, help="GSO code of the province on the map in force at --as-of"
        )
        parser.add_argument("--as-of", required=True, dest="as_of", help="YYYY-MM-DD")
        parser.add_argument("--format", choices=["text", "xlsx", "pdf"], default="text")
        parser.add_argument("--output", help="file to write (required for xlsx and pdf)")
        parser.add_argument("--language", choices=["vi", "en"], default="vi")

    def handle(self, *args, province, as_of, format, output, language, **options):
        if format != "text" and not output:
            raise CommandError(f"--format {format} needs --output FILE")
        with translation.override(language):
            try:
                if not province.strip().isdigit():
                    raise CommandError(f"--province must be a GSO code (digits), got {province!r}")
                scope = resolve(parse_as_of(as_of), province=province.strip())
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            report = build_report(scope)
            if format == "text":
                data = to_text(report).encode()
            elif format == "xlsx":
                data = to_xlsx(report)
            else:
                data = to_pdf(report)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"{output}: {len(data)} bytes")
        else:
            sys.stdout.flush()
            self.stdout.write(data.decode(), ending="")
