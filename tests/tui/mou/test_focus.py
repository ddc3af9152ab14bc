"""The MoU editor never leaves the keyboard without a widget to answer it, nor hands it to a hidden one."""

from __future__ import annotations

from twintui.tui.mou.editor import MouEditor
from twintui.tui.mou.panes import SectionNav
from twintui.tui.common.confirm import ConfirmScreen

from ..driving import settle


async def open_norway(app, pilot) -> MouEditor:  # noqa: ANN001
    for key in ("3", "enter"):
        await pilot.press(key)
        await settle(app, pilot)
    assert isinstance(app.screen, MouEditor) and app.screen.document is not None
    return app.screen


async def test_going_into_a_section_in_the_same_burst_as_moving_to_it(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_norway(app, pilot)
        nav = screen.query_one(SectionNav)
        # down, down, tab arriving together: tab is handled before the highlight has switched the pane.
        nav.highlighted = 2
        screen.action_enter_pane()
        await settle(app, pilot)
        assert app.focused is screen.query_one("#mou-objectives")
        assert screen.query_one("#mou-panes").current == "pane-3"


async def test_after_a_dialog_the_focus_is_never_on_a_hidden_widget(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_norway(app, pilot)
        screen.set_focus(None)  # e.g. a field frozen under the cursor when the version was signed
        await settle(app, pilot)
        app.push_screen(ConfirmScreen("A question?"))
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await settle(app, pilot)
        # Not the hidden filter of the list (keys typed there are lost): the section list.
        assert app.focused is screen.query_one(SectionNav), app.focused
        await pilot.press("down")
        await settle(app, pilot)
        assert screen.query_one("#mou-panes").current == "pane-2"


async def test_keys_typed_with_the_enter_that_opens_an_mou_go_to_the_editor(make_app,  # noqa: ANN001
                                                                             monkeypatch) -> None:  # noqa: ANN001
    import time

    from twintui.tui.mou import picker

    opened = picker.open_with_refusal

    def slowly(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - a store that takes a while to read
        time.sleep(0.3)
        return opened(*args, **kwargs)

    monkeypatch.setattr(picker, "open_with_refusal", slowly)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(app, pilot)
        mou_list = app.screen.query_one("#mou-table")
        await pilot.press("enter", "p", "down")  # one burst: p shows the editor's review panel
        await settle(app, pilot)
        assert isinstance(app.screen, MouEditor) and app.screen.review_wanted is True
        assert mou_list.cursor == 0  # the list behind got none of them
