"""The store service's administration: access changes, the integrity check, backups and restores, as the caller.

    POST /v1/access/grant     {"user", "role", "states"} → the access file as it is now
    POST /v1/access/revoke    {"user"} → the access file as it is now
    GET  /v1/check            the integrity check of the store, as the caller sees it
    GET  /v1/backups          {"folder", "backups": [{"name", "path", "at", "reason", "size"}]}
    POST /v1/restore/plan     {"backup": NAME} → what restoring it would change
    POST /v1/restore          {"backup": NAME, "expected": {"added", "removed", "changed"} | null}

Each runs the core's own code on the service's store, acting for the caller, so the rules are those
of a direct store: only maintainers grant, revoke and restore (and each is audited under their
name); the last maintainer cannot be revoked. Decisions:

- The access file is the one in the service's folder, fixed when the store was opened
  (``Queries.access_file``): nothing in the store or in a request decides which file applies.
- A backup is named, never given as a path: the service restores only its own backups
  (``backups.find(paths=False)``). ``expected`` is the plan the caller was shown; a store that
  changed since is refused, as directly.
"""

from __future__ import annotations

from aiohttp import web

from ..core.store import backups
from . import payloads, protocol
from .handling import Routes
from .server import reply


class Administration(Routes):
    """``/v1/access/{grant,revoke}``, ``/v1/check``, ``/v1/backups``, ``/v1/restore[/plan]``."""

    def routes(self) -> list[web.RouteDef]:
        return [web.post(protocol.ACCESS_GRANT, self.grant), web.post(protocol.ACCESS_REVOKE, self.revoke),
                web.get(protocol.CHECK, self.check), web.get(protocol.BACKUPS, self.backups),
                web.post(protocol.RESTORE_PLAN, self.restore_plan), web.post(protocol.RESTORE, self.restore)]

    async def grant(self, request: web.Request) -> web.Response:
        from ..core import access

        peer = self.peer(request)
        body = await self.json(request)
        protocol._keys(body, "the grant", required={"user", "role", "states"})
        user, role = (payloads.text_of(body[k], k, 64) for k in ("user", "role"))
        states = body["states"]
        if not isinstance(states, list) or len(states) > 300:
            raise protocol.BadRequest("states must be a list of states (ISO3 codes or names)")
        states = [payloads.text_of(s, "a state", 80) for s in states]
        new = await self.in_store(lambda: access.grant(self.store.acting_for(peer), user, role, states))
        return reply(200, payloads.access_file_json(new))

    async def revoke(self, request: web.Request) -> web.Response:
        from ..core import access

        peer = self.peer(request)
        body = await self.json(request)
        protocol._keys(body, "the revoke", required={"user"})
        user = payloads.text_of(body["user"], "user", 64)
        new = await self.in_store(lambda: access.revoke(self.store.acting_for(peer), user))
        return reply(200, payloads.access_file_json(new))

    async def check(self, request: web.Request) -> web.Response:
        from ..core.check import check_store

        peer = self.peer(request)
        store = self.store
        found = await self.in_store(lambda: check_store(store.path, user=peer, access_file=store.access_file))
        return reply(200, payloads.check_json(found))

    async def backups(self, request: web.Request) -> web.Response:
        found = await self.in_store(backups.list_all, self.store.path)
        return reply(200, {"folder": str(backups.folder_for(self.store.path)),
                           "backups": [payloads.backup_json(b) for b in found]})

    async def restore_plan(self, request: web.Request) -> web.Response:
        body = await self.json(request)
        protocol._keys(body, "the restore plan", required={"backup"})
        name = payloads.text_of(body["backup"], "backup", 255)

        def plan() -> dict[str, object]:
            backup = backups.find(self.store.path, name, paths=False)
            return {"name": backup.name, "plan": payloads.plan_json(self.store.restore_plan(backup.path))}

        return reply(200, await self.in_store(plan))

    async def restore(self, request: web.Request) -> web.Response:
        from ..core.store.restore import RestorePlan

        peer = self.peer(request)
        body = await self.json(request)
        protocol._keys(body, "the restore", required={"backup", "expected"})
        name = payloads.text_of(body["backup"], "backup", 255)
        expected = body["expected"]
        if expected is not None:
            protocol._keys(expected, "expected", required={"added", "removed", "changed"})
            expected = {k: payloads.keys_of(expected[k], f"expected.{k}") for k in ("added", "removed", "changed")}

        def restore() -> dict[str, object]:
            backup = backups.find(self.store.path, name, paths=False)
            shown = None if expected is None else RestorePlan(backup.path, **expected)
            done = self.store.acting_for(peer).restore(backup.path, expected=shown)
            return {"txn": done.txn, "safety_backup": None if done.safety_backup is None else str(done.safety_backup),
                    "plan": payloads.plan_json(done.plan)}

        return reply(200, await self.in_store(restore))
