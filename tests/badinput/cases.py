"""The bad-input table: every row is one invocation a user could type, its exit code and a
regex for the one line on stderr. `{d}` is the fixture directory (see fixtures.py);
`{busy}` a port something already listens on.

Exit codes: 2 for every bad value/file (usage), 0 for a reader that left early (`| head`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.badinput.fixtures import BAD_CONFIGS, SCENARIO_MUTATIONS

NUMBER_WORDS = ("nan", "inf", "-inf", "1e309")  # 1e309 parses as inf


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple[str, ...]
    rc: int
    message: str  # regex searched in the single stderr line ("" = stderr must be empty)
    stdin: bytes = b""
    stdout: str = "pipe"  # "pipe" | "full" (/dev/full) | "head" (a reader that leaves)
    env: dict[str, str] = field(default_factory=dict)


def _c(id: str, argv: str | tuple[str, ...], rc: int, message: str, **kw: object) -> Case:
    args = tuple(argv.split()) if isinstance(argv, str) else argv
    return Case(id, args, rc, message, **kw)  # type: ignore[arg-type]


WATCH = ("watch", "--headless", "--api-id", "a1b2c3", "--stage", "prod")
CASES: list[Case] = []

# -- CLI values: numbers ------------------------------------------------------------------
for v in ("0", "-1", *NUMBER_WORDS, "1e9", "601"):
    CASES.append(_c(f"demo-speed-{v}", ("demo", "--speed", v, "--headless", "10"), 2, r"--speed"))
for v in ("0", "-5", *NUMBER_WORDS, "1e9", "86401"):
    CASES.append(_c(f"demo-headless-{v}", ("demo", "--headless", v), 2, r"--headless"))
for v in ("0", "-1", *NUMBER_WORDS, "1e9"):
    CASES.append(_c(f"watch-duration-{v}", (*WATCH, "--duration", v), 2, r"--duration"))
for v in ("0", "0.01", "-1", "nan", "inf", "61"):
    CASES.append(_c(f"watch-refresh-{v}", (*WATCH, "--refresh", v), 2, r"--refresh"))
for v in ("-1", "nan", "inf", "3601"):
    CASES.append(_c(f"screenshot-at-{v}", ("screenshot", "--out", "{d}/s.svg", "--at", v), 2, r"--at"))
for v in ("-1", "10001"):
    CASES.append(
        _c(f"verify-load-{v}", ("verify", "--api-id", "a", "--stage", "p", "--load", v), 2, "--load")
    )
for v in (
    "0x0",
    "9999x9999",
    "39x24",
    "80x11",
    "501x50",
    "80x201",
    "big",
    "80x",
    "x24",
    "80*24",
    "12345678x9",
):
    CASES.append(_c(f"screenshot-size-{v}", ("screenshot", "--out", "{d}/s.svg", "--size", v), 2, r"--size"))
CASES += [
    _c("demo-speed-word", "demo --speed fast", 2, r"invalid float value"),
    _c("verify-since-word", "verify --api-id a --stage p --since yesterday", 2, r"--since 'yesterday'"),
    _c("check-unknown-id", "check no-such-check --api-id a --stage p", 2, r"unknown check 'no-such-check'"),
    _c("report-format", "report --format pdf", 2, r"invalid choice"),
]

# -- CLI values: ports, hosts, URLs, names ---------------------------------------------------
for v in ("99999", "-1", "65536", "100000000000"):
    CASES.append(
        _c(f"serve-port-{v}", ("serve", "--scenario", "healthy", "--port", v), 2, r"--port .*0\.\.65535")
    )
CASES += [
    _c("serve-port-word", "serve --scenario healthy --port http", 2, r"invalid int value"),
    _c("serve-port-busy", "serve --scenario healthy --port {busy}", 2, r"--port \d+: already in use"),
    _c(
        "serve-host-unresolvable",
        "serve --scenario healthy --host no-such-host.invalid",
        2,
        r"cannot resolve",
    ),
    _c(
        "serve-host-not-local",
        "serve --scenario healthy --host 192.0.2.1",
        2,
        r"not an address of this machine",
    ),
    _c("serve-host-empty", ("serve", "--scenario", "healthy", "--host", ""), 2, r"--host: must not be empty"),
    _c(
        "serve-host-spaces", ("serve", "--scenario", "healthy", "--host", "bad host"), 2, r"--host 'bad host'"
    ),
    _c("serve-scenario-unknown", "serve --scenario nope", 2, r"no such scenario"),
    _c("serve-scenario-nonutf8", "serve --scenario {d}/nonutf8.toml", 2, r"not UTF-8"),
    _c("serve-scenario-rate", "serve --scenario {d}/scn-rate-huge.toml", 2, r"rate_per_min"),
]
for name, url in {
    "word": "not a url",
    "ftp": "ftp://example.com",
    "no-host": "http://",
    "port-huge": "http://127.0.0.1:99999",
    "port-word": "http://127.0.0.1:abc",
    "control": "http://127.0.0.1\x1b[2J",
}.items():
    CASES.append(
        _c(f"watch-endpoint-{name}", (*WATCH, "--endpoint-url", url), 2, r"--endpoint-url .*not a URL")
    )
for name, region in {"upper": "US-EAST-1", "word": "moon", "spaces": "us east 1", "empty": ""}.items():
    CASES.append(
        _c(
            f"watch-region-{name}",
            (*WATCH[:2], "--api-id", "a", "--stage", "p", "--region", region),
            2,
            "--region",
        )
    )
for name, stage in {"space": "has space", "long": "x" * 200, "slash": "a/b"}.items():
    CASES.append(
        _c(f"watch-stage-{name}", ("watch", "--headless", "--api-id", "a", "--stage", stage), 2, "--stage")
    )
CASES += [
    _c(
        "watch-api-id-control",
        ("watch", "--headless", "--api-id", "a\x1b[2Jb", "--stage", "p"),
        2,
        "control characters",
    ),
    _c(
        "watch-api-id-blank",
        ("watch", "--headless", "--api-id", "  ", "--stage", "p"),
        2,
        "must not be empty",
    ),
    _c("check-endpoint-word", "check --api-id a --stage p --endpoint-url nope", 2, r"not a URL"),
    _c("verify-endpoint-word", "verify --api-id a --stage p --endpoint-url nope", 2, r"not a URL"),
    _c("watch-theme-blank", (*WATCH, "--theme", " "), 2, "--theme"),
]

# -- output files ----------------------------------------------------------------------------
for name, path in {
    "dir": "{d}/dir",
    "missing-dir": "{d}/no/such/s.svg",
    "fifo": "{d}/fifo",
    "devnull": "{d}/dev-null",
    "dangling": "{d}/dangling",
    "foreign-link": "{d}/foreign-link",
    "link-to-dir": "{d}/link-to-dir",
}.items():
    CASES.append(_c(f"screenshot-out-{name}", ("screenshot", "--out", path), 2, r"--out "))
    CASES.append(
        _c(f"report-out-{name}", ("report", "--journal", "{d}/garbage.jsonl", "--out", path), 2, r"--out ")
    )
CASES += [
    _c("screenshot-scenario-unknown", "screenshot --out {d}/s.svg --scenario nope", 2, r"no such scenario"),
    _c("screenshot-scenario-dir", "screenshot --out {d}/s.svg --scenario {d}/dir.toml", 2, r"is a directory"),
    _c(
        "screenshot-scenario-port",
        "screenshot --out {d}/s.svg --scenario {d}/scn-port-string.toml",
        2,
        "port",
    ),
    _c("verify-k6-dir", "verify --api-id a --stage p --k6 {d}/dir", 2, r"--k6 .*directory"),
    _c("watch-journal-dir", (*WATCH, "--journal", "{d}/dir"), 2, r"--journal .*directory"),
    _c("watch-journal-fifo", (*WATCH, "--journal", "{d}/fifo"), 2, r"--journal .*FIFO"),
    _c("watch-journal-device", (*WATCH, "--journal", "/dev/zero"), 2, r"--journal .*device"),
    _c("demo-journal-fifo", ("demo", "--headless", "5", "--journal", "{d}/fifo"), 2, r"--journal .*FIFO"),
    _c("report-out-full", "report --journal {d}/garbage.jsonl --out {d}/dev-full", 2, r"device"),
]

# -- journals (report --journal) --------------------------------------------------------------
for name, (path, message) in {
    "dev-zero": ("/dev/zero", r"device, not a regular file"),
    "fifo": ("{d}/fifo", r"FIFO"),
    "dir": ("{d}/dir", r"is a directory"),
    "missing": ("{d}/nope.jsonl", r"no such journal file"),
    "empty": ("{d}/empty.jsonl", r"no usable entries"),
    "garbage": ("{d}/garbage.jsonl", r"not an apigw-cockpit journal"),
    "binary": ("{d}/binary.jsonl", r"not an apigw-cockpit journal"),
    "array": ("{d}/array.jsonl", r"not an apigw-cockpit journal"),
    "truncated": ("{d}/truncated.jsonl", r"no usable entries"),
    "dangling": ("{d}/dangling", r"no such journal file"),
}.items():
    CASES.append(_c(f"report-journal-{name}", ("report", "--journal", path), 2, message))

# -- config files (watch reads it before touching AWS) ---------------------------------------
for name in BAD_CONFIGS:
    CASES.append(_c(f"config-{name}", ("--config", f"{{d}}/cfg-{name}.toml", *WATCH), 2, r"cfg-" + name))
for name, (path, message) in {
    "dir": ("{d}/dir", r"is a directory"),
    "missing": ("{d}/nope.toml", r"not found"),
    "nonutf8": ("{d}/nonutf8.toml", r"not UTF-8"),
    "fifo": ("{d}/fifo", r"FIFO"),
    "device": ("/dev/zero", r"device"),
}.items():
    CASES.append(_c(f"config-file-{name}", ("--config", path, *WATCH), 2, message))
CASES += [
    _c(
        "config-screenshot-nan",
        ("--config", "{d}/cfg-refresh-nan.toml", "screenshot", "--out", "{d}/s.svg"),
        2,
        "refresh",
    ),
    _c("env-refresh-nan", WATCH, 2, r"APIGW_COCKPIT_REFRESH|refresh", env={"APIGW_COCKPIT_REFRESH": "nan"}),
    _c("env-refresh-word", WATCH, 2, r"APIGW_COCKPIT_REFRESH", env={"APIGW_COCKPIT_REFRESH": "soon"}),
]

# -- scenario files (validated before any world starts) ---------------------------------------
for name in SCENARIO_MUTATIONS:
    CASES.append(
        _c(
            f"scenario-{name}",
            ("demo", "--headless", "5", "--scenario", f"{{d}}/scn-{name}.toml"),
            2,
            r"bad scenario: .*scn-" + name,
        )
    )
for name, (path, message) in {
    "nonutf8": ("{d}/nonutf8.toml", r"not UTF-8"),
    "dir": ("{d}/dir.toml", r"is a directory"),
    "fifo-toml": ("{d}/fifo", r"no such scenario|FIFO"),
    "missing": ("{d}/nope.toml", r"file not found"),
    "unknown-id": ("nope", r"no such scenario"),
}.items():
    CASES.append(_c(f"scenario-file-{name}", ("demo", "--headless", "5", "--scenario", path), 2, message))

# -- stdin and stdout: explain, scenarios, broken pipes, full disks ----------------------------
_REQ = b"(r-%06d) Starting execution for request: r-%06d\n(r-%06d) Method completed with status: 502\n"
MANY = b"".join(_REQ % (i, i, i) for i in range(20000))
CASES += [
    _c("explain-empty", "explain", 2, r"no execution-log lines"),
    _c("explain-garbage", "explain", 2, r"no execution-log lines", stdin=b"hello\nworld\n"),
    _c("explain-binary", "explain", 2, r"no execution-log lines", stdin=bytes(range(256)) * 64),
    _c("explain-json-garbage", "explain --json", 2, r"no execution-log lines", stdin=b'{"events": 5}'),
    _c("explain-nul-flood", "explain", 2, r"no execution-log lines", stdin=b"\0" * 3_000_000),
    _c("explain-long-line", "explain", 2, r"no execution-log lines", stdin=b"x" * 5_000_000),
    _c("explain-full-disk", "explain", 2, r"cannot write output: No space left", stdin=MANY, stdout="full"),
    _c("explain-json-full-disk", "explain --json", 2, r"No space left", stdin=MANY, stdout="full"),
    _c("scenarios-full-disk", "scenarios", 2, r"cannot write output: No space left", stdout="full"),
    _c("scenarios-json-full-disk", "scenarios --json", 2, r"No space left", stdout="full"),
    _c("explain-head", "explain", 0, "", stdin=MANY, stdout="head"),
    _c("explain-json-head", "explain --json", 0, "", stdin=MANY, stdout="head"),
    _c("scenarios-head", "scenarios", 0, "", stdout="head"),
    _c("scenarios-json-head", "scenarios --json", 0, "", stdout="head"),
]
