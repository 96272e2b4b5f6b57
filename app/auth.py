"""Who may write, and read, when the app is served beyond this machine.

On 127.0.0.1 (``make run``) nothing is asked. Served beyond it (``make run HOST=0.0.0.0``:
Streamlit's ``server.address`` not a loopback address, or ``GONGKAI_ADDRESS=0.0.0.0`` when a
reverse proxy on 127.0.0.1 serves it to the network), a page that writes calls ``require_login("write")`` first: the
import page asks for the password set with ``gongkai app-password`` (a salted hash in
``.streamlit/access.toml``), or for a single sign-on with Streamlit's ``st.login`` (OIDC)
when the file configures it; without either, it says how to set one and writes nothing.
``require_login("read")`` (streamlit_app.py) asks on every page when the file says
``read = "login"``. The package checks passwords (``gongkai.auth``); this module only draws.
"""

from __future__ import annotations

import math
import time

import streamlit as st

from gongkai import Access, GongkaiError, LoginAttempts, load_access, served_beyond_loopback
from mdtext import md
from ui import tr

_SESSION = "auth_login"   # ("password", the hash logged in with); single sign-on is st.user's own


def beyond_loopback() -> bool:
    """The app can be reached from other machines (or the address is not known)."""
    return served_beyond_loopback(st.get_option("server.address"))


@st.cache_resource(show_spinner=False)
def _attempts() -> LoginAttempts:
    """Failed logins of this app, every browser together."""
    return LoginAttempts()


def _oidc_email() -> str | None:
    try:
        return st.user.get("email") if st.user.is_logged_in else None
    except Exception:  # no [auth] in .streamlit/secrets.toml: no single sign-on
        return None


def user(access: Access) -> str | None:
    """Who is logged in in this browser session, or None (a password changed since: nobody)."""
    kind, value = st.session_state.get(_SESSION) or (None, None)
    if kind == "password" and access.password and value == access.password:
        return tr("密码登录", "password")
    email = _oidc_email() if access.oidc else None
    if email and access.admits(email):
        return email
    return None


def _logout(access: Access) -> None:
    st.session_state.pop(_SESSION, None)
    if access.oidc and _oidc_email():
        st.logout()


def _sidebar(access: Access, who: str) -> None:
    with st.sidebar:
        st.caption(tr(f"已登录：{md(who)}", f"Logged in: {md(who)}"))
        st.button(tr("退出登录", "Log out"), key="auth_logout", on_click=_logout, args=(access,),
                  icon=":material/logout:")


def _how_to_set() -> None:
    st.warning(tr(
        "本应用可从网络访问（不只是本机 127.0.0.1），但尚未设置登录密码：为安全起见，导入和替换清单已停用。"
        "请在运行本应用的计算机上执行 `gongkai app-password` 设置密码（只保存加盐的散列值），然后刷新本页。",
        "This app can be reached from the network (not only from this machine, 127.0.0.1), but no password is "
        "set: importing and replacing lists are disabled. On the machine running the app, set one with "
        "`gongkai app-password` (only a salted hash is kept), then reload this page."))


def _password_form(access: Access) -> None:
    with st.form("auth_form"):
        typed = st.text_input(tr("密码", "Password"), type="password", key="auth_password")
        sent = st.form_submit_button(tr("登录", "Log in"), type="primary", icon=":material/login:")
    if not sent:
        return
    attempts = _attempts()
    wait = attempts.wait()
    if wait > 0:
        st.error(tr(f"登录失败次数过多，请 {math.ceil(wait)} 秒后再试。",
                    f"Too many failed logins: try again in {math.ceil(wait)} seconds."))
    elif access.check(typed):
        attempts.succeeded()
        st.session_state[_SESSION] = ("password", access.password)
        st.rerun()
    else:
        attempts.failed()
        time.sleep(1)   # each wrong guess costs a second, besides the limit above
        st.error(tr("密码不正确。", "Wrong password."))


def _oidc_configured(provider: str | None) -> bool:
    try:
        section = st.secrets.get("auth") or {}
    except Exception:  # no .streamlit/secrets.toml
        return False
    return bool(section) and (provider is None or provider in section)


def _oidc_button(access: Access) -> None:
    provider = access.oidc if isinstance(access.oidc, str) else None
    if not _oidc_configured(provider):
        st.warning(tr("访问设置启用了单位账号登录（oidc），但 .streamlit/secrets.toml 中没有相应的 [auth] 配置。",
                      "The access settings turn single sign-on (oidc) on, but .streamlit/secrets.toml has no "
                      "[auth] section for it."))
        return
    email = _oidc_email()
    if email and not access.admits(email):
        st.error(tr(f"账号 {md(email)} 无权在此写入。", f"The account {md(email)} may not write here."))
    st.button(tr("用单位账号登录", "Log in with your organisation's account"), key="auth_oidc",
              on_click=st.login, args=(provider,) if provider else (), icon=":material/badge:")


def may_write() -> bool:
    """Whether this browser may write now (served on 127.0.0.1, or logged in), without asking:
    for a page that only offers a writing action beside what it shows."""
    if not beyond_loopback():
        return True
    try:
        return user(load_access()) is not None
    except GongkaiError:
        return False


def require_login(purpose: str = "write") -> None:
    """Return when this browser may go on (``purpose``: write or read); else draw the login
    (or say how to set one up) and stop the page."""
    if not beyond_loopback():
        return
    try:
        access = load_access()
    except GongkaiError as e:
        st.error(tr("无法读取访问设置文件：", "The access settings file cannot be read: ") + md(e))
        st.stop()
    if purpose == "read" and access.read != "login":
        return
    who = user(access)
    if who:
        if purpose == "read" or access.read != "login":   # once a page: the read guard of every page drew it
            _sidebar(access, who)
        return
    if not access.can_log_in:
        _how_to_set()
        st.stop()
    if access.loose:
        st.warning(tr("访问设置文件可被其他用户读取：请执行 `chmod 600` 限制为仅本人可读。",
                      "The access settings file can be read by other users: restrict it with `chmod 600`."))
    st.info(tr("本应用可从网络访问：导入或替换清单需要先登录。", "This app can be reached from the network: log in "
               "to import or replace a list.") if purpose == "write" else
            tr("本应用需要登录后才能查看。", "Log in to use this app."), icon=":material/lock:")
    if access.password:
        _password_form(access)
    if access.oidc:
        _oidc_button(access)
    st.stop()
