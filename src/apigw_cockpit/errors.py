"""The errors a user can act on, below every layer that raises them: one `ConfigError`.

Stdlib only and importing nothing of ours, so `config.py` (which must stay light for headless
commands), `aws/` and `service/` all raise the same class, and one `except CockpitError`
maps any of them to its exit code (the numbers are service/exits.py's table).
"""

from __future__ import annotations


class CockpitError(Exception):
    """Base: a one-line message (`str()`) and the process exit code that goes with it."""

    exit_code = 1

    def __str__(self) -> str:
        # Messages quote user input (config keys, URLs) that may hold newlines: keep one line.
        return super().__str__().replace("\r", "\\r").replace("\n", "\\n")


class ConfigError(CockpitError, ValueError):
    """A malformed config, a bad flag, an unknown API id or stage: the user must change what
    they asked for (exit 2). `str()` names the file/flag and the key."""

    exit_code = 2
