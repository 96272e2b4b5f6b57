"""Passwords as salted scrypt hashes, never as they were typed.

A hash reads ``scrypt$n=32768,r=8,p=1$<salt>$<key>`` (salt and key in base64): a random
16-byte salt for each password, so that the same password gives a different hash each time
and a table of precomputed hashes is of no use; a key derived with scrypt (memory-hard, from
the standard library's ``hashlib``); checked with a comparison whose time does not depend
on where the bytes differ (``hmac.compare_digest``). ``LoginAttempts`` slows guessing down.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable

SCHEME = "scrypt"
N, R, P = 2**15, 8, 1          # 32 MiB and about 0.1 s for each hash on a laptop
SALT_BYTES = 16
KEY_BYTES = 32
MIN_LENGTH = 8                 # characters a new password has at least
_MAX_N, _MAX_R = 2**18, 16     # a hash read from a file asks for at most 512 MiB


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES,
                          maxmem=256 * n * r + 2**20)  # scrypt needs 128·n·r bytes


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """``password`` as a salted scrypt hash (a new random salt at each call)."""
    salt = secrets.token_bytes(SALT_BYTES)
    return f"{SCHEME}$n={n},r={r},p={p}${_b64(salt)}${_b64(_derive(password, salt, n, r, p))}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    """(n, r, p, salt, key) of a hash, or None when it is not one this module writes."""
    try:
        scheme, params, salt, key = stored.strip().split("$")
        if scheme != SCHEME:
            return None
        values = dict(part.split("=", 1) for part in params.split(","))
        n, r, p = int(values["n"]), int(values["r"]), int(values["p"])
        if n < 2 or n > _MAX_N or n & (n - 1) or not 1 <= r <= _MAX_R or not 1 <= p <= 16:
            return None
        return n, r, p, _unb64(salt), _unb64(key)
    except (ValueError, KeyError):
        return None


def is_password_hash(stored: str) -> bool:
    """True for a hash as ``hash_password`` writes it."""
    return _parse(stored) is not None


def verify_password(password: str, stored: str | None) -> bool:
    """True when ``password`` is the one ``stored`` was made from; False for any other, and
    for a missing or malformed hash (never an exception: a login form only says no)."""
    parsed = _parse(stored or "")
    if parsed is None:
        return False
    n, r, p, salt, key = parsed
    try:
        derived = _derive(password, salt, n, r, p)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(derived, key)


class LoginAttempts:
    """Failed logins of one app (every browser together): after ``limit`` failures within
    ``window`` seconds, no password is checked until the oldest of them is ``window`` seconds
    old, so that guessing a password from the network takes years rather than hours."""

    def __init__(self, limit: int = 5, window: float = 300.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: list[float] = []
        self._lock = threading.Lock()   # the app checks passwords in one thread per browser

    def _recent(self) -> list[float]:
        now = self._clock()
        self._failures = [t for t in self._failures if now - t < self.window]
        return self._failures

    def wait(self) -> float:
        """Seconds before another password may be tried (0: now)."""
        with self._lock:
            recent = self._recent()
            if len(recent) < self.limit:
                return 0.0
            return max(0.0, recent[-self.limit] + self.window - self._clock())

    def failed(self) -> None:
        with self._lock:
            self._recent().append(self._clock())

    def succeeded(self) -> None:
        with self._lock:
            self._failures.clear()
