import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from runcms.webhooks.models import Endpoint


class Receiver:
    """A real HTTP server on loopback that records what it is sent and answers `statuses` in turn
    (then 200), checking every signature with `secret`."""

    def __init__(self, secret):
        self.secret = secret
        self.received = []
        self.statuses = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(
                    {"headers": dict(self.headers), "body": body, "valid": receiver.signed(self.headers, body)}
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"receiver trouble " * 200)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def signed(self, headers, body):
        # How a receiver verifies a delivery (the README shows the same).
        parts = dict(part.split("=", 1) for part in headers["X-Runcms-Signature"].split(","))
        expected = hmac.new(self.secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts["v1"])

    @property
    def events(self):
        return [json.loads(request["body"]) for request in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.RUNCMS_WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on loopback
    receiver = Receiver("a shared secret")
    yield receiver
    receiver.close()


@pytest.fixture
def endpoint(receiver):
    return Endpoint.objects.create(name="App backend", url=receiver.url, secret=receiver.secret)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if it committed: what waits for the commit (the jobs) runs at the end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
