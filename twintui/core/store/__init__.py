"""The store: TinyDB on a durable, locked storage, with revisions, an audit log and backups."""

from .audit import AuditLog, Entry
from .identity import current_user
from .location import default_path, resolve_path
from .schema import SCHEMA
from .store import Store
from .transaction import Transaction

__all__ = ["SCHEMA", "AuditLog", "Entry", "Store", "Transaction", "current_user", "default_path", "resolve_path"]
