"""The store: TinyDB on a durable, locked storage, with revisions, an audit log and backups."""

from .audit import AuditLog, Entry
from .location import default_path, resolve_path
from .store import SCHEMA, Store, Transaction, current_user

__all__ = ["SCHEMA", "AuditLog", "Entry", "Store", "Transaction", "current_user", "default_path", "resolve_path"]
