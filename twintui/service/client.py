"""Talking to the store service: HTTP over its Unix socket (httpx, synchronous), errors raised as twintui's.

Synchronous on purpose: the command line and the screens' thread workers call the store as a
function; one ``httpx.Client`` keeps the connection open between calls and is safe to share between
threads. A service that cannot be reached is one line naming the socket (``ServiceUnavailable``, a
StoreError: exit 2); an error reply is raised as the exception it stands for (``protocol.error_of``).
"""

from __future__ import annotations

import grp
import os
from pathlib import Path
from typing import Any

import httpx
import orjson

from ..core.errors import StoreError
from ..core.store import current_user
from . import protocol

# Connecting is quick or not at all; an answer may wait for the store's lock (30 s) and a big commit.
CONNECT_SECONDS, ANSWER_SECONDS = 5.0, 90.0


class ServiceUnavailable(StoreError):
    """The store service cannot be reached (not running, no socket, not allowed to connect, gone mid-way)."""


class ServiceClient:
    """The requests of protocol 1, made to the service listening on ``socket``."""

    def __init__(self, socket: str | os.PathLike[str], *, timeout: float = ANSWER_SECONDS):
        self.socket = Path(socket)
        self.timeout = timeout
        self.http = self.new_http(timeout)

    def new_http(self, read: float | None) -> httpx.Client:
        """An httpx client on the socket (``read``: seconds to wait for each part of an answer)."""
        # Plain HTTP on a Unix socket, never TLS: no certificates to load (that took 40 ms a client),
        # and nothing from the environment (proxies, .netrc) applies to it.
        transport = httpx.HTTPTransport(uds=str(self.socket), verify=False)
        return httpx.Client(transport=transport, base_url="http://twintui", trust_env=False,
                            timeout=httpx.Timeout(read, connect=CONNECT_SECONDS))

    def call(self, method: str, route: str, body: Any = None, params: dict[str, str] | None = None,
             content: bytes | None = None) -> Any:
        """The JSON answer of one request; its error reply raised as the twintui error it stands for."""
        return orjson.loads(self.send(method, route, body, params, content=content).content)

    def send(self, method: str, route: str, body: Any = None, params: dict[str, str] | None = None,
             headers: dict[str, str] | None = None, content: bytes | None = None,
             expect: tuple[int, ...] = ()) -> httpx.Response:
        """The reply to one request with ``body`` as JSON, or ``content`` as bytes (a returned workbook's); an
        error reply is raised (``protocol.error_of``) unless its status is in ``expect``."""
        if body is not None:
            content = orjson.dumps(body)
            headers = {**(headers or {}), "Content-Type": "application/json"}
        elif content is not None:
            headers = {**(headers or {}), "Content-Type": "application/octet-stream"}
        try:
            try:
                response = self.http.request(method, route, content=content, params=params, headers=headers)
            except (httpx.RemoteProtocolError, httpx.ReadError):
                if method != "GET":
                    raise
                # The service may close a connection it kept open just as it is used again: a question
                # is asked once more, on a new connection (a change never is: it may have landed).
                response = self.http.request(method, route, content=content, params=params, headers=headers)
        except httpx.TimeoutException:
            raise ServiceUnavailable(f"the store service at {self.socket} did not answer within "
                                     f"{self.timeout:g} s{_maybe_done(method)}") from None
        except httpx.TransportError as error:
            raise self.unreachable(error, method) from None
        if response.status_code >= 400 and response.status_code not in expect:
            try:
                answer = orjson.loads(response.content)
            except orjson.JSONDecodeError:
                answer = None
            raise protocol.error_of(answer, response.status_code)
        return response

    def unreachable(self, error: httpx.TransportError, method: str) -> ServiceUnavailable:
        """One line for a service that cannot be reached, naming the socket and, where it is that, who may."""
        cause = _os_error(error)
        where = f"the store service at {self.socket}"
        if isinstance(cause, FileNotFoundError):
            return ServiceUnavailable(f"{where} is not running (there is no such socket; start it: twintui serve)")
        if isinstance(cause, ConnectionRefusedError):
            return ServiceUnavailable(f"{where} is not running (connection refused)")
        if isinstance(cause, PermissionError):
            return ServiceUnavailable(f"{current_user()} may not connect to {where}: permission denied "
                                      f"({_who_may(self.socket)})")
        if isinstance(error, httpx.ConnectError):
            return ServiceUnavailable(f"could not connect to {where}: {cause or error}")
        return ServiceUnavailable(f"{where} closed the connection before it answered{_maybe_done(method)}")

    def close(self) -> None:
        self.http.close()


def _maybe_done(method: str) -> str:
    # A change that was sent may have been committed before the answer was lost.
    return "; the change may or may not have been made (twintui log shows it)" if method == "POST" else ""


def _os_error(error: BaseException) -> OSError | None:
    """The operating system's error under httpx's (and httpcore's) wrapping of it."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _who_may(socket: Path) -> str:
    try:
        info = os.stat(socket)
    except OSError:
        return "its folder is closed to you"
    try:
        group = grp.getgrgid(info.st_gid).gr_name
    except KeyError:
        group = str(info.st_gid)
    return f"only members of the group {group} may connect"
