"""Rewrite the binary seeds of the fuzz suite: lists saved as publishers save them, by
LibreOffice (the contents made up: 示例县 is not a real county).

    .venv/bin/python tests/fuzz/seeds/regenerate.py

- ``ruled.pdf``: a Word list printed to PDF with its ruling lines: a heading and a 责任单位
  line above the table, a two-row header (公开对象 over 全社会 / 特定群体) repeated on the
  second page, a category merged over rows, check boxes, a note below;
- ``unruled.pdf``: a shorter list printed without lines: a category written across the
  columns, a page number at the foot;
- ``two-sheets-merged.xls``: ``tests/fixtures/formats/two-sheets-merged.xlsx`` saved as Excel 97–2003;
- ``xjbz-anquanshengchan.doc``: ``data/raw/xjbz-anquanshengchan.docx`` saved as Word 97–2003.

Needs LibreOffice (``soffice``) and the tests' makers (``tests/pdfmaker.py``, ``tests/office.py``).
"""

from __future__ import annotations

import itertools
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parents[1]
sys.path.insert(0, str(TESTS))

import office  # noqa: E402  (the tests' folder is put on the path above)
import pdfmaker  # noqa: E402

XLSX = TESTS / "fixtures" / "formats" / "two-sheets-merged.xlsx"
DOCX = pdfmaker.RAW / "xjbz-anquanshengchan.docx"

HEADING = ["示例县民政局政务公开事项目录", "责任单位：示例县民政局      填表时间：2024年3月1日"]
NOTE = "备注：公开渠道请在方框内打√，本目录自印发之日起施行。"
TOP = ["序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开渠道和载体", "公开对象", ""]
SUB = ["", "", "", "", "", "", "", "全社会", "特定群体"]
SUBJECTS = ["低保对象认定", "特困人员认定", "临时救助", "养老机构备案", "高龄津贴发放", "残疾人两项补贴",
            "婚姻登记", "收养登记", "殡葬服务", "社会组织登记", "慈善组织认定", "地名命名"]


def _rows(n: int) -> list[list[str]]:
    """``n`` items of made-up content: a category every four, citations, time limits, marks."""
    rows = []
    for i in range(n):
        subject = SUBJECTS[i % len(SUBJECTS)] + ("" if i < len(SUBJECTS) else f"（{i // len(SUBJECTS) + 1}）")
        rows.append([str(i + 1), ["社会救助", "养老服务", "社会事务"][i // 4 % 3] if i % 4 == 0 else "", subject,
                     "申请条件、办理流程、办理结果" if i % 2 else "政策文件\n办理指南",
                     f"《社会救助暂行办法》第{i + 3}条；《政府信息公开条例》第二十条",
                     "信息形成或变更之日起20个工作日内" if i % 3 else "实时",
                     "☑政府网站 □政务新媒体 ☑公开查阅点" if i % 2 else "■政府网站 □两微一端",
                     "√" if i % 5 else "", "" if i % 5 else "√"])
    return rows


def _list_docx(out: Path, rows: list[list[str]], *, spanning: str | None = None) -> Path:
    """A Word list: the heading, the table (two header rows, each category merged over its
    items, or ``spanning`` written across the columns after the header), the note."""
    import docx

    d = docx.Document()
    for line in HEADING:
        d.add_paragraph(line)
    body = [*rows[:1], [spanning, *[""] * (len(TOP) - 1)], *rows[1:]] if spanning else rows
    t = d.add_table(rows=2 + len(body), cols=len(TOP))
    t.style = "Table Grid"
    for j, (top, sub) in enumerate(zip(TOP, SUB, strict=True)):
        t.cell(0, j).text = top
        t.cell(1, j).text = sub
    for j in range(7):
        t.cell(0, j).merge(t.cell(1, j))
    t.cell(0, 7).merge(t.cell(0, 8)).text = "公开对象"
    for i, row in enumerate(body, start=2):
        if row[0] == spanning:
            t.cell(i, 0).merge(t.cell(i, len(TOP) - 1)).text = spanning
            continue
        for j, v in enumerate(row):
            if v:
                t.cell(i, j).text = v
    if not spanning:
        starts = [i for i, row in enumerate(body, start=2) if row[1]] + [2 + len(body)]
        for a, b in itertools.pairwise(starts):
            if b - a > 1:
                t.cell(a, 1).merge(t.cell(b - 1, 1))
    d.add_paragraph(NOTE)
    d.core_properties.title = HEADING[0]
    d.core_properties.author = "示例县民政局办公室"
    d.core_properties.subject = "政务公开事项目录"
    d.save(str(out))
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ruled = pdfmaker.print_ready_docx(_list_docx(work / "ruled-source.docx", _rows(24)), work / "ruled.docx",
                                          borders=True)
        source = _list_docx(work / "unruled-source.docx", _rows(6), spanning="一、社会救助类事项")
        unruled = pdfmaker.print_ready_docx(source, work / "unruled.docx", borders=False, footer="第 1 页")
        for pdf in pdfmaker.soffice([ruled, unruled], work / "pdf"):
            shutil.copy(pdf, HERE / pdf.name)
        shutil.copy(office.to_xls(XLSX, work / "xls"), HERE / "two-sheets-merged.xls")
        shutil.copy(office.to_doc(DOCX, work / "doc"), HERE / "xjbz-anquanshengchan.doc")
    for p in sorted(HERE.glob("*.*")):
        if p.suffix != ".py":
            print(f"{p.name:32} {p.stat().st_size:8,} bytes")


if __name__ == "__main__":
    main()
