"""导入 Import — upload a list in any supported format, see what was read (items, warnings,
validation problems), then add it to the store or replace the list already there."""

from __future__ import annotations

import hashlib

import streamlit as st

from auth import require_login
from gongkai import (
    FORM_BUREAU,
    FORM_DATE,
    MAX_UPLOAD_MB,
    GongkaiError,
    Vocabularies,
    already_there,
    check_upload,
    commit_to_build,
    corrections_template,
    in_lang,
    item_rows,
    read_upload,
)
from gongkai import UPLOAD_SUFFIXES as SUFFIXES
from gongkai import commit_upload as commit
from gongkai import prepare_upload as prepare
from mdtext import md
from ui import (
    data_changed,
    download,
    file_uploader_in_chinese,
    lang,
    require_store,
    root_settings,
    said,
    screen_title,
    settings,
    table,
    tr,
)


def format_name(reader: str) -> str:
    """The format a file was read as, in words (the readers' names: ``xlsx``, ``pipe-text`` …)."""
    words = {"pipe-text": ("以竖线分隔的文本", "text with | between cells"),
             "numbered-text": ("编号的文本", "numbered text"), "text-table": ("文本表格", "text table")}
    return tr(*words[reader]) if reader in words else reader.upper()


st.title(screen_title(__file__))
require_login("write")   # served beyond 127.0.0.1: importing or replacing a list needs a login
srv = require_store()
st.caption(tr(f"支持的格式：{md(' '.join(SUFFIXES))}；文件不超过 {MAX_UPLOAD_MB} MB。",
              f"Formats: {md(' '.join(SUFFIXES))}; at most {MAX_UPLOAD_MB} MB."))
if not srv.writable:
    st.warning(tr(f"数据存储是只读的，不能导入：{md(srv.note)}",
                  f"The store is read-only; importing is disabled: {md(srv.note)}"))
    st.stop()

file_uploader_in_chinese(MAX_UPLOAD_MB)
upload = st.file_uploader(tr("清单文件", "List file"), type=[s.lstrip(".") for s in SUFFIXES], key="import_file",
                          max_upload_size=MAX_UPLOAD_MB,
                          help=tr("把文件拖到下面的框里，或点击“选择文件”。", "Drop the file on the box, or browse."))
bureau = st.text_input(tr(f"{md(FORM_BUREAU[0])}（文件中没有写明时填写）",
                          f"{md(FORM_BUREAU[1])} (when the file does not name it)"), key="import_bureau")
list_date = st.date_input(
    tr(f"{md(FORM_DATE[0])}（文件中没有写明时填写）", f"{md(FORM_DATE[1])} (when the file does not give one)"),
    value=None,
    key="import_date", format="YYYY-MM-DD",
    help=tr("有了日期才能确定引用的是法规的哪一版本（例如 2019 年修订的《政府信息公开条例》）。",
            "With a date the version of each cited law can be chosen (e.g. the 2019 Regulations)."))
if upload is None:
    st.stop()

data = upload.getvalue()
try:
    check_upload(upload.name, len(data))
except GongkaiError as e:
    st.error(said(e))
    st.stop()

digest = hashlib.sha256(data).hexdigest()
cache_key = (upload.name, digest, bureau.strip(), list_date, lang())
if st.session_state.get("import_key") != cache_key:
    st.session_state.pop("import_done", None)
    with st.spinner(tr("正在读取…", "Reading…")):
        try:
            dl = read_upload(upload.name, data, settings(), bureau=bureau.strip() or None, date=list_date)
            parsed = prepare(dl, settings(), lang=lang())
        except GongkaiError as e:
            st.session_state["import_key"] = None
            st.error(tr("无法读取这个文件：", "This file cannot be read: ") + said(e))
            st.stop()
    st.session_state["import_key"] = cache_key
    st.session_state["import_upload"] = parsed
parsed = st.session_state["import_upload"]
dl = parsed.dl

st.subheader(tr("预览", "Preview"))
cols = st.columns(4)
cols[0].metric(tr("责任单位", "Bureau"), md(dl.bureau.name))
cols[1].metric(tr("日期", "Date"), dl.date.isoformat() if dl.date else tr("未注明", "undated"))
cols[2].metric(tr("事项", "Items"), f"{len(dl.items):,}")
cols[3].metric(tr("格式", "Format"), md(format_name(dl.source_format)))
st.caption(f"{md(dl.title or '')} · {md(parsed.graph_name)} · "
           + tr(f"{parsed.triples:,} 个三元组", f"{parsed.triples:,} triples"))

# the list's warnings hold its items' too: each said once, in the chosen language (the rows
# not read are listed with their rows below)
unread_warnings = {u.warning() for u in dl.unread}
item_warnings = {w for it in dl.items for w in it.warnings}
warnings = ([in_lang(w, lang(), app=True) for w in dl.warnings if w not in unread_warnings and w not in item_warnings]
            + [f"{it.number}. {in_lang(w, lang(), app=True)}" for it in dl.items for w in it.warnings])
if not dl.bureau_named:
    st.warning(tr(f"这份清单没有注明责任单位，读作“未注明责任单位”：请在上方“{md(FORM_BUREAU[0])}”一栏填写后再导入。",
                  f"This list names no bureau and is read as “bureau not named”: fill in the {md(FORM_BUREAU[1])} "
                  "field above before importing it."))
if dl.unread:
    with st.expander(tr(f"未读取的行（{len(dl.unread)}）", f"Rows not read ({len(dl.unread)})"), expanded=True):
        st.caption(tr("这些行无法读取为事项：不计入事项，但以原文保存在清单的图中，"
                      "校验会提示查看。", "These rows could not be read as items: they are not counted as "
                      "items, but kept as written in the list's graph (gk:UnreadRow), and validation flags them."))
        table([{"lines": u.lines_text.split(" ", 1)[-1], "text": u.text, "reason": in_lang(u.reason, lang(), app=True)}
               for u in dl.unread],
              [("lines", "行", "lines"), ("text", "原文", "text"), ("reason", "原因", "reason")],
              key="import_unread")
        st.caption(tr("不改动原文件也能更正：下载更正文件，在 `cells` 一栏按表格栏目顺序写出该行正确的单元格"
                      "（以 | 分隔；或将 `action` 改为 `skip` 跳过该行），放入数据目录后"
                      "重新导入或重新构建。",
                      "Correct a row without editing the file: download the corrections file, write the row's "
                      "right cells in the cells column in the order of the table's columns (separated by |; or "
                      "set action to skip to leave the row out), put it in the data folder "
                      "(data/raw/corrections.csv), then import again or rebuild."))
        download(tr("下载更正文件 corrections.csv", "Download corrections.csv"),
                 corrections_template(dl), "corrections.csv", "text/csv", key="import_corrections")
if warnings:
    with st.expander(tr(f"读取时的警告（{len(warnings)}）", f"Warnings while reading ({len(warnings)})"),
                     expanded=True):
        st.markdown("\n".join(f"- {md(w)}" for w in warnings))
if parsed.problems:
    with st.expander(tr(f"校验发现的问题（{len(parsed.problems)}）", f"Validation problems ({len(parsed.problems)})")):
        st.markdown("\n".join(f"- {md(p)}" for p in parsed.problems[:500]))

kind_labels = Vocabularies.from_dir(settings().ontology_dir / "vocab").schemes["timelimit-kind"].pref
kinds = {str(c).rsplit("/", 1)[-1]: labels.get(lang()) or labels.get("zh", "") for c, labels in kind_labels.items()}
preview = [{**r, "time_limit_kind": kinds.get(r["time_limit_kind"], r["time_limit_kind"]),
            "warnings": "；".join(in_lang(w, lang(), app=True) for w in it.warnings)}
           for r, it in zip(item_rows(dl), dl.items, strict=True)]
table(preview, [("number", "序号", "no."), ("level1", "一级事项", "level 1"), ("level2", "二级事项", "level 2"),
                      ("citations", "公开依据", "legal basis"), ("resolved", "已解析", "resolved"),
                      ("time_limit", "公开时限", "time limit"), ("time_limit_kind", "时限类型", "kind"),
                      ("channels", "公开渠道", "channels"), ("warnings", "警告", "warnings")], key="import_items")

done = st.session_state.get("import_done")
if done:
    for note in st.session_state.get("import_notes", []):
        st.warning(md(in_lang(note, lang())))
    verb = tr("已替换", "Replaced") if done.replaced else tr("已添加", "Added")
    st.success(tr(f"{verb}：{md(dl.bureau.name)}的清单（{len(dl.items)} 个事项，{done.triples:,} 个三元组）。"
                  f"数据存储现有 {done.after:,} 个三元组。",
                  f"{verb} the list of {md(dl.bureau.name)} ({len(dl.items)} items, {done.triples:,} triples). "
                  f"The store now holds {done.after:,} triples."))
    if srv.kind != "remote" and not st.session_state.get("import_notes"):
        st.page_link("app_pages/validation.py", icon=":material/rule:",
                     label=tr("它的校验结果已在“校验”页", "Its problems are on the Validation screen"))
    st.stop()

exists = already_there(srv.store, parsed.graph_name)
if exists:
    st.warning(tr("数据存储中已有这份清单（同一机构、同一日期）：导入将整体替换它。",
                  "The store already has this list (same bureau and date): importing replaces it as a whole."))
label = (tr("替换数据存储中的清单", "Replace the list in the store") if exists
         else tr("添加到数据存储", "Add to the store"))
if st.button(label, type="primary", key="import_commit", icon=":material/library_add:"):
    try:
        with st.spinner(tr("正在写入…", "Writing…")):
            if srv.kind == "remote":
                result, notes = commit(srv.store, parsed), []
                data_changed(srv)
            else:  # a new version of the build, published whole; every page turns to it
                result, notes = commit_to_build(root_settings(), parsed)
    except GongkaiError as e:
        st.error(tr("导入失败，数据存储未改变：", "Import failed; the store is unchanged: ") + said(e))
        st.stop()
    st.session_state["import_notes"] = notes
    st.session_state["import_done"] = result
    st.rerun()
