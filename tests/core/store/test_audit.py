"""The audit log's hash chain: a log cut or edited by hand is found by `twintui check`."""

from __future__ import annotations

from pathlib import Path

from twintui.core.check import check_store

def test_a_cut_or_altered_log_is_detected(shared: Path) -> None:
    log = shared.with_name(shared.stem + ".audit.jsonl")
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:-1]))  # cut
    cut = check_store(shared)
    assert not cut.ok and any("the log was cut" in e for e in cut.errors), cut.errors
    at = next(n for n, line in enumerate(lines) if b"nor-fp" in line)
    log.write_bytes(b"".join(lines[:at]) + lines[at].replace(b"nor-fp", b"mallory") + b"".join(lines[at + 1:]))
    report = check_store(shared)
    assert any("edited" in e or "altered" in e for e in report.errors)
    log.write_bytes(b"".join(lines))
    assert check_store(shared).ok
