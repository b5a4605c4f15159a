"""Edits a workbook in a running LibreOffice through UNO, as a person would, and saves it.

Run by the *system* python3 (python3-uno does not work in a venv):
    python3 lo_edit.py PIPE_NAME IN.xlsx OUT.xlsx EDITS.json
EDITS is a list of {"sheet", "find" (a Name), then "set": {header: text} or "delete": true}.
Cells are typed with the cell API (setString/setValue), rows deleted with removeByIndex;
no dispatch commands (they crash a headless office).
"""

from __future__ import annotations

import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def _desktop(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(240):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:  # noqa: BLE001 - the office is still starting
            time.sleep(0.5)
    raise SystemExit("LibreOffice did not start")


def _find(sheet, header_row, header, text):
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    last_col = cursor.RangeAddress.EndColumn
    last_row = cursor.RangeAddress.EndRow
    col = next(
        c for c in range(last_col + 1) if sheet.getCellByPosition(c, header_row).String == header
    )
    return next(
        r
        for r in range(header_row + 1, last_row + 1)
        if sheet.getCellByPosition(col, r).String == text
    )


def _column(sheet, header):
    c = 0
    while sheet.getCellByPosition(c, 0).String != header:
        c += 1
    return c


def main(pipe, source, target, edits_file):
    desktop = _desktop(pipe)
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (_prop("Hidden", True),)
    )
    try:
        with open(edits_file) as handle:
            edits = json.load(handle)
        for item in edits:
            sheet = doc.Sheets.getByName(item["sheet"])
            row = _find(sheet, 0, "Name", item["find"])
            if item.get("delete"):
                sheet.Rows.removeByIndex(row, 1)
                continue
            for header, text in item.get("set", {}).items():
                sheet.getCellByPosition(_column(sheet, header), row).setString(text)
        doc.storeToURL(
            uno.systemPathToFileUrl(target), (_prop("FilterName", "Calc Office Open XML"),)
        )
    finally:
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
