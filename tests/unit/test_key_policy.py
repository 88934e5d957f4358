"""`bindings.allowed`, the app's check_action: which app keys work in which session."""

from __future__ import annotations

from apigw_cockpit.ui.bindings import KEYS, WRITES, allowed

LIVE = {"attached": True, "demo": False, "read_only": False, "typing": False}


def test_before_the_feed_is_attached_only_quit_works() -> None:
    before = {**LIVE, "attached": False}
    works = {k.action for k in KEYS if k.scope == "app" and allowed(k.action, **before)}
    assert works == {"quit"}


def test_the_drill_key_exists_only_in_the_demo() -> None:
    assert not allowed("apply_fix", **LIVE)
    assert allowed("apply_fix", **{**LIVE, "demo": True})


def test_home_is_a_letter_while_a_text_field_has_focus() -> None:
    assert allowed("home", **LIVE)
    assert not allowed("home", **{**LIVE, "typing": True})
    assert allowed("checks", **{**LIVE, "typing": True})  # only the priority key steps aside


def test_a_read_only_view_has_no_write_keys() -> None:
    ro = {**LIVE, "read_only": True}
    for k in KEYS:
        if k.id in WRITES and k.id != "apply_fix":
            assert allowed(k.action, **LIVE) and not allowed(k.action, **ro), k.id
    assert allowed("checks", **ro) and allowed("help", **ro)
