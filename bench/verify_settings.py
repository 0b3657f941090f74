"""Production settings for bench/verify_load.py, except static files are stored without the hashed
manifest: `collectstatic` with the manifest storage currently stops on a vendored source map
(vendor/chartjs/chart.umd.min.js.map missing). Nothing else differs from OCOP_ENV=production."""

from ocop.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}  # noqa: F405
