"""A real terminal for the installed ``twintui``: tmux at a given size, keys sent as one burst.

Pilot is not a terminal: it does not parse the bytes a user's terminal sends, it
does not draw through a terminal's cells, and it never sees keys arrive faster than
the app handles them. Here the app runs in a tmux pane exactly as after an SSH
login: ``send`` writes every key of one call into the pane in one go (one tmux
command list, as a burst of bytes over SSH), ``screen`` is what ``capture-pane``
reads from the cells, and ``wait_for`` polls it (never a fixed sleep).

Each terminal has its own tmux server (``-L``), so tests can run in parallel.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

TMUX = shutil.which("tmux")
# The installed command, as a user runs it: the script pip put next to this interpreter.
TWINTUI = str(Path(sys.executable).with_name("twintui"))

# How each terminal is set up: the default a modern terminal sends, the plain xterm that
# many servers still set, and NO_COLOR (https://no-color.org).
TERMINALS: Mapping[str, Mapping[str, str]] = {
    "xterm-256color": {"TERM": "xterm-256color"},
    "xterm": {"TERM": "xterm"},
    "no-color": {"TERM": "xterm-256color", "NO_COLOR": "1"},
}


class Key(str):
    """A key by its tmux name (``Enter``, ``BSpace``, ``C-s``, ``F1``), not text to type."""


def keys(*names: str) -> list[Key]:
    return [Key(name) for name in names]


ENTER, ESCAPE, TAB, BTAB, BSPACE = Key("Enter"), Key("Escape"), Key("Tab"), Key("BTab"), Key("BSpace")
SPACE = Key("Space")
UP, DOWN, LEFT, RIGHT, HOME, END = Key("Up"), Key("Down"), Key("Left"), Key("Right"), Key("Home"), Key("End")
CTRL_S, CTRL_P, F1, F2, DELETE = Key("C-s"), Key("C-p"), Key("F1"), Key("F2"), Key("DC")
CTRL_U = Key("C-u")  # an input's "delete all to the left"
PAGEDOWN, PAGEUP = Key("NPage"), Key("PPage")


# What a scroll bar or a dialog's frame leaves at the edges of a line (not part of the text).
SCROLLBAR = " ▁▂▃▄▅▆▇█▔▏▕│┃"


class ScreenTimeout(AssertionError):
    """What was awaited never showed; the message carries the last screen."""


@dataclass
class Terminal:
    width: int = 80
    height: int = 24
    env: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        self.socket = f"twintui-e2e-{os.getpid()}-{secrets.token_hex(4)}"
        self.started = False

    # -- tmux ----------------------------------------------------------------------------
    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert TMUX, "tmux is not installed"
        return subprocess.run([TMUX, "-L", self.socket, "-f", os.devnull, *args], check=check,
                              capture_output=True, text=True, timeout=30)

    def start(self, argv: Iterable[str], *, cwd: Path | None = None) -> Terminal:
        """Run ``argv`` in a new pane; the pane stays after the program ends, to read its last screen."""
        env = {**(self.env or TERMINALS["xterm-256color"])}
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # NO_COLOR must be absent, not empty, when a terminal does not ask for it.
        unset = "" if "NO_COLOR" in env else "-u NO_COLOR "
        # COLUMNS and LINES (set by some test plugins) would pin the app's size: a resize would go unseen.
        # The exit code is kept before the echo that spaces it out (else $? is the echo's, always 0).
        command = (f"env {unset}-u COLORTERM -u COLUMNS -u LINES {exports} {shlex.join(argv)}; code=$?; echo; "
                   "echo \"[exited $code]\"; sleep 3600")
        self._tmux("new-session", "-d", "-s", "e2e", "-x", str(self.width), "-y", str(self.height),
                   *(["-c", str(cwd)] if cwd else []), command)
        self._tmux("set-option", "-t", "e2e", "status", "off")
        # The window keeps the size asked for although no client is attached.
        self._tmux("set-window-option", "-t", "e2e", "window-size", "manual")
        self._tmux("resize-window", "-t", "e2e", "-x", str(self.width), "-y", str(self.height))
        self.started = True
        return self

    def twintui(self, *args: str, db: Path, cwd: Path | None = None) -> Terminal:
        return self.start([TWINTUI, "--db", str(db), *args], cwd=cwd)

    def close(self) -> None:
        if self.started:
            self._tmux("kill-server", check=False)
            self.started = False

    def resize(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self._tmux("resize-window", "-t", "e2e", "-x", str(width), "-y", str(height))

    # -- keys ----------------------------------------------------------------------------
    def send(self, *parts: str) -> None:
        """Every part in one burst: a ``Key`` is pressed, any other string is typed as it is."""
        command: list[str] = []
        for part in parts:
            if command:
                command.append(";")
            if isinstance(part, Key):
                command += ["send-keys", "-t", "e2e", str(part)]
            else:
                command += ["send-keys", "-t", "e2e", "-l", part]
        if command:
            self._tmux(*command)

    # -- the screen ----------------------------------------------------------------------
    def screen(self) -> str:
        """The pane as text, one line per row (trailing blanks removed)."""
        out = self._tmux("capture-pane", "-p", "-t", "e2e").stdout
        lines = [line.rstrip() for line in out.split("\n")][: self.height]
        return "\n".join(lines)

    def styled(self) -> str:
        """The pane with its escape sequences (``-e``): colours and attributes, to check how a cell is drawn."""
        return self._tmux("capture-pane", "-p", "-e", "-t", "e2e").stdout

    def wait(self, check: Callable[[str], bool], what: str, timeout: float = 15.0, *,
             styled: bool = False) -> str:
        """Poll the screen (with its escape sequences when ``styled``) until ``check`` accepts it."""
        read = self.styled if styled else self.screen
        deadline = time.monotonic() + timeout
        screen = read()
        while not check(screen):
            if time.monotonic() > deadline:
                raise ScreenTimeout(f"waited {timeout:.0f}s for {what}; the screen:\n{screen}")
            time.sleep(0.05)
            screen = read()
        return screen

    def wait_for(self, text: str | re.Pattern[str], timeout: float = 15.0) -> str:
        if isinstance(text, re.Pattern):
            return self.wait(lambda s: text.search(s) is not None, repr(text.pattern), timeout)
        return self.wait(lambda s: text in s, repr(text), timeout)

    def wait_gone(self, text: str, timeout: float = 15.0) -> str:
        return self.wait(lambda s: text not in s, f"{text!r} to go", timeout)

    def wait_stable(self, quiet: float = 0.3, timeout: float = 15.0) -> str:
        """The screen once it has stopped changing for ``quiet`` seconds (the app is idle)."""
        deadline = time.monotonic() + timeout
        last, since = self.screen(), time.monotonic()
        while time.monotonic() - since < quiet:
            if time.monotonic() > deadline:
                raise ScreenTimeout(f"the screen kept changing for {timeout:.0f}s:\n{last}")
            time.sleep(0.05)
            now = self.screen()
            if now != last:
                last, since = now, time.monotonic()
        return last

    def cursor(self) -> tuple[int, int]:
        """Where the terminal's cursor is (column, row): Textual keeps it at the focused input's caret."""
        x, y = self._tmux("display-message", "-p", "-t", "e2e", "#{cursor_x} #{cursor_y}").stdout.split()
        return int(x), int(y)

    def move_focus(self, key: Key = Key("Tab"), label: str | None = None, timeout: float = 15.0) -> None:
        """Press ``key`` (tab, shift+tab) and wait until the caret is in another field.

        Keys sent after a focus change in the same burst go to the field that had the focus (Textual
        hands each key to the widget focused when it arrives), so a test types into a new field only
        once the focus is there: the caret (Textual keeps the terminal's at the focused input's) has
        moved, and (given a ``label``) that label is on the line above it.
        """
        self.wait_stable()  # the caret of what was just typed is in place
        before = self.cursor()
        self.send(key)

        def there(screen: str) -> bool:
            x, y = self.cursor()
            return (x, y) != before and (label is None or (y > 0 and label in screen.split("\n")[y - 1]))

        self.wait(there, f"the caret to move under {label!r}" if label else f"the caret to leave {before}", timeout)

    def retype(self, old: str, new: str) -> None:
        """Replace ``old`` in the focused input by ``new``: keys bound to an action (end, ctrl+u), then
        text, in separate bursts (so this works before and after the burst fix: see ``move_focus``)."""
        before = self.screen().count(old)
        self.send(END, CTRL_U)
        self.wait(lambda screen: screen.count(old) < before, f"{old!r} to be cleared")
        self.send(new)
        self.wait_for(new)

    def send_and_redraw(self, *parts: str, timeout: float = 15.0) -> str:
        """``send``, then wait until the screen is drawn otherwise (in text or in style: a focus moved).

        For keys that move the focus without changing any text (escape to a list, say), before more
        keys are sent that must reach the widget focused next.
        """
        self.wait_stable()  # what was under way has been drawn: the next change is this key's
        before = self.styled()
        self.send(*parts)
        deadline = time.monotonic() + timeout
        while self.styled() == before:
            if time.monotonic() > deadline:
                raise ScreenTimeout(f"waited {timeout:.0f}s for {parts!r} to change the screen:\n{self.screen()}")
            time.sleep(0.05)
        return self.screen()

    def redrawn(self) -> str:
        """The screen after the app has drawn it all again (a resize and back): what a fresh paint shows."""
        self.wait_stable()
        self.resize(self.width + 1, self.height)
        self.wait_stable()
        self.resize(self.width - 1, self.height)
        return self.wait_stable()

    # -- forms ---------------------------------------------------------------------------
    def field(self, label: str, screen: str | None = None) -> str:
        """What a form shows for the field labelled ``label``: the line under the label (drop-down arrow aside)."""
        shown = screen if screen is not None else self.screen()
        lines = [_inside_frame(line).strip().strip(SCROLLBAR).strip() for line in shown.splitlines()]
        for index, line in enumerate(lines[:-1]):
            if line.strip().removesuffix(" *") == label:
                return lines[index + 1].strip().rstrip("▼▲").strip()
        raise AssertionError(f"no field labelled {label!r} on the screen:\n" + "\n".join(lines))

    def wait_field(self, label: str, value: str, timeout: float = 15.0) -> str:
        """Wait until the field labelled ``label`` shows exactly ``value``."""
        def shows(screen: str) -> bool:
            try:
                return self.field(label, screen) == value
            except AssertionError:
                return False
        return self.wait(shows, f"the field {label!r} to show {value!r}", timeout)

    def wait_exit(self, timeout: float = 15.0) -> int:
        screen = self.wait_for(re.compile(r"\[exited \d+\]"), timeout)
        return int(re.findall(r"\[exited (\d+)\]", screen)[-1])


def without_toasts(*screens: str) -> list[str]:
    """The screens with each line cut where a toast's edge (▌) starts in any of them.

    What a notification covers comes and goes with time; what is left of each line is what the app
    drew, and can be compared between two terminals (one with a toast, one without).
    """
    rows = [screen.split("\n") for screen in screens]
    height = max(len(r) for r in rows)
    rows = [r + [""] * (height - len(r)) for r in rows]
    cuts: list[int | None] = []
    for y in range(height):
        edges = [r[y].find("▌") for r in rows if "▌" in r[y]]
        cuts.append(min(edges) if edges else None)
    return ["\n".join(r[y][: cuts[y]].rstrip() for y in range(height)) for r in rows]


def _inside_frame(line: str) -> str:
    """The part of a line inside a dialog's frame (the screen behind shows at the edges)."""
    if line.count("│") >= 2:
        return line[line.index("│") + 1:line.rindex("│")]
    return line


def rubout(count: int = 40) -> list[Key]:
    """``End`` and ``count`` backspaces: what a user sends to clear a field before typing it again."""
    return [END, *[BSPACE] * count]


def run_cli(db: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The installed command line, as a user runs it in a shell (to read back what a screen saved)."""
    return subprocess.run([TWINTUI, "--db", str(db), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "NO_COLOR": "1"})
