"""What the MoU tasks read for the editor to show: a version, every version of its memorandum, a note."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...core.mou import versions
from ...core.mou.model import Memorandum, Sections
from ...core.mou.versions import Document

if TYPE_CHECKING:
    from ...core.store import Store


@dataclass
class Opened:
    """One version as read from the store (in a task), with what the editor says about it."""

    document: Document
    versions: list[Memorandum]
    note: str = ""
    focus: bool = True
    sent: Sections | None = None  # what a save wrote: edits typed while it ran are kept
    refusal: str | None = None  # why this user may not change this MoU (the access file), or None
    txn: int = -1  # the store's transaction when it was read, so the poll sees later changes only


def read(store: Store, arrangement_id: str, version: int | None = None, *, note: str = "", focus: bool = True,
         sent: Sections | None = None) -> Opened:
    """Version ``version`` (None: the latest) of the arrangement's MoU, as the editor shows it."""
    txn = store.txn
    document = versions.load(store, arrangement_id, version)
    return Opened(document, versions.versions_of(store, arrangement_id), note, focus, sent, txn=txn)


def open_with_refusal(store: Store, arrangement_id: str, version: int | None = None, *,
                      focus: bool = True) -> Opened:
    """``read``, and why this user may not change that version (the access file), if so."""
    opened = read(store, arrangement_id, version, focus=focus)
    opened.refusal = store.access().refusal(opened.document.memorandum)
    return opened
