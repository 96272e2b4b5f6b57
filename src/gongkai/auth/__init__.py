"""Who may use the app when it is served beyond this machine: passwords kept as salted
scrypt hashes (``passwords``), and the access settings file that holds one, with what
reading asks and which single sign-on (OIDC) users may write (``access``)."""

from __future__ import annotations

from gongkai.auth.access import Access, access_file, is_loopback, load_access, served_beyond_loopback, set_password
from gongkai.auth.passwords import LoginAttempts, hash_password, verify_password

__all__ = ["Access", "LoginAttempts", "access_file", "hash_password", "is_loopback", "load_access",
           "served_beyond_loopback", "set_password", "verify_password"]
