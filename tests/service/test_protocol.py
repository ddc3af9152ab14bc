"""The protocol's shapes: what the client writes the service reads, and every error comes back as itself."""

from __future__ import annotations

import orjson
import pytest

from twintui.core.errors import AccessError, ConflictError, NotFoundError, StoreError, TwintuiError, ValidationError
from twintui.core.model import Arrangement, Partner, Problem
from twintui.core.store import Transaction
from twintui.service import protocol


def wire(body: object) -> object:
    """What the other side reads: the body as JSON bytes and back."""
    return orjson.loads(orjson.dumps(body))


def again(error: TwintuiError) -> TwintuiError:
    status, body = protocol.error_reply(error)
    return protocol.error_of(wire(body), status)


def test_a_conflict_comes_back_with_both_versions_and_its_base() -> None:
    base = Arrangement(id="TW-NOR-0001", rev=1, reporting_state="NOR", title="Old", status="planned")
    mine = base.replace(title="Mine")
    theirs = base.replace(rev=2, title="Theirs", updated_by="nor-fp", updated_at="2026-07-01T10:00:00+00:00")
    raised = again(ConflictError(mine, theirs, base))
    assert isinstance(raised, ConflictError)
    assert (raised.mine, raised.theirs, raised.base) == (mine, theirs, base)
    assert raised.message == ConflictError(mine, theirs, base).message and raised.exit_code == 1
    deleted = again(ConflictError(mine, None))
    assert isinstance(deleted, ConflictError) and deleted.theirs is None and deleted.base is None


def test_a_validation_error_comes_back_with_its_problems() -> None:
    record = Arrangement(reporting_state="NOR", title="", status="planned")
    problems = [Problem("title", "", "is required"), Problem("start", "2026-13-01", "not a date", "warning")]
    raised = again(ValidationError(record, problems))
    assert isinstance(raised, ValidationError)
    assert raised.record == record and raised.problems == problems
    assert raised.message == ValidationError(record, problems).message


@pytest.mark.parametrize("error", [AccessError("nor-fp may not change arrangement TW-SWE-0001 of SWE"),
                                   NotFoundError("there is no arrangement TW-XXX-0001 in the store"),
                                   StoreError("the store is locked by another twintui process")])
def test_refusals_come_back_as_the_same_exception(error: TwintuiError) -> None:
    raised = again(error)
    assert type(raised) is type(error) and raised.message == error.message and raised.exit_code == error.exit_code


def test_another_error_keeps_its_exit_code() -> None:
    error = TwintuiError("something the user can fix")
    error.exit_code = 1
    raised = again(error)
    assert type(raised) is TwintuiError and raised.message == error.message and raised.exit_code == 1


def test_a_reply_the_client_cannot_read_is_a_store_error() -> None:
    for body in (None, {"error": "x"}, {"error": {"kind": "odd", "message": "m"}}, ["no"]):
        raised = protocol.error_of(body, 502)
        assert type(raised) is StoreError and "502" in raised.message
    broken = protocol.error_of({"error": {"kind": "conflict", "message": "m", "mine": {"table": "x"}}}, 409)
    assert type(broken) is StoreError and "conflict" in broken.message
    refused = protocol.error_of(wire(protocol.failure("unknown-route", "there is no GET /v1/x")[1]), 404)
    assert type(refused) is StoreError and refused.message.startswith("the store service refused the request")


def test_a_transaction_reaches_the_service_as_it_was_made() -> None:
    kept = Arrangement(id="TW-SWE-0001", rev=3, reporting_state="SWE", title="Kept", status="active")
    tx = Transaction("screen:register", backup=None)
    new = Arrangement(reporting_state="NOR", title="New", status="planned")
    tx.save(new)
    tx.save(Partner(name="Ministry", type="state", country="NOR", role="lead"), parent=new)
    tx.save(Partner(name="Under a stored one", type="state", country="SWE", role="lead"), parent=kept)
    tx.delete(kept)
    body = protocol.commit_request(tx)
    assert set(body) == {"source", "backup", "ops"}  # nothing that could name a user
    read = protocol.transaction_of(wire(body))
    assert read.source == "screen:register" and [op.kind for op in read.ops] == ["save", "save", "save", "delete"]
    assert [op.record for op in read.ops] == [new, tx.ops[1].record, tx.ops[2].record.replace(arrangement=kept.id),
                                              kept]
    assert read.ops[1].parent is read.ops[0].record  # the new arrangement whose id the partner takes
    assert read.ops[2].parent is None


def test_the_reply_fills_the_callers_transaction() -> None:
    tx = Transaction("test")
    tx.save(Arrangement(reporting_state="NOR", title="New", status="planned"))
    stored = Arrangement(id="TW-NOR-0007", rev=1, reporting_state="NOR", title="New", status="planned")
    done = Transaction("test")
    done.saved, done.deleted, done.txn = [stored], ["TW-NOR-0002"], 12
    protocol.take_reply(tx, wire(protocol.commit_reply(done)))  # type: ignore[arg-type]
    assert (tx.saved, tx.deleted, tx.txn) == ([stored], ["TW-NOR-0002"], 12)
    assert tx.result(tx.ops[0].record) == stored


def test_what_a_client_may_not_send_is_refused_before_sending() -> None:
    tx = Transaction("import")
    tx.note("import", record="nor.xlsx", sha256="0" * 64)
    with pytest.raises(StoreError, match="cannot be sent to the store service"):
        protocol.commit_request(tx)
    tx = Transaction("access")
    tx.effects.append(lambda: lambda: None)
    with pytest.raises(StoreError, match="nothing was changed"):
        protocol.commit_request(tx)


GOOD = {"kind": "save", "table": "arrangements", "parent": None,
        "doc": Arrangement(reporting_state="NOR", title="T", status="planned").to_doc()}


@pytest.mark.parametrize(("body", "said"), [
    ([], "must be a JSON object"),
    ({"source": "x", "ops": [], "user": "amina"}, "unknown field(s) 'user'"),
    ({"ops": []}, "missing source"),
    ({"source": "", "ops": []}, "source must be"),
    ({"source": "a\x1b[2Jb", "ops": []}, "source must be"),
    ({"source": "x", "backup": "../../etc", "ops": []}, "backup must be"),
    ({"source": "x", "ops": {}}, "ops must be a list"),
    ({"source": "x", "ops": [{**GOOD, "kind": "drop"}]}, "ops[0]: kind must be save or delete"),
    ({"source": "x", "ops": [{**GOOD, "table": "users"}]}, "ops[0]: there is no table 'users'"),
    ({"source": "x", "ops": [{**GOOD, "doc": {**GOOD["doc"], "start": 20260101}}]}, "field start"),
    ({"source": "x", "ops": [{**GOOD, "doc": "a record"}]}, "not a record"),
    ({"source": "x", "ops": [{**GOOD, "by": "amina"}]}, "ops[0]: unknown field(s) 'by'"),
    ({"source": "x", "ops": [GOOD, {"kind": "save", "table": "partners", "parent": 5,
                                    "doc": Partner(name="P").to_doc()}]}, "ops[1]: parent must be"),
    ({"source": "x", "ops": [GOOD, {**GOOD, "parent": 0}]}, "ops[1]: parent must be"),
])
def test_a_malformed_commit_is_refused_with_what_is_wrong(body: object, said: str) -> None:
    with pytest.raises(protocol.BadRequest) as refused:
        protocol.transaction_of(body)
    assert said in refused.value.message
    status, reply = protocol.error_reply(refused.value)
    assert status == 400 and reply["error"]["kind"] == "bad-request"
