"""The access settings file, and whether an address reaches beyond this machine.

The app asks for a login only when it is served beyond 127.0.0.1 (``is_loopback``). Then
writing (importing or replacing a list) needs a login, and reading needs one when the file
says ``read = "login"``. The file (``.streamlit/access.toml`` in the project, or the one
``GONGKAI_ACCESS_FILE`` names) is written by ``gongkai app-password``, readable by its owner
only::

    [access]
    password = "scrypt$n=32768,r=8,p=1$…$…"   # a salted hash, never the password
    read = "open"                              # or "login"
    oidc = false                               # true, or a provider of .streamlit/secrets.toml [auth]
    users = []                                 # e-mail addresses that may write after an OIDC login
"""

from __future__ import annotations

import ipaddress
import json
import os
import stat
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from gongkai.auth.passwords import MIN_LENGTH, hash_password, is_password_hash, verify_password
from gongkai.errors import GongkaiError
from gongkai.settings import _project_root

READ_MODES = ("open", "login")


def access_file(root: Path | None = None) -> Path:
    """``GONGKAI_ACCESS_FILE``, else ``.streamlit/access.toml`` in the project."""
    env = os.environ.get("GONGKAI_ACCESS_FILE", "").strip()
    return Path(env) if env else (root or _project_root()) / ".streamlit" / "access.toml"


def is_loopback(address: str | None) -> bool:
    """True when a server bound to ``address`` is reachable from this machine only:
    127.0.0.0/8, ::1 or ``localhost``. An empty address (every network, Streamlit's default
    without a config file), 0.0.0.0, ::, a LAN address or any other host name: False."""
    a = (address or "").strip().strip("[]").lower()
    if a == "localhost":
        return True
    try:
        return ipaddress.ip_address(a).is_loopback
    except ValueError:
        return False


def served_beyond_loopback(bound: str | None) -> bool:
    """True when the app can be reached from other machines: the address its server is bound
    to is not a loopback address, or ``GONGKAI_ADDRESS`` names one that is not (a reverse proxy
    on 127.0.0.1 that the network reaches: set it to 0.0.0.0). ``GONGKAI_ADDRESS`` can only
    ask for a login, never waive one that the bound address calls for."""
    claimed = os.environ.get("GONGKAI_ADDRESS", "").strip()
    return not is_loopback(bound) or (bool(claimed) and not is_loopback(claimed))


@dataclass(frozen=True)
class Access:
    """What the settings file says (nothing: no password, reading open, no single sign-on)."""

    password: str | None = None           # the salted hash
    read: str = "open"                    # open | login
    oidc: str | bool = False              # single sign-on with st.login: True, or a provider's name
    users: tuple[str, ...] = ()           # who may write after single sign-on ("*": anyone it admits)
    path: Path | None = None
    loose: bool = False                   # the file can be read by others than its owner

    @property
    def can_log_in(self) -> bool:
        """A password or single sign-on is configured."""
        return bool(self.password) or bool(self.oidc)

    def check(self, password: str) -> bool:
        return verify_password(password, self.password)

    def admits(self, email: str | None) -> bool:
        """A user signed in with OIDC may write: listed in ``users`` (in any case), or ``*``."""
        if not self.oidc or not email:
            return False
        wanted = email.strip().lower()
        return any(u == "*" or u.strip().lower() == wanted for u in self.users)


def _fail(path: Path, why: str) -> GongkaiError:
    return GongkaiError(f"{path}: {why} (see `gongkai app-password --help`)")


def load_access(path: Path | None = None) -> Access:
    """The access settings in ``path`` (default ``access_file()``); no file: ``Access()``.
    ``GongkaiError`` naming the file for one that cannot be read or says something wrong."""
    path = path or access_file()
    try:
        raw = path.read_bytes()
        mode = path.stat().st_mode
    except FileNotFoundError:
        return Access(path=path)
    except OSError as e:
        raise _fail(path, f"cannot be read: {e.strerror or e}") from e
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise _fail(path, f"is not a TOML file: {e}") from e
    section = doc.get("access", {})
    if not isinstance(section, dict):
        raise _fail(path, "[access] must be a table")
    password = section.get("password") or None
    if password is not None and not (isinstance(password, str) and is_password_hash(password)):
        raise _fail(path, "password must be a hash written by `gongkai app-password`, never the password itself")
    read = section.get("read", "open")
    if read not in READ_MODES:
        raise _fail(path, f"read must be \"open\" or \"login\", not {read!r}")
    oidc = section.get("oidc", False)
    if not isinstance(oidc, (bool, str)):
        raise _fail(path, "oidc must be true, false or the name of a provider")
    users = section.get("users", [])
    if not (isinstance(users, list) and all(isinstance(u, str) for u in users)):
        raise _fail(path, "users must be a list of e-mail addresses")
    return Access(password, read, oidc, tuple(users), path, loose=bool(stat.S_IMODE(mode) & 0o077))


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def _write_private(path: Path, text: str) -> None:
    """``text`` into ``path``, readable and writable by its owner only (0600), replacing the
    file whole: into a new file beside it, created 0600, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_access(access: Access, path: Path) -> Path:
    lines = ["# gongkai: who may use the app when it is served beyond this machine (127.0.0.1).",
             "# Written by `gongkai app-password`; the password is kept as a salted scrypt hash.", "",
             "[access]"]
    if access.password:
        lines.append(f"password = {_toml(access.password)}")
    lines.append(f"read = {_toml(access.read)}   # open: anyone who reaches the app reads; login: reading too")
    lines.append(f"oidc = {_toml(access.oidc)}   # true or a provider of .streamlit/secrets.toml [auth]: st.login")
    lines.append(f"users = {_toml(list(access.users))}   # who may write after an OIDC login (\"*\": anyone)")
    _write_private(path, "\n".join(lines) + "\n")
    return path


def set_password(password: str | None, path: Path | None = None, *, read: str | None = None) -> Path:
    """Keep ``password``'s hash in the access file (None: remove the password), and ``read``
    when given; the file's other settings are kept. Returns the file written."""
    path = path or access_file()
    current = load_access(path)
    if password is not None and len(password) < MIN_LENGTH:
        raise GongkaiError(f"the password is too short: use at least {MIN_LENGTH} characters")
    if read is not None and read not in READ_MODES:
        raise GongkaiError(f"read must be open or login, not {read!r}")
    new = replace(current, password=hash_password(password) if password is not None else None,
                  read=read or current.read)
    return write_access(new, path)
