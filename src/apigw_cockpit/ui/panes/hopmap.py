"""client → APIGW → integration, then one chain per integration kind (Lambda | VPC link → NLB → TG).

The hops and their verdicts are the engine's (diagnose.hops); this pane only draws them. It
splits the engine's flat path into chains by hop name (a Lambda is never drawn as if it sat on
the NLB path), labels each chain with the routes that use it, and explains every ✗ and ! with
the check that set it and the routes that check names.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from apigw_cockpit.diagnose.hops import BAD, OK, UNKNOWN, WARN, Hop, broken_hop
from apigw_cockpit.model import Topology
from apigw_cockpit.ui.panes.full_text import FullTextPane
from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.view import Glyphs

_STYLE = {OK: "$success", WARN: "$warning", BAD: "$error bold", UNKNOWN: "$text-muted"}
# Which hops belong to which integration kind's chain (names as diagnose.hops spells them).
CHAINS: dict[str, tuple[str, ...]] = {"Lambda": ("Lambda",), "VPC link": ("VPC link", "NLB", "TG")}


@dataclass(frozen=True)
class Chains:
    shared: tuple[Hop, ...]  # client → APIGW → integration: every route goes through these
    branches: tuple[tuple[str, tuple[Hop, ...]], ...]  # (kind, its hops), in the engine's order


def split(path: tuple[Hop, ...]) -> Chains:
    kind_of = {name: kind for kind, names in CHAINS.items() for name in names}
    shared = tuple(h for h in path if h.name not in kind_of)
    branches = []
    for kind in CHAINS:
        hops = tuple(h for h in path if kind_of.get(h.name) == kind)
        if hops:
            branches.append((kind, hops))
    return Chains(shared, tuple(branches))


def routes_by_kind(topology: Topology) -> dict[str, list[str]]:
    """ "GET /orders" per chain kind, from the topology (OPTIONS left out: CORS preflights)."""
    out: dict[str, list[str]] = {kind: [] for kind in CHAINS}
    for res, m in topology.methods():
        i = m.integration
        if i is None or m.http_method == "OPTIONS":
            continue
        if i.connection_type == "VPC_LINK":
            out["VPC link"].append(f"{m.http_method} {res.path}")
        elif i.lambda_arn or ":lambda:" in i.uri:
            out["Lambda"].append(f"{m.http_method} {res.path}")
    return out


def routes_named(text: str, topology: Topology) -> list[str]:
    """The topology's resource paths a finding's words mention (longest first, no duplicates)."""
    paths = sorted({r.path for r in topology.resources if r.path != "/"}, key=len, reverse=True)
    found: list[str] = []
    for p in paths:
        if p in text and not any(p in f for f in found):
            found.append(p)
    return found


def mark_of(g: Glyphs) -> dict[str, str]:
    return {OK: g.ok, WARN: g.warn, BAD: g.bad, UNKNOWN: g.unknown}


class HopMap(FullTextPane):
    AREAS = ("hops", "topology")

    def __init__(self) -> None:
        super().__init__(id="hopmap", classes="pane")
        self.border_title = "hop map"
        self.compact = False  # set by the screen's layout: only the failing chain and its reason

    def render(self) -> Content:
        if self.state is None:
            return Content("")
        path = tuple(self.state.hops)
        if not path:
            return Content.styled("waiting for the first diagnosis...", "$text-muted")
        return Content("\n").join(self.lines(path))

    def lines(self, path: tuple[Hop, ...]) -> list[Content]:
        assert self.state is not None
        g, topo = self.view.glyphs, self.state.topology
        mark = mark_of(g)
        blame = broken_hop(path)
        blamed = path[blame] if blame is not None else None

        def hop(h: Hop) -> tuple[str, str]:
            style = _STYLE[h.status] + (" reverse" if h is blamed else "")
            return (f"{h.name} {mark[h.status]}", style)

        def chain(hops: tuple[Hop, ...]) -> list[str | tuple[str, str]]:
            parts: list[str | tuple[str, str]] = []
            for i, h in enumerate(hops):
                if i:
                    parts.append((f" {g.arrow} ", "$text-muted"))
                parts.append(hop(h))
            return parts

        chains = split(path)
        routes = routes_by_kind(topo)
        out: list[Content] = []
        if self.compact:
            # Only the chain the blamed hop is on (or the shared part), then why: fits 36 columns.
            branch = next((hops for _, hops in chains.branches if blamed in hops), chains.shared)
            out.append(Content.assemble(*chain(branch)))
        else:
            head = Content.assemble(*chain(chains.shared))
            width = self.size.width or 999
            inline = len(chains.branches) == 1 and (
                head.cell_length + 3 + Content.assemble(*chain(chains.branches[0][1])).cell_length <= width
            )
            if inline or not chains.branches:
                tail = chain(chains.branches[0][1]) if chains.branches else []
                joint = [(f" {g.arrow} ", "$text-muted")] if tail else []
                out.append(Content.assemble(head, *joint, *tail))
            else:
                # One chain per integration kind under the shared hops, each with its routes.
                out.append(head)
                ascii_ = g.arrow == "->"
                for n, (kind, hops) in enumerate(chains.branches):
                    last = n == len(chains.branches) - 1
                    fork = ("`-" if last else "|-") if ascii_ else ("└ " if last else "├ ")
                    used = routes.get(kind) or []
                    label = f"  {', '.join(used)}" if used else ""
                    out.append(
                        Content.assemble((f" {fork}", "$text-muted"), *chain(hops), (label, "$text-muted"))
                    )
        # The legend: every ✗ and ! with the check that set it and the routes it names.
        for h in sorted(path, key=lambda h: (h is not blamed, h.status != BAD)):
            if h.status not in (BAD, WARN) or (self.compact and h is not blamed):
                continue
            check, _, summary = h.detail.partition(": ")
            named = routes_named(h.detail, topo)
            where = f" ({', '.join(named)})" if named else ""
            out.append(
                Content.assemble(
                    (f"{mark[h.status]} {h.name}", _STYLE[h.status]),
                    (f": {clean(check)}{where}: ", "$text-muted"),
                    clean(summary),
                )
            )
        statuses = {h.status for h in path}
        if not self.compact and statuses != {OK}:  # a key for the marks on screen (all ✓ needs none)
            key = {OK: "ok", WARN: "warning", BAD: "failing", UNKNOWN: "no evidence"}
            words = [f"{mark[st]} {key[st]}" for st in (OK, WARN, BAD, UNKNOWN) if st in statuses]
            out.append(Content.styled("  ".join(words), "$text-muted"))
        return out
