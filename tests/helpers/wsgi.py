"""Requests through the project's WSGI application, as gunicorn makes them (Django's test client skips it)."""

import io
import sys
from dataclasses import dataclass

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from runcms.early_answers import EarlyAnswers


@dataclass
class WsgiResponse:
    status_code: int
    headers: dict  # lower-case name -> value
    content: bytes
    through_django: bool  # whether Django saw the request (else the kept answer went out before it)


class WsgiClient:
    """Calls `runcms.wsgi.application`'s stack (EarlyAnswers around Django) built from the current settings."""

    def __init__(self):
        self.application = EarlyAnswers(WSGIHandler())

    def get(self, path, headers=None, remote_addr="127.0.0.1"):
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "REMOTE_ADDR": remote_addr,
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        sent, seen = {}, []

        def start_response(status, response_headers, exc_info=None):
            sent["status"], sent["headers"] = status, response_headers

        def saw(**kwargs):
            seen.append(True)

        # As Django's test client: the test's transaction must outlive the request.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        request_started.connect(saw)
        try:
            result = self.application(environ, start_response)
            content = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            request_started.disconnect(saw)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        headers = {name.lower(): value for name, value in sent["headers"]}
        return WsgiResponse(int(sent["status"].split()[0]), headers, content, bool(seen))
