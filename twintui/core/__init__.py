"""The pure core of twintui: model, store, workbook, matrix, MoU, risks, reports.

Nothing under this package imports textual; a test proves it.
"""
