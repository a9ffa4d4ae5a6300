"""Where the real sample of the source site is: not part of the repository."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# CIVIC_SAMPLE_SITE points the sample tests at a copy of the source site kept elsewhere.
SAMPLE = Path(
    os.environ.get("CIVIC_SAMPLE_SITE") or REPO / ".." / "shared" / "fixtures" / "platoniq-sample"
).resolve()
NO_SAMPLE = f"the shared sample site is not available at {SAMPLE} (set CIVIC_SAMPLE_SITE)"
