"""The records of what went out and came back: the returns tracker's and every export's.

``QuarterlyReturn`` (one per state and quarter, id ``NOR-2026-Q3``) says when a state's return
was sent and received; ``ReturnExport`` (one per export id) what an export held and what each
copy of it that came back created and changed. Both record the world outside the store, so a
restore keeps them as they are (``KEPT_ON_RESTORE``). What is done with them, the tracker's
due dates and the comparison of a returned file, is in ``twintui.core.workbook``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .fields import Field
from .records import Record

KINDS = ("state", "register")


@dataclass(kw_only=True)
class QuarterlyReturn(Record):
    """One state's return for one quarter: exported (sent) and received (imported)."""

    TABLE: ClassVar[str] = "returns"
    KEPT_ON_RESTORE: ClassVar[bool] = True  # what went out and came back: a restore does not undo it
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("state", "State", "#country+code", "country", required=True),
        Field("quarter", "Quarter", "#date+reported", "quarter", required=True),
        Field("exported_at", "Exported at", "#date+exported"),
        Field("exported_by", "Exported by", "#contact+exported"),
        Field("export_id", "Export ID", "#meta+export"),
        Field("exported_file", "Exported file", "#meta+file+exported"),
        Field("received_at", "Received at", "#date+received"),
        Field("received_by", "Received by", "#contact+received"),
        Field("received_file", "Received file", "#meta+file+received"),
        Field("received_sha256", "File SHA-256", "#meta+hash"),
        Field("applied_new", "New records", "#indicator+new", "whole", minimum=0),
        Field("applied_changed", "Changed records", "#indicator+changed", "whole", minimum=0),
    )

    state: str = ""
    quarter: str = ""
    exported_at: str = ""
    exported_by: str = ""
    export_id: str = ""
    exported_file: str = ""
    received_at: str = ""
    received_by: str = ""
    received_file: str = ""
    received_sha256: str = ""
    applied_new: int | None = None
    applied_changed: int | None = None


@dataclass(kw_only=True)
class ReturnExport(Record):
    """One export (a state's return or the whole register) and every submission of it that came back."""

    TABLE: ClassVar[str] = "exports"
    KEPT_ON_RESTORE: ClassVar[bool] = True
    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("kind", "Kind", "#meta+kind", "choice", KINDS, required=True),
        Field("state", "State", "#country+code", "country"),
        Field("quarter", "Quarter", "#date+reported", "quarter"),
        Field("exported_at", "Exported at", "#date+exported"),
        Field("exported_by", "Exported by", "#contact+exported"),
        Field("exported_file", "Exported file", "#meta+file+exported"),
        Field("records_digest", "Exported records", "#meta+hash+records"),
        # [{at, by, file, sha256, new, changed}, ...], oldest first
        Field("submissions", "Submissions", "#meta+received", "data"),
        # "Register!7" -> [record key, hash of the row's name]
        Field("created", "Created from rows", "#meta+created", "data"),
        # "arrangements|TW-NOR-0012" -> [revision, content hash]
        Field("saved", "Saved by submissions", "#meta+saved", "data"),
    )

    kind: str = "state"
    state: str | None = None
    quarter: str | None = None
    exported_at: str = ""
    exported_by: str = ""
    exported_file: str = ""
    records_digest: str = ""
    submissions: list[dict[str, Any]] | None = None
    created: dict[str, list[Any]] | None = None
    saved: dict[str, list[Any]] | None = None

    @property
    def first_submission(self) -> dict[str, Any] | None:
        return self.submissions[0] if self.submissions else None

    def describe(self) -> str:
        if self.kind == "state":
            return f"{self.state}'s return for {self.quarter}"
        return "a whole-register export"
