"""``kam preview``: the report served on this machine while its engagement is edited.

One process renders the engagement (:func:`kamlib.render.pipeline.render`, into the same report
folder ``kam render`` writes), serves the report folder over HTTP on a loopback address only, and
looks at the engagement folder twice a second. When a file changes (and has stopped changing), it
renders again in the same warm process, so only what changed is made again (see
:mod:`kamlib.render.cache`), and every open page reloads itself.

What the browser gets differs from the files in one way: a served page carries a small script
that asks ``/__kam__/state`` whether a newer render exists, and, while the last render failed,
kam's one-line message at its top (the last good report stays). The files on disk are the
report, without either. The process holds the report folder's one-writer lock while it runs;
Ctrl-C stops it, and the render it interrupts leaves nothing behind.
"""

from __future__ import annotations

import html
import http.server
import json
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from kamlib.core.errors import KamError
from kamlib.render import output

LOOPBACK = {"127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1", "::1": "::1"}
"""The addresses preview serves on (a name maps to the address bound)."""
STATE = "/__kam__/state"
POLL = 0.5
"""Seconds between two looks at the engagement folder; a change is rendered once the folder
has looked the same twice in a row (an editor that saves in steps is rendered once)."""
WATCHED_FILES = 1_000
"""The most files of the engagement folder preview watches (the first, by name)."""

RELOAD = """<script>/* kam preview */(function () {
  var seen = %d;
  function look() {
    fetch("%s", {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (s) { if (s.version !== seen) { location.reload(); } })
      .catch(function () {})
      .then(function () { setTimeout(look, 700); });
  }
  setTimeout(look, 700);
})();</script>"""

BANNER = (
    '<div class="kam-preview-error" role="alert" style="position:sticky;top:0;z-index:1000;'
    "background:#fdecea;color:#611a15;border:2px solid #b71c1c;padding:12px 16px;margin:0;"
    'font:bold 15px/1.5 sans-serif;white-space:pre-wrap">%s<br><span style="font-weight:normal">'
    "%s</span></div>"
)
KEPT = {
    "zh": "以下仍是上一次成功生成的报告。修改后保存，kam 会自动重新生成。",
    "en": "Below is the last report that rendered. Save a fix and kam renders again.",
}
NO_REPORT = {
    "zh": "还没有报告：请修正上面的问题并保存。",
    "en": "No report yet: fix the problem above and save.",
}


def loopback(address: str) -> str:
    """The address to bind for ``address``, which must be this machine's own.

    Raises
    ------
    KamError
        Any other address: a preview serves the client's data to nobody else.
    """
    if address not in LOOPBACK:
        raise KamError(
            "--address",
            "an address of this machine only (127.0.0.1, localhost or ::1): a preview shows the "
            "client's data to nobody else; to share a report, send its files",
            f'"{address}"',
        )
    return LOOPBACK[address]


class Preview:
    """The state a preview serves: the report folder, the render count, the last error."""

    def __init__(self, folder: Path, out: Path, language: str, build: Callable[[], str]):
        self.folder, self.out, self.language, self.build = folder, out, language, build
        self.version = 0
        self.error: str | None = None
        self.lock = threading.Lock()

    def render(self) -> str:
        """Render once; the line to print (what was done, or kam's message)."""
        from kamlib.render.execute import RenderError

        try:
            said, error = self.build(), None
        except KamError as exc:
            said = error = f"kam: error: {exc}"
        except RenderError as exc:
            said = error = f"kam: render failed: {exc}"
        with self.lock:
            self.version += 1
            self.error = error
        return said

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {"version": self.version, "error": self.error}

    def decorate(self, markup: str) -> str:
        """A page as served: the reload script, and the error banner while the last render
        failed."""
        state = self.state()
        script = RELOAD % (state["version"], STATE)
        banner = ""
        if state["error"]:
            kept = KEPT if (self.out / "index.html").is_file() else NO_REPORT
            banner = BANNER % (html.escape(state["error"]), html.escape(kept[self.language]))
        markup = _insert_after_body(markup, banner) if banner else markup
        at = markup.rfind("</body>")
        return markup[:at] + script + markup[at:] if at >= 0 else markup + script

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Each watched file of the engagement folder: (modification time, size). The report
        folder, hidden files and Office's lock files (``~$…``) are not watched."""
        found: dict[str, tuple[int, int]] = {}
        try:
            paths = sorted(self.folder.rglob("*"))
        except OSError:
            return found
        out = self.out.resolve()
        for path in paths:
            rel = path.relative_to(self.folder)
            if any(p.startswith((".", "~$")) for p in rel.parts) or path.is_relative_to(out):
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file():
                found[str(rel)] = (stat.st_mtime_ns, stat.st_size)
            if len(found) >= WATCHED_FILES:
                break
        return found


def _insert_after_body(markup: str, banner: str) -> str:
    start = markup.find("<body")
    end = markup.find(">", start) + 1 if start >= 0 else 0
    return markup[:end] + banner + markup[end:]


def handler(preview: Preview) -> type[http.server.BaseHTTPRequestHandler]:
    """The request handler: the report folder's files, pages decorated, ``STATE`` as JSON; a
    request naming another host (a web page's DNS rebinding) is refused."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.out), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
            pass

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
            self.do_GET()

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
            if host not in LOOPBACK:
                self._send(403, b"kam preview answers this machine only\n", "text/plain")
                return
            path = unquote(urlsplit(self.path).path)
            if path == STATE:
                body = json.dumps(preview.state(), ensure_ascii=False).encode()
                self._send(200, body, "application/json; charset=utf-8")
                return
            file = Path(self.translate_path(self.path))
            if file.is_dir():
                file = file / "index.html"
            if file.suffix == ".html" and file.is_file():
                markup = file.read_text(encoding="utf-8")
                self._send(200, preview.decorate(markup).encode(), "text/html; charset=utf-8")
            elif path in ("/", "/index.html"):  # no report yet: the message alone
                page = (
                    "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body></body></html>"
                )
                self._send(200, preview.decorate(page).encode(), "text/html; charset=utf-8")
            else:
                super().do_GET()

    return Handler


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str, port: int, handler_class):
        self.address_family = socket.AF_INET6 if ":" in address else socket.AF_INET
        super().__init__((address, port), handler_class)


def serve(
    folder: str | Path,
    out: str | Path | None = None,
    address: str = "127.0.0.1",
    port: int = 0,
    options: dict | None = None,
    tell: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Render ``folder`` into ``out``, serve it on ``address``:``port`` (0: a free port) and
    render again whenever the engagement changes, until Ctrl-C (or ``stop`` is set).

    ``options`` go to :func:`kamlib.render.pipeline.render` (``formats``, ``accounts``, ...).

    Raises
    ------
    KamError
        ``address`` is not this machine's, ``port`` is taken, or the report folder is one kam may
        not write (another kam writing it, a folder of the user's).
    """
    from kamlib.core.config import load_engagement
    from kamlib.render.pipeline import default_out, render, reused_line, written

    bind = loopback(address)
    folder = Path(folder).resolve()
    try:
        eng = load_engagement(folder)
        language, target = eng.language, Path(out).resolve() if out else default_out(eng)
    except KamError:
        language = "zh"
        target = Path(out).resolve() if out else Path.cwd() / "reports" / folder.name
    options = dict(options or {})

    def build() -> str:
        begun, reused = time.perf_counter(), {}
        render(folder, target, reused=reused, **options)
        line = f"rendered {written(target)} in {time.perf_counter() - begun:.1f} s"
        return line + (f"; reused {reused_line(reused)}" if any(reused.values()) else "")

    preview = Preview(folder, target, language, build)
    try:
        server = _Server(bind, port, handler(preview))
    except OSError as exc:
        raise KamError("--port", "a free port of this machine", exc.strerror or str(exc)) from None
    with server, output.writing(target):  # no other kam writes the report while it is served
        host = f"[{bind}]" if ":" in bind else bind
        url = f"http://{host}:{server.server_port}/"
        tell(f"kam preview: rendering {folder.name} into {target} …")
        seen = preview.snapshot()
        tell(preview.render())
        thread = threading.Thread(target=server.serve_forever, name="kam-preview", daemon=True)
        thread.start()
        tell(f"kam preview: open {url} (Ctrl-C stops; saving a file renders again)")
        try:
            while not (stop and stop.is_set()):
                time.sleep(POLL)
                now = preview.snapshot()
                if now == seen:
                    continue
                while True:  # until it stops changing
                    time.sleep(POLL)
                    settled = preview.snapshot()
                    if settled == now:
                        break
                    now = settled
                changed = sorted(k for k in now.keys() | seen.keys() if now.get(k) != seen.get(k))
                seen = now
                tell(f"kam preview: {', '.join(changed[:3])}{' …' if len(changed) > 3 else ''}")
                tell(preview.render())
        finally:
            server.shutdown()
            thread.join()
    sys.stdout.flush()
