"""The store service's imports: returned workbooks sent as bytes, checked and previewed there, applied as the caller.

    POST /v1/import/file?name=NAME    the workbook's bytes → {"name", "file": token | null, "sha256", "refused"}
    POST /v1/import/preview           {"files": [token, ...]} → {"preview": token | null, "files": [...]}
    POST /v1/import/apply             {"preview": token} → {"txn", "created", "changed", "received"}

Decisions:

- The client reads the file (it alone may: it is the user's), and the service never opens a path a
  client names: NAME only names the bytes in messages, the preview and the audit log. Every check a
  file gets directly it gets here, on the bytes (``read.return_of``: name, size, zip, bombs, sheets),
  whatever the client checked before: a body over the size of a return is refused unread.
- One file per request, then the preview of all of them together (twins, one transaction), then
  applying it: as directly, a file that is not a return is refused before anything is compared, and
  the preview is shown before anything is written.
- The service applies the preview it made and holds (``handling.Held``), not one sent back to it:
  the records to save never travel, and ``apply`` checks every revision again under the lock, so a
  register that changed since the preview is a conflict exactly as directly. Everything recorded
  (who received it, the audit entries, the tracker, the backup) is set by the service as the caller.
"""

from __future__ import annotations

import dataclasses
import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from ..core.workbook import Preview, ReturnFile, ReturnFileError, apply, preview
from ..core.workbook.archive import MAX_FILE_BYTES, check_size
from ..core.workbook.read import return_of
from . import payloads, protocol
from .handling import Held, Routes
from .server import reply

if TYPE_CHECKING:
    from .server import Service

MOST_FILES = 100  # in one import
HELD_BYTES = 256 << 20  # of workbooks held between their upload and their preview, for every caller together


class Imports(Routes):
    """``POST /v1/import/{file,preview,apply}``."""

    def __init__(self, service: Service, files: ThreadPoolExecutor):
        super().__init__(service, files)
        self.returned: Held[ReturnFile] = Held("returned file", MOST_FILES, 4 * MOST_FILES,
                                               weight=lambda f: f.size, heaviest=HELD_BYTES)
        self.previews: Held[Preview] = Held("import preview", 4, 64)

    def routes(self) -> list[web.RouteDef]:
        return [web.post(protocol.IMPORT_FILE, self.file), web.post(protocol.IMPORT_PREVIEW, self.preview),
                web.post(protocol.IMPORT_APPLY, self.apply)]

    async def file(self, request: web.Request) -> web.Response:
        peer = self.peer(request)
        name = payloads.name_of(request.query.get("name"), "the query's name (the file's)")
        path = Path(name)
        if request.content_length is not None and request.content_length > MAX_FILE_BYTES:
            try:
                check_size(path, request.content_length)
            except ReturnFileError as error:
                answer = reply(200, {"name": name, "file": None, "sha256": None, "refused": error.reason})
                answer.force_close()  # the body is never read, so never taken for a request
                return answer
        data = await self.service._body(request)
        digest = hashlib.sha256(data).hexdigest()
        try:
            returned = await self.off_loop(return_of, path, data)
        except ReturnFileError as error:
            return reply(200, {"name": name, "file": None, "sha256": digest, "refused": error.reason})
        return reply(200, {"name": name, "file": self.returned.hold(peer, returned), "sha256": digest,
                           "refused": None})

    async def preview(self, request: web.Request) -> web.Response:
        peer = self.peer(request)
        body = await self.json(request)
        protocol._keys(body, "the preview", required={"files"})
        tokens = body["files"]
        if not isinstance(tokens, list) or not 0 < len(tokens) <= MOST_FILES:
            raise protocol.BadRequest(f"files must be a list of 1 to {MOST_FILES} tokens of POST "
                                      f"{protocol.IMPORT_FILE}")
        returned = [self.returned.take(peer, token) for token in tokens]
        result = await self.in_store(lambda: preview(self.store.acting_for(peer), returned))
        for file in result.files:  # what apply needs stays; the parsed sheets go
            file.file = dataclasses.replace(file.file, sheets={})
        token = self.previews.hold(peer, result) if result.ok else None
        return reply(200, payloads.preview_json(result, token))

    async def apply(self, request: web.Request) -> web.Response:
        peer = self.peer(request)
        body = await self.json(request)
        protocol._keys(body, "the apply", required={"preview"})
        held = self.previews.take(peer, body["preview"])
        result = await self.in_store(lambda: apply(self.store.acting_for(peer), held))
        return reply(200, payloads.apply_json(result))
