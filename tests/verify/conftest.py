from ..stamps.helpers import batch, certificate  # noqa: F401
