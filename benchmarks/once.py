"""Run one side of the benchmark program once, for a profiler.

    py-spy record --gil -o pair.svg -- .venv/bin/python -m benchmarks.once pair 1000

The first, untimed run of 10 pairs imports what the side needs, so a profile shows the steady
state rather than imports.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from benchmarks.run import GC_MODES, SIDES, collector, load_bench_project, run_side


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.once", description=__doc__)
    parser.add_argument("side", choices=SIDES)
    parser.add_argument("pairs", type=int)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--gc", choices=GC_MODES, default="engine", help="as in benchmarks.run")
    args = parser.parse_args(argv)
    project = load_bench_project()
    run_side(project, args.side, 10)
    for _ in range(args.repeats):
        with collector(args.gc):
            start = time.perf_counter()
            run_side(project, args.side, args.pairs)
        print(f"{args.side} N={args.pairs}: {time.perf_counter() - start:.3f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
