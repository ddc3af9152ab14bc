"""The register screen driven from the keyboard at 80x24, as an official would."""

from __future__ import annotations

from dataclasses import replace

from twintui.core.model import Arrangement
from twintui.tui.register.record import ArrangementScreen
from twintui.tui.common.facets import FacetScreen
from twintui.tui.common.help import HelpScreen
from twintui.tui.common.row_table import RowTable

from ..driving import plain, settle


def table(app) -> RowTable:  # noqa: ANN001
    return app.screen.query_one(RowTable)


def status(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("#register-status").render())


async def test_browse_shows_every_arrangement_and_the_count(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert len(table(app).rows) == 6
        assert status(app).startswith("6 of 6 arrangements")
        first = table(app).current.id
        await pilot.press("down", "down")
        assert table(app).cursor == 2 and table(app).current.id != first
        await pilot.press("end")
        assert table(app).cursor == 5


async def test_filter_as_you_type_then_back_to_the_list(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"quota")
        assert [row.state for row in table(app).rows] == ["NOR"]
        assert status(app).startswith("1 of 6")
        await pilot.press("escape")
        assert app.screen.focused is table(app)
        assert len(table(app).rows) == 1  # the filter stays
        await pilot.press("x")
        assert len(table(app).rows) == 6


async def test_filter_searches_partners_practices_lessons_and_contacts(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for text, state in (("Paraguay", "NOR"), ("glossary", "CZE"), ("permanent secretariat", "BEL"),
                            ("liisa.virtanen", "FIN")):
            await pilot.press("slash", "ctrl+a", "ctrl+k", *text)  # select and clear, then type
            assert {row.state for row in table(app).rows} == {state}, text


async def test_digits_typed_in_the_filter_stay_there(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "2", "0", "0", "8")
        assert app.screen.TITLE == "Register"
        assert app.screen.query_one("#register-filter").value == "2008"
        await pilot.press("escape", "2")
        assert app.screen.TITLE == "Compare partners"


async def test_facets_narrow_by_state(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        assert isinstance(app.screen, FacetScreen)
        states = app.screen.query_one("#facet-states")
        states.focus()
        # The list is ordered by count: CAN (2 arrangements) comes first.
        await pilot.press("space", "ctrl+s")
        assert not isinstance(app.screen, FacetScreen)
        assert {row.state for row in table(app).rows} == {"CAN"}
        assert "State: CAN" in status(app) and status(app).startswith("2 of 6")


async def test_sort_by_any_column_and_reverse(make_app, pinned_store) -> None:  # noqa: ANN001
    # A record moved to another state keeps its id: the id order is no longer the state order.
    moved = pinned_store.require(Arrangement, "TW-CAN-0001")
    pinned_store.save(moved.replace(reporting_state="SWE"), "test")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")  # by state
        assert [(row.state, row.id) for row in table(app).rows] == [
            ("BEL", "TW-BEL-0001"), ("CAN", "TW-CAN-0002"), ("CZE", "TW-CZE-0001"), ("FIN", "TW-FIN-0001"),
            ("NOR", "TW-NOR-0001"), ("SWE", "TW-CAN-0001")]
        await pilot.press("r")
        assert [row.state for row in table(app).rows] == ["SWE", "NOR", "FIN", "CZE", "CAN", "BEL"]
        assert "sorted by State ▼" in status(app)
        for _ in range(2):
            await pilot.press("s")  # title, then status
        statuses = [row.status for row in table(app).rows]
        assert statuses == sorted(statuses)


async def test_open_a_record_with_partners_risks_and_history(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"quota", "enter", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ArrangementScreen)
        details = str(app.screen.query_one("#details-text").render())
        assert "Competence building" in details and "NOR (Norway)" in details
        partners = str(app.screen.query_one("#partners-text").render())
        assert "Uruguay" in partners and "Hausmanns gate 21" in partners
        risks = str(app.screen.query_one("#risks-text").render())
        assert "budget cuts" in risks
        history = plain(app.screen.query_one("#history-text"))
        assert "focal.point" in history and "create" in history
        await pilot.press("escape")
        assert app.screen.TITLE == "Register"


async def test_delete_asks_first_and_is_audited(make_app, pinned_store) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        doomed = table(app).current.id
        await pilot.press("delete", "n")
        await settle(app, pilot)
        assert pinned_store.get(Arrangement, doomed) is not None
        await pilot.press("delete", "y")
        await settle(app, pilot)
        assert pinned_store.get(Arrangement, doomed) is None
        assert doomed not in [row.id for row in table(app).rows]
        assert [e.action for e in pinned_store.history(doomed)][-1] == "delete"


async def test_help_for_the_list_lists_its_keys(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "pageup" in app.screen.text
        keys = dict(app.screen.keys)
        assert {"/", "f", "n", "e"} <= set(keys)


async def test_another_users_change_shows_up(make_app, pinned_store) -> None:  # noqa: ANN001
    from twintui.core.store import Store

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        other = Store.open(pinned_store.path, user="someone.else")
        other.save(Arrangement(reporting_state="JPN", title="Orientation curriculum", status="planned"), "test")
        app.look_at_store()  # what the app's store watcher does every 3 seconds
        await settle(app, pilot)
        await settle(app, pilot)
        assert any(row.id == "TW-JPN-0001" for row in table(app).rows)


async def test_the_users_words_show_as_typed_never_as_markup(make_app, pinned_store) -> None:  # noqa: ANN001
    norway = pinned_store.require(Arrangement, "TW-NOR-0001")
    odd = r"Mark drafts [draft] and [/b] tags; paths like C:\Temp\ stay \ as typed"
    pinned_store.save(norway.replace(lessons_learned=odd, title="Selection [2025] \\"), "test")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"selection [2025]", "enter", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ArrangementScreen)
        details = str(app.screen.query_one("#details-text").render())
        assert odd in details and "Selection [2025] \\" in details
        assert odd[:40] in plain(app.screen.query_one("#history-text"))


async def test_reloading_does_not_keep_the_old_register_alive(make_app, pinned_store) -> None:  # noqa: ANN001
    """Frozen objects are never collected: a reload must thaw the previous register before freezing again."""
    import gc
    import weakref

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        old = weakref.ref(app.screen.register)
        # Two reloads: the first may freeze a register that something transient (a message still on
        # its way) held at that moment; the next thaws it again. What must never happen is a register
        # that stays frozen for good, one more with every reload.
        for lessons in ("new", "newer"):
            pinned_store.save(pinned_store.require(Arrangement, "TW-NOR-0001").replace(lessons_learned=lessons),
                              "test")
            app.screen.load()
            await settle(app, pilot)
            await settle(app, pilot)
        gc.collect()
        assert old() is None
    gc.unfreeze()


async def test_a_deletion_that_fails_is_said_once_and_the_list_keeps_the_record(make_app, pinned_store,  # noqa: ANN001
                                                                               monkeypatch) -> None:  # noqa: ANN001
    def broken(record, source):  # noqa: ANN001, ANN202
        raise OSError("the disk is full")

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        doomed = table(app).current.id
        monkeypatch.setattr(pinned_store, "delete", broken)
        await pilot.press("delete", "y")
        await settle(app, pilot)
        assert [n.message for n in app._notifications] == ["Deleting the arrangement failed: the disk is full"]
        assert doomed in [row.id for row in table(app).rows]


async def test_a_record_deleted_before_it_opens_says_so_once_and_the_list_stays(make_app,  # noqa: ANN001
                                                                                pinned_store) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        gone = table(app).current.id
        pinned_store.delete(pinned_store.require(Arrangement, gone), "test")  # by someone else, meanwhile
        await pilot.press("enter")
        await settle(app, pilot)
        assert [n.message for n in app._notifications] == [f"there is no arrangement {gone} in the store"]
        assert not isinstance(app.screen, ArrangementScreen)


async def test_after_a_change_only_the_arrangements_it_touched_are_judged_again(make_app, pinned_store) -> None:  # noqa: ANN001
    from twintui.core.model.progress import ObjectiveProgress
    from twintui.core.store import Store

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert "✗" in table(app).marker(next(r for r in table(app).rows if r.id == "TW-CAN-0001"))
        judged = app.desk.verdicts.worked_out
        assert judged == 2  # the demo's two arrangements with an MoU
        # Another official reports Canada's off-track objective met: only Canada is judged again.
        other = Store.open(pinned_store.path, user="someone.else")
        value = next(p for p in other.all(ObjectiveProgress)
                     if (p.arrangement, p.objective, p.quarter) == ("TW-CAN-0001", 1, "2026-Q3"))
        other.save(value.replace(value=8), "test")
        app.look_at_store()  # what the app's store watcher does every 3 seconds
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.desk.verdicts.worked_out == 1
        verdicts = screen.register.standings["TW-CAN-0001"].verdicts
        assert "achieved" in verdicts and "off track" not in verdicts


async def test_arrangements_behind_on_progress_are_marked_and_have_a_facet(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        rows = {row.id: row for row in table(app).rows}
        # The demo: Canada's MoU has an objective off track and a milestone late; Norway's is at risk at worst.
        marks = {key: table(app).marker(row) for key, row in rows.items()}
        assert "✗" in marks["TW-CAN-0001"] and "✗" not in marks["TW-NOR-0001"]
        assert sum("✗" in mark for mark in marks.values()) == 1
        assert "1 behind (✗)" in status(app)
        # Drawn: the mark in the flag column, beside the stale '!', at 80 columns.
        drawn = [table(app).render_line(y).text for y in range(1, 7)]
        canada = next(line for line in drawn if "TW-CAN-0001" in line)
        assert canada.startswith(marks["TW-CAN-0001"]) and len(canada) == table(app).size.width
        # The facet of the objectives' verdicts, in the rule's order, and the "behind only" toggle.
        await pilot.press("f")
        assert isinstance(app.screen, FacetScreen)
        values = app.screen.query_one("#facet-progress")
        assert [str(option.prompt) for option in values._options][:3] == ["achieved (1)", "on track (1)",
                                                                          "at risk (1)"]
        app.screen.query_one("#toggle-behind_only").value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert [row.id for row in table(app).rows] == ["TW-CAN-0001"] and "behind only" in status(app)
        await pilot.press("x")
        assert len(table(app).rows) == 6


async def test_closing_a_record_keeps_the_marks_it_does_not_judge_them_again(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        asked = []
        standings = app.desk.standings
        app.desk.standings = lambda as_of: (asked.append(as_of), standings(as_of))[1]  # type: ignore[method-assign]
        for _ in range(2):
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ArrangementScreen)
            await pilot.press("escape")
            await settle(app, pilot)
        assert asked == []  # the store did not change: the marks of the list as read stand
        assert "1 behind (✗)" in status(app)


async def test_a_large_registers_marks_are_worked_out_apart_and_are_the_same(make_app, pinned_store,  # noqa: ANN001
                                                                            monkeypatch) -> None:  # noqa: ANN001
    from twintui.service import apart

    in_thread = app_marks = None
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        in_thread = dict(app.screen.register.standings)
    worked_apart = []
    standings = apart.standings
    monkeypatch.setattr(apart, "APART_BYTES", 0)  # every store is large
    monkeypatch.setattr(apart, "standings", lambda path, as_of: (worked_apart.append(path), standings(path, as_of))[1])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        while app.screen.register.standings is None:
            await pilot.pause(0.05)
        await settle(app, pilot)
        app_marks = dict(app.screen.register.standings)
        assert "1 behind (✗)" in status(app)
    assert worked_apart == [pinned_store.path] and app.desk.verdicts is None  # not in the app's interpreter
    assert app_marks == in_thread and "off track" in app_marks["TW-CAN-0001"].verdicts


async def test_a_status_too_long_for_the_line_takes_a_second_one_and_hides_nothing(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        line = app.screen.query_one("#register-status")
        assert line.size.height == 1  # the demo's status fits its line
        # Narrowed by two facets, the status says far more than 80 columns hold.
        app.screen.filter = replace(app.screen.filter, states=frozenset({"CAN", "NOR", "CZE"}),
                                    statuses=frozenset({"active", "completed"}))
        app.screen.refresh_rows()
        await settle(app, pilot)
        said = status(app)
        assert len(said) > 76 and "behind (✗)" in said
        assert line.size.height == 2
        drawn = " ".join(line.render_line(y).text.strip() for y in range(line.size.height))
        assert " ".join(said.split()) == " ".join(drawn.split())
        assert len(table(app).rows) >= 2  # the list keeps its place below
