"""Run every property-based parser test with many examples and print how many each ran and whether it held.

    python tests/benchmarks/fuzz.py [EXAMPLES]      (default 5000 per test)

The same tests run in the suite with 250 examples each (the "suite" hypothesis profile in tests/conftest.py).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FILES = ["tests/test_captions.py", "tests/test_sources.py", "tests/test_metadata.py"]


def main() -> None:
    examples = sys.argv[1] if len(sys.argv) > 1 else "5000"
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-m", "fuzz",
                           "--hypothesis-show-statistics", *FILES],
                          cwd=REPO, env={**os.environ, "FUZZ_EXAMPLES": examples}, capture_output=True, text=True)
    print(f"{'property test':85s} {'examples':>9s}  result")
    total = 0
    for block in re.split(r"\n(?=tests/\S+::)", done.stdout):
        name = re.match(r"(tests/\S+::\S+)", block)
        counts = re.findall(r"(\d+) passing, (\d+) failing, and (\d+) invalid", block)
        if name and counts:
            passing, failing, invalid = (sum(int(c[i]) for c in counts) for i in range(3))
            total += passing + failing
            print(f"{name.group(1).rstrip(':'):85s} {passing + failing:9d}  {'FAILED' if failing else 'held'}"
                  + (f" ({invalid} invalid)" if invalid else ""))
    lines = done.stdout.strip().splitlines()
    print(f"{total} examples in all; pytest: {lines[-1] if lines else done.stderr[-300:]}")
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
