"""``ServiceDesk``: files and administration through the store service, for every command and screen unchanged.

The service does the work on its store, as this user (the socket says who): it checks and previews
a returned workbook's bytes and applies that preview, makes a workbook, report or document and
records an export, grants and revokes, checks, lists and restores backups. This side reads the
files the user names (only this user may) and writes the files the user asks for, as this user,
with the same checks of their names as directly. Decisions:

- A returned file is read here with the checks of a file (its name, its size, that it is a regular
  file: a FIFO or a folder is refused before anything is sent), then sent as bytes, one file a
  request; the service checks everything again, since it trusts no client.
- An export's name is checked before the service is asked (the service records the export as it
  makes it), so a file that cannot be written is refused before anything is recorded.
- A backup is named, never a path: the service restores only its own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import files
from ..core.check import Report
from ..core.store.backups import Backup
from ..core.store.policy import AccessFile
from ..core.store.restore import RestorePlan, RestoreResult
from ..core.workbook import ApplyResult, ExportResult, Preview, ReturnFileError
from . import payloads, protocol
from .desk import Desk, Made, Progress

if TYPE_CHECKING:
    from ..core.progress.standing import Standing


@dataclass(frozen=True)
class SentReturn:
    """A returned workbook the service checked and holds, to preview (``token``)."""

    path: Path
    sha256: str
    token: str


class ServiceDesk(Desk):
    """The desk of a ``RemoteStore``: every file is made, checked or applied by the store service."""

    remote = True
    _socket: str | os.PathLike[str] | None = None  # ``at``'s: the desk connects without fetching the register
    _connection: tuple[Any, dict[str, Any]] | None = None  # (the client, the service's hello)

    @classmethod
    def at(cls, socket: str | os.PathLike[str]) -> ServiceDesk:
        """The desk of the service at ``socket``. It asks the service for every file and answer; the register
        itself (a 74 MB snapshot on a large one) is fetched only if a command reads records here."""
        from .remote import RemoteStore

        desk = cls(lambda: RemoteStore.on(*desk.connection()))
        desk._socket = socket
        return desk

    def connection(self) -> tuple[Any, dict[str, Any]]:
        """(the client, the service's hello), connected when first asked: by the store's client when the desk
        was given a store."""
        if self._connection is None:
            if self._socket is None:
                store = self.store
                self._connection = (store.client, {"store": str(store.path)})  # type: ignore[attr-defined]
            else:
                from .remote import connect

                self._connection = connect(self._socket)
        return self._connection

    @property
    def path(self) -> Path:
        return Path(self.connection()[1]["store"])

    @property
    def client(self) -> Any:
        return self.connection()[0]

    def _call(self, route: str, body: Any = None, method: str = "POST") -> Any:
        return self.client.call(method, route, body)

    def _made(self, kind: str, body: dict[str, Any]) -> Made:
        response = self.client.send("POST", f"{protocol.OUTPUT}/{kind}", body)
        return Made(response.content, json.loads(response.headers.get(payloads.OUTPUT_HEADER, "{}")))

    # -- imports ---------------------------------------------------------------------------------------
    def read_return(self, path: str | os.PathLike[str]) -> SentReturn:
        from ..core.workbook.archive import read_bytes

        target = Path(path)
        data = read_bytes(target)  # as directly: the name, the size, a regular file (ReturnFileError)
        answer = self.client.call("POST", protocol.IMPORT_FILE, params={"name": str(target)}, content=data)
        if answer["refused"]:
            raise ReturnFileError(target, answer["refused"])
        return SentReturn(target, answer["sha256"], answer["file"])

    def preview(self, returned: Iterable[Any], progress: Progress | None = None) -> Preview:
        sent = list(returned)
        _step(progress, "comparing", 0)
        found = payloads.preview_of(self._call(protocol.IMPORT_PREVIEW, {"files": [s.token for s in sent]}))
        _step(progress, "comparing", 1)
        return found

    def apply(self, preview: Preview, progress: Progress | None = None) -> ApplyResult:
        token = getattr(preview, "token", None)
        if token is None:  # the service made it and held none: it cannot be applied (its errors say why)
            from ..core.workbook import apply

            return apply(self.store, preview)  # refused before anything is sent (ImportRefused)
        _step(progress, "applying", 0)
        done = payloads.apply_of(self._call(protocol.IMPORT_APPLY, {"preview": token}))
        _step(progress, "applying", 1)
        return done

    # -- outputs ---------------------------------------------------------------------------------------
    def export_return(self, state: str, quarter: str, path: str | os.PathLike[str],
                      progress: Progress | None = None) -> ExportResult:
        return self._export("return", {"state": state, "quarter": quarter}, Path(path), progress)

    def export_register(self, path: str | os.PathLike[str], progress: Progress | None = None) -> ExportResult:
        return self._export("register", {}, Path(path), progress)

    def _export(self, kind: str, body: dict[str, Any], target: Path, progress: Progress | None) -> ExportResult:
        from ..core.workbook.writing import check_target

        check_target(target)
        made = self._made(kind, {**body, "file_name": target.name})
        _step(progress, "writing", 0)  # a screen that was told to stop writes nothing
        files.replace(target, made.data)
        _step(progress, "writing", 1)
        return payloads.export_of(made.about, target)

    def template_bytes(self) -> bytes:
        return self._made("template", {}).data

    def report_bytes(self, quarter: str | None, fmt: str) -> Made:
        return self._made("report", {"quarter": quarter, "format": fmt})

    def progress_bytes(self, state: str | None, as_of: dt.date, fmt: str,
                       keep: Callable[[Any], None] | None = None) -> Made:
        return self._made("progress", {"state": state, "as_of": as_of.isoformat(), "format": fmt})

    def standings(self, as_of: dt.date) -> dict[str, Standing]:
        from ..core.progress.standing import Standing

        made = self._made("progress", {"state": None, "as_of": as_of.isoformat(), "format": "standings"})
        return {key: Standing(tuple(verdicts)) for key, verdicts in json.loads(made.data).items()}

    def document_bytes(self, arrangement: str, version: int | None, fmt: str, today: dt.date | None = None,
                       progress: bool = True) -> Made:
        return self._made("mou", {"arrangement": arrangement, "version": version, "format": fmt,
                                  "today": today.isoformat() if today else None, "progress": progress})

    def comparison_bytes(self, name: str) -> Made:
        return self._made("comparison", {"name": name})

    # -- administration --------------------------------------------------------------------------------
    def grant(self, user: str, role: str, states: Iterable[str] = ()) -> AccessFile:
        return payloads.access_file_of(self._call(protocol.ACCESS_GRANT, {"user": user, "role": role,
                                                                          "states": list(states)}))

    def revoke(self, user: str) -> AccessFile:
        return payloads.access_file_of(self._call(protocol.ACCESS_REVOKE, {"user": user}))

    def check(self) -> Report:
        return payloads.check_of(self._call(protocol.CHECK, method="GET"))

    def backups(self) -> tuple[Path, list[Backup]]:
        answer = self._call(protocol.BACKUPS, method="GET")
        return Path(answer["folder"]), [payloads.backup_of(b) for b in answer["backups"]]

    def find_backup(self, name: str) -> Backup:
        from ..core.store import backups

        return backups.named(self.backups()[1], name, self.store.path)

    def restore_plan(self, backup: Backup) -> RestorePlan:
        return self.store.restore_plan(backup.name)

    def restore(self, backup: Backup, plan: RestorePlan) -> RestoreResult:
        return self.store.restore(backup.name, expected=plan)


def _step(progress: Progress | None, stage: str, done: int) -> None:
    if progress is not None:
        progress(stage, done, 1)
