"""ETag / If-None-Match for JSON reads. Any router can answer through `etag_json`:

    @router.get("/things/{id}", response={200: ThingOut, 304: None, 404: Error})
    def thing(request, id: int):
        return etag_json(request, ThingOut, thing_as_dict(...))

The body is serialised once, its SHA-256 is the strong ETag, and a matching If-None-Match answers
304 with no body (a partner polling an unchanged list costs one query and no transfer)."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import parse_etags


def _body(schema, data):
    if schema is not None:
        data = schema.model_validate(data).model_dump(mode="json", by_alias=True)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def matches(request, etag):
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag in tags or f"W/{etag}" in tags


def etag_json(request, schema, data, *, cache_control="private, no-cache"):
    """200 with the JSON of `data` (validated by `schema` if given) and its ETag, or 304."""
    body = _body(schema, data)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request.method in ("GET", "HEAD") and matches(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    response["Vary"] = "Authorization, Accept-Language"
    return response
