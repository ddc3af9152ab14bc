"""Every route of the store service beyond the records': imports, outputs and administration, one module each.

They share the service's store thread and a pool of their own for file work (``handling``), which
is shut down with the application.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from aiohttp import web

from .administration import Administration
from .handling import FILE_WORKERS
from .imports import Imports
from .outputs import Outputs

if TYPE_CHECKING:
    from .server import Service


def more_routes(service: Service, app: web.Application) -> list[web.RouteDef]:
    files = ThreadPoolExecutor(max_workers=FILE_WORKERS, thread_name_prefix="twintui-files")

    async def shut(_: web.Application) -> None:
        files.shutdown(wait=True)  # after the requests under way were answered (aiohttp's order)

    app.on_cleanup.append(shut)
    return [route for group in (Imports(service, files), Outputs(service, files), Administration(service, files))
            for route in group.routes()]
