"""Stand-ins on loopback for the third parties a page may load after consent.

Browser tests never reach the internet: Matomo and OpenStreetMap are served from here, and
every other address is blocked in the browser (see ``tests.conftest.isolated_context``).
The fake Matomo behaves like the real one where it matters for consent: its script sets
``_pk_id`` and ``_pk_ses`` cookies on the site's host and sends a tracking request.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MATOMO_JS = b"""
(function () {
  var queue = window._paq || [], siteId = "0", trackerUrl = "";
  for (var i = 0; i < queue.length; i++) {
    if (queue[i][0] === "setSiteId") { siteId = String(queue[i][1]); }
    if (queue[i][0] === "setTrackerUrl") { trackerUrl = queue[i][1]; }
  }
  var suffix = "." + siteId + ".f00d";
  var visitor = "0123456789abcdef." + Math.floor(Date.now() / 1000);
  var flags = "; path=/; SameSite=Lax; max-age=";
  document.cookie = "_pk_id" + suffix + "=" + visitor + flags + 33955200;
  document.cookie = "_pk_ses" + suffix + "=1" + flags + 1800;
  new Image().src = trackerUrl + "?idsite=" + siteId + "&rec=1";
})();
"""
EMBED_HTML = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Map</title></head>
<body><main><p>A fake OpenStreetMap embed.</p></main></body></html>
"""
ROUTES = {
    "/matomo.js": ("text/javascript", MATOMO_JS),
    "/matomo.php": ("image/gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    "/export/embed.html": ("text/html; charset=utf-8", EMBED_HTML),
}


class FakeThirdParties:
    """A small HTTP server on 127.0.0.1 that records the paths it was asked for."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                with fake._lock:
                    fake.requests.append(path)
                content_type, body = ROUTES.get(path, ("text/plain", b"not found"))
                self.send_response(200 if path in ROUTES else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeThirdParties:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def seen(self) -> list[str]:
        with self._lock:
            return list(self.requests)

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
