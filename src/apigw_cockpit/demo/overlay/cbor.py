"""CBOR for smithy-rpc-v2-cbor (current botocore's CloudWatch protocol); moto does not speak it.

Decoding reuses botocore's own response parser (shape-free data items), so we read exactly
what botocore writes. Encoding is a small schemaless encoder: maps, arrays, text, numbers,
booleans, null, bytes, and datetimes as tag 1 (epoch seconds), which botocore parses back.
"""

from __future__ import annotations

import io
import struct
from datetime import datetime
from typing import Any

from botocore.parsers import RpcV2CBORParser


def decode(data: bytes) -> Any:
    parser = RpcV2CBORParser()
    return parser.parse_data_item(parser.get_peekable_stream_from_bytes(data))


def _head(out: io.BytesIO, major: int, n: int) -> None:
    if n < 24:
        out.write(bytes([(major << 5) | n]))
    elif n < 0x100:
        out.write(bytes([(major << 5) | 24, n]))
    elif n < 0x10000:
        out.write(bytes([(major << 5) | 25]) + struct.pack(">H", n))
    elif n < 0x100000000:
        out.write(bytes([(major << 5) | 26]) + struct.pack(">I", n))
    else:
        out.write(bytes([(major << 5) | 27]) + struct.pack(">Q", n))


def _encode(out: io.BytesIO, value: Any) -> None:
    if value is None:
        out.write(b"\xf6")
    elif value is True:
        out.write(b"\xf5")
    elif value is False:
        out.write(b"\xf4")
    elif isinstance(value, int):
        if value >= 0:
            _head(out, 0, value)
        else:
            _head(out, 1, -1 - value)
    elif isinstance(value, float):
        out.write(b"\xfb" + struct.pack(">d", value))
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        _head(out, 3, len(raw))
        out.write(raw)
    elif isinstance(value, bytes | bytearray):
        _head(out, 2, len(value))
        out.write(bytes(value))
    elif isinstance(value, datetime):
        _head(out, 6, 1)
        _encode(out, value.timestamp())
    elif isinstance(value, dict):
        _head(out, 5, len(value))
        for k, v in value.items():
            _encode(out, str(k))
            _encode(out, v)
    elif isinstance(value, list | tuple):
        _head(out, 4, len(value))
        for item in value:
            _encode(out, item)
    else:
        raise TypeError(f"cannot CBOR-encode {type(value).__name__}")


def encode(value: Any) -> bytes:
    out = io.BytesIO()
    _encode(out, value)
    return out.getvalue()
