"""Markdown building blocks that keep user and log text from changing the document's shape.

Three containers, each safe for arbitrary text:
- `inline(text)`: one line, every CommonMark/GFM inline metacharacter backslash-escaped,
  newlines folded, control and bidi characters stripped. Safe in paragraphs, list items,
  headings and table cells.
- `code(text)`: an inline code span whose backtick fence is longer than any run inside.
- `fenced(text)`: a fenced block whose fence is longer than any backtick run inside, so no
  line of the text can close it; CR line endings are normalised first (CommonMark treats
  a lone CR as a line ending).
"""

from __future__ import annotations

import re
import urllib.parse

from apigw_cockpit.outbound import strip_controls

# Inline constructs need one of these; "(" only links after "]", "!" only images before "[".
_INLINE_META = re.compile(r"([\\`*_\[\]<&|~$])")
# Block constructs (headings, lists, quotes, setext underlines) only start a line.
_LINE_START = re.compile(r"^(\s*)(?:([-+=>#])|(\d+)([.)]))")
_BACKTICKS = re.compile(r"`+")


def clean(text: str) -> str:
    """Strip terminal escape sequences and control characters (the program's one sanitiser);
    normalise line endings."""
    return strip_controls(text.replace("\r\n", "\n").replace("\r", "\n"), keep_newlines=True)


def _escape_line_start(m: re.Match[str]) -> str:
    if m.group(2):
        return f"{m.group(1)}\\{m.group(2)}"
    return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"


def inline(text: str) -> str:
    one_line = " ".join(clean(text).split())
    escaped = _INLINE_META.sub(r"\\\1", one_line)
    # Only matters where the text starts a line; harmless elsewhere.
    return _LINE_START.sub(_escape_line_start, escaped, count=1)


def _longest_run(text: str) -> int:
    return max((len(m.group(0)) for m in _BACKTICKS.finditer(text)), default=0)


def code(text: str) -> str:
    body = " ".join(clean(text).split())
    fence = "`" * (_longest_run(body) + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or not body else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def fenced(text: str, info: str = "text") -> str:
    body = clean(text).rstrip("\n")
    fence = "`" * max(3, _longest_run(body) + 1)
    return f"{fence}{info}\n{body}\n{fence}"


def cell(text: str) -> str:
    return inline(text) or " "


def link_target(path: str) -> str:
    """A link destination that no path can break out of (spaces, parens, brackets quoted)."""
    return urllib.parse.quote(clean(path).replace("\n", ""), safe="/:._-~#?=&%+,@")
