"""`make bench`: run every benchmark script in bench/ and print its numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    failed = 0
    # Skip dunder/private files: `__main__.py` matches "*_*.py" and would run itself forever.
    for script in sorted(p for p in here.glob("*_*.py") if not p.name.startswith("_")):
        print(f"== {script.name}", flush=True)
        rc = subprocess.call([sys.executable, str(script)])
        if rc:
            print(f"   {script.name} exited {rc}", flush=True)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
