"""The one exit-code table (DESIGN section 1): every command and the cockpit return these."""

from __future__ import annotations

EXIT_OK = 0  # healthy / done
EXIT_FINDINGS = 1  # a finding at error level; verification not passed; could not finish
EXIT_USAGE = 2  # usage or config error (bad flag, malformed config, unknown API/stage)
EXIT_AWS = 3  # AWS unreachable, credentials expired, access denied
EXIT_BUG = 70  # an unexpected exception: a one-line notice and a traceback file (crash.py)
EXIT_INTERRUPTED = 130  # Ctrl+C
