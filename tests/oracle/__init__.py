"""An independent oracle for the published package (issue 9).

A second, small computation of every table's expected figures straight from the input file in 元
(`inputs`, `figures`, `classes`), matched to the printed tables by key, header labels and row
codes / units / projects / labels (`tables`, `perf`), to the 说明 by the words next to each number
(`narrative`), and to the written .xlsx / PDF (`outputs`). It imports nothing of discloser's
derived layer (facts, tables, money, narrative, rules): only the public pipeline that produces the
package is used by the tests, and only the Document's public attributes are read.

`check_document(data, doc, profile)` returns the `Finding`s, each tagged with the defect class of
issue 9 (`report.CLASSES`).
"""
from .check import check_document, check_workbook
from .outputs import check_pdf, pdf_text
from .report import CLASSES, Finding, summarize

__all__ = ["check_document", "check_workbook", "check_pdf", "pdf_text", "Finding", "CLASSES", "summarize"]
