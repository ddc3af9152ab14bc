"""Following the store service's change feed (``GET /v1/changes``), on the client's side.

``Feed`` is iterated by one thread (the app's store watcher): it yields each transaction number
the service announces, the current one first, and tells the mirror each state, so that the
mirror asks the service only when the store has moved (``Mirror.announce``). When the service
goes away it raises ``ServiceUnavailable`` (one line naming the socket); from then on the mirror
asks the service before every read again, as it does without a feed. ``close`` ends the
iteration from any thread (the app closing): it shuts the connection's socket, which wakes the
read that waits on it.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import orjson

from . import protocol
from .client import ServiceClient, ServiceUnavailable

if TYPE_CHECKING:
    from .remote import Mirror

# The service sends a line at least every 15 s (feed.HEARTBEAT): three missed, and it is taken for gone.
SILENCE_SECONDS = 45.0


class Feed:
    """One subscription to the change feed of the service ``client`` talks to, for ``mirror``."""

    def __init__(self, client: ServiceClient, mirror: Mirror, silence: float = SILENCE_SECONDS):
        self.client = client
        self.mirror = mirror
        self.silence = silence
        self._sock: socket.socket | None = None
        self._closed = False

    def __iter__(self) -> Iterator[int]:
        where = f"the store service at {self.client.socket}"
        http = self.client.new_http(self.silence)
        connected = False
        try:
            with http.stream("GET", protocol.CHANGES) as response:
                connected = True
                if response.status_code != 200:
                    response.read()
                    raise protocol.error_of(_json(response.content), response.status_code)
                stream: Any = response.extensions.get("network_stream")
                self._sock = stream.get_extra_info("socket") if stream is not None else None
                if self._closed:
                    return
                for line in response.iter_lines():
                    event = _json(line)
                    if not isinstance(event, dict) or not isinstance(event.get("txn"), int) or \
                            not isinstance(event.get("state"), str):
                        raise ServiceUnavailable(f"{where} sent a change this twintui cannot read: {line[:80]!r}")
                    self.mirror.announce(event["state"])
                    yield event["txn"]
        except httpx.TimeoutException:
            if not self._closed:
                raise ServiceUnavailable(f"{where} sent nothing for {self.silence:g} s") from None
        except httpx.TransportError as error:
            if not self._closed and not connected:  # it could not be reached at all
                raise self.client.unreachable(error, "GET") from None
        finally:
            self.mirror.announce(None)
            http.close()
        self._sock = None
        if not self._closed:  # the stream ended, or broke off (the service stopped, or was killed)
            raise ServiceUnavailable(f"{where} went away")

    def close(self) -> None:
        """End the iteration (from any thread): it returns instead of raising."""
        self._closed = True
        sock = self._sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _json(raw: bytes | str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
