"""Memoranda in the store: start one, save sections, move a version draft → agreed → signed.

Every change is one store transaction (revisions checked, audit logged). The
rules of the versions:

- version 1 is a draft started from the arrangement (its title, objectives,
  partners, funding and dates fill the first sections);
- a draft is agreed, then signed; an agreed version can be reopened as a draft;
- a signed version is frozen: its partners, risks and arrangement are copied
  into it, and saving changes to it starts the next version as a draft;
- changing an agreed version makes it a draft again (the partners agree again);
- only the latest version changes status or is edited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import listing
from ..errors import ConflictError, NotFoundError, TwintuiError
from ..model import Arrangement, Partner, Risk
from .model import Memorandum, Objective, Role, Sections, version_id

if TYPE_CHECKING:
    from ..store import Store

SOURCE_SCREEN = "screen:mou"

# The next statuses a version may take from each status.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {"draft": ("agreed",), "agreed": ("signed", "draft"), "signed": ()}


class MouError(TwintuiError):
    """A change the versions' rules do not allow (nothing was written)."""

    exit_code = 1


@dataclass
class Document:
    """One version with everything its sections draw on: the arrangement, partners (1) and risks (9)."""

    memorandum: Memorandum
    arrangement: Arrangement
    partners: list[Partner]
    risks: list[Risk]

    @property
    def sections(self) -> Sections:
        return self.memorandum.sections()

    def with_sections(self, sections: Sections) -> Document:
        """The same document holding other sections (what the editor shows before saving)."""
        return Document(self.memorandum.with_sections(sections), self.arrangement, self.partners, self.risks)


def snapshot(arrangement: Arrangement, partners: list[Partner], risks: list[Risk]) -> dict[str, Any]:
    """What a signature freezes: the arrangement, its partners and its risk register as they are."""
    return {"arrangement": arrangement.to_doc(), "partners": [p.to_doc() for p in partners],
            "risks": [r.to_doc() for r in risks]}


def document_of(memo: Memorandum, arrangement: Arrangement, partners: list[Partner], risks: list[Risk]) -> Document:
    """The document of a version: a signed one reads its frozen copy, never today's records."""
    frozen = memo.frozen if memo.status == "signed" else None
    if frozen:
        arrangement = Arrangement.from_doc(frozen.get("arrangement") or arrangement.to_doc())
        partners = [Partner.from_doc(doc) for doc in frozen.get("partners") or []]
        risks = [Risk.from_doc(doc) for doc in frozen.get("risks") or []]
    return Document(memo, arrangement, partners, risks)


# -- reading ----------------------------------------------------------------------
def versions_of(store: Store, arrangement_id: str) -> list[Memorandum]:
    """An arrangement's MoU versions, oldest first."""
    return sorted(store.children(Memorandum, arrangement_id), key=lambda m: m.version)


def latest(store: Store, arrangement_id: str) -> Memorandum | None:
    found = versions_of(store, arrangement_id)
    return found[-1] if found else None


def every_version(store: Store) -> list[Memorandum]:
    """Every version of every memorandum, by arrangement then version."""
    memos = [Memorandum.from_doc(doc) for doc in store.docs(Memorandum)]
    return sorted(memos, key=lambda m: (m.arrangement, m.version))


def require_arrangement(store: Store, arrangement_id: str) -> Arrangement:
    found = store.get(Arrangement, arrangement_id.strip())
    if found is None:
        raise NotFoundError(f"there is no arrangement {arrangement_id} in the store")
    return found


def load(store: Store, arrangement_id: str, version: int | None = None) -> Document:
    """The document of a version (the latest when ``version`` is None), with clear errors."""
    arrangement = require_arrangement(store, arrangement_id)
    found = versions_of(store, arrangement.id)
    if not found:
        raise NotFoundError(f"{arrangement.id} has no memorandum of understanding yet (start one on screen 3)")
    if version is None:
        memo = found[-1]
    else:
        memo = next((m for m in found if m.version == version), None)  # type: ignore[assignment]
        if memo is None:
            have = ", ".join(str(m.version) for m in found)
            raise NotFoundError(f"{arrangement.id} has no MoU version {version} (versions: {have})")
    return document_of(memo, arrangement, store.children(Partner, arrangement.id),
                       store.children(Risk, arrangement.id))


def refresh(store: Store, document: Document) -> Document:
    """The same version as stored now, with today's partners and risks."""
    return load(store, document.arrangement.id, document.memorandum.version)


# -- starting -----------------------------------------------------------------------
def _person(contact: str) -> str:
    """'Ingrid Hansen, ingrid@udi.no' → 'Ingrid Hansen'; an e-mail alone names nobody."""
    first = contact.split(",")[0].strip()
    return "" if "@" in first else first


def first_draft(arrangement: Arrangement, partners: list[Partner]) -> Sections:
    """Sections filled from what the register already says about the arrangement."""
    objectives = [part.strip() for part in arrangement.objectives.replace("\n", ";").split(";") if part.strip()]
    sections = Sections(
        title=f"General agreement for cooperation and exchange: {arrangement.title}".strip(": "),
        context=arrangement.learning_gap,
        start=arrangement.start,
        end=arrangement.end,
        objectives=[Objective(text=text) for text in objectives],
        outcomes=arrangement.outcomes,
        roles=[Role(party=p.name, person=_person(p.contact), overall=p.role == "lead") for p in partners],
    )
    sections.funding.source = arrangement.funding_source
    sections.funding.amount = arrangement.funding_amount
    sections.funding.currency = arrangement.currency or ""
    return sections


def start(store: Store, arrangement_id: str, source: str = SOURCE_SCREEN) -> Memorandum:
    """Version 1, a draft filled from the arrangement; refused when the arrangement has an MoU."""
    arrangement = require_arrangement(store, arrangement_id)
    existing = latest(store, arrangement.id)
    if existing is not None:
        raise MouError(f"{arrangement.id} already has an MoU ({existing.label}); open it instead")
    memo = Memorandum(id=version_id(1), arrangement=arrangement.id, version=1, status="draft")
    memo = memo.with_sections(first_draft(arrangement, store.children(Partner, arrangement.id)))
    return store.save(memo, source)


def _check_latest(store: Store, memo: Memorandum) -> None:
    last = latest(store, memo.arrangement)
    if last is not None and last.version > memo.version:
        raise MouError(f"{memo.arrangement} version {memo.version} is followed by version {last.version}; "
                       f"open version {last.version} instead")


# -- changing -----------------------------------------------------------------------
def new_version(store: Store, memo: Memorandum, sections: Sections | None = None,
                source: str = SOURCE_SCREEN) -> Memorandum:
    """The next version, a draft, with ``memo``'s sections (or ``sections``).

    When someone else started that version meanwhile, ConflictError carries both
    drafts (the screen lets the user merge them); the store checks it again
    under its lock, so two officials starting it at the same moment conflict too.
    """
    number = memo.version + 1
    draft = Memorandum(id=version_id(number), arrangement=memo.arrangement, version=number, status="draft",
                       based_on=memo.version)
    draft = draft.with_sections(sections if sections is not None else memo.sections())
    last = latest(store, memo.arrangement)
    if last is not None and last.version == number:
        raise ConflictError(draft, last)
    _check_latest(store, memo)
    return store.save(draft, source)


def save(store: Store, memo: Memorandum, sections: Sections, source: str = SOURCE_SCREEN) -> Memorandum:
    """Save ``sections`` into ``memo`` as it was read (its ``rev``); returns the version written.

    A signed version is not changed: the sections become the next version, a
    draft. An agreed version that changes becomes a draft again.
    """
    if memo.status == "signed":
        return new_version(store, memo, sections, source)
    changed = memo.with_sections(sections)
    if memo.status == "agreed" and not memo.same_sections(sections):
        changed = changed.replace(status="draft", agreed_on=None)
    return store.save(changed, source)


def save_note(memo: Memorandum, stored: Memorandum) -> str:
    """What a save of ``memo`` did, as ``save`` returned ``stored``: one line for the user."""
    if stored.version != memo.version:
        return (f"Version {memo.version} is signed and stays as it was: your changes are version "
                f"{stored.version}, a draft")
    if memo.status == "agreed" and stored.status == "draft":
        return f"Saved version {stored.version}: it is a draft again, to be agreed by the partners"
    return f"Saved {memo.arrangement} MoU version {stored.version}"


def set_status(store: Store, memo: Memorandum, status: str, today: dt.date | None = None,
               source: str = SOURCE_SCREEN) -> Memorandum:
    """Move a version to ``status`` (draft → agreed → signed, agreed → draft)."""
    today = today or dt.date.today()
    allowed = NEXT_STATUSES.get(memo.status, ())
    if status not in allowed:
        if memo.status == "signed":
            raise MouError(f"{memo.arrangement} {memo.label} is signed and frozen; edit it to start a new version")
        if status == "signed":
            raise MouError(f"{memo.arrangement} {memo.label} must be agreed before it is signed")
        raise MouError(f"{memo.arrangement} {memo.label} cannot become {status}")
    _check_latest(store, memo)
    changes: dict[str, Any] = {"status": status}
    if status == "agreed":
        changes["agreed_on"] = today
    elif status == "draft":
        changes["agreed_on"] = None
    elif status == "signed":
        changes["signed_on"] = today
        arrangement = require_arrangement(store, memo.arrangement)
        changes["frozen"] = snapshot(arrangement, store.children(Partner, arrangement.id),
                                     store.children(Risk, arrangement.id))
    return store.save(memo.replace(**changes), source)


def status_question(memo: Memorandum, status: str, open_points: list[str] | None = None) -> str:
    """What the user confirms before a status change, with what is still open (``CheckReport.open_points``)."""
    name = f"{memo.arrangement} MoU {memo.label}"
    if status == "agreed":
        question = f"Mark {name} as agreed by all partners? Changing it afterwards makes it a draft again."
    elif status == "signed":
        question = (f"Mark {name} as signed? A signed version is frozen with today's partners and risks; any "
                    f"later change starts version {memo.version + 1} as a draft.")
    else:
        return f"Reopen {name} as a draft? The partners will need to agree it again."
    if open_points:
        still = "\n".join(f"  • {point}" for point in open_points)
        question += f"\n\nStill open in this version:\n{still}\n\nMark it {status} all the same?"
    return question


# -- the arrangements, with their MoU, for a picker ------------------------------------
@dataclass(frozen=True)
class ArrangementRow:
    """One arrangement with the state of its MoU (the latest version), for the MoU screen's list."""

    id: str
    state: str
    title: str
    version: int | None
    status: str
    haystack: str  # lower-case text the filter searches

    @property
    def mou(self) -> str:
        return f"v{self.version} {self.status}" if self.version else "—"


def overview(store: Store) -> list[ArrangementRow]:
    """Every arrangement, those with an MoU first, each by id (read from the documents, fast)."""
    latest_of: dict[str, tuple[int, str]] = {}
    for doc in store.docs(Memorandum):
        version = int(doc.get("version") or 0)
        key = str(doc.get("arrangement", ""))
        if version >= latest_of.get(key, (0, ""))[0]:
            latest_of[key] = (version, str(doc.get("status", "")))
    rows = []
    for doc in store.docs(Arrangement):
        arrangement_id = str(doc.get("id", ""))
        version, status = latest_of.get(arrangement_id, (None, ""))
        title = str(doc.get("title", ""))
        state = str(doc.get("reporting_state", ""))
        rows.append(ArrangementRow(arrangement_id, state, title, version, status,
                                   f"{arrangement_id} {state} {title} {status}".casefold()))
    return sorted(rows, key=lambda r: (r.version is None, r.id))


# (key, header) of the picker's columns. Sorted by MoU, the order it opens in, those with an MoU come first;
# rows equal by a column keep the order by id.
PICKER_COLUMNS: tuple[tuple[str, str], ...] = (("id", "ID"), ("state", "State"), ("title", "Title"), ("mou", "MoU"))
_PICKER: listing.Listing[ArrangementRow, listing.TextFilter] = listing.Listing(facets={}, text=lambda r: r.haystack)
_SORT_KEYS: dict[str, listing.SortKey[ArrangementRow]] = {
    "id": lambda r: r.id,
    "state": lambda r: r.state,
    "title": lambda r: r.title.casefold(),
    "mou": lambda r: r.version is None,
}


def filter_rows(rows: list[ArrangementRow], text: str, sort: str = "mou",
                descending: bool = False) -> list[ArrangementRow]:
    """The rows whose id, state, title or MoU status hold every word of ``text``, sorted by the column ``sort``."""
    return _PICKER.query(rows, listing.TextFilter(text), _SORT_KEYS[sort], descending, then=((lambda r: r.id, False),))
