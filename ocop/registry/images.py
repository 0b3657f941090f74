import io
import uuid

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

MAX_SIDE = 1600


def normalise_image(upload):
    """Re-encode an uploaded image as JPEG, at most MAX_SIDE px, without metadata (EXIF, GPS)."""
    Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs
    with Image.open(upload) as img:
        img = ImageOps.exif_transpose(img)
        img.thumbnail((MAX_SIDE, MAX_SIDE))
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        out = io.BytesIO()
        img.save(out, "JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
