"""Seed moto from the world's state through boto3, and keep it in step with the world's mutations."""

from __future__ import annotations

import logging
import threading
from typing import Any

from apigw_cockpit.demo.mirror.apigw import seed_api
from apigw_cockpit.demo.mirror.apigw_v2 import seed_http_api
from apigw_cockpit.demo.mirror.clients import Clients
from apigw_cockpit.demo.mirror.neighbours import seed_neighbours
from apigw_cockpit.demo.mirror.seed import (
    Bindings,
    seed_identity,
    seed_load_balancers,
    seed_logs,
    seed_network,
)
from apigw_cockpit.demo.mirror.sync import mirror

log = logging.getLogger(__name__)


class Mirror:
    """Owns the boto3 clients; `seed()` once, then `on_event` for every world mutation."""

    def __init__(self, endpoint_url: str, region: str) -> None:
        self.clients = Clients(endpoint_url, region)
        self.ids: Bindings = {}
        self.state: Any = None
        self._lock = threading.Lock()
        self.mirrored = 0

    def seed(self, state: Any, log_groups: list[str], neighbours: Any = None) -> Bindings:
        self.state = state
        c, ids = self.clients, self.ids
        seed_network(c, state, ids)
        seed_load_balancers(c, state, ids)
        seed_identity(c, state, ids)
        (seed_http_api if state.is_http else seed_api)(c, state, ids)
        if neighbours is not None:
            seed_neighbours(c, state, neighbours)
        seed_logs(c, state, ids, log_groups)
        return ids

    def bindings(self) -> dict[str, str]:
        """The flat logical-name -> real-id mapping `World.bind_ids` takes (what moto invented)."""
        kinds = {
            "vpc",
            "subnets",
            "security_groups",
            "nlbs",
            "target_groups",
            "vpc_links",
            "roles",
            "vpc_endpoints",
            "targets",
        }
        return {
            name: real
            for (kind, name), real in self.ids.items()
            if kind in kinds and not name.startswith("__")
        }

    def on_event(self, event: Any) -> None:
        """World subscriber: re-sync the parts of moto the action touched."""
        action = _action_name(event)
        with self._lock:
            mirror(self.clients, self.state, self.ids, action)
            self.mirrored += 1

    def close(self) -> None:
        self.clients.close()


def _action_name(event: Any) -> str:
    if isinstance(event, dict):
        return str(event.get("do") or event.get("action") or event.get("name") or "")
    return str(getattr(event, "do", "") or getattr(event, "action", "") or "")


__all__ = ["Bindings", "Mirror"]
