"""pytest: make training/ importable and keep the decoded-data cache inside the test's temp dir."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
