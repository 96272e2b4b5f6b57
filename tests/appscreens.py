"""The app's list of screens (app/screens.py), for the tests that visit them all."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("gongkai_app_screens",
                                               Path(__file__).resolve().parents[1] / "app" / "screens.py")
assert _spec is not None and _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _module  # dataclasses look their module up there
_spec.loader.exec_module(_module)

SCREENS = _module.SCREENS
