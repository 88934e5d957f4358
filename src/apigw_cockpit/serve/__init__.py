"""`apigw-cockpit serve`: one shared, look-only cockpit for every browser in the war room.

- `child`   runs the ONE cockpit process (textual-serve's AppService, our driver) and fans its
            screen out;
- `driver`  the Textual driver inside that process: output only, keystrokes dropped;
- `hub`     the viewers: limit, per-viewer queues, the viewer count;
- `guard`   token, Origin and Host checks (pure);
- `assets`  the page and its local static files (no external host);
- `server`  the aiohttp routes that tie them together.

Nothing here imports the TUI (`ui/`), AWS (`aws/`) or the diagnosis: the cockpit runs in its
own process, started as `python -m apigw_cockpit demo|watch` with a read-only environment.
"""
