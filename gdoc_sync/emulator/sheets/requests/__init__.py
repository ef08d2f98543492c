"""spreadsheets.batchUpdate requests, one module per kind; importing this package registers every
handler in `registry`."""

from gdoc_sync.emulator.sheets.requests import (
    cells,
    charts,
    dimensions,
    filters,
    groups,
    paste,
    ranges,
    sheets,
)

__all__ = ["cells", "charts", "dimensions", "filters", "groups", "paste", "ranges", "sheets"]
