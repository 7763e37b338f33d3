"""The fill-in workbook (填报工作簿): a budget file as Excel sheets, written and read back losslessly.

`write_workbook(budget_or_data, path)` writes it (`write.py`); `read_workbook(path)` reads it into a
`WorkbookSource` whose positions are sheet and cell (`read.py`); `layout.py` says where each field stands.
The names load their module on first use: openpyxl (and the numpy it imports) costs ≈ 0.2 s, which
`validate` of a YAML file, reaching `wording.py` through this package, should not pay.
"""
from importlib import import_module

_WHERE = {"WorkbookSource": "read", "read_workbook": "read",
          "write_workbook": "write", "budget_plain": "write", "WorkbookWriteError": "write"}

__all__ = list(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
