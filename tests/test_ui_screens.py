"""The real window and Present on a 1366×768 laptop, a 1920×1080 monitor and a 2× display.

Each screen runs in its own process (`tests/screen_worker.py`), because a Qt
process keeps the screens it started with: the offscreen platform is given the
screen by its configuration file and the scaling by `QT_SCALE_FACTOR`, as a
laptop or a projector would give them. Nothing shown may be wider or taller than
the screen's free area; type stays legible; a long message is shortened, not
allowed to push the controls off-screen; zooming the slides grows their type.
"""

from __future__ import annotations

import pytest

from tests.screen_support import run_on_screen

SCREENS = {
    "laptop-1366x768": (1366, 768, 1),
    "monitor-1920x1080": (1920, 1080, 1),
    "projector-2560x1440-at-2x": (2560, 1440, 2),
}
MIN_WIDGET_PX = 11
MIN_HEADER_PX = 16
MIN_CHART_PX = 9.0


@pytest.fixture(scope="module", params=list(SCREENS), name="measured")
def measured_fixture(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    width, height, scale = SCREENS[request.param]
    folder = tmp_path_factory.mktemp(request.param)
    result = run_on_screen("tests.screen_worker", request.param, width, height, scale, folder)
    assert result["screen"][2:] == [width // scale, height // scale]
    assert result["ratio"] == scale
    return result


def _inside(frame: list[int], area: list[int]) -> bool:
    x, y, w, h = frame
    ax, ay, aw, ah = area
    return x >= ax and y >= ay and x + w <= ax + aw and y + h <= ay + ah


def test_every_page_of_the_window_fits_the_screen_in_legible_type(measured):
    for key, page in measured["pages"].items():
        assert _inside(page["frame"], measured["screen"]), (key, page, measured["screen"])
        assert page["text_px"] >= MIN_WIDGET_PX, (key, page)


def test_a_long_status_message_is_shortened_and_keeps_the_window_on_screen(measured):
    message = measured["message"]
    assert _inside(message["frame"], measured["screen"])
    assert message["shown"].endswith("…") and len(message["shown"]) < len(message["text"])
    assert message["text"].endswith("’ on the map")


def test_every_slide_fits_the_whole_screen_at_every_zoom(measured):
    assert {s["zoom"] for s in measured["slides"]} == {1.0, 1.44}
    for slide in measured["slides"]:
        assert slide["frame"] == measured["full"], slide
        assert slide["header_px"] >= MIN_HEADER_PX, slide
        if slide["chart"] is not None:
            assert slide["chart"][0] >= MIN_CHART_PX, slide
        else:
            assert slide["widgets_px"] >= 2 * MIN_HEADER_PX * 0.75, slide


def test_zoom_makes_slide_text_larger_never_smaller(measured):
    at = {(s["key"], s["zoom"]): s for s in measured["slides"]}
    keys = [s["key"] for s in measured["slides"] if s["zoom"] == 1.0]
    grown = 0
    for key in keys:
        normal, zoomed = at[(key, 1.0)], at[(key, 1.44)]
        assert zoomed["header_px"] >= normal["header_px"]
        if normal["chart"] is None:
            assert zoomed["widgets_px"] > normal["widgets_px"], key
            continue
        assert zoomed["chart"][0] >= normal["chart"][0] * 0.97, key
        assert zoomed["chart"][1] >= normal["chart"][1], key
        grown += zoomed["chart"][1] > normal["chart"][1] * 1.2
    assert grown >= len(keys) // 2


def test_an_undo_message_in_present_is_shortened_and_keeps_leave_on_screen(measured):
    message = measured["present_message"]
    assert message["frame"] == measured["full"]
    assert message["text"].startswith("Undone: Move ‘Regional")
    assert message["shown"].endswith("…")
