import sys
from pathlib import Path

# tests/golden.py and other shared helpers
sys.path.insert(0, str(Path(__file__).resolve().parent))
