"""时限 Deadlines — an item's due date for an event date, explained day by day on the Chinese
working-day calendar; the calendar of items due on a fixed date every year."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import streamlit as st

from gongkai import (
    MAX_UPLOAD_MB,
    Catalogue,
    GongkaiError,
    InputError,
    export_entries,
    item_due,
    limit_due,
    match_key,
    official_calendar,
    today_in_china,
    upcoming,
    weekday_name,
)
from gongkai.store.base import Result
from mdtext import md
from picker import narrowed
from ui import (
    download,
    file_uploader_in_chinese,
    lang,
    query_library,
    require_store,
    rows,
    said,
    screen_title,
    settings,
    table,
    tr,
)

st.title(screen_title(__file__))
srv = require_store()


class IndexedCatalogue(Catalogue):
    """``Catalogue`` made quick over thousands of bureaus: its lists indexed by bureau, and
    an item's time limit read from its own list's graph (``time_limits_of_list``: the same
    rows as ``item_time_limit``, fetched once per list) instead of searching every list
    for the bureau's name."""

    def _index(self) -> dict[str, list]:
        if not hasattr(self, "_by_bureau"):
            self._by_bureau: dict[str, list] = {}
            for lst in self.lists():
                self._by_bureau.setdefault(lst.bureau, []).append(lst)
            self._by_key = {match_key(b): b for b in self._by_bureau}
            self._limits: dict[str, Result] = {}
        return self._by_bureau

    def find_bureau(self, name: str) -> str:
        self._index()
        return self._by_key.get(match_key(name)) or super().find_bureau(name)

    def latest_list(self, bureau: str):
        mine = self._index().get(bureau) or self._index().get(self.find_bureau(bureau), [])
        dated = [lst for lst in mine if lst.date is not None]
        return max(dated, key=lambda x: x.date) if dated else mine[0]

    def _run(self, query: str, params: dict[str, str] | None = None) -> Result:
        params = params or {}
        if query != "item_time_limit" or not params.get("list"):
            return super()._run(query, params)
        self._index()
        iri = params["list"]
        if iri not in self._limits:
            self._limits[iri] = super()._run("time_limits_of_list", {"list": iri})
        whole = self._limits[iri]
        return Result(whole.vars, [r for r in whole.rows if str(r.get("number")) == str(params["number"])])


@st.cache_resource(show_spinner=False, max_entries=4)
def catalogue(store_key: str, version: int) -> Catalogue:  # noqa: ARG001 - the arguments are the cache key
    return IndexedCatalogue(srv.local or srv.store, query_library())


cat = catalogue(srv.key, srv.version)
today = today_in_china()

with st.expander(tr("节假日日历文件（可选）", "Holiday calendar file (optional)")):
    st.caption(tr("chinesecalendar 只覆盖国务院已公布安排的年份。"
                  "其他年份可上传日历文件（CSV：日期,休/班；或 iCalendar）；"
                  "没有文件时，法定节假日按《全国年节及纪念日放假办法》推算，"
                  "其余按周一至周五，结果标为暂定。",
                  "chinesecalendar covers the years whose arrangements the State Council has announced. "
                  "For other years upload a calendar (CSV: date,holiday/workday; or iCalendar); "
                  "without one, the statutory holidays are taken from the law and Monday–Friday "
                  "is assumed for the rest, and the answer is marked provisional."))
    file_uploader_in_chinese(MAX_UPLOAD_MB)
    cal_file = st.file_uploader(tr("日历文件", "Calendar file"), type=["csv", "ics"], key="deadline_calendar")
# the project's supplement of official days (data/calendar), then the uploaded file
calendar = official_calendar(settings().data_dir)
if cal_file is not None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(cal_file.name).name
        path.write_bytes(cal_file.getvalue())
        try:
            calendar = official_calendar(settings().data_dir, [path])
        except InputError as e:       # said of the uploaded file's name, not of its copy's path
            st.error(said(e.at(cal_file.name) if e.file == str(path) else e))
        except GongkaiError as e:
            st.error(said(e))

tab_item, tab_typed, tab_upcoming = st.tabs([tr("事项的截止日期", "An item's due date"),
                                             tr("输入时限", "A time limit typed in"),
                                             tr("每年固定日期的截止日", "Yearly due dates")])


def show(answer) -> None:
    due = answer.due
    if due.provisional:
        st.warning(tr("【暂定】本结果依据尚未公布的节假日安排推算（法定节假日按法律，其余按周一至周五，调休未知），仅供参考。",
                      "Provisional: this answer rests on days with no published holiday arrangement (statutory "
                      "holidays by law, Monday–Friday for the rest, make-up days unknown)."))
    if due.date is not None:
        st.metric(tr("截止日期", "Due date"), f"{due.date.isoformat()} {md(weekday_name(due.date, lang()))}")
    else:
        st.info(tr("无具体截止日期：", "No due date: ") + md(due.reason_text(lang())))
    st.code(answer.text(lang()), language=None)


with tab_item:
    bureaus = cat.bureaus()
    options = narrowed(bureaus, lambda b: b, "deadline")
    if not options:
        st.info(tr("没有匹配的机构。", "No bureau matches."))
    else:
        bureau = st.selectbox(tr("机构", "Bureau"), options, key="deadline_bureau")
        mine = cat._index()[bureau]
        latest = cat.latest_list(bureau)
        lst = st.selectbox(tr("清单", "List"), mine, index=mine.index(latest), key="deadline_list",
                           format_func={x: x.date.isoformat() if x.date else tr("未注明日期", "undated")
                                        for x in mine}.__getitem__)
        items = rows("items_of_list", list=lst.iri)
        with_limit = [r for r in items if r.get("timeLimit")]
        if not with_limit:
            st.info(tr("这份清单的事项都没有公开时限。", "No item of this list has a time limit."))
        else:
            item_labels = [f"{r['number']}. {r['level2']} — {r['timeLimit']}" for r in with_limit]
            k = st.selectbox(tr("事项", "Item"), range(len(with_limit)), key="deadline_item",
                             format_func=item_labels.__getitem__)
            event = st.date_input(tr("事件日期（信息形成、变更或获取之日等）",
                                     "Event date (the day the information was made, changed, obtained …)"),
                                  value=today, key="deadline_event", min_value=dt.date(2000, 1, 1),
                                  max_value=dt.date(2100, 12, 31))
            try:
                show(item_due(cat, bureau, int(with_limit[k]["number"]), event, list_ref=lst.iri, calendar=calendar,
                              today=today))
            except GongkaiError as e:
                st.error(said(e))

with tab_typed:
    text = st.text_input(tr("公开时限原文", "Time limit as written"), value="形成或变更之日起20个工作日内",
                         key="deadline_text")
    event2 = st.date_input(tr("事件日期", "Event date"), value=today, key="deadline_event2",
                           min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
    if text.strip():
        show(limit_due(text, event2, calendar=calendar, today=today))

with tab_upcoming:
    c1, c2, c3 = st.columns(3)
    start = c1.date_input(tr("从", "From"), value=today, key="upcoming_from")
    end = c2.date_input(tr("到", "To"), value=today + dt.timedelta(days=365), key="upcoming_to")
    scope = c3.radio(tr("范围", "Scope"), ["bureau", "all"], key="upcoming_scope", horizontal=True,
                     format_func={"bureau": tr("所选机构", "the chosen bureau"),
                                  "all": tr("所有机构", "all bureaus")}.__getitem__)
    chosen_bureau = st.session_state.get("deadline_bureau")
    if end < start:
        st.error(tr("结束日期早于开始日期。", "The end date is before the start date."))
        st.stop()
    # every list's yearly dates are searched: quick for a few hundred lists, seconds for
    # thousands, so the calendar is made when asked for (and kept for the same question)
    asked = (start, end, scope, chosen_bureau if scope == "bureau" else None, cal_file.name if cal_file else None)
    if st.button(tr("显示日历", "Show the calendar"), key="upcoming_show", icon=":material/calendar_month:"):
        st.session_state["upcoming_asked"] = asked
    if st.session_state.get("upcoming_asked") != asked:
        st.stop()
    try:
        with st.spinner(tr("正在查找每年固定日期的事项…", "Finding the items due on a fixed date every year…")):
            entries = upcoming(cat, start, end, calendar=calendar, bureau=asked[3])
    except GongkaiError as e:
        st.error(said(e))
        st.stop()
    data = [{"date": e.due.date.isoformat() if e.due.date else "",
             "weekday": weekday_name(e.due.date, lang()) if e.due.date else "",
             "bureau": e.item.list.bureau if e.item else "", "number": str(e.item.number) if e.item else "",
             "item": e.item.title if e.item else "", "limit": e.limit.raw,
             "provisional": tr("暂定", "provisional") if e.due.provisional else ""} for e in entries]
    st.caption(tr(f"{len(data)} 个截止日期。", f"{len(data)} due dates."))
    table(data, [("date", "截止日期", "due date"), ("weekday", "星期", "weekday"), ("bureau", "机构", "bureau"),
                 ("number", "序号", "no."), ("item", "事项", "item"), ("limit", "时限", "time limit"),
                 ("provisional", "暂定", "provisional")], key="upcoming_table")
    language = lang()
    d1, d2 = st.columns(2)
    with d1:
        download(tr("下载 iCalendar (.ics)", "Download iCalendar (.ics)"),
                 lambda: export_entries(entries, "ics", language), "deadlines.ics", "text/calendar", key="upcoming_ics")
    with d2:
        download(tr("下载 CSV", "Download CSV"), lambda: export_entries(entries, "csv", language), "deadlines.csv",
                 "text/csv", key="upcoming_csv")
