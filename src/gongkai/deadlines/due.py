"""Due dates: when a time limit falls due, on the Chinese working-day calendar, explained."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from gongkai.deadlines.calendar import STATUTORY_LAW, STATUTORY_SINCE, STATUTORY_SOURCE, Day, WorkCalendar, weekday_name
from gongkai.fields.timelimits import counts_back, implausible_amount, plausible
from gongkai.model import TimeLimit

Method = Literal["working-days", "calendar-days", "months", "annual", "none"]


StepRole = Literal["counted", "skipped", "end", "due", "last-workday"]


#: why a time limit has no date (``DueDate.reason``), in both languages. ``{…}`` fields
#: are filled from the time limit.
REASONS: dict[str, tuple[str, str]] = {
    "immediate": ("实时公开，没有截止日期", "published in real time: there is no due date"),
    "timely": ("及时公开，没有固定的截止日期", "to be published promptly: there is no fixed due date"),
    "synchronous": ("与相关文件同步公开，日期随该文件而定",
                    "published together with another document: that document's date decides"),
    "periodic": ("按频次更新（{frequency}），没有单一的截止日期",
                 "updated at a frequency ({frequency}): there is no single due date"),
    "permanent": ("长期公开，没有截止日期", "kept public permanently: there is no due date"),
    "unparsed": ("时限未能识别：{raw}", "the time limit was not understood: {raw}"),
    "implausible": ("时限不合理：{raw}（超过十年，即3650日、120个月或10年）",
                    "not a plausible time limit: {raw} (more than ten years: 3650 days, 120 months or 10 years)"),
    "missing-event": ("需要事件（{trigger}）的日期才能计算", "the date of the event ({trigger}) is needed"),
    "missing-year": ("需要年份或事件日期才能计算", "a year or an event date is needed"),
    "incomplete-limit": ("时限缺少数量或单位：{raw}", "the time limit lacks an amount or a unit: {raw}"),
    "invalid-annual-date": ("每年的截止日期不存在：{month}月{day}日", "the yearly date does not exist: {month}/{day}"),
    "out-of-range": ("日期超出可计算的范围", "the date is out of the computable range"),
    "before-event": ("时限是事件之前的期间（{raw}），不从事件日向后计算；请按事件日期向前推算",
                     ("the time limit is a period before the event ({raw}), not after it: count back "
                      "from the event date")),
}


#: trigger events (model.Trigger) as a reader understands them.
TRIGGERS: dict[str, tuple[str, str]] = {
    "formed-or-changed": ("信息形成或变更之日", "the information is created or changed"),
    "formed": ("信息形成之日", "the information is created"),
    "document-issued": ("文件印发", "the document is issued"),
    "fiscal-approval": ("财政部门批复", "the finance department's approval"),
    "approval": ("批准", "approval"),
    "obtained": ("制作或获取信息之日", "the information is made or obtained"),
    "received": ("收到或受理", "receipt"),
}


_CIVIL_CODE_START = ("《民法典》第二百零一条", "Civil Code art. 201")


_CIVIL_CODE_MOVE = ("《民法典》第二百零三条", "Civil Code art. 203")


@dataclass(frozen=True)
class Step:
    """One day in the reasoning and the part it plays.

    counted      — a working day counted, ``ordinal`` 1…N
    skipped      — a rest day or holiday passed over
    end          — the last day of a calendar-day period, when it is a rest day
    due          — the due date (for calendar days, months and yearly dates)
    last-workday — for a yearly date on a rest day: the last working day before it
    """

    day: Day
    role: StepRole
    ordinal: int | None = None

    @property
    def date(self) -> dt.date:
        return self.day.date


@dataclass
class Explanation:
    """How the date was found: the method, the event, the days looked at, and notes.

    ``notes`` are keys: ``moved-to-next-workday``, ``clamped-to-month-end``,
    ``fixed-date-on-rest-day``, ``next-occurrence``, ``earliest-of-parts``.
    """

    method: Method = "none"
    event: dt.date | None = None
    amount: int | None = None
    unit: str | None = None
    trigger: str | None = None
    annual_month: int | None = None
    annual_day: int | None = None
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def counted(self) -> list[Step]:
        """Working days counted, in order (a working-day count only)."""
        return [s for s in self.steps if s.role == "counted"]

    @property
    def skipped(self) -> list[Step]:
        """Rest days and holidays passed over, with their reason in ``step.day``."""
        return [s for s in self.steps if s.role == "skipped"]

    @property
    def provisional(self) -> bool:
        return any(s.day.provisional for s in self.steps)

    @property
    def provisional_years(self) -> list[int]:
        return sorted({s.date.year for s in self.steps if s.day.provisional})

    @property
    def calendar_sources(self) -> list[str]:
        seen: list[str] = []
        for s in self.steps:
            if s.day.source not in seen:
                seen.append(s.day.source)
        return seen

    def text(self, lang: str = "zh") -> str:
        """The reasoning as readable lines, in Chinese (``zh``) or English (``en``)."""
        return "\n".join(_explain(self, lang))


@dataclass
class DueDate:
    """A due date, or the reason there is none.

    ``provisional`` is true when any day the answer rests on comes from the Monday–Friday
    fallback. ``caveats`` carries the time limit's exception clause as written.
    ``calendar_source`` names the layers used (``chinesecalendar 1.11.0``, a calendar file
    name, ``Monday–Friday fallback``), joined by `` + ``. ``parts`` holds the answers for
    the parts of a two-part time limit.
    """

    date: dt.date | None
    provisional: bool = False
    explanation: Explanation = field(default_factory=Explanation)
    caveats: list[str] = field(default_factory=list)
    calendar_source: str | None = None
    reason: str | None = None
    raw: str = ""
    reason_args: dict[str, str] = field(default_factory=dict)
    parts: list[DueDate] = field(default_factory=list)

    def reason_text(self, lang: str = "zh") -> str:
        if not self.reason:
            return ""
        zh, en = REASONS.get(self.reason, (self.reason, self.reason))
        template = zh if lang == "zh" else en
        try:
            return template.format(**self.reason_args)
        except (KeyError, IndexError):
            return template

    def text(self, lang: str = "zh") -> str:
        """Headline, reasoning, provisional warning and caveats, in ``zh`` or ``en``."""
        zh = lang == "zh"
        lines: list[str] = []
        if self.date is not None:
            head = (f"截止日期：{_d(self.date, lang)}" if zh else f"Due date: {_d(self.date, lang)}")
            if self.provisional:
                head += "（暂定）" if zh else " (provisional)"
            lines.append(head)
        else:
            lines.append(("无具体截止日期：" if zh else "No due date: ") + self.reason_text(lang))
        body = self.explanation.text(lang)
        if body:
            lines.append(body)
        lines.extend(f"例外：{c}" if zh else f"Exception (as written): {c}" for c in self.caveats)
        for i, part in enumerate(self.parts, 1):
            lines.append(f"—— 第{i}部分：{part.raw} ——" if zh else f"-- part {i}: {part.raw} --")
            lines.append(part.text(lang))
        return "\n".join(lines)

    def as_dict(self, lang: str = "zh") -> dict[str, object]:
        """Plain data for JSON: the date, the flags, every day of the reasoning, and the text."""
        e = self.explanation
        return {
            "due_date": self.date.isoformat() if self.date else None,
            "weekday": weekday_name(self.date, lang) if self.date else None,
            "provisional": self.provisional,
            "provisional_years": e.provisional_years,
            "calendar_source": self.calendar_source,
            "reason": self.reason,
            "reason_text": self.reason_text(lang) or None,
            "caveats": list(self.caveats),
            "method": e.method,
            "event": e.event.isoformat() if e.event else None,
            "amount": e.amount,
            "unit": e.unit,
            "trigger": e.trigger,
            "notes": list(e.notes),
            "steps": [{"date": s.date.isoformat(), "role": s.role, "ordinal": s.ordinal,
                       "workday": s.day.is_workday, "nature": s.day.nature,
                       "holiday": s.day.holiday if lang == "zh" else s.day.holiday_en,
                       "provisional": s.day.provisional, "source": s.day.source} for s in e.steps],
            "explanation": self.text(lang),
            "parts": [p.as_dict(lang) for p in self.parts],
        }


def due_date(
    limit: TimeLimit,
    event: dt.date | None = None,
    *,
    year: int | None = None,
    calendar: WorkCalendar | None = None,
) -> DueDate:
    """When ``limit`` falls due for an event on ``event`` (or, for a yearly date, in ``year``).

    Never raises for a time limit it cannot date: the ``DueDate`` then has ``date`` None
    and a ``reason`` key (see ``REASONS``).
    """
    cal = calendar if calendar is not None else WorkCalendar()
    if isinstance(event, dt.datetime):
        event = event.date()
    caveats = [limit.exception_clause] if limit.exception_clause else []
    try:
        result = _compute(limit, event, year, cal)
    except OverflowError:
        result = _no_date(limit, "out-of-range")
    result.caveats = caveats
    if limit.parts:
        result.parts = [due_date(p, event, year=year, calendar=cal) for p in limit.parts]
        for p in result.parts:
            for c in p.caveats:
                if c not in result.caveats:
                    result.caveats.append(c)
        # the part due first decides (the parser gives the whole the first part's reading,
        # which need not be the earliest: 20 working days after 01-05 vs. by 01-31)
        dated = [p for p in result.parts if p.date is not None]
        if dated:
            first = min(dated, key=lambda p: p.date or dt.date.max)
            if result.date is None or (first.date is not None and first.date < result.date):
                expl = replace(first.explanation, notes=[*first.explanation.notes, "earliest-of-parts"])
                result = replace(first, explanation=expl, caveats=result.caveats, raw=limit.raw,
                                 parts=result.parts)
    return result


def _no_date(limit: TimeLimit, reason: str, **args: object) -> DueDate:
    trigger = TRIGGERS.get(limit.trigger or "", ("事件", "the event"))
    base = {"raw": limit.raw, "frequency": limit.frequency or limit.raw, "trigger": trigger[0]}
    base.update({k: str(v) for k, v in args.items()})
    return DueDate(date=None, reason=reason, raw=limit.raw, reason_args=base,
                   explanation=Explanation(trigger=limit.trigger))


def _finish(limit: TimeLimit, due: dt.date, expl: Explanation) -> DueDate:
    return DueDate(
        date=due,
        provisional=expl.provisional,
        explanation=expl,
        calendar_source=" + ".join(expl.calendar_sources) or None,
        raw=limit.raw,
    )


def _compute(limit: TimeLimit, event: dt.date | None, year: int | None, cal: WorkCalendar) -> DueDate:
    if limit.kind == "annual":
        return _annual(limit, event, year, cal)
    if limit.kind == "unparsed" and implausible_amount(limit.raw):
        return _no_date(limit, "implausible")
    if limit.kind != "period":
        return _no_date(limit, limit.kind if limit.kind in REASONS else "unparsed")
    if limit.amount is None or limit.amount < 1 or limit.unit not in ("working_day", "day", "month", "year"):
        return _no_date(limit, "incomplete-limit")
    if not plausible(limit.amount, limit.unit):
        # counting a million working days one by one would take minutes and gigabytes
        return _no_date(limit, "implausible")
    if limit.trigger is None and counts_back(limit.raw):
        # counting forward would give a wrong date; the model has no direction yet
        return _no_date(limit, "before-event")
    if event is None:
        return _no_date(limit, "missing-event")
    expl = Explanation(event=event, amount=limit.amount, unit=limit.unit, trigger=limit.trigger)
    if limit.unit == "working_day":
        expl.method = "working-days"
        return _finish(limit, _count_working_days(event, limit.amount, cal, expl), expl)
    if limit.unit == "day":
        expl.method = "calendar-days"
        end = event + dt.timedelta(days=limit.amount)
    else:
        expl.method = "months"
        months = limit.amount * (12 if limit.unit == "year" else 1)
        end, clamped = _add_months(event, months)
        if clamped:
            expl.notes.append("clamped-to-month-end")
    return _finish(limit, _end_of_period(end, cal, expl), expl)


def _count_working_days(event: dt.date, n: int, cal: WorkCalendar, expl: Explanation) -> dt.date:
    """The n-th working day strictly after ``event``, recording every day passed."""
    d, count = event, 0
    while count < n:
        d += dt.timedelta(days=1)
        day = cal.day(d)
        if day.is_workday:
            count += 1
            expl.steps.append(Step(day, "counted", count))
        else:
            expl.steps.append(Step(day, "skipped"))
    return d


def _end_of_period(end: dt.date, cal: WorkCalendar, expl: Explanation) -> dt.date:
    """The last day of a period, moved to the next working day when it is a rest day (第二百零三条)."""
    last = cal.day(end)
    if last.is_workday:
        expl.steps.append(Step(last, "due"))
        return end
    expl.steps.append(Step(last, "end"))
    due, skipped = cal.next_workday(end + dt.timedelta(days=1))
    expl.steps.extend(Step(s, "skipped") for s in skipped)
    expl.steps.append(Step(due, "due"))
    expl.notes.append("moved-to-next-workday")
    return due.date


def _add_months(d: dt.date, months: int) -> tuple[dt.date, bool]:
    """The corresponding day ``months`` later, or that month's last day when there is none."""
    y, m = divmod(d.month - 1 + months, 12)
    y, m = d.year + y, m + 1
    if not dt.MINYEAR <= y <= dt.MAXYEAR:
        raise OverflowError(f"year {y} is out of range")
    last = calendar.monthrange(y, m)[1]
    return dt.date(y, m, min(d.day, last)), d.day > last


def _annual(limit: TimeLimit, event: dt.date | None, year: int | None, cal: WorkCalendar) -> DueDate:
    month, day = limit.annual_month, limit.annual_day
    if not month or not day:
        return _no_date(limit, "incomplete-limit")
    try:
        dt.date(2000, month, day)  # a leap year: any day that exists in some year
    except ValueError:
        return _no_date(limit, "invalid-annual-date", month=month, day=day)
    expl = Explanation(method="annual", event=event, annual_month=month, annual_day=day, trigger=limit.trigger)
    if year is not None:
        due, clamped = _in_year(year, month, day)
    elif event is not None:
        due, clamped = _in_year(event.year, month, day)
        if due < event:
            due, clamped = _in_year(event.year + 1, month, day)
        expl.notes.append("next-occurrence")
    else:
        return _no_date(limit, "missing-year")
    if clamped:
        expl.notes.append("clamped-to-month-end")
    info = cal.day(due)
    expl.steps.append(Step(info, "due"))
    if not info.is_workday:
        expl.notes.append("fixed-date-on-rest-day")
        expl.steps.append(Step(cal.previous_workday(due), "last-workday"))
    return _finish(limit, due, expl)


def _in_year(year: int, month: int, day: int) -> tuple[dt.date, bool]:
    try:
        return dt.date(year, month, day), False
    except ValueError:  # 29 February in a common year
        return dt.date(year, month, day - 1), True


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def _d(d: dt.date, lang: str) -> str:
    if lang == "zh":
        return f"{d.isoformat()}（{weekday_name(d, 'zh')}）"
    return f"{d.isoformat()} ({weekday_name(d, 'en')})"


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def _groups(steps: Sequence[Step]) -> list[list[Step]]:
    """Runs of consecutive days with the same role and the same nature, to keep the text short."""
    runs: list[list[Step]] = []
    for s in steps:
        prev = runs[-1][-1] if runs else None
        if (prev is not None and prev.role == s.role and s.role in ("counted", "skipped")
                and prev.day.nature == s.day.nature and prev.day.holiday == s.day.holiday
                and prev.day.provisional == s.day.provisional
                and s.date - prev.date == dt.timedelta(days=1)):
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def _run_line(run: list[Step], lang: str) -> str:
    zh = lang == "zh"
    first, last = run[0], run[-1]
    reason = first.day.reason(lang, mark_provisional=False)
    if len(run) == 1:
        when = _d(first.date, lang)
    else:
        when = (f"{first.date.isoformat()} 至 {last.date.isoformat()}" if zh
                else f"{first.date.isoformat()} to {last.date.isoformat()}")
        reason += f"（{len(run)}天）" if zh else f" ({len(run)} days)"
    if first.day.provisional:
        reason += "（暂定）" if zh else " (provisional)"
    if first.role == "counted":
        if len(run) == 1:
            what = f"第{first.ordinal}个工作日" if zh else f"working day {first.ordinal}"
        else:
            what = (f"第{first.ordinal}–{last.ordinal}个工作日" if zh
                    else f"working days {first.ordinal}–{last.ordinal}")
    elif first.role == "skipped":
        what = "不计入" if zh else "not counted"
    elif first.role == "end":
        what = "期间最后一日，为休息日" if zh else "last day of the period, a rest day"
    elif first.role == "due":
        what = "截止日期" if zh else "due date"
    else:
        what = "此前最后一个工作日" if zh else "last working day before it"
    return f"  {when} {reason} — {what}" if zh else f"  {when}: {reason} — {what}"


def _explain(e: Explanation, lang: str) -> list[str]:
    zh = lang == "zh"
    lines: list[str] = []
    trig = _pick(TRIGGERS[e.trigger], lang) if e.trigger in TRIGGERS else None
    if e.method == "none":
        return lines
    if e.method == "annual":
        m, dd = e.annual_month, e.annual_day
        due = next(s for s in e.steps if s.role == "due")
        if zh:
            lines.append(f"每年{m}月{dd}日前：截止日期为{_d(due.date, lang)}。")
            if "next-occurrence" in e.notes and e.event:
                lines.append(f"取事件日{_d(e.event, lang)}当日或之后最近的一次。")
        else:
            lines.append(f"Every year by {dd} {_MONTHS_EN[(m or 1) - 1]}: the due date is {_d(due.date, lang)}.")
            if "next-occurrence" in e.notes and e.event:
                lines.append(f"The first such date on or after the event on {_d(e.event, lang)}.")
        if "clamped-to-month-end" in e.notes:
            lines.append("该年没有这一天，取当月最后一日。" if zh
                         else "That day does not exist in that year: the month's last day is used.")
        if "fixed-date-on-rest-day" in e.notes:
            last = next(s for s in e.steps if s.role == "last-workday")
            if zh:
                lines.append(f"该日为休息日（{due.day.reason(lang)}）。这是固定的“前”日期，不顺延；"
                             f"此前最后一个工作日为{_d(last.date, lang)}。")
            else:
                lines.append(f"That day is a rest day ({due.day.reason(lang)}). It is a fixed 'by' date "
                             f"and is not moved; the last working day before it is {_d(last.date, lang)}.")
    else:
        assert e.event is not None
        ev = _d(e.event, lang)
        who = f"（{trig}）" if zh and trig else f" ({trig})" if trig else ""
        start = _pick(_CIVIL_CODE_START, lang)
        if e.method == "working-days":
            lines.append(f"事件日{who}{ev}，当日不计入（{start}），自次日起数{e.amount}个工作日：" if zh
                         else f"Event{who} on {ev}; that day is not counted ({start}); "
                              f"counting {e.amount} working days from the next day:")
        else:
            end = next(s for s in e.steps if s.role in ("end", "due"))
            if e.method == "calendar-days":
                span = f"{e.amount}日" if zh else f"{e.amount} days"
                rule = start
            else:
                if e.unit == "year":
                    span = f"{e.amount}年" if zh else f"{e.amount} year(s)"
                else:
                    span = f"{e.amount}个月" if zh else f"{e.amount} month(s)"
                rule = "《民法典》第二百零一条、第二百零二条" if zh else "Civil Code arts. 201–202"
            lines.append(f"事件日{who}{ev}，当日不计入；{span}期间的最后一日为{_d(end.date, lang)}（{rule}）。"
                         if zh else
                         f"Event{who} on {ev}; that day is not counted; the last day of the period of {span} "
                         f"is {_d(end.date, lang)} ({rule}).")
            if "clamped-to-month-end" in e.notes:
                lines.append("到期月没有对应日，以月末日为期间的最后一日。" if zh
                             else "The final month has no corresponding day: its last day ends the period.")
            if "moved-to-next-workday" in e.notes:
                move = _pick(_CIVIL_CODE_MOVE, lang)
                lines.append(f"该日是休息日或法定休假日，以其后的第一个工作日为期间的最后一日（{move}）：" if zh
                             else f"That day is a rest day or a holiday, so the period ends on the next "
                                  f"working day ({move}):")
        lines.extend(_run_line(run, lang) for run in _groups(e.steps))
    if "earliest-of-parts" in e.notes:
        lines.append("（时限分为几部分，此为最早到期的一项。）" if zh
                     else "(The time limit has several parts; this is the one due first.)")
    if e.provisional:
        lines.append(_provisional_note(e, lang))
    sources = " + ".join(e.calendar_sources)
    if sources:
        lines.append(f"日历来源：{sources}" if zh else f"Calendar: {sources}")
    return lines


def _provisional_note(e: Explanation, lang: str) -> str:
    """Why the answer is provisional: the years without an arrangement, the statutory
    holidays taken from the law (named, with the law cited), and what is not known."""
    zh = lang == "zh"
    years = "、".join(f"{y}年" for y in e.provisional_years) if zh else \
        ", ".join(str(y) for y in e.provisional_years)
    law = _pick(STATUTORY_LAW, lang)
    used = [s.day for s in e.steps if s.day.source == STATUTORY_SOURCE]
    if not any(y >= STATUTORY_SINCE for y in e.provisional_years):
        return (f"暂定：{years}的节假日安排尚未公布或未收录，按周一至周五为工作日推算；"
                f"安排公布后请重新计算，或提供日历文件。" if zh else
                f"Provisional: no holiday arrangement is known for {years}; Monday to Friday were "
                f"taken as working days. Recompute once it is published, or supply a calendar file.")
    if zh:
        named = "；本次计算涉及：" + "、".join(f"{d.holiday}（{d.date.isoformat()}）" for d in used) if used else ""
        return (f"暂定：{years}的节假日安排尚未公布或未收录。法定节假日按{law}确定{named}；"
                f"调休（补班日和调休放假日）要待安排公布才知道，未计入；其余日子按周一至周五为工作日推算。"
                f"安排公布后请重新计算，或提供日历文件。")
    named = ("; in this count: " + ", ".join(f"{d.holiday_en} ({d.date.isoformat()})" for d in used)
             if used else "")
    return (f"Provisional: no holiday arrangement is known for {years}. The statutory holidays follow {law}"
            f"{named}. The make-up working days and bridged days (调休) are not known until the arrangement "
            f"is published and are not counted; other days, Monday to Friday were taken as working days. "
            f"Recompute once it is published, or supply a calendar file.")
