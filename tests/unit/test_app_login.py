"""The app's login (app/auth.py), driven with Streamlit's AppTest: nothing is asked on
127.0.0.1; served beyond it, the import page asks for the password set with `gongkai
app-password`, refuses to write without one, and reading asks too when configured. No
knowledge graph is needed: the guard stands before the page reads the store."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from gongkai.auth import set_password

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app" / "streamlit_app.py"
PASSWORD = "正确的密码-2026"
NOT_BUILT = "尚未构建知识图谱"     # what the import page says past the guard, with no build


@pytest.fixture
def env(tmp_path, monkeypatch) -> Path:
    """An empty build folder and an access file of the test's own; the failed logins of
    earlier tests forgotten."""
    monkeypatch.chdir(ROOT)                       # .streamlit/config.toml: bound to 127.0.0.1
    monkeypatch.setenv("GONGKAI_BUILD", str(tmp_path / "build"))
    monkeypatch.delenv("GONGKAI_ENDPOINT", raising=False)
    monkeypatch.delenv("GONGKAI_ADDRESS", raising=False)
    access = tmp_path / "access.toml"
    monkeypatch.setenv("GONGKAI_ACCESS_FILE", str(access))
    st.cache_resource.clear()
    return access


def _page(page: str = "import_list") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    return at.switch_page(f"app_pages/{page}.py").run()


def _texts(at: AppTest) -> str:
    return "\n".join(e.value for kind in (at.warning, at.info, at.error, at.markdown) for e in kind)


def _asks_login(at: AppTest) -> bool:
    return any(t.key == "auth_password" for t in at.text_input)



def test_on_this_machine_only_nothing_is_asked(env) -> None:
    set_password(PASSWORD, env)
    at = _page()
    assert not at.exception
    assert not _asks_login(at)
    assert NOT_BUILT in _texts(at)                # the page went on to read the store


def test_served_beyond_loopback_without_a_password_the_import_page_refuses_and_says_how(env, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_ADDRESS", "0.0.0.0")
    at = _page()
    assert not at.exception
    text = _texts(at)
    assert "尚未设置登录密码" in text and "gongkai app-password" in text
    assert NOT_BUILT not in text and not _asks_login(at) and not at.file_uploader
    # reading stays open
    over = _page("overview")
    assert not _asks_login(over) and "尚未设置登录密码" not in _texts(over)


def test_a_wrong_password_is_refused_and_the_right_one_lets_the_page_go_on(env, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_ADDRESS", "0.0.0.0")
    set_password(PASSWORD, env)
    at = _page()
    assert _asks_login(at) and NOT_BUILT not in _texts(at)
    at.text_input(key="auth_password").input("不对的密码-2026")
    at.button[0].click().run()
    assert "密码不正确。" in [e.value for e in at.error]
    assert NOT_BUILT not in _texts(at)
    at.text_input(key="auth_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception and not _asks_login(at)
    assert NOT_BUILT in _texts(at)
    assert any(b.key == "auth_logout" for b in at.button)
    # a new password set meanwhile: this session is logged out
    set_password("另一个密码-2027", env)
    at.run()
    assert _asks_login(at) and NOT_BUILT not in _texts(at)


def test_logging_out_asks_again(env, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_ADDRESS", "192.168.1.20")
    set_password(PASSWORD, env)
    at = _page()
    at.text_input(key="auth_password").input(PASSWORD)
    at.button[0].click().run()
    assert not _asks_login(at)
    at.button(key="auth_logout").click().run()
    assert _asks_login(at)


def test_repeated_failures_are_refused_for_a_while(env, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_ADDRESS", "0.0.0.0")
    set_password(PASSWORD, env)
    at = _page()
    for _ in range(5):
        at.text_input(key="auth_password").input("不对的密码-2026")
        at.button[0].click().run()
    at.text_input(key="auth_password").input(PASSWORD)    # even the right one, for now
    at.button[0].click().run()
    assert any("登录失败次数过多" in e.value for e in at.error)
    assert _asks_login(at)


def test_reading_asks_for_the_login_when_configured(env, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_ADDRESS", "0.0.0.0")
    set_password(PASSWORD, env, read="login")
    at = _page("overview")
    assert _asks_login(at) and "本应用需要登录后才能查看" in _texts(at)
    at.text_input(key="auth_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception and not _asks_login(at)
    imp = at.switch_page("app_pages/import_list.py").run()
    assert not imp.exception and not _asks_login(imp) and NOT_BUILT in _texts(imp)
    assert [b.key for b in imp.button].count("auth_logout") == 1


def _sso_page(env: Path, user: dict, *, configured: bool = True) -> AppTest:
    env.write_text('[access]\noidc = true\nusers = ["li.ming@example.gov.cn"]\n', encoding="utf-8")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.user = user
    if configured:   # .streamlit/secrets.toml
        at.secrets["auth"] = {"redirect_uri": "http://gongkai.example.gov.cn/oauth2callback", "cookie_secret": "x",
                              "client_id": "gongkai", "client_secret": "y",
                              "server_metadata_url": "https://sso.example.gov.cn/.well-known/openid-configuration"}
    at.run()
    return at.switch_page("app_pages/import_list.py").run()


def test_single_sign_on_offers_its_button_and_admits_the_listed_users_only(env, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_ADDRESS", "0.0.0.0")
    out = _sso_page(env, {"is_logged_in": False})
    assert not out.exception and not _asks_login(out)             # no password configured: no password field
    assert any(b.key == "auth_oidc" for b in out.button) and NOT_BUILT not in _texts(out)
    unset = _sso_page(env, {"is_logged_in": False}, configured=False)
    assert any("没有相应的 [auth] 配置" in w.value for w in unset.warning)
    assert not any(b.key == "auth_oidc" for b in unset.button) and NOT_BUILT not in _texts(unset)
    other = _sso_page(env, {"is_logged_in": True, "email": "wang@example.gov.cn"})
    assert any("无权在此写入" in e.value for e in other.error) and NOT_BUILT not in _texts(other)
    listed = _sso_page(env, {"is_logged_in": True, "email": "Li.Ming@example.gov.cn"})
    assert not listed.exception and NOT_BUILT in _texts(listed)
    assert any(b.key == "auth_logout" for b in listed.sidebar.button)


def test_the_server_s_own_address_is_what_counts_first(env, monkeypatch) -> None:
    """Bound to every network (``make run HOST=0.0.0.0``): asked, whatever GONGKAI_ADDRESS says."""
    from streamlit import config

    monkeypatch.setenv("GONGKAI_ADDRESS", "127.0.0.1")
    set_password(PASSWORD, env)
    bound = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = _page()
    finally:
        config.set_option("server.address", bound)
    assert _asks_login(at) and NOT_BUILT not in _texts(at)
