"""Regenerate the README's screenshots: the real screens, saved as SVG by Textual itself.

    python docs/screenshots.py

Runs the app at 80x24 on the demo register (time pinned, so the pictures do not
change from day to day) and saves one SVG per screen into docs/screenshots/.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from pathlib import Path

from twintui.core import demo
from twintui.core.store import Store
from twintui.core.store import identity
from twintui.tui.app import TwintuiApp

identity.ACT_AS_OTHERS = True  # the pictures show the same official on every machine

HERE = Path(__file__).parent / "screenshots"
SHOTS = {
    "register": (),
    "register-filter": ("slash", *"selection", "escape"),
    "facets": ("f",),
    "record": ("end", "enter"),
    "progress": ("down", "enter", "o"),  # Canada with the Americas: every kind of verdict
    "edit": ("end", "e"),
    "help": ("f1",),
    "compare": ("2",),
    "compare-grid": ("2", "enter"),
    "compare-side": ("2", "enter", "s"),
    "compare-sensitivity": ("2", "enter", "t"),
    "mou": ("3",),
    "mou-editor": ("3", "down", "enter"),  # Norway's draft, after Canada's agreed MoU
    "risks": ("4",),
    "risks-cell": ("4", "h"),  # h marks the busiest, most severe cell
    "returns": ("5",),
}


async def shoot(store: Store, name: str, keys: tuple[str, ...]) -> None:
    app = TwintuiApp(store, today=dt.date(2026, 11, 20))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        app.save_screenshot(str(HERE / f"{name}.svg"))


def main() -> None:
    HERE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "twintui.json", user="focal.point", clock=lambda: "2026-11-20T09:30:00+00:00")
        demo.fill(store)
        for name, keys in SHOTS.items():
            asyncio.run(shoot(store, name, keys))
            print(f"docs/screenshots/{name}.svg")


if __name__ == "__main__":
    main()
