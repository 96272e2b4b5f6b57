"""Time-limit cells (公开时限) → ``TimeLimit``.

A time-limit cell is a short sentence built from a few pieces that recur across lists:
a trigger event (形成或变更之日起, 文件印发后, 财政部门批复后), an amount and a unit (20个工作日,
十五日), sometimes a fixed yearly date (每年1月31日前), a manner (实时, 及时, 同步, 永久), and often
an exception clause (法律、法规对…另有规定的，从其规定). Each piece is recognised by its own table
below, so a new wording is one table row, not a new branch.

Matching runs on a key of the text (half-width digits, simplified characters, no blanks,
mirror-site pinyin glosses removed); what is stored (``raw``, ``exception_clause``,
``frequency``) is the cleaned text as written. Unknown text gives kind ``unparsed``: this
function never raises, because a list with one odd cell must still load.
"""

from __future__ import annotations

import re

from gongkai.errors import Text
from gongkai.model import TimeLimit, TimeLimitKind, TimeUnit, Trigger
from gongkai.text import clean, cn_number, key, strip_pinyin_glosses

# --- tables ------------------------------------------------------------------

#: trigger events, most specific first (形成或变更 before 形成, 财政部门批复 before 批复).
_TRIGGER_WORDS: tuple[tuple[Trigger, str], ...] = (
    # 形式或者变更 is a frequent typo of 形成或者变更; 形成(变更) a frequent short form
    ("formed-or-changed", r"(形成|形式|产生)(或者?|和|及|、|/|\()?(变更|变化|更新|修改)"),
    ("obtained", r"(制作|制定|形成)?(或者?|、|/)?(获取|获得)"),
    ("fiscal-approval", r"财政(部门)?.{0,4}?(批复|批准|下达)"),
    ("document-issued", r"(印发|发文|签发|出台|公布|发布)(后|之日)"),
    ("approval", r"批准|审批|批复|核准|审定"),
    ("formed", r"形成|产生|制作|制定"),
    ("received", r"受理|收到|接到|申请之日"),
    # 行政许可/处罚 decisions (作出决定之日起7个工作日内), and a matter concluded or settled
    ("decided", r"(作出|做出)(行政)?(许可|处罚)?决定|决定作出"),
    ("concluded", r"办结|结束|完成|确定|发放|结案"),
)
_TRIGGERS = tuple((trigger, re.compile(pattern)) for trigger, pattern in _TRIGGER_WORDS)

_NUM = r"(?P<n>\d+|[零〇一二两三四五六七八九十百千]+)"

#: amount + unit. The amount must not follow 月 or a digit, so the day of a date
#: (6月30日前) is not read as a number of days.
_UNIT_WORDS: tuple[tuple[TimeUnit, int, str], ...] = (
    ("working_day", 1, r"工作日"),
    ("day", 1, r"(?:自然日|日历日|日|天)"),
    ("day", 7, r"(?:周|星期)(?![一二三四五六日天])"),
    ("month", 1, r"(?<=[个個])月"),
    ("year", 1, r"年(?![度底末初月\d])"),
)
_AMOUNTS = tuple((unit, factor, re.compile(rf"(?<![月\d]){_NUM}[个個]?{pattern}"))
                 for unit, factor, pattern in _UNIT_WORDS)

#: the longest period a time limit can plausibly state, by unit: ten years. A publication
#: duty is counted in days or months (the longest seen: 3 years for a land record); an
#: amount beyond is a typo or a test of the system (1000000个工作日), kept as written and
#: reported, never counted.
MAX_AMOUNTS: dict[TimeUnit, int] = {"working_day": 3650, "day": 3650, "month": 120, "year": 10}

#: a fixed date each year: 每年1月31日前, 次年3月31日前.
_ANNUAL = re.compile(
    r"(?:每|次)个?年度?[^\d一二三四五六七八九十]{0,6}?"
    r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})月"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})[日号]"
)

#: an amount with a minus sign (``-5个工作日内``, ``起－5日``): no time limit counts backwards by
#: a negative number; a minus after a digit is a range (``5-10个工作日``), not a sign
_NEGATIVE = re.compile(r"(?<![\d.])[-−]\s*\d+\s*[个個]?\s*(?:工作日|自然日|日历日|日|天|周|星期|月|年)")

#: kinds stated by a word rather than an amount; the first that matches wins.
_MANNER_WORDS: tuple[tuple[TimeLimitKind, str], ...] = (
    ("immediate", r"实时|即时|随时"),
    ("synchronous", r"同步|同时(公开|发布)"),
    ("timely", r"及时"),
    ("periodic", r"每(半年|年度?|季度?|月|周|旬)|半年|季度|定期|至少更新|更新\d+次|按(年度?|季度?|月)"),
    ("permanent", r"永久|长期"),
)
_MANNERS = tuple((kind, re.compile(pattern)) for kind, pattern in _MANNER_WORDS)
_PERIODIC = dict(_MANNERS)["periodic"]

#: the exception clause, found on the cleaned text as written (simplified or traditional).
#: It starts after the last bracket, comma or full stop before 另有规定.
_EXCEPTION = re.compile(
    r"[（(]?(?P<clause>[^（()）。；;，,]*另有[规規]定的?[，,、]?\s*[从從]其[规規]定)[。.]?[）)]?"
)

#: separators between the parts of a two-part limit (受理后…公示5个工作日；…结果20个工作日内公开).
_PART_SEP = re.compile(r"[；;。]")
_CLAUSE_SEP = re.compile(r"[，,、]")


# --- parsing -----------------------------------------------------------------

#: ``招生工作开始前10个工作日``, ``会议召开前5日``: a period before an event, not after it
_BEFORE_EVENT = re.compile(r"前\s*[0-9０-９一二三四五六七八九十两]+\s*个?\s*(?:工作日|日|天|个月|月)")


def counts_back(text: str) -> bool:
    """True when the time limit is a period *before* its event (the model has no direction
    yet, so a due date must not be counted forward from the event)."""
    return bool(_BEFORE_EVENT.search(text))


def parse_time_limit(text: str | None) -> TimeLimit:
    """Parse a time-limit cell as written.

    ``TimeLimit.raw`` is the cleaned text (mirror-site pinyin glosses removed too). The
    exception clause (brackets stripped) is taken out before the rest is read. A cell with
    several deadlines gives a limit whose kind and values are those of the first part
    understood, with every part in ``parts``.

    >>> tl = parse_time_limit("形成或变更之日起20个工作日内（法律、法规对政府信息公开期限另有规定的，从其规定）")
    >>> tl.kind, tl.amount, tl.unit, tl.trigger
    ('period', 20, 'working_day', 'formed-or-changed')
    """
    raw = strip_pinyin_glosses(clean(text))
    if not raw:
        return TimeLimit(raw="")
    body, exception = _take_exception(raw)
    pieces = _split_parts(body)
    if len(pieces) <= 1:
        result = _parse_part(pieces[0] if pieces else body, raw)
        result.exception_clause = exception
        return result
    parts = [_parse_part(p, p) for p in pieces]
    first = next((p for p in parts if p.parsed), None)
    if first is None:
        return TimeLimit(raw=raw, exception_clause=exception, parts=parts)
    return TimeLimit(
        raw=raw, kind=first.kind, amount=first.amount, unit=first.unit, trigger=first.trigger,
        annual_month=first.annual_month, annual_day=first.annual_day,
        exception_clause=exception, frequency=first.frequency, parts=parts,
    )


def _take_exception(raw: str) -> tuple[str, str | None]:
    """Split off the exception clause: (the rest of the text, the clause or None)."""
    m = _EXCEPTION.search(raw)
    if not m:
        return raw, None
    clause = m.group("clause").strip()
    rest = (raw[: m.start()] + raw[m.end():]).strip()
    return rest, clause


def _split_parts(body: str) -> list[str]:
    """The deadlines a cell states, one text per deadline.

    Parts are split at ；。 first. A part that still holds two amounts (受理后公示5个工作日，
    结果20个工作日内公开), or an amount and a yearly date (形成之日起20个工作日内，每年1月31日前
    更新), is split at the last comma before the second one.
    """
    out: list[str] = []
    for part in _PART_SEP.split(body):
        seg = part.strip(" ，,、")
        if not seg:
            continue
        out.extend(_split_on_amounts(seg))
    return out


def _split_on_amounts(seg: str) -> list[str]:
    # an amount (20个工作日) or a yearly date (每年1月31日) starts a deadline
    starts = sorted({start for start, _, _ in _amounts(seg)} | {m.start() for m in _ANNUAL.finditer(seg)})
    if len(starts) < 2:
        return [seg]
    pieces: list[str] = []
    begin = 0
    for second in starts[1:]:
        commas = [m.end() for m in _CLAUSE_SEP.finditer(seg, begin, second)]
        if not commas:
            continue
        cut = commas[-1]
        pieces.append(seg[begin:cut].strip(" ，,、"))
        begin = cut
    pieces.append(seg[begin:].strip(" ，,、"))
    return [p for p in pieces if p]


def _parse_part(text: str, raw: str) -> TimeLimit:
    """Read one deadline. ``raw`` is what the result keeps as its text."""
    k = key(text)
    trigger = _find_trigger(k)
    frequency = clean(text) if _PERIODIC.search(k) else None

    if _NEGATIVE.search(k):
        return TimeLimit(raw=raw)        # -5个工作日内: no amount is read as its opposite
    annual = _ANNUAL.search(k)
    if annual:
        if _impossible_date(annual) is not None:
            return TimeLimit(raw=raw)    # 每年13月1日前 is no date, not a frequency (每年)
        month, day = cn_number(annual.group("m")), cn_number(annual.group("d"))
        return TimeLimit(raw=raw, kind="annual", unit="annual", trigger=trigger,
                         annual_month=month, annual_day=day)

    amount = _find_amount(k)
    if amount is not None:
        n, unit = amount
        if not plausible(n, unit):
            return TimeLimit(raw=raw)
        return TimeLimit(raw=raw, kind="period", amount=n, unit=unit, trigger=trigger,
                         frequency=frequency)

    for kind, pattern in _MANNERS:
        if pattern.search(k):
            return TimeLimit(raw=raw, kind=kind, trigger=trigger,
                             frequency=clean(text) if kind == "periodic" else None)
    return TimeLimit(raw=raw)


def _impossible_date(annual: re.Match[str]) -> str | None:
    """The yearly date as written when its month is not 1-12 or its day not 1-31
    (``13月1日``), else None. (A day the month lacks, 2月30日, is left to shape K07.)"""
    month, day = cn_number(annual.group("m")), cn_number(annual.group("d"))
    if month and day and 1 <= month <= 12 and 1 <= day <= 31:
        return None
    return f"{annual.group('m')}月{annual.group('d')}日"


def _find_trigger(k: str) -> Trigger | None:
    for trigger, pattern in _TRIGGERS:
        if pattern.search(k):
            return trigger
    return None


def _amounts(text: str) -> list[tuple[int, int, TimeUnit]]:
    """Every amount + unit in the text: (position, amount in the unit, unit)."""
    found: list[tuple[int, int, TimeUnit]] = []
    for unit, factor, pattern in _AMOUNTS:
        for m in pattern.finditer(text):
            n = cn_number(m.group("n"))
            if n is None or n == 0:
                continue
            if unit == "year" and n >= 100:      # 2021年 is a calendar year, not a duration
                continue
            found.append((m.start(), n * factor, unit))
    return sorted(found, key=lambda f: f[0])


def _find_amount(k: str) -> tuple[int, TimeUnit] | None:
    """The first amount + unit in the text (by position), or None."""
    found = _amounts(k)
    return (found[0][1], found[0][2]) if found else None


def plausible(amount: int | None, unit: TimeUnit | None) -> bool:
    """Whether ``amount`` of ``unit`` is within ``MAX_AMOUNTS`` (ten years at most).

    >>> plausible(20, "working_day"), plausible(1000000, "working_day"), plausible(11, "year")
    (True, False, False)
    """
    limit = MAX_AMOUNTS.get(unit) if unit else None
    return amount is not None and limit is not None and 0 < amount <= limit


def implausible_amount(text: str | None) -> str | None:
    """The first amount written in a time limit that is beyond ``MAX_AMOUNTS``, as written
    (``1000000个工作日``), or None.

    >>> implausible_amount("形成之日起1000000个工作日内"), implausible_amount("20个工作日内")
    ('1000000个工作日', None)
    """
    k = key(strip_pinyin_glosses(clean(text)))
    for unit, factor, pattern in _AMOUNTS:
        for m in pattern.finditer(k):
            n = cn_number(m.group("n"))
            if n and not (unit == "year" and n >= 100) and not plausible(n * factor, unit):
                return m.group()
    return None


def unparsed_reason(limit: TimeLimit) -> str:
    """Why a time limit was left unparsed, for the item's warning.

    >>> unparsed_reason(parse_time_limit("形成之日起1000000个工作日内"))
    "not a plausible time limit: '形成之日起1000000个工作日内' (1000000个工作日 is more than ten years)"
    >>> unparsed_reason(parse_time_limit("每年13月1日前"))
    "not a real date: '每年13月1日前' (there is no 13月1日)"
    >>> unparsed_reason(parse_time_limit("-5个工作日内"))
    "a time limit cannot be negative: '-5个工作日内'"
    >>> unparsed_reason(parse_time_limit("看情况"))
    "time limit not understood: '看情况'"
    """
    k = key(limit.raw)
    raw = limit.raw
    if _NEGATIVE.search(k):
        return Text(f"a time limit cannot be negative: {raw!r}", f"时限不能为负数：“{raw}”")
    annual = _ANNUAL.search(k)
    if annual and (date := _impossible_date(annual)) is not None:
        return Text(f"not a real date: {raw!r} (there is no {date})", f"日期不存在：“{raw}”（没有{date}）")
    amount = implausible_amount(raw)
    if amount is not None:
        return Text(f"not a plausible time limit: {raw!r} ({amount} is more than ten years)",
                    f"时限不合情理：“{raw}”（{amount}超过十年）")
    return Text(f"time limit not understood: {raw!r}", f"无法理解的时限：“{raw}”")
