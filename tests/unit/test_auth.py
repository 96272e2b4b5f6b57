"""Passwords kept as salted hashes, the access settings file and what counts as this machine
only (src/gongkai/auth), and `gongkai app-password` that writes the file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai import GongkaiError
from gongkai.auth import (
    Access,
    LoginAttempts,
    access_file,
    hash_password,
    is_loopback,
    load_access,
    served_beyond_loopback,
    set_password,
    verify_password,
)
from gongkai.auth import passwords as pw
from gongkai.cli.common import app

FAST = {"n": 2**10}   # a cheap hash for the tests that do not measure its strength


def test_the_right_password_is_accepted_and_a_wrong_one_refused() -> None:
    stored = hash_password("清单导入-2026", **FAST)
    assert verify_password("清单导入-2026", stored)
    assert not verify_password("清单导入-2025", stored)
    assert not verify_password("", stored)
    assert not verify_password("清单导入-2026 ", stored)


def test_a_hash_is_salted_and_names_its_scheme_and_cost() -> None:
    a, b = hash_password("same password"), hash_password("same password")
    assert a != b                                     # a new salt each time
    scheme, params, salt, key = a.split("$")
    assert (scheme, params) == ("scrypt", f"n={pw.N},r={pw.R},p={pw.P}")
    assert pw.N >= 2**14                              # memory-hard enough to slow guessing
    assert len(pw._unb64(salt)) == pw.SALT_BYTES == 16
    assert len(pw._unb64(key)) == pw.KEY_BYTES
    assert "same password" not in a
    assert verify_password("same password", a) and verify_password("same password", b)


@pytest.mark.parametrize("stored", [None, "", "same password", "pbkdf2$n=1024,r=8,p=1$AAAA$AAAA",
                                    "scrypt$n=1000,r=8,p=1$AAAA$AAAA", "scrypt$n=1024$AAAA$AAAA",
                                    "scrypt$n=4194304,r=8,p=1$AAAA$AAAA", "scrypt$n=1024,r=64,p=1$AAAA$AAAA",
                                    "scrypt$n=1024,r=8,p=1$!!$AAAA"])
def test_a_missing_or_malformed_hash_refuses_every_password(stored) -> None:
    assert not verify_password("same password", stored)


def test_the_comparison_takes_the_same_time_wherever_the_keys_differ(monkeypatch) -> None:
    """The derived key is compared with hmac.compare_digest, not ==."""
    seen: list[tuple[bytes, bytes]] = []
    real = pw.hmac.compare_digest

    def spy(a, b):
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(pw.hmac, "compare_digest", spy)
    stored = hash_password("right password", **FAST)
    assert not verify_password("wrong password", stored)
    assert verify_password("right password", stored)
    assert len(seen) == 2 and all(len(a) == len(b) == pw.KEY_BYTES for a, b in seen)


@pytest.mark.parametrize(("address", "loopback"), [
    ("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("::", False), ("", False), (None, False), ("192.168.1.20", False),
    ("10.0.0.5", False), ("gongkai.example.gov.cn", False), ("127.0.0.1.example.org", False)])
def test_only_loopback_addresses_are_this_machine_only(address, loopback) -> None:
    assert is_loopback(address) is loopback


@pytest.mark.parametrize(("bound", "claimed", "beyond"), [
    ("127.0.0.1", None, False), ("0.0.0.0", None, True), (None, None, True), ("", None, True),
    ("127.0.0.1", "0.0.0.0", True),          # a reverse proxy on 127.0.0.1 serves the network
    ("127.0.0.1", "localhost", False),
    ("0.0.0.0", "127.0.0.1", True),          # the claim cannot waive the login the bound address calls for
])
def test_gongkai_address_can_ask_for_a_login_never_waive_one(monkeypatch, bound, claimed, beyond) -> None:
    if claimed is None:
        monkeypatch.delenv("GONGKAI_ADDRESS", raising=False)
    else:
        monkeypatch.setenv("GONGKAI_ADDRESS", claimed)
    assert served_beyond_loopback(bound) is beyond


def test_no_file_means_no_password_and_reading_open(tmp_path) -> None:
    access = load_access(tmp_path / "access.toml")
    assert access == Access(path=tmp_path / "access.toml")
    assert not access.can_log_in and access.read == "open"
    assert not access.check("")


def test_set_password_writes_only_a_hash_readable_by_its_owner(tmp_path) -> None:
    path = tmp_path / "conf" / "access.toml"
    old = os.umask(0)           # the most open umask: the file is still 0600
    try:
        set_password("correct horse", path, read="login")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert "correct horse" not in text and "scrypt$" in text
    access = load_access(path)
    assert access.check("correct horse") and not access.check("correct horsE")
    assert access.read == "login" and not access.loose
    # a new password replaces the old; the other settings are kept
    set_password("battery staple", path)
    again = load_access(path)
    assert again.check("battery staple") and not again.check("correct horse") and again.read == "login"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["access.toml"]   # no temporary file left
    set_password(None, path)
    assert load_access(path).password is None


def test_a_file_others_can_read_is_flagged(tmp_path) -> None:
    path = tmp_path / "access.toml"
    path.write_text(f'[access]\npassword = "{hash_password("correct horse", **FAST)}"\n', encoding="utf-8")
    path.chmod(0o644)
    assert load_access(path).loose


def test_a_short_password_is_refused(tmp_path) -> None:
    with pytest.raises(GongkaiError, match="at least 8 characters"):
        set_password("short", tmp_path / "access.toml")
    assert not (tmp_path / "access.toml").exists()


@pytest.mark.parametrize(("text", "why"), [
    ('[access]\npassword = "correct horse"\n', "never the password itself"),
    ('[access]\nread = "closed"\n', 'read must be "open" or "login"'),
    ('[access]\nusers = "a@b.cn"\n', "users must be a list"),
    ("[access\n", "is not a TOML file"),
])
def test_a_wrong_file_is_an_error_naming_it(tmp_path, text, why) -> None:
    path = tmp_path / "access.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GongkaiError, match=r"access\.toml") as e:
        load_access(path)
    assert why in str(e.value)


def test_single_sign_on_admits_the_listed_users_only() -> None:
    assert not Access(users=("a@b.cn",)).admits("a@b.cn")          # no OIDC configured
    sso = Access(oidc=True, users=("Li.Ming@example.gov.cn",))
    assert sso.can_log_in
    assert sso.admits("li.ming@example.gov.cn") and not sso.admits("wang@example.gov.cn") and not sso.admits(None)
    assert Access(oidc="keycloak", users=("*",)).admits("anyone@example.gov.cn")
    assert not Access(oidc=True).admits("anyone@example.gov.cn")    # nobody listed: nobody writes


def test_the_access_file_is_in_the_project_unless_the_environment_names_one(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("GONGKAI_ACCESS_FILE", raising=False)
    assert access_file(tmp_path) == tmp_path / ".streamlit" / "access.toml"
    monkeypatch.setenv("GONGKAI_ACCESS_FILE", str(tmp_path / "x.toml"))
    assert access_file(tmp_path) == tmp_path / "x.toml"


def test_failed_logins_are_slowed_down() -> None:
    now = [1000.0]
    attempts = LoginAttempts(limit=3, window=60, clock=lambda: now[0])
    for _ in range(2):
        attempts.failed()
        now[0] += 1
    assert attempts.wait() == 0
    attempts.failed()
    assert attempts.wait() == pytest.approx(58)     # the first failure is 60 s old at 1060
    now[0] += 58
    assert attempts.wait() == 0
    attempts.failed()
    attempts.succeeded()
    assert attempts.wait() == 0


def test_app_password_sets_the_password_from_standard_input(tmp_path) -> None:
    path = tmp_path / "access.toml"
    r = CliRunner().invoke(app, ["app-password", "--file", str(path), "--password-stdin", "--read", "login"],
                           input="正确的密码 2026\n")
    assert r.exit_code == 0, r.output
    access = load_access(path)
    assert access.check("正确的密码 2026") and access.read == "login"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    r = CliRunner().invoke(app, ["app-password", "--file", str(path), "--remove"])
    assert r.exit_code == 0 and load_access(path).password is None


def test_app_password_refuses_what_it_cannot_keep(tmp_path) -> None:
    path = tmp_path / "access.toml"
    r = CliRunner().invoke(app, ["app-password", "--file", str(path), "--password-stdin"], input="short\n")
    assert r.exit_code == 2 and "at least 8 characters" in r.output
    r = CliRunner().invoke(app, ["app-password", "--file", str(path), "--read", "everyone"], input="x" * 10)
    assert r.exit_code == 2 and "--read must be open or login" in r.output
    assert not path.exists()


def test_app_password_without_a_terminal_asks_for_standard_input(tmp_path) -> None:
    path = tmp_path / "access.toml"
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", "app-password", "--file", str(path)],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")})
    assert r.returncode == 2 and "--password-stdin" in r.stderr
    assert not path.exists()
