"""Edit a workbook in a running LibreOffice Calc the way a person would, then save it.

Run with the SYSTEM python3 (python3-uno imports only there, never in a venv):

    /usr/bin/python3 calc_edit.py PIPE_NAME IN.xlsx OUT.(xlsx|pdf) EDITS.json

EDITS.json is a list of steps. Cells are found the way a person finds them: a
sheet by its tab name, a column by its header text in row 1, a row by the text
a cell of it shows. Every value goes in through the cell API (setString,
setValue, setFormula: what typing into a cell does); no `.uno:` dispatch
command is used, because those crash a headless office. A step that cannot be
done (no such header, a value that is not in the cell's dropdown) exits with
status 3 and one line on stderr, so the test says what went wrong.

Steps ("where" is {"column": HEADER, "is": SHOWN TEXT}):
    {"do": "type", "sheet", "where", "column", "text"}       typed as a person types (setFormula)
    {"do": "text", "sheet", "where", "column", "text"}       typed as text (setString)
    {"do": "number", "sheet", "where", "column", "value"}    setValue
    {"do": "choose", "sheet", "where", "column", "text"}     a value from the cell's dropdown
    {"do": "add_row", "sheet", "cells": {HEADER: TEXT}}      below the last row, typed
    {"do": "delete_row", "sheet", "where"}
    {"do": "sort", "sheet", "column", "descending": bool}    the data rows, header kept (XSortable)
    {"do": "comment", "sheet", "where", "column", "text"}
    {"do": "new_sheet", "name", "rows": [[TEXT, ...], ...]}
An empty list re-saves the file unchanged.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.table import CellAddress

FILTERS = {".xlsx": "Calc MS Excel 2007 XML", ".pdf": "calc_pdf_Export"}


class StepError(Exception):
    """An edit that cannot be made as written."""


def _props(**values):
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


def _connect(pipe: str):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    import time

    deadline = time.monotonic() + 60
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def _sheet(doc, name: str):
    sheets = doc.getSheets()
    if not sheets.hasByName(name):
        raise StepError(f"no sheet {name!r} (sheets: {', '.join(sheets.getElementNames())})")
    return sheets.getByName(name)


def _used_rows(sheet) -> int:
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    return cursor.getRangeAddress().EndRow + 1


def _column(sheet, header: str) -> int:
    for index in range(256):
        text = sheet.getCellByPosition(index, 0).getString()
        if text == header:
            return index
        if not text and index > 60:
            break
    raise StepError(f"no column {header!r} on {sheet.getName()}")


def _row(sheet, where: dict) -> int:
    column = _column(sheet, where["column"])
    for row in range(1, _used_rows(sheet)):
        if sheet.getCellByPosition(column, row).getString() == where["is"]:
            return row
    raise StepError(f"no row with {where['column']} {where['is']!r} on {sheet.getName()}")


def _last_data_row(sheet) -> int:
    """The last row with anything in column A (the ID) or B (the name)."""
    last = 0
    for row in range(1, _used_rows(sheet)):
        if any(sheet.getCellByPosition(c, row).getString() for c in (0, 1)):
            last = row
    return last


def _cell(doc, step: dict):
    sheet = _sheet(doc, step["sheet"])
    return sheet.getCellByPosition(_column(sheet, step["column"]), _row(sheet, step["where"]))


def _dropdown(cell) -> list[str]:
    validation = cell.getPropertyValue("Validation")
    formula = validation.getFormula1()
    # A list typed into the validation is stored as "a";"b";"c".
    return [part.strip().strip('"') for part in formula.split(";")] if formula else []


def _choose(doc, step: dict) -> None:
    cell = _cell(doc, step)
    allowed = _dropdown(cell)
    if step["text"] not in allowed:
        raise StepError(f"{step['text']!r} is not in the dropdown of {step['column']}: {allowed}")
    cell.setString(step["text"])


def _add_row(doc, step: dict) -> None:
    sheet = _sheet(doc, step["sheet"])
    row = _last_data_row(sheet) + 1
    for header, text in step["cells"].items():
        sheet.getCellByPosition(_column(sheet, header), row).setFormula(text)


def _delete_row(doc, step: dict) -> None:
    sheet = _sheet(doc, step["sheet"])
    sheet.getRows().removeByIndex(_row(sheet, step["where"]), 1)


def _sort(doc, step: dict) -> None:
    sheet = _sheet(doc, step["sheet"])
    column = _column(sheet, step["column"])
    width = 0
    while sheet.getCellByPosition(width, 0).getString():
        width += 1
    area = sheet.getCellRangeByPosition(0, 0, width - 1, _last_data_row(sheet))
    field = uno.createUnoStruct("com.sun.star.table.TableSortField")
    field.Field = column
    field.IsAscending = not step.get("descending", False)
    field.IsCaseSensitive = False
    descriptor = _props(
        SortFields=uno.Any("[]com.sun.star.table.TableSortField", (field,)),
        ContainsHeader=True,
    )
    uno.invoke(area, "sort", (descriptor,))


def _comment(doc, step: dict) -> None:
    cell = _cell(doc, step)
    address = cell.getCellAddress()
    sheet = _sheet(doc, step["sheet"])
    sheet.getAnnotations().insertNew(
        CellAddress(address.Sheet, address.Column, address.Row), step["text"]
    )


def _new_sheet(doc, step: dict) -> None:
    sheets = doc.getSheets()
    sheets.insertNewByName(step["name"], sheets.getCount())
    sheet = sheets.getByName(step["name"])
    for r, row in enumerate(step["rows"]):
        for c, text in enumerate(row):
            sheet.getCellByPosition(c, r).setString(text)


def _apply(doc, step: dict) -> None:
    action = step["do"]
    if action == "type":
        _cell(doc, step).setFormula(step["text"])
    elif action == "text":
        _cell(doc, step).setString(step["text"])
    elif action == "number":
        _cell(doc, step).setValue(step["value"])
    elif action == "choose":
        _choose(doc, step)
    elif action == "add_row":
        _add_row(doc, step)
    elif action == "delete_row":
        _delete_row(doc, step)
    elif action == "sort":
        _sort(doc, step)
    elif action == "comment":
        _comment(doc, step)
    elif action == "new_sheet":
        _new_sheet(doc, step)
    else:
        raise StepError(f"unknown step {action!r}")


def main(pipe: str, source: str, target: str, edits_file: str) -> int:
    steps = json.loads(Path(edits_file).read_text(encoding="utf-8"))
    desktop = _connect(pipe)
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(str(Path(source).resolve())), "_blank", 0, _props(Hidden=True)
    )
    if doc is None:
        print(f"LibreOffice could not open {source}", file=sys.stderr)
        return 2
    try:
        for number, step in enumerate(steps, 1):
            try:
                _apply(doc, step)
            except StepError as exc:
                print(f"step {number} ({step['do']}): {exc}", file=sys.stderr)
                return 3
        out = Path(target).resolve()
        doc.storeToURL(
            uno.systemPathToFileUrl(str(out)), _props(FilterName=FILTERS[out.suffix.lower()])
        )
    finally:
        doc.close(True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
