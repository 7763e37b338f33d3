"""The fill-in workbook (填报工作簿): a budget file as Excel sheets, written and read back losslessly.

`write_workbook(budget_or_data, path)` writes it (`write.py`); `read_workbook(path)` reads it into a
`WorkbookSource` whose positions are sheet and cell (`read.py`); `layout.py` says where each field stands.
"""
from .read import WorkbookSource, read_workbook
from .write import WorkbookWriteError, budget_plain, write_workbook

__all__ = ["WorkbookSource", "read_workbook", "write_workbook", "budget_plain", "WorkbookWriteError"]
