from .helpers import batch, certificate  # noqa: F401
