"""The warehouse: `Warehouse` (warehouse/store.py) is the front door for flows and the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warehouse.db import WarehouseBusy, WarehouseMissing
    from warehouse.store import Warehouse

__all__ = ["Warehouse", "WarehouseBusy", "WarehouseMissing"]


def __getattr__(name: str) -> Any:
    """Exported lazily: the dashboard imports warehouse.queries without the load machinery."""
    if name == "Warehouse":
        from warehouse.store import Warehouse

        return Warehouse
    if name in ("WarehouseBusy", "WarehouseMissing"):
        from warehouse import db

        return getattr(db, name)
    raise AttributeError(f"module 'warehouse' has no attribute {name!r}")
