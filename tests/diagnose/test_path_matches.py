"""path_matches: a logged path against a resource template (its regex is built once per template)."""

from __future__ import annotations

from apigw_cockpit.diagnose.observations import path_matches


def test_templates_match_their_paths_and_only_those() -> None:
    assert path_matches("/orders", "/orders")
    assert not path_matches("/orders", "/orders/o-1")
    assert path_matches("/orders/{id}", "/orders/o-1")
    assert not path_matches("/orders/{id}", "/orders/o-1/items")  # one segment only
    assert not path_matches("/orders/{id}", "/orders/")
    assert path_matches("/files/{proxy+}", "/files/a/b/c.txt")  # greedy
    assert path_matches("/a.b/{x}", "/a.b/1") and not path_matches("/a.b/{x}", "/aXb/1")  # literal dot
    # Asked again (cached pattern): the same answers.
    assert path_matches("/orders/{id}", "/orders/o-2") and not path_matches("/orders/{id}", "/users/1")
