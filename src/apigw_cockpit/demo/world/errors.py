"""The one error a scenario file can raise."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A bad scenario: `str(e)` is one line naming file, key path and what is wrong."""

    def __init__(self, file: str, key: str, message: str) -> None:
        self.file = file
        self.key = key
        self.message = message
        # Keys come from the file and may hold newlines: escaped, so the message stays one line.
        shown = key.replace("\r", "\\r").replace("\n", "\\n")
        where = f"{file}: {shown}: " if key else f"{file}: "
        super().__init__(where + message.replace("\n", " "))
