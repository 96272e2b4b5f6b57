"""Checking publication records against the due dates: what was late, what is missing."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gongkai.csv_cells import csv_row
from gongkai.deadlines.calendar import WorkCalendar
from gongkai.deadlines.catalogue import (
    CHINA,
    Catalogue,
    ItemLimit,
    ListRef,
    NotFound,
    _looks_like_iri,
    parse_date,
    working_days_after,
)
from gongkai.deadlines.due import DueDate, due_date
from gongkai.errors import InputError
from gongkai.text import clean, key

#: header words of a records file, by column. English first; the Chinese forms are how
#: a spreadsheet kept by staff is likely to be headed.
COLUMNS: dict[str, tuple[str, ...]] = {
    "list": ("list", "list_iri", "清单", "清单iri", "清单目录"),
    "bureau": ("bureau", "机构", "单位", "责任单位", "公开主体"),
    "list_date": ("list_date", "清单日期"),
    "item": ("item", "number", "item_number", "序号", "事项序号"),
    "event_date": ("event_date", "event", "事件日期", "形成日期", "起算日期"),
    "published_date": ("published_date", "published", "publication_date", "公开日期", "发布日期"),
    "url": ("url", "page", "link", "网址", "链接", "公开网址"),
}


_HEADER = {key(w): col for col, words in COLUMNS.items() for w in words}


_LIST_AND_DATE = re.compile(r"^(?P<bureau>.+?)[\s,，/@|·]*"
                            r"(?P<date>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{8})$")


@dataclass
class PublicationRecord:
    """One row of a records file, as read (checked against the graph later)."""

    row: int
    list_text: str
    item: int
    event: dt.date
    published: dt.date | None = None
    published_at: dt.datetime | None = None   # when the record gives a time of day
    url: str | None = None
    bureau: str | None = None                  # from a separate bureau column
    list_date: str | None = None               # from a separate list_date column


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file ({exc.strerror or exc})") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # spreadsheets saved as CSV on Chinese Windows are GB18030 (GBK)
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(str(path), "neither UTF-8 nor GB18030 text (save the file as UTF-8)", row=line) from exc


def _published(text: str) -> tuple[dt.date, dt.datetime | None] | None:
    d = parse_date(text)
    if d is not None:
        return d, None
    try:
        t = dt.datetime.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=CHINA)
    return t.date(), t


def read_records(path: str | Path) -> tuple[list[PublicationRecord], list[InputError]]:
    """Read a records CSV: (records, errors of single rows). A file that cannot be read at
    all (encoding, no header, a missing column) raises ``InputError``."""
    path = Path(path)
    file = str(path)
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise InputError(file, f"not a readable CSV file ({exc})", row=reader.line_num) from exc
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r) and not r[0].lstrip().startswith("#")]
    if not rows:
        raise InputError(file, "the file has no rows")
    header_line, header = rows[0]
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        col = _HEADER.get(key(h))
        if col and col not in cols:
            cols[col] = i
    missing = [c for c in ("item", "event_date") if c not in cols]
    if "list" not in cols and "bureau" not in cols:
        missing.insert(0, "list")
    if missing:
        raise InputError(file, f"missing column(s) {', '.join(missing)}: the header must name "
                               "list (or bureau), item, event_date, published_date, url", row=header_line)
    records: list[PublicationRecord] = []
    errors: list[InputError] = []

    def cell(r: list[str], col: str) -> str:
        i = cols.get(col)
        return clean(r[i]) if i is not None and i < len(r) else ""

    for line, r in rows[1:]:
        list_text, bureau = cell(r, "list"), cell(r, "bureau")
        if not list_text and not bureau:
            errors.append(InputError(file, "no list: give the list IRI, or the bureau name and list date",
                                     row=line, cell="list"))
            continue
        num_text = cell(r, "item")
        number = int(num_text) if num_text.isdigit() else None
        if number is None or number < 1:
            errors.append(InputError(file, f"item must be a number, got {num_text!r}", row=line, cell="item"))
            continue
        ev_text = cell(r, "event_date")
        event = parse_date(ev_text)
        if event is None:
            errors.append(InputError(file, f"event_date is not a date: {ev_text!r} (expected YYYY-MM-DD)",
                                     row=line, cell="event_date"))
            continue
        pub_text = cell(r, "published_date")
        published = at = None
        if pub_text:
            got = _published(pub_text)
            if got is None:
                errors.append(InputError(file, f"published_date is not a date: {pub_text!r} "
                                               "(expected YYYY-MM-DD, or empty when not published)",
                                         row=line, cell="published_date"))
                continue
            published, at = got
        url = cell(r, "url") or None
        if url is not None and not _looks_like_iri(url):
            errors.append(InputError(file, f"url is not a web address: {url!r}", row=line, cell="url"))
            continue
        records.append(PublicationRecord(line, list_text, number, event, published, at, url,
                                         bureau or None, cell(r, "list_date") or None))
    return records, errors


Status = Literal["on-time", "late", "missing", "not-yet-due", "no-due-date"]


STATUSES: tuple[Status, ...] = ("on-time", "late", "missing", "not-yet-due", "no-due-date")


STATUS_LABELS: dict[str, tuple[str, str]] = {
    "on-time": ("按时公开", "on time"),
    "late": ("逾期公开", "late"),
    "missing": ("逾期未公开", "missing"),
    "not-yet-due": ("尚未到期", "not yet due"),
    "no-due-date": ("无法判定", "no due date"),
}


@dataclass
class CheckedRecord:
    """A record with its item, due date and verdict.

    ``working_days_late`` / ``calendar_days_late``: for ``late``, counted up to the
    publication date; for ``missing``, up to the day of the check; None otherwise.
    """

    record: PublicationRecord
    item: ItemLimit
    due: DueDate
    status: Status
    working_days_late: int | None = None
    calendar_days_late: int | None = None
    notes: list[str] = field(default_factory=list)

    def verdict(self, lang: str = "zh") -> str:
        zh = lang == "zh"
        label = STATUS_LABELS[self.status][0 if zh else 1]
        if self.status == "late":
            return (f"{label}，逾期{self.working_days_late}个工作日（{self.calendar_days_late}天）" if zh
                    else f"{label} by {self.working_days_late} working day{'s' * (self.working_days_late != 1)} "
                         f"({self.calendar_days_late} calendar day{'s' * (self.calendar_days_late != 1)})")
        if self.status == "missing":
            return (f"{label}，已逾期{self.working_days_late}个工作日" if zh
                    else f"{label}: overdue by {self.working_days_late} working "
                         f"day{'s' * (self.working_days_late != 1)}")
        if self.status == "no-due-date":
            return f"{label}：{self.due.reason_text(lang)}" if zh else f"{label}: {self.due.reason_text(lang)}"
        return label


_NOTES = {
    "provisional": ("截止日期暂定（节假日安排未公布）", "provisional due date (no published holiday arrangement)"),
    "before-event": ("公开日期早于事件日期，请核对", "published before the event date: please check"),
}


@dataclass
class CheckReport:
    """The results of a check, the rows that could not be checked, and the day it was made."""

    file: str
    as_of: dt.date
    results: list[CheckedRecord] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    sha256: str = ""

    def counts(self) -> dict[str, int]:
        c: dict[str, int] = dict.fromkeys(STATUSES, 0)
        for r in self.results:
            c[r.status] += 1
        c["error"] = len(self.errors)
        return c

    @property
    def exit_code(self) -> int:
        """0 nothing late or missing, 1 some late or missing, 2 rows in error."""
        if self.errors:
            return 2
        return 1 if any(r.status in ("late", "missing") for r in self.results) else 0

    def summary(self, lang: str = "zh") -> str:
        c = self.counts()
        zh = lang == "zh"
        parts = [f"{STATUS_LABELS[s][0 if zh else 1]} {c[s]}" for s in STATUSES if c[s]]
        if c["error"]:
            parts.append(f"错误 {c['error']}" if zh else f"errors {c['error']}")
        n = len(self.results) + len(self.errors)
        name = Path(self.file).name
        if zh:
            return f"{name}：{n}条记录，截至{self.as_of.isoformat()} — " + "，".join(parts)
        return f"{name}: {n} records as of {self.as_of.isoformat()} — " + ", ".join(parts)

    def text(self, lang: str = "zh") -> str:
        """Grouped by list (bureau and date) → item → records, errors last, then the summary."""
        zh = lang == "zh"
        lines: list[str] = []
        groups: dict[ListRef, dict[int, list[CheckedRecord]]] = {}
        for r in sorted(self.results, key=lambda r: (r.item.list.bureau, r.item.list.date or dt.date.min,
                                                       r.item.number, r.record.event, r.record.row)):
            groups.setdefault(r.item.list, {}).setdefault(r.item.number, []).append(r)
        for lst, items in groups.items():
            lines.append(lst.label())
            for number, recs in items.items():
                it = recs[0].item
                raw = it.limit.raw if it.limit else ""
                lines.append(f"  {number:>3} {it.title} — {raw}")
                if it.limit is not None and it.limit.exception_clause:
                    clause = it.limit.exception_clause
                    lines.append(f"      例外：{clause}" if zh else f"      exception (as written): {clause}")
                for r in recs:
                    rec = r.record
                    due = r.due.date.isoformat() if r.due.date else "—"
                    if r.due.provisional:
                        due += "（暂定）" if zh else " (provisional)"
                    pub = rec.published.isoformat() if rec.published else ("未公开" if zh else "not published")
                    lines.append(
                        f"      第{rec.row}行  事件 {rec.event.isoformat()}  截止 {due}  公开 {pub}  → "
                        f"{r.verdict(lang)}"
                         if zh else
                         f"      row {rec.row}  event {rec.event.isoformat()}  due {due}  published {pub}  → "
                         f"{r.verdict(lang)}")
                    lines.extend(f"          {_NOTES[n][0 if zh else 1]}" for n in r.notes if n != "provisional")
        if self.errors:
            lines.append("无法核查的记录：" if zh else "Records that could not be checked:")
            lines.extend(f"  {e}" for e in sorted(self.errors, key=lambda e: e.row or 0))
        lines.append(self.summary(lang))
        return "\n".join(lines)

    def rows(self, lang: str = "zh") -> list[dict[str, Any]]:
        """One flat dict per record (errors included), for JSON and CSV."""
        out: list[dict[str, Any]] = []
        for r in sorted(self.results, key=lambda r: r.record.row):
            rec, it = r.record, r.item
            out.append({
                "row": rec.row,
                "bureau": it.list.bureau,
                "list": it.list.iri,
                "list_date": it.list.date.isoformat() if it.list.date else None,
                "item": it.number,
                "item_iri": it.iri,
                "title": it.title,
                "time_limit": it.limit.raw if it.limit else None,
                "event_date": rec.event.isoformat(),
                "due_date": r.due.date.isoformat() if r.due.date else None,
                "provisional": r.due.provisional,
                "calendar_source": r.due.calendar_source,
                "published_date": rec.published.isoformat() if rec.published else None,
                "status": r.status,
                "status_label": STATUS_LABELS[r.status][0 if lang == "zh" else 1],
                "working_days_late": r.working_days_late,
                "calendar_days_late": r.calendar_days_late,
                "url": rec.url,
                "notes": [_NOTES[n][0 if lang == "zh" else 1] for n in r.notes],
                "caveats": r.due.caveats,
                "error": None,
            })
        out.extend({"row": e.row, "status": "error", "error": str(e), "cell": e.cell} for e in self.errors)
        out.sort(key=lambda d: d["row"] or 0)
        return out

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"file": Path(self.file).name, "sha256": self.sha256, "as_of": self.as_of.isoformat(),
                "counts": self.counts(), "records": self.rows(lang)}

    def json(self, lang: str = "zh") -> str:
        return json.dumps(self.as_dict(lang), ensure_ascii=False, indent=2)

    CSV_COLUMNS = ("row", "bureau", "list_date", "item", "title", "time_limit", "event_date", "due_date",
                   "provisional", "published_date", "status", "status_label", "working_days_late",
                   "calendar_days_late", "url", "notes", "caveats", "list", "error")

    def csv(self, lang: str = "zh") -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.CSV_COLUMNS)
        for d in self.rows(lang):
            vals = []
            for c in self.CSV_COLUMNS:
                v = d.get(c)
                if isinstance(v, list):
                    v = " | ".join(v)
                elif isinstance(v, bool):
                    v = "true" if v else "false"
                vals.append("" if v is None else str(v))
            w.writerow(csv_row(vals))
        return buf.getvalue()


def _resolve_record(catalogue: Catalogue, rec: PublicationRecord, file: str) -> ItemLimit:
    try:
        text = rec.list_text
        if rec.bureau is not None:
            lst = catalogue.resolve_list(rec.bureau, text or rec.list_date)
        elif _looks_like_iri(text):
            lst = catalogue.resolve_list(None, text)
        else:
            m = _LIST_AND_DATE.match(text)
            lst = (catalogue.resolve_list(m.group("bureau"), m.group("date")) if m
                   else catalogue.resolve_list(text, None))
    except NotFound as e:
        raise InputError(file, str(e), row=rec.row, cell="list") from None
    try:
        it = catalogue.item(lst, rec.item)
    except NotFound as e:
        raise InputError(file, str(e), row=rec.row, cell="item") from None
    if it.limit is None:
        raise InputError(file, f"{lst.label()} item {rec.item} ({it.title}) has no time limit",
                         row=rec.row, cell="item")
    return it


def check_records(records: Iterable[PublicationRecord], catalogue: Catalogue, *, today: dt.date,
                  calendar: WorkCalendar | None = None, file: str = "",
                  errors: Iterable[InputError] = ()) -> CheckReport:
    """Check each record against its item's time limit as of ``today``."""
    cal = calendar if calendar is not None else WorkCalendar()
    report = CheckReport(file=file, as_of=today, errors=list(errors))
    for rec in records:
        try:
            it = _resolve_record(catalogue, rec, file)
        except InputError as e:
            report.errors.append(e)
            continue
        assert it.limit is not None
        due = due_date(it.limit, rec.event, calendar=cal)
        notes: list[str] = ["provisional"] if due.provisional else []
        if rec.published is not None and rec.published < rec.event:
            notes.append("before-event")
        wd = cd = None
        if due.date is None:
            status: Status = "no-due-date"
        elif rec.published is not None:
            if rec.published <= due.date:
                status = "on-time"
            else:
                status = "late"
                wd = working_days_after(due.date, rec.published, cal)
                cd = (rec.published - due.date).days
        elif today > due.date:
            status = "missing"
            wd = working_days_after(due.date, today, cal)
            cd = (today - due.date).days
        else:
            status = "not-yet-due"
        report.results.append(CheckedRecord(rec, it, due, status, wd, cd, notes))
    return report


def check_file(path: str | Path, catalogue: Catalogue, *, today: dt.date,
               calendar: WorkCalendar | None = None) -> CheckReport:
    """Read a records CSV and check it (``InputError`` only for a file that cannot be read)."""
    path = Path(path)
    records, errors = read_records(path)
    report = check_records(records, catalogue, today=today, calendar=calendar, file=str(path), errors=errors)
    report.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return report
