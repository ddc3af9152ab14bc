"""Run with the schema-1 twintui (git c3f38f8) on PYTHONPATH: a small store of that schema."""
import sys
from pathlib import Path
from twintui.core.store import Store, SCHEMA
from twintui.core.demo import guideline_examples
from twintui.core.mou.demo import norway_draft
from twintui.core.mou import versions

assert SCHEMA == 1
path = Path(sys.argv[1])
stamp = iter(f"2026-0{m}-01T09:00:00+00:00" for m in range(1, 10))
store = Store.open(path, user="amina", clock=lambda: next(stamp))
examples = guideline_examples()
norway = next(e for e in examples if e.arrangement.reporting_state == "NOR")
with store.transaction("demo") as tx:
    tx.save(norway.arrangement)
    for child in norway.partners:
        tx.save(child, parent=norway.arrangement)
    memo, arrangement = norway_draft(examples)
    tx.save(memo, parent=arrangement)
import datetime as dt
memo = versions.latest(store, "TW-NOR-0001")
memo = versions.set_status(store, memo, "agreed", today=dt.date(2025, 2, 3))
signed = versions.set_status(store, memo, "signed", today=dt.date(2025, 2, 10))
versions.new_version(store, signed)  # version 2, a draft with the same sections
print(path.stat().st_size)
