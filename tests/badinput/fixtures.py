"""The files the bad-input table points at: built once per session under one temp directory.

Each bad file is named for what is wrong with it; `{name}` in a case's argv is replaced by
`<dir>/<name>`. Scenario files are the built-in midnight-pager with one mutation each, so
every one of them is valid except for the thing the case is about.
"""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

from apigw_cockpit.demo.world.scenario import SCENARIO_DIR

BASE_SCENARIO = (SCENARIO_DIR / "midnight-pager.toml").read_text(encoding="utf-8")

# name -> (text to find in midnight-pager.toml, replacement) or ("", text appended).
SCENARIO_MUTATIONS: dict[str, tuple[str, str]] = {
    "traffic-string": ("[traffic]\nrate_per_min = 190", 'traffic = "fast"'),
    "traffic-list": ("[traffic]\nrate_per_min = 190", "traffic = [1, 2]"),
    "rate-huge": ("rate_per_min = 190", "rate_per_min = 1e12"),
    "rate-nan": ("rate_per_min = 190", "rate_per_min = nan"),
    "rate-inf": ("rate_per_min = 190", "rate_per_min = inf"),
    "rate-negative": ("rate_per_min = 190", "rate_per_min = -5"),
    "rate-string": ("rate_per_min = 190", 'rate_per_min = "lots"'),
    "rate-bool": ("rate_per_min = 190", "rate_per_min = true"),
    "jitter-huge": ("rate_per_min = 190", "rate_per_min = 190\njitter = 50"),
    "mix-string": ("rate_per_min = 190", 'rate_per_min = 190\nmix = "GET /orders"'),
    "phases-table": ("rate_per_min = 190", "rate_per_min = 190\nphases = { a = 1 }"),
    "phase-no-rate": ("rate_per_min = 190", 'rate_per_min = 190\nphases = [{ from = "-5m" }]'),
    "phase-rate-huge": ("rate_per_min = 190", "rate_per_min = 190\nphases = [{ rate_per_min = 1e15 }]"),
    "phase-from-bad": (
        "rate_per_min = 190",
        'rate_per_min = 190\nphases = [{ rate_per_min = 5, from = "soon" }]',
    ),
    "port-string": ('port = 80, cidr = "10.20', 'port = "eighty", cidr = "10.20'),
    "port-huge": ('port = 80, cidr = "10.20', 'port = 99999, cidr = "10.20'),
    "port-float-nan": ('port = 80, cidr = "10.20', 'port = nan, cidr = "10.20'),
    "cidr-bad": ('cidr = "10.20.0.0/16", description', 'cidr = "ten.twenty", description'),
    "start-time-word": ('start_time = "00:15"', 'start_time = "yesterday"'),
    "start-time-int": ('start_time = "00:15"', "start_time = 15"),
    "start-time-range": ('start_time = "00:15"', 'start_time = "25:99"'),
    "start-string": ('start_time = "00:15"', 'start = "yesterday"'),
    "at-word": ('at = "-5m"', 'at = "earlier"'),
    "at-far": ('at = "-5m"', 'at = "-400d"'),
    "at-table": ('at = "-5m"', "at = { x = 1 }"),
    "actions-table": ("[[actions]]", "[actions.x]"),
    "params-string": (
        'params = { sg = "tasks-sg", protocol = "tcp", port = 80, cidr = "10.0.0.0/16" }',
        'params = "sg"',
    ),
    "do-unknown": ('do = "revoke_ingress"', 'do = "delete_everything"'),
    "sg-unknown": (
        'params = { sg = "tasks-sg", protocol = "tcp", port = 80, cidr = "10.0.0.0/16" }',
        'params = { sg = "nope-sg", protocol = "tcp", port = 80, cidr = "10.0.0.0/16" }',
    ),
    "topology-unknown": ('topology = "orders-platform"', 'topology = "nowhere"'),
    "topology-number": ('topology = "orders-platform"', "topology = 5"),
    "root-cause-unknown": ('root_cause = "sg-blocks-nlb-targets"', 'root_cause = "gremlins"'),
    "id-number": ('id = "midnight-pager"', "id = 7"),
    "unknown-key": ("", '\ncolour = "blue"\n'),
    "overrides-string": ("", '\noverrides = "x"\n'),
    "override-subnets-list": ("", "\n[overrides]\nsubnets = [1, 2]\n"),
    "override-subnet-string": ("", '\n[overrides.subnets]\na = "x"\n'),
    "override-latency-word": ("", '\n[overrides.backends.orders-svc]\nlatency_ms = "slow"\n'),
    "override-latency-inf": ("", "\n[overrides.backends.orders-svc]\nlatency_ms = inf\n"),
    "override-status-string": ("", '\n[overrides.backends.orders-svc]\nstatus = "x"\n'),
    "override-tg-port-word": ("", '\n[overrides.target_groups.orders-tg]\nport = "x"\n'),
    "override-timeout-huge": (
        "",
        "\n[overrides.resources.orders.methods.GET.integration]\ntimeout_ms = 1e9\n",
    ),
    "invalid-toml": ("", "\n[[[\n"),
    "huge-int": ("", "\n[overrides.api]\naccount = 99999999999999999\n"),
}

BAD_CONFIGS: dict[str, str] = {
    "refresh-word": 'refresh = "soon"',
    "refresh-nan": "refresh = nan",
    "refresh-inf": "refresh = inf",
    "refresh-zero": "refresh = 0",
    "refresh-huge": "refresh = 1e9",
    "log-buffer-huge": "log_buffer = 1e300",
    "log-buffer-nan": "log_buffer = nan",
    "log-buffer-small": "log_buffer = 5",
    "log-buffer-fraction": "log_buffer = 2000.5",
    "log-buffer-word": 'log_buffer = "big"',
    "metrics-nan": "[intervals]\nmetrics = nan",
    "metrics-inf": "[intervals]\nmetrics = inf",
    "metrics-negative": "[intervals]\nmetrics = -1",
    "metrics-zero": "[intervals]\nmetrics = 0",
    "metrics-huge": "[intervals]\nmetrics = 1e9",
    "logs-word": '[intervals]\nlogs = "fast"',
    "intervals-number": "intervals = 5",
    "keys-quit-empty": '[keys]\nquit = ""',
    "keys-quit-word": '[keys]\nquit = "notakey"',
    "keys-quit-dangling-mod": '[keys]\nquit = "ctrl+"',
    "keys-quit-space": '[keys]\nquit = " "',
    "keys-bad-modifier": '[keys]\npause = "hyperdrive+p"',
    "keys-one-bad-of-two": '[keys]\nquit = "q,nonsense"',
    "keys-number": "[keys]\nquit = 5",
    "keys-string": 'keys = "q"',
    "keys-control-char": '[keys]\nquit = "\\u0007"',
    "theme-number": "theme = 5",
    "theme-empty": 'theme = ""',
    "ascii-word": 'ascii = "yes"',
    "unknown-key": 'colour = "blue"',
    "invalid-toml": "refresh = = 1",
}


def build(root: Path) -> Path:
    """Create every bad file under `root`; returns root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "nonutf8.toml").write_bytes(b"\xff\xfe = \x80\n")
    (root / "dir.toml").mkdir(exist_ok=True)
    (root / "dir").mkdir(exist_ok=True)
    fifo = root / "fifo"
    if not fifo.exists():
        os.mkfifo(fifo)
    dangling = root / "dangling"
    if not dangling.is_symlink():
        dangling.symlink_to(root / "nowhere")
    foreign = root / "foreign.txt"  # someone else's file, reached through a symlink
    foreign.write_text("not yours\n")
    if os.getuid() == 0:
        os.chown(foreign, 65534, 65534)
    link = root / "foreign-link"
    if not link.is_symlink():
        link.symlink_to(foreign)
    link_dir = root / "link-to-dir"
    if not link_dir.is_symlink():
        link_dir.symlink_to(root / "dir")
    # Device nodes for the "refuse to replace a device" rows. As root, a build without the
    # check would turn /dev/null itself into a regular file, so root gets private copies;
    # anyone else cannot replace /dev/null anyway.
    for name, (major, minor) in {"null": (1, 3), "full": (1, 7)}.items():
        node = root / f"dev-{name}"
        if os.getuid() == 0:
            if not node.exists():
                os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
        elif not node.is_symlink():
            node.symlink_to(f"/dev/{name}")
    for name, (old, new) in SCENARIO_MUTATIONS.items():
        if old:
            assert old in BASE_SCENARIO, name
            text = BASE_SCENARIO.replace(old, new, 1)
        else:
            text = BASE_SCENARIO + new
        (root / f"scn-{name}.toml").write_text(text, encoding="utf-8")
    for name, text in BAD_CONFIGS.items():
        (root / f"cfg-{name}.toml").write_text(text + "\n", encoding="utf-8")
    (root / "empty.jsonl").write_bytes(b"")
    (root / "garbage.jsonl").write_text("hello\nworld\n")
    (root / "binary.jsonl").write_bytes(bytes(range(256)) * 8)
    (root / "notutf8.jsonl").write_bytes(b'{"v":1,"kind":"note","at":1,"text":"\xff\xfe"}\n')
    (root / "truncated.jsonl").write_bytes(b'{"v":1,"kind":"session-start","at":1')
    (root / "array.jsonl").write_text("[1, 2, 3]\n")
    return root


def busy_port() -> socket.socket:
    """A listening socket on 127.0.0.1 (its port is "in use" for the table)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    return s
