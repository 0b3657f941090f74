"""WSGI entry point (gunicorn, runserver): Django, behind the fast path for cached public pages."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")

from ocop.core.fastpath import FastPath

application = FastPath(get_wsgi_application())
