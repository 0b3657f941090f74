"""Import of a provincial list on a staff page: upload, preview (a dry run with every bad row), confirm.

The uploaded file is checked by size and by content (an .xlsx is a zip with a workbook inside), kept in
a private folder outside MEDIA_ROOT under a random token held in the user's session, and imported
again from there when the officer confirms: the confirmation runs the full check once more, so a map
or registry change in between cannot slip past it."""

import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ocop.certificates.importer import ImportFileError, import_products
from ocop.core.uploads import validate_upload

XLSX_TYPES = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"}
PREVIEW_ROWS = 200
SESSION_KEY = "registry_import"
STALE_SECONDS = 24 * 3600


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        help_text=gettext_lazy(
            "First sheet, header in row 1. Columns: STT, Tên sản phẩm*, Chủ thể*, Loại hình chủ thể*, "
            "Mã số thuế, Tỉnh*, Huyện, Xã*, Bộ sản phẩm, Hạng sao*, Tiềm năng 5 sao, Điểm, Số quyết định*, "
            "Ngày quyết định*, Cơ quan công nhận, Ngày hết hạn (* required)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, allowed=XLSX_TYPES)
        return upload


def _upload_dir():
    folder = Path(tempfile.gettempdir()) / "ocop-imports"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _forget(request):
    """Delete the file waiting for confirmation, if any."""
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        (_upload_dir() / f"{pending['token']}.xlsx").unlink(missing_ok=True)


def _keep(request, upload):
    _forget(request)
    stale = time.time() - STALE_SECONDS
    for old in _upload_dir().glob("*.xlsx"):  # previews never confirmed
        if old.stat().st_mtime < stale:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    with (_upload_dir() / f"{token}.xlsx").open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    request.session[SESSION_KEY] = {"token": token, "name": Path(upload.name).name[:200]}
    return token


def _pending(request):
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return None, None
    path = _upload_dir() / f"{pending['token']}.xlsx"
    return (path, pending["name"]) if path.exists() else (None, None)


def _require_import(user):
    if not user.has_perm("registry.import_products"):
        raise PermissionDenied


def _preview(request, form, result, file_name):
    context = {
        "form": form,
        "result": result,
        "file_name": file_name,
        "rows": result.rows[:PREVIEW_ROWS],
        "more_rows": max(0, len(result.rows) - PREVIEW_ROWS),
        "error_lines": result.error_lines(),
        "token": request.session.get(SESSION_KEY, {}).get("token", ""),
    }
    return render(request, "backoffice/imports/import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    """Upload a file and see what it would do (nothing is written yet)."""
    _require_import(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        _keep(request, upload)
        path, name = _pending(request)
        try:
            result = import_products(path, actor=request.user, dry_run=True, file_name=name)
        except ImportFileError as exc:
            _forget(request)
            form.add_error("file", exc.message)
        else:
            if not result.ok:
                _forget(request)
                messages.error(
                    request, _("Nothing can be imported: correct the rows listed below and upload again.")
                )
            return _preview(request, ImportForm(), result, name)
    return render(request, "backoffice/imports/import.html", {"form": form})


@login_required
@require_POST
def import_confirm(request):
    """Import the file shown in the preview, all or nothing."""
    _require_import(request.user)
    path, name = _pending(request)
    if path is None or request.POST.get("token") != request.session[SESSION_KEY]["token"]:
        messages.error(request, _("The uploaded file is no longer available; please upload it again."))
        return redirect("backoffice:import_products")
    try:
        result = import_products(path, actor=request.user, file_name=name)
    except ImportFileError as exc:
        _forget(request)
        messages.error(request, exc.message)
        return redirect("backoffice:import_products")
    _forget(request)
    if not result.ok:
        messages.error(request, _("Nothing was imported: correct the rows listed below and upload again."))
        return _preview(request, ImportForm(), result, name)
    messages.success(
        request,
        _(
            "Imported %(file)s: %(producers)s new producers, %(products)s new products, "
            "%(certificates)s new certificates (%(existing)s certificates were already on the platform)."
        )
        % {
            "file": name,
            "producers": result.created["producers"],
            "products": result.created["products"],
            "certificates": result.created["certificates"],
            "existing": result.existing["certificates"],
        },
    )
    return redirect("backoffice:import_products")


@login_required
def import_template(request):
    """The spreadsheet to fill: the expected header row and one example row."""
    from django.http import HttpResponse

    from ocop.certificates.importer import template_workbook

    _require_import(request.user)
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-san-pham-ocop.xlsx"'
    return response
