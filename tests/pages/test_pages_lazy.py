"""Tabs bound to the URL and the expander that opens while its filters are in use
(``pages/ui/lazy.py``), on a one-page app with no store."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _tabs_app() -> None:
    import streamlit as st

    from pages.ui import lazy

    view, tabs = lazy.param_tabs("view", {"a": "First", "b": "Second"}, default="a")
    with tabs[view]:
        st.write(f"drawn: {view}")


def _expander_app() -> None:
    import streamlit as st

    from pages.ui import lazy

    active = tuple(st.query_params.get_all("kind"))
    box = lazy.active_expander(st, "More filters", key="more", active=active)
    if box.open:
        box.write("inside")


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_tabs_run_only_the_view_of_the_url():
    at = AppTest.from_function(_tabs_app)
    at.run()
    assert _texts(at) == ["drawn: a"]
    at = AppTest.from_function(_tabs_app)
    at.query_params["view"] = "b"
    at.run()
    assert _texts(at) == ["drawn: b"]
    assert not at.warning


def test_tabs_fall_back_on_an_unknown_view_with_a_notice():
    at = AppTest.from_function(_tabs_app)
    at.query_params["view"] = "<script>x</script>"
    at.run()
    assert not at.exception
    assert _texts(at) == ["drawn: a"]
    (warning,) = at.warning
    assert "not one of the views" in warning.value and "<script>" not in warning.value


def test_expander_closed_until_something_inside_is_in_use():
    at = AppTest.from_function(_expander_app)
    at.run()
    assert "inside" not in _texts(at) and not at.caption
    at = AppTest.from_function(_expander_app)
    at.query_params["kind"] = "person"
    at.run()
    assert "inside" in _texts(at)  # open while a filter inside is set
    assert not at.caption
