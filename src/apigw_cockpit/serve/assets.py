"""The page and its static files, all served from this machine (no font host, no CDN).

textual-serve ships the terminal front end (xterm.js bundle, its CSS, the Roboto Mono font);
its HTML template links Google Fonts, so we use our own page. Its JS is reused with a few
patches, applied as data below when the server starts: each anchor must occur exactly once
in the installed bundle, or `serve` refuses to start (a textual-serve upgrade that moved them
is caught before anyone opens the page, not as a half-working view).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import textual_serve

UPSTREAM = Path(textual_serve.__file__).parent / "static"
OURS = Path(__file__).parent / "static"
FONT = "RobotoMono-VariableFont_wght.ttf"  # the page's only font, textual-serve's copy

# (why, anchor in textual-serve's textual.js, replacement)
JS_PATCHES: tuple[tuple[str, str, str], ...] = (
    (
        "the server chooses the terminal size (one shared screen); the page scales it to the window",
        "fit(){this.fitAddon.fit(this.element)}",
        "fit(){this.terminal.resize(+this.element.dataset.cols,+this.element.dataset.rows),"
        "window.cockpitFit&&window.cockpitFit(this.element,this.terminal)}",
    ),
    (
        "viewers only look: keystrokes are not even sent (the server and the app drop them too)",
        'this.terminal.onData((e=>{this.socket.send(JSON.stringify(["stdin",e]))}))',
        "this.terminal.onData((e=>{}))",
    ),
    (
        "the viewer count the server broadcasts",
        'case"log":console.log("LOG",s);break;',
        'case"log":console.log("LOG",s);break;case"viewers":window.cockpitViewers&&window.cockpitViewers(s);break;',
    ),
    (
        "say why the screen closed (viewer limit, cockpit ended) instead of a bare 'Session ended'",
        'this.socket.addEventListener("close",(e=>{',
        'this.socket.addEventListener("close",(e=>{window.cockpitClosed&&window.cockpitClosed(e),',
    ),
)


class AssetError(RuntimeError):
    """The installed textual-serve does not match what the patches expect."""


def patched_js(source: str) -> str:
    for why, anchor, replacement in JS_PATCHES:
        found = source.count(anchor)
        if found != 1:
            raise AssetError(
                f"textual-serve's textual.js has {found} copies of the patch point for: {why} "
                "(textual-serve version not supported)"
            )
        source = source.replace(anchor, replacement)
    return source


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str


def load_assets() -> dict[str, Asset]:
    """Every file the page may load, by name under /static/. Nothing else is served."""
    js = patched_js((UPSTREAM / "js" / "textual.js").read_text(encoding="utf-8"))
    return {
        "textual.js": Asset(js.encode("utf-8"), "text/javascript"),
        "xterm.css": Asset((UPSTREAM / "css" / "xterm.css").read_bytes(), "text/css"),
        "RobotoMono.ttf": Asset((UPSTREAM / "fonts" / FONT).read_bytes(), "font/ttf"),
        "cockpit.css": Asset((OURS / "cockpit.css").read_bytes(), "text/css"),
        "viewers.js": Asset((OURS / "viewers.js").read_bytes(), "text/javascript"),
    }


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="stylesheet" href="/static/xterm.css">
<link rel="stylesheet" href="/static/cockpit.css">
<script src="/static/textual.js"></script>
<script src="/static/viewers.js"></script>
</head>
<body>
<div id="banner"><span id="title">{title}</span> · view only · <span id="viewers">connecting…</span></div>
<div id="closed" class="closed"><div class="message">
  <p id="closed-reason">The shared cockpit closed.</p>
  <button type="button" id="reload">Reload</button>
</div></div>
<div id="terminal" class="textual-terminal"
  data-session-websocket-url="{ws_url}"
  data-font-size="{font_size}" data-cols="{cols}" data-rows="{rows}"></div>
</body>
</html>
"""


def page(*, title: str, ws_url: str, cols: int, rows: int, font_size: int = 16) -> str:
    esc = html.escape
    return PAGE.format(title=esc(title), ws_url=esc(ws_url), cols=cols, rows=rows, font_size=font_size)


def security_headers(ws_origin: str) -> dict[str, str]:
    """Only this server's scripts, styles, fonts and websocket; never framed; no referrer (the
    token is in the URL); nothing cached (the page carries the token)."""
    csp = (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
        f"img-src 'self' data:; connect-src {ws_origin}; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'none'"
    )
    return {
        "Content-Security-Policy": csp,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-store",
    }
