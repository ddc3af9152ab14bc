"""Candidates from the register: its partners, offered once per name to the candidate picker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Arrangement, Partner, coerce, ids
from ..text import name_key


@dataclass(frozen=True)
class PartnerChoice:
    """A partner of the register offered as a candidate; ``ref`` is ``TW-XXX-NNNN/P-n``."""

    ref: str
    name: str  # the candidate name proposed: the country for a state, else the partner's name
    partner: str
    country: str
    arrangement: str

    @property
    def label(self) -> str:
        shown = self.partner if self.partner == self.name else f"{self.name} — {self.partner}"
        return f"{shown} · {self.ref}"

    def matches(self, text: str) -> bool:
        """Every typed word in the name, the partner's name or country (or the reference, typed as TW-...)."""
        words = text.casefold().split()
        haystack = f"{self.name} {self.partner} {self.country}".casefold()
        return all(w in haystack or (w.startswith("tw-") and w in self.ref.casefold()) for w in words)


def partner_choices(store: Any) -> list[PartnerChoice]:
    """Every partner in the register, once per name, for the candidate picker (by proposed name)."""
    titles = {doc.get("id"): str(doc.get("title", "")) for doc in store.docs(Arrangement)}
    seen: set[str] = set()
    choices = []
    docs = sorted(store.docs(Partner), key=lambda d: (str(d.get("arrangement")), ids.number_of(str(d.get("id")))))
    for doc in docs:
        partner = Partner.from_doc(doc)
        if name_key(partner.name) in seen or not partner.name:
            continue
        seen.add(name_key(partner.name))
        country = partner.country or ""
        name = partner.name
        if partner.type == "state" and country:
            name = coerce.country_name(country)
        choices.append(PartnerChoice(partner.key, name, partner.name, country,
                                     titles.get(partner.arrangement, "")))
    return sorted(choices, key=lambda c: (name_key(c.name), name_key(c.partner)))
