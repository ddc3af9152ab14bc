"""The domain model: records, vocabularies, parsing, validation and the merge of two versions (no I/O).

The register's records are in ``records``; the returns tracker's and exports' in ``returns``; the
progress a quarter's return reports (objectives, activities, spending) in ``progress``.
"""

from . import coerce, ids, vocab
from .fields import Field, Problem
from .records import META_FIELDS, Arrangement, Bookkeeping, Partner, Record, Risk, aims_at_capacity
from .validate import build, errors, validate

__all__ = [
    "META_FIELDS", "Arrangement", "Bookkeeping", "Field", "Partner", "Problem", "Record", "Risk",
    "aims_at_capacity", "build", "coerce", "errors", "ids", "validate", "vocab",
]
