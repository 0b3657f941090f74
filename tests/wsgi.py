"""Requests through the real WSGI entry point (ocop.wsgi: the fast path in front of Django), which
Django's test Client bypasses. Each answer says whether Django handled it (`via_django`)."""

import io
import sys
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from ocop.core.fastpath import FastPath


class Answer:
    def __init__(self, status, headers, body, via_django):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.header_list = headers
        self.content = body
        self.text = body.decode()
        self.via_django = via_django

    def __getitem__(self, name):
        return {k.lower(): v for k, v in self.headers.items()}[name.lower()]


class WSGIClient:
    def __init__(self, *, fast=True, **headers):
        self.app = FastPath(WSGIHandler()) if fast else WSGIHandler()
        self.cookies = SimpleCookie()
        self.headers = headers

    def get(self, path, *, method="GET", secure=False, **headers):
        url = urlsplit(path)
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": url.path,
            "QUERY_STRING": url.query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "443" if secure else "80",
            "HTTP_HOST": "testserver",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Mobile",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "https" if secure else "http",
            **self.headers,
            **headers,
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        seen = []

        def started(**kwargs):
            seen.append(True)

        captured = {}

        def start_response(status, response_headers, exc_info=None):
            captured.update(status=status, headers=response_headers)

        # As Django's test client does: the test's transaction must survive the request's end.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        request_started.connect(started)
        try:
            chunks = self.app(environ, start_response)
            body = b"".join(chunks)
            if hasattr(chunks, "close"):
                chunks.close()
        finally:
            request_started.disconnect(started)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return Answer(captured["status"], captured["headers"], body, via_django=bool(seen))
