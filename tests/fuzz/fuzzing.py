"""What the fuzz tests share: reproducible, bounded Hypothesis settings and a time bound
for every example.

Every run tests the same examples (``derandomize``: the seed is a hash of the test, no
example database is kept), so a failure seen once is seen again, in CI too. Each example
runs under ``time_bound``: past ``EXAMPLE_SECONDS`` a ``Hang`` is raised inside the code
under test (a ``BaseException``, so that no ``except Exception`` in it can swallow it); code
stuck inside C, where no Python signal handler runs, is ended with a traceback by
``faulthandler`` a little later.

``GONGKAI_FUZZ_SCALE=20`` multiplies every test's examples by 20 and draws new random
ones on each run: a longer search, by hand, whose findings become regression examples.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import signal
import sys
from collections.abc import Iterator

from hypothesis import HealthCheck, settings

#: the longest one example may take (the slowest real reading, a Word file, takes ~0.1 s)
EXAMPLE_SECONDS = 10

settings.register_profile(
    "fuzz",
    derandomize=True,
    database=None,
    deadline=None,              # time is bounded by time_bound, which also stops a hang
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Hang(BaseException):
    """An example ran past its time bound."""


@contextlib.contextmanager
def time_bound(seconds: float = EXAMPLE_SECONDS) -> Iterator[None]:
    """Raise ``Hang`` in the code under test when it runs longer than ``seconds``."""
    def alarm(signum, frame):
        raise Hang(f"an example ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(seconds * 3, exit=True, file=sys.stderr)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        faulthandler.cancel_dump_traceback_later()

FUZZ = settings.get_profile("fuzz")
SCALE = float(os.environ.get("GONGKAI_FUZZ_SCALE", "1"))


def fuzz(max_examples: int) -> settings:
    """The settings of a fuzz test running ``max_examples`` examples (see the module docstring)."""
    return settings(FUZZ, max_examples=max(1, int(max_examples * SCALE)), derandomize=SCALE == 1)
