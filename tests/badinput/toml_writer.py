"""A tiny TOML writer for generated trees (tables become inline tables; no tomli_w needed)."""

from __future__ import annotations

import json
import math
from typing import Any


def value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        text = repr(v)
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_string(str(k))} = {value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def dumps(tree: dict[str, Any]) -> str:
    return "".join(f"{_string(str(k))} = {value(v)}\n" for k, v in tree.items())


def _string(s: str) -> str:
    # JSON escapes are TOML escapes, except that TOML also forbids a raw DEL.
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")
