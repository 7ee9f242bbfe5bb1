#!/usr/bin/env python3
"""Unit forms written by `baocao forms`, handled by real tools (tests/forms.rs).

  form_tool.py inspect FORM                       what openpyxl reads back, as JSON
  form_tool.py fill-openpyxl FORM VALUES OUT      filled and saved by openpyxl
  form_tool.py fill-libreoffice FORM VALUES OUT   opened, filled and saved by
                                                  LibreOffice (python3 with uno)

VALUES is a JSON file: {"figures": {"CODE": [plan, result, same period]},
"noi_dung": [[section, text]], "names": [preparer, head]}; a figure is a
number, "-" or null (left blank). Only the cells a unit may type in are
filled: rows whose code has figures, the narrative sheet, the two names.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

COMPUTED = "tự tính, không điền"
FIRST_ROW = 8  # 1-based: the table's first data row in a form


def inspect(path):
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["BaoCao"]
    dvs = list(ws.data_validations.dataValidation)

    def validation(coord):
        for dv in dvs:
            if coord in dv.sqref:
                return {
                    "type": dv.type,
                    "formula": dv.formula1,
                    "prompt_title": dv.promptTitle,
                    "prompt": dv.prompt,
                    "error_title": dv.errorTitle,
                    "error": dv.error,
                    "error_style": dv.errorStyle,
                    "show_error": bool(dv.showErrorMessage),
                    "show_prompt": bool(dv.showInputMessage),
                    "allow_blank": bool(dv.allow_blank),
                }
        return None

    rows = []
    for r in range(FIRST_ROW, ws.max_row + 1):
        code = ws.cell(r, 2).value
        if not code:
            continue
        cells = {}
        for col in "EFGH":
            c = ws[f"{col}{r}"]
            fill = c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else None
            cells[col] = {
                "locked": bool(c.protection.locked),
                "value": c.value,
                "fill": fill if isinstance(fill, str) else None,
                "validation": validation(f"{col}{r}"),
            }
        rows.append({"row": r, "code": code, "cells": cells})
    a6 = ws["A6"]
    ps = ws.page_setup
    nd = wb["NoiDung"]
    nd_dv = [
        {"type": dv.type, "formula": dv.formula1, "sqref": str(dv.sqref)}
        for dv in nd.data_validations.dataValidation
    ]
    help_ws = wb["Hướng dẫn"] if "Hướng dẫn" in wb.sheetnames else None
    out = {
        "sheets": wb.sheetnames,
        "protected": bool(ws.protection.sheet),
        "password": ws.protection.password,
        "help_protected": bool(help_ws.protection.sheet) if help_ws else None,
        "noi_dung_protected": bool(nd.protection.sheet),
        "top": [ws.cell(r, 1).value for r in range(1, 7)],
        "link": {"text": a6.value, "target": a6.hyperlink.target if a6.hyperlink else None},
        "rows": rows,
        "print": {
            "orientation": ps.orientation,
            "paper_size": ps.paperSize,
            "fit_to_width": ps.fitToWidth,
            "fit_to_height": ps.fitToHeight,
            "fit_to_page": bool(ws.sheet_properties.pageSetUpPr.fitToPage)
            if ws.sheet_properties.pageSetUpPr
            else False,
            "title_rows": ws.print_title_rows,
            "area": ws.print_area,
        },
        "unlocked": [
            c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked
        ],
        "noi_dung_validations": nd_dv,
        "noi_dung_list": [nd.cell(r, 4).value for r in range(2, nd.max_row + 1) if nd.cell(r, 4).value],
        "help": [c.value for c in help_ws["A"] if c.value] if help_ws else [],
        "help_link": next(
            (c.hyperlink.target for c in help_ws["A"] if c.hyperlink), None
        )
        if help_ws
        else None,
    }
    print(json.dumps(out, ensure_ascii=False, default=str))


def targets(read, values):
    """(sheet, row, col, value) to write, 1-based, from cell reader `read`."""
    figures = values.get("figures", {})
    out = []
    r = FIRST_ROW
    signature = None
    while r < FIRST_ROW + 2000:
        code, note, label = read("BaoCao", r, 2), read("BaoCao", r, 8), read("BaoCao", r, 3)
        if label == "Người lập biểu":
            signature = r
            break
        if code and note != COMPUTED and code in figures:
            for k, v in enumerate(figures[code]):
                if v is not None:
                    out.append(("BaoCao", r, 5 + k, v))
        r += 1
    if signature and values.get("names"):
        a, b = values["names"]
        out.append(("BaoCao", signature + 5, 3, a))
        out.append(("BaoCao", signature + 5, 6, b))
    for i, (muc, text) in enumerate(values.get("noi_dung", [])):
        out.append(("NoiDung", 2 + i, 1, muc))
        out.append(("NoiDung", 2 + i, 2, text))
    return out


def fill_openpyxl(form, values, out):
    import openpyxl

    wb = openpyxl.load_workbook(form)
    read = lambda s, r, c: wb[s].cell(r, c).value
    for sheet, r, c, v in targets(read, values):
        wb[sheet].cell(r, c).value = v
    wb.save(out)


def fill_libreoffice(form, values, out):
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    pipe = "baocao_form_%d" % os.getpid()
    profile = tempfile.mkdtemp(prefix="baocao-lo-")
    office = subprocess.Popen(
        [
            "soffice",
            "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        ctx = None
        for _ in range(1200):
            try:
                ctx = resolver.resolve(
                    "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe
                )
                break
            except NoConnectException:
                time.sleep(0.1)
        if ctx is None:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", ctx
        )
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(form)), "_blank", 0, (prop("Hidden", True),)
        )
        sheets = doc.Sheets

        def read(s, r, c):
            v = sheets.getByName(s).getCellByPosition(c - 1, r - 1).getString()
            return v or None

        for sheet, r, c, v in targets(read, values):
            cell = sheets.getByName(sheet).getCellByPosition(c - 1, r - 1)
            if isinstance(v, (int, float)):
                cell.setValue(v)
            else:
                cell.setString(v)
        doc.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(out)),
            (prop("FilterName", "Calc MS Excel 2007 XML"),),
        )
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
        office.wait(timeout=60)
    finally:
        if office.poll() is None:
            office.kill()
            office.wait()


def main():
    cmd = sys.argv[1]
    if cmd == "inspect":
        inspect(sys.argv[2])
        return
    with open(sys.argv[3], encoding="utf-8") as f:
        values = json.load(f)
    if cmd == "fill-openpyxl":
        fill_openpyxl(sys.argv[2], values, sys.argv[4])
    elif cmd == "fill-libreoffice":
        fill_libreoffice(sys.argv[2], values, sys.argv[4])
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main()
