"""What a command or a screen does with files and administration, on a store file or through the store service.

The register's records are read and changed through a ``Store`` wherever it is; what goes in and
out as files does not fit a store's reads and commits: a returned workbook previewed and applied,
a workbook, report or document written, access granted, the store checked or a backup restored.
``desk_for(store)`` gives the ``Desk`` that does these on the store: this one on a store file
(the core's functions, as the command line always called them), ``remote_desk.ServiceDesk``
through the store service (the service runs them; the bytes travel; this user writes the files).

Both write a file the same way (``core.files``: a temporary file renamed into place, never through
a link), after the same checks of its name, so a command prints the same through either.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import files
from ..core.store import Store

if TYPE_CHECKING:  # what the desk's answers are; imported by the work that makes them (a command needs few)
    from ..core.check import Report
    from ..core.progress.assess import Kept
    from ..core.progress.standing import Standing
    from ..core.store.backups import Backup
    from ..core.store.policy import AccessFile
    from ..core.store.restore import RestorePlan, RestoreResult
    from ..core.workbook import ApplyResult, ExportResult, Preview

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Made:
    """A file made from the store, as bytes, and what the command line says about it (``payloads``' keys)."""

    data: bytes
    about: dict[str, Any] = field(default_factory=dict)


class Desk:
    """Files and administration on a store file (``store``: the store, or what opens it when first needed)."""

    remote = False
    verdicts: Kept | None = None  # the verdicts of the last ``standings``

    def __init__(self, store: Store | Callable[[], Store], path: Path | None = None):
        self._store = store
        self._path = path  # the store file's, known before it is opened (a check opens no store)

    @property
    def path(self) -> Path:
        return self._path or self.store.path

    @property
    def store(self) -> Store:
        if not isinstance(self._store, Store):
            self._store = self._store()
        return self._store

    # -- imports ---------------------------------------------------------------------------------------
    def read_return(self, path: str | os.PathLike[str]) -> Any:
        """A returned workbook, checked and read (ReturnFileError, naming it, when it is not a return)."""
        from ..core.workbook import read_return

        return read_return(path)

    def preview(self, returned: Iterable[Any], progress: Progress | None = None) -> Preview:
        from ..core.workbook import preview

        return preview(self.store, returned, progress=progress)

    def apply(self, preview: Preview, progress: Progress | None = None) -> ApplyResult:
        from ..core.workbook import apply

        return apply(self.store, preview, progress=progress)

    # -- outputs ---------------------------------------------------------------------------------------
    def export_return(self, state: str, quarter: str, path: str | os.PathLike[str],
                      progress: Progress | None = None) -> ExportResult:
        from ..core.workbook import export_return

        return export_return(self.store, state, quarter, path, progress=progress)

    def export_register(self, path: str | os.PathLike[str], progress: Progress | None = None) -> ExportResult:
        from ..core.workbook import export_register

        return export_register(self.store, path, progress=progress)

    def template(self, path: str | os.PathLike[str]) -> Path:
        """The blank return written at ``path``."""
        from ..core.workbook.writing import check_target

        target = Path(path)
        check_target(target)
        files.replace(target, self.template_bytes())
        return target

    def report(self, quarter: str | None, path: str | os.PathLike[str]) -> Made:
        """The working group's report written at ``path`` in the format its name says (``about``: its
        ``arrangements`` and ``quarters``, the first and last of its compliance)."""
        from ..core.reports.output import check_target

        target = Path(path)
        made = self.report_bytes(quarter, check_target(target))
        files.replace(target, made.data)
        return made

    def write_document(self, made: Made, fmt: str, path: str | os.PathLike[str]) -> Path:
        """An MoU version rendered by ``document_bytes`` written at ``path``; the full path."""
        from ..core.mou import render

        target = render.check_target(path, made.about["suggested"][fmt])
        files.replace(target, made.data)
        return target

    def comparison(self, name: str, path: str | os.PathLike[str]) -> Made:
        """A comparison's matrix written at ``path`` (``about``: its ``name``)."""
        from ..core.errors import TwintuiError

        made = self.comparison_bytes(name)
        target = Path(path)
        if not (target.parent if str(target.parent) else Path(".")).is_dir():
            raise TwintuiError(f"cannot write {target}: the folder {target.parent} does not exist")
        files.replace(target, made.data)
        return made

    # What the files above are made of: here from the store file, by the core.
    def template_bytes(self) -> bytes:
        from ..core.workbook.export import template_bytes

        return template_bytes()

    def report_bytes(self, quarter: str | None, fmt: str) -> Made:
        from ..core import reports
        from ..core.reports.output import report_bytes

        built = reports.build(self.store, quarter)
        return Made(report_bytes(built, fmt), {"arrangements": built.arrangements,
                                               "quarters": [built.quarters[0], built.quarters[-1]]})

    def progress_bytes(self, state: str | None, as_of: dt.date, fmt: str,
                       keep: Callable[[Any], None] | None = None) -> Made:
        """Every objective's verdict as of ``as_of`` (``state``'s only, when given) as ``twintui progress`` prints
        it (``fmt``: text or json); NotFoundError when the register has no arrangement of ``state``. ``keep``:
        given the verdicts worked out here (``core.progress.listing``)."""
        from ..core.progress.listing import listing

        return Made(listing(self.store, state, as_of, fmt, keep))

    def standings(self, as_of: dt.date) -> dict[str, Standing]:
        """Arrangement id → its standing (the Register's marks), judging again after a change only the
        arrangements it touched (``assess.Kept``, kept by this desk); on a large register, in a process of
        their own (``apart``)."""
        from ..core.progress.assess import Kept
        from ..core.progress.standing import standings
        from . import apart

        if apart.worth_it(self.store):  # a large register: off the interpreter the screen is drawn with
            return apart.standings(self.path, as_of)
        if self.verdicts is None:
            self.verdicts = Kept()
        return standings(self.store, as_of, self.verdicts)

    def document_bytes(self, arrangement: str, version: int | None, fmt: str, today: dt.date | None = None,
                       progress: bool = True) -> Made:
        """An MoU version (None: the latest) in ``fmt``, as stored now, with today's partners and risks unless
        signed, and in section 8 the progress so far when a return reported any (``progress``: False leaves it
        out) (``about``: its ``arrangement``, ``version``, ``label`` and ``suggested`` names)."""
        from ..core.mou import load, render
        from ..core.progress.section import so_far
        from . import payloads

        document = load(self.store, arrangement, version)
        shown = so_far(self.store, document, today or dt.date.today()) if progress else None
        return Made(render.render(document, fmt, today, shown), payloads.document_about(document))

    def comparison_bytes(self, name: str) -> Made:
        from ..core.compare import records
        from ..core.compare.export import xlsx_bytes

        found = records.find(self.store, name)
        return Made(xlsx_bytes(found), {"name": found.name, "id": found.id})

    # -- administration --------------------------------------------------------------------------------
    def grant(self, user: str, role: str, states: Iterable[str] = ()) -> AccessFile:
        from ..core import access

        return access.grant(self.store, user, role, states)

    def revoke(self, user: str) -> AccessFile:
        from ..core import access

        return access.revoke(self.store, user)

    def check(self) -> Report:
        from ..core.check import check_store

        return check_store(self.path)

    def backups(self) -> tuple[Path, list[Backup]]:
        """(the backups' folder, the backups newest first)."""
        from ..core.store import backups

        return backups.folder_for(self.store.path), backups.list_all(self.store.path)

    def find_backup(self, name: str) -> Backup:
        from ..core.store import backups

        return backups.find(self.store.path, name)

    def restore_plan(self, backup: Backup) -> RestorePlan:
        return self.store.restore_plan(backup.path)

    def restore(self, backup: Backup, plan: RestorePlan) -> RestoreResult:
        return self.store.restore(backup.path, expected=plan)


def desk_for(store: Store | Callable[[], Store], path: Path | None = None, remote: bool = False) -> Desk:
    """The desk of ``store`` (or of what opens it, at ``path``): through the store service for its client
    (``remote``: the store still to be opened is one), else on the file."""
    if remote or getattr(store, "remote", False):
        from .remote_desk import ServiceDesk

        return ServiceDesk(store)
    return Desk(store, path)
