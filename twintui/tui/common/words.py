"""What a widget is, in the user's words: the help title says "Title (text field)", never "Input"."""

from __future__ import annotations

from textual.containers import ScrollableContainer
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Input, OptionList, Select, SelectionList, Tabs, TextArea

# Most specific first: a SelectionList is an OptionList, a TickBox a Checkbox.
KINDS: tuple[tuple[type[Widget], str], ...] = (
    (SelectionList, "tick list"),
    (Select, "drop-down"),
    (Input, "text field"),
    (TextArea, "text area"),
    (Checkbox, "tick box"),
    (Button, "button"),
    (DataTable, "table"),
    (OptionList, "list of choices"),
    (Tabs, "tabs"),
    (ScrollableContainer, "page"),
)


def widget_words(widget: Widget) -> str:
    """``widget``'s name for a user: its field's label and what it is ("Title (text field)"), or what it is."""
    kind = getattr(widget, "HELP_NAME", "") or next((words for cls, words in KINDS if isinstance(widget, cls)), "")
    label = getattr(widget, "FIELD_LABEL", "")
    if label and kind:
        return f"{label} ({kind})"
    return label or kind
