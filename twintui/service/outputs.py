"""The store service's outputs: workbooks, reports and documents made from its store, sent back as bytes.

    POST /v1/output/template     {}                                          the blank return
    POST /v1/output/return       {"state", "quarter", "file_name"}           a state's return (recorded)
    POST /v1/output/register     {"file_name"}                               the whole register (recorded)
    POST /v1/output/report       {"quarter": null | "YYYY-Qn", "format"}     the working group's report
    POST /v1/output/mou          {"arrangement", "version", "format", "today"}  an MoU version as a document
    POST /v1/output/comparison   {"name"}                                    a comparison's matrix
    POST /v1/output/progress     {"state": null | ISO3, "as_of", "format"}   the verdicts (text or json)

Each reply's body is the file's bytes; its ``Twintui-Output`` header (JSON) says what they are, for
the client to print as the command does directly. Decisions:

- The client writes the file where the user asked, as the user (``core.files``' rules), so the
  service never opens a path a client names and a user's file is never the service's.
- An export is recorded by the service, as the caller (exported at and by, the export id, the
  digest of what went out), before the bytes are sent: a client cannot record an export of its
  own making, and one whose file could not be written is an export that was never imported (the
  client checks the name it will write first, so that is rare). ``file_name`` is only recorded.
- What is read from the store is read in the store's thread; the file is built in another, so a
  long export holds up no one's commits.
- The verdicts (``twintui progress``) are worked out where the register is held, in the store's
  thread, and kept for that state of the store: asking again costs nothing until a commit changes
  it, and a client never fetches a 74 MB register to print them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from aiohttp import web

from ..core.errors import TwintuiError
from ..core.model import coerce
from . import payloads, protocol
from .handling import Routes, output, without_collection


# The progress listings kept for the store's current state (a register of 10,000 arrangements: 21 MB each).
KEPT_LISTINGS = 4


class Outputs(Routes):
    """``POST /v1/output/<kind>``."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from ..core.progress.assess import Kept

        # (state, as_of, format) -> (the store's generation, the listing); and the verdicts they are made of
        self._listings: dict[tuple[str | None, dt.date, str], tuple[int, bytes]] = {}
        self._assessed = Kept()

    def routes(self) -> list[web.RouteDef]:
        made = {"template": self.template, "return": self.state_return, "register": self.register,
                "report": self.report, "mou": self.mou, "comparison": self.comparison, "progress": self.progress}
        return [web.post(f"{protocol.OUTPUT}/{kind}", made[kind]) for kind in protocol.OUTPUTS]

    async def _request(self, request: web.Request, required: set[str], optional: frozenset[str] | set[str] = frozenset()
                       ) -> dict[str, Any]:
        body = await self.json(request)
        protocol._keys(body, f"the {request.path.rsplit('/', 1)[-1]} request", required, optional)
        return body

    async def template(self, request: web.Request) -> web.Response:
        from ..core.workbook.export import template_bytes

        await self._request(request, set())
        return output(await self.off_loop(template_bytes), {})

    async def state_return(self, request: web.Request) -> web.Response:
        from ..core.workbook.export import record_export, return_content

        peer = self.peer(request)
        body = await self._request(request, {"state", "quarter", "file_name"})
        state, quarter = (payloads.text_of(body[k], k, 60) for k in ("state", "quarter"))
        name = _file_name(body["file_name"])
        content = await self.in_store(lambda: return_content(self.store.acting_for(peer), state, quarter))
        return await self._export(content, name, peer, record_export)

    async def register(self, request: web.Request) -> web.Response:
        from ..core.workbook.export import record_export, register_content

        peer = self.peer(request)
        name = _file_name((await self._request(request, {"file_name"}))["file_name"])
        content = await self.in_store(lambda: register_content(self.store.acting_for(peer)))
        return await self._export(content, name, peer, record_export)

    async def _export(self, content: Any, name: str, peer: str, record: Any) -> web.Response:
        from ..core.workbook.export import result_of
        from ..core.workbook.writing import workbook_bytes

        data = await self.off_loop(workbook_bytes, content)  # sets the digest the record keeps
        await self.in_store(lambda: record(self.store.acting_for(peer), content, name))
        return output(data, payloads.export_json(result_of(content, Path(name))))

    async def report(self, request: web.Request) -> web.Response:
        from ..core import reports
        from ..core.reports.output import report_bytes

        peer = self.peer(request)
        body = await self._request(request, {"quarter", "format"})
        try:
            quarter = None if body["quarter"] is None else coerce.quarter(payloads.text_of(body["quarter"], "quarter",
                                                                                          20))
        except ValueError as error:
            raise protocol.BadRequest(f"quarter: {error}") from None
        fmt = payloads.text_of(body["format"], "format", 10)
        built = await self.in_store(lambda: reports.build(self.store.acting_for(peer), quarter))
        data = await self.off_loop(report_bytes, built, fmt)
        return output(data, {"arrangements": built.arrangements, "quarters": [built.quarters[0], built.quarters[-1]]})

    async def mou(self, request: web.Request) -> web.Response:
        from ..core.mou import load
        from ..core.mou import render as documents
        from ..core.progress.section import so_far

        peer = self.peer(request)
        body = await self._request(request, {"arrangement", "version", "format"}, {"today", "progress"})
        arrangement = payloads.text_of(body["arrangement"], "arrangement", 40)
        version, fmt = body["version"], payloads.text_of(body["format"], "format", 10)
        if version is not None and (type(version) is not int or version < 1):
            raise protocol.BadRequest("version must be null (the latest) or a number from 1")
        today = payloads.date_of(body.get("today"), "today")
        with_progress = body.get("progress", True)
        if type(with_progress) is not bool:
            raise protocol.BadRequest("progress must be true or false")

        def read() -> tuple[Any, Any]:
            store = self.store.acting_for(peer)
            document = load(store, arrangement, version)
            return document, so_far(store, document, today or dt.date.today()) if with_progress else None

        document, progress = await self.in_store(read)
        data = await self.off_loop(documents.render, document, fmt, today, progress)
        return output(data, payloads.document_about(document))

    async def progress(self, request: web.Request) -> web.Response:
        from ..core.progress.listing import FORMATS

        peer = self.peer(request)
        body = await self._request(request, {"state", "as_of", "format"})
        state = _state(body["state"])
        try:
            as_of = dt.date.fromisoformat(body["as_of"])
        except (TypeError, ValueError):
            raise protocol.BadRequest("as_of must be a date (YYYY-MM-DD)") from None
        fmt = payloads.text_of(body["format"], "format", 10)
        if fmt not in FORMATS:
            raise protocol.BadRequest(f"'{fmt}' is not a progress format ({', '.join(FORMATS)})")
        return output(await self.in_store(self._verdicts, peer, state, as_of, fmt), {})

    def _verdicts(self, peer: str, state: str | None, as_of: dt.date, fmt: str) -> bytes:
        """The listing of ``progress``, made once for each state of the store (in the store thread, between two
        commits) and kept for it: asked again, it is sent as it was (``KEPT_LISTINGS`` of them). After a commit,
        only the arrangements whose documents it changed are worked out again (``assess.Kept``)."""
        from ..core.progress.listing import listing

        storage = self.store.storage
        with storage.mutex:
            storage.refresh()  # the file may have been changed by its owner (a restore by hand)
            generation, key = storage.generation, (state, as_of, fmt)
        listed = self._listings.get(key)
        if listed is not None and listed[0] == generation:
            return listed[1]
        with without_collection():
            made = listing(self.store.acting_for(peer), state, as_of, fmt, kept=self._assessed)
        if storage.generation == generation:  # not read again meanwhile: it is this state's
            self._listings = {k: v for k, v in self._listings.items() if v[0] == generation}
            while len(self._listings) >= KEPT_LISTINGS:
                del self._listings[next(iter(self._listings))]
            self._listings[key] = (generation, made)
        return made

    async def comparison(self, request: web.Request) -> web.Response:
        from ..core.compare import records
        from ..core.compare.export import xlsx_bytes

        peer = self.peer(request)
        name = payloads.text_of((await self._request(request, {"name"}))["name"], "name", 400)
        found = await self.in_store(lambda: records.find(self.store.acting_for(peer), name))
        return output(await self.off_loop(xlsx_bytes, found), {"name": found.name, "id": found.id})


def _state(raw: Any) -> str | None:
    """A reporting state as the command line gives it: null (every state) or its ISO 3166 alpha-3 code."""
    if raw is None:
        return None
    try:
        if isinstance(raw, str) and len(raw) == 3 and coerce.country(raw) == raw:
            return raw
    except ValueError:
        pass
    raise protocol.BadRequest("state must be null or an ISO 3166 alpha-3 code (NOR)")


def _file_name(raw: Any) -> str:
    """The name a client will write an export under (recorded with it: ``exported_file``), never a path."""
    name = payloads.text_of(raw, "file_name", 255)
    if not name or "/" in name or name in (".", ".."):
        raise protocol.BadRequest("file_name must be a file's name without a folder")
    if not name.lower().endswith(".xlsx"):
        raise TwintuiError(f"{name}: a return is an .xlsx workbook; give a file name ending in .xlsx")
    return name
