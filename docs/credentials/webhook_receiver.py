"""A receiver for Practica's credential webhooks, in plain Python (standard library only).

Run it:  PRACTICA_WEBHOOK_SECRET=whsec_... python docs/credentials/webhook_receiver.py 8080

It checks each request as every receiver should:
1. the ``Practica-Signature`` header (``t=<unix seconds>,v1=<hex>``) is HMAC-SHA256 with your
   subscription's secret over ``f"{t}."`` followed by the raw body, compared in constant time;
2. ``t`` is within five minutes of your clock (a captured request cannot be replayed later);
3. the ``Practica-Delivery`` id was not handled before (a retry or redelivery of an event you
   already processed is acknowledged and ignored).
Answer 2xx quickly once the event is stored; anything else (or no answer in 10 s) is retried.
tests/certification/test_webhooks.py runs this file against real deliveries.
"""

import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

TOLERANCE_SECONDS = 300


def check(secret: str, body: bytes, headers, seen: set, now: float | None = None) -> dict:
    """The event in ``body`` if the request is genuine and new; raise ValueError otherwise."""
    fields = dict(
        p.split("=", 1) for p in headers.get("Practica-Signature", "").split(",") if "=" in p
    )
    if "t" not in fields or "v1" not in fields or not fields["t"].isdigit():
        raise ValueError("no signature")
    timestamp = int(fields["t"])
    if abs((time.time() if now is None else now) - timestamp) > TOLERANCE_SECONDS:
        raise ValueError("stale timestamp: a replay?")
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, fields["v1"]):
        raise ValueError("bad signature")
    delivery = headers.get("Practica-Delivery", "")
    if delivery in seen:
        return {}  # already handled: acknowledge, do nothing
    seen.add(delivery)
    return json.loads(body)


def handler_for(secret: str, received: list, seen: set) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                event = check(secret, body, self.headers, seen)
            except ValueError as error:
                self.send_response(400)
                self.end_headers()
                self.wfile.write(str(error).encode())
                return
            if event:
                received.append(event)  # a real receiver stores it, then answers
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


if __name__ == "__main__":
    events: list = []
    server = HTTPServer(
        ("", int(sys.argv[1])), handler_for(os.environ["PRACTICA_WEBHOOK_SECRET"], events, set())
    )
    server.serve_forever()
