from django.shortcuts import render
from django.views.decorators.http import require_GET

from ocop.core.params import int_list
from ocop.core.text import fold_unit_name
from ocop.geo.enums import Level, MapVersion
from ocop.geo.models import AdminUnit


def _unit(pk, **filters):
    ids = int_list([str(pk or "")])  # junk ("²", a number no id has) picks nothing
    return AdminUnit.objects.filter(pk=ids[0], **filters).first() if ids else None


@require_GET
def picker(request):
    """The province → (district) → commune picker, searchable without diacritics (public: used on sign-up)."""
    params = request.GET
    commune = _unit(params.get("commune"), level=Level.COMMUNE)
    map_ = params.get("map") or (commune.map if commune else MapVersion.CURRENT)
    if map_ not in MapVersion.values:
        map_ = MapVersion.CURRENT
    if commune and commune.map != map_:
        commune = None
    province = _unit(params.get("province"), map=map_, level=Level.PROVINCE) or (
        commune.province if commune else None
    )
    district = None
    if map_ == MapVersion.LEGACY:
        district = _unit(params.get("district"), map=map_, level=Level.DISTRICT, province=province) or (
            commune.district if commune else None
        )
    communes = []
    parent = district or province
    query = (params.get("q") or "")[:60]
    if parent or query:
        qs = AdminUnit.objects.filter(map=map_, level=Level.COMMUNE)
        if parent:
            qs = qs.filter(district=district) if district else qs.filter(province=province)
        for word in fold_unit_name(query).split()[:6]:
            qs = qs.filter(name_folded__contains=word)
        communes = qs
        communes = communes.select_related("district", "province").order_by("name_folded")[:300]
    context = {
        "field": params.get("field", "commune"),
        "map": map_,
        "provinces": AdminUnit.objects.filter(map=map_, level=Level.PROVINCE).order_by("name_folded"),
        "districts": AdminUnit.objects.filter(map=map_, level=Level.DISTRICT, province=province).order_by(
            "name_folded"
        )
        if province
        else [],
        "communes": communes,
        "province": province,
        "district": district,
        "commune": commune,
        "q": query,
    }
    return render(request, "includes/address_picker_inner.html", context)
