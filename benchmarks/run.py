"""Time StatefulServicePair against the same Kubernetes objects written by hand.

`make bench` runs this as `python -m benchmarks.run`. Everything runs under the offline engine
(`components.offline.engine.run_program`, the project's Kubernetes mocks), the same way for
both sides:

- **construction**: `benchmarks/program` builds N default pairs (`side=pair`) or exactly the
  objects they create, written by hand with `pulumi_kubernetes` (`side=hand`); every N is timed
  several times, the two sides alternating, and the medians are compared. Before timing, the
  two sides' objects are checked to be identical, so the comparison cannot drift.
- **imports**: a fresh interpreter per measurement times `import pulumi_kubernetes.core.v1,
  pulumi_kubernetes.apps.v1` alone and together with `import components`.
- **first pair**: a fresh interpreter builds one pair (or the hand-written objects) and lists
  the `pulumi_kubernetes` modules that were imported on the way.

Times are wall-clock seconds (`time.perf_counter`). "of which GC" is the time Python's cyclic
garbage collector ran during the timed runs, from `gc.callbacks`.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from components.offline.engine import ProgramRun, run_program
from components.offline.project import Project, load_project, resolve_config

PROGRAM = Path(__file__).resolve().parent / "program"
STACK = "bench"
SIDES = ("hand", "pair")
# What a pair of default arguments creates; the hand-written side must create the same.
OBJECTS_PER_PAIR = 4

# Targets from issue #6.
MAX_PAIR_RATIO = 1.35
MAX_SCALING = 1.2
MAX_IMPORT_OVERHEAD = 0.10

BASELINE_IMPORT = "import pulumi_kubernetes.core.v1, pulumi_kubernetes.apps.v1"
COMPONENT_IMPORT = "import components"


def load_bench_project() -> Project:
    """The benchmark program of this directory."""
    return load_project(PROGRAM)


def run_side(project: Project, side: str, pairs: int) -> ProgramRun:
    """Run the benchmark program once for `side` (`pair` or `hand`) with `pairs` pairs."""
    config = resolve_config(project, STACK, [f"side={side}", f"pairs={pairs}"])
    return run_program(project, stack=STACK, config=config)


def objects_by_resource(run: ProgramRun) -> dict[tuple[str, str], dict[str, Any]]:
    """Each created object's manifest (wire form) keyed by (Pulumi type, logical name)."""
    return {(obj.type_token, obj.logical_name): obj.manifest for obj in run.objects}


def check_same_objects(hand: ProgramRun, pair: ProgramRun, pairs: int) -> None:
    """Raise AssertionError unless both runs created the same objects with the same specs."""
    hand_objects, pair_objects = objects_by_resource(hand), objects_by_resource(pair)
    expected = OBJECTS_PER_PAIR * pairs
    if len(pair.objects) != expected or len(pair_objects) != expected:
        raise AssertionError(f"{pairs} pairs created {len(pair.objects)} objects, not {expected}")
    only_hand = sorted(hand_objects.keys() - pair_objects.keys())
    only_pair = sorted(pair_objects.keys() - hand_objects.keys())
    if only_hand or only_pair:
        raise AssertionError(f"only hand-written: {only_hand[:4]}; only in pairs: {only_pair[:4]}")
    different = sorted(key for key in pair_objects if pair_objects[key] != hand_objects[key])
    if different:
        key = different[0]
        raise AssertionError(
            f"{len(different)} objects differ, e.g. {key}:\n"
            f"  pair: {json.dumps(pair_objects[key], sort_keys=True)}\n"
            f"  hand: {json.dumps(hand_objects[key], sort_keys=True)}"
        )


@contextmanager
def gc_timer() -> Iterator[list[float]]:
    """Yield a one-item list that ends up holding the seconds the cyclic GC ran."""
    total = [0.0]
    started = [0.0]

    def callback(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            total[0] += time.perf_counter() - started[0]

    gc.callbacks.append(callback)
    try:
        yield total
    finally:
        gc.callbacks.remove(callback)


@dataclass
class SizeResult:
    """Timed runs of both sides at one N."""

    pairs: int
    seconds: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in SIDES})
    gc_seconds: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in SIDES})

    def median(self, side: str) -> float:
        return statistics.median(self.seconds[side])

    def per_pair_ms(self, side: str) -> float:
        return self.median(side) / self.pairs * 1000

    def gc_share(self, side: str) -> float:
        return statistics.median(self.gc_seconds[side]) / self.median(side)

    @property
    def ratio(self) -> float:
        """Pair time over hand-written time (medians)."""
        return self.median("pair") / self.median("hand")


def time_size(
    project: Project, pairs: int, repeats: int, log: Callable[[str], None], *, no_gc: bool = False
) -> SizeResult:
    """Check both sides create the same objects, then time them `repeats` times, alternating."""
    check_same_objects(run_side(project, "hand", pairs), run_side(project, "pair", pairs), pairs)
    result = SizeResult(pairs)
    for repeat in range(repeats):
        # Alternate which side goes first, so drift on the machine hits both alike.
        order = SIDES if repeat % 2 == 0 else SIDES[::-1]
        for side in order:
            gc.collect()
            if no_gc:
                gc.disable()
            try:
                with gc_timer() as gc_seconds:
                    start = time.perf_counter()
                    run_side(project, side, pairs)
                    elapsed = time.perf_counter() - start
            finally:
                gc.enable()
            result.seconds[side].append(elapsed)
            result.gc_seconds[side].append(gc_seconds[0])
        log(
            f"  N={pairs} run {repeat + 1}/{repeats}: "
            + ", ".join(f"{side} {result.seconds[side][-1]:.3f}s" for side in SIDES)
        )
    return result


def fresh_interpreter(code: str) -> Any:
    """Run `code` in a new interpreter (this one's, same sys.path) and parse its JSON output."""
    completed = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _timed_import_code(statements: Sequence[str]) -> str:
    lines = ["import json, time", "start = time.perf_counter()"]
    lines += list(statements)
    lines += ["print(json.dumps(time.perf_counter() - start))"]
    return "\n".join(lines)


@dataclass
class ImportResult:
    """Import times in fresh interpreters, seconds."""

    baseline: list[float] = field(default_factory=list)
    with_components: list[float] = field(default_factory=list)
    components_alone: list[float] = field(default_factory=list)

    @property
    def overhead(self) -> float:
        """What `import components` adds to the baseline import, as a fraction of it (medians)."""
        base = statistics.median(self.baseline)
        return (statistics.median(self.with_components) - base) / base


def time_imports(repeats: int) -> ImportResult:
    """Time the baseline import with and without `import components`, alternating."""
    codes = {
        "baseline": _timed_import_code([BASELINE_IMPORT]),
        "with_components": _timed_import_code([COMPONENT_IMPORT, BASELINE_IMPORT]),
        "components_alone": _timed_import_code([COMPONENT_IMPORT]),
    }
    for code in codes.values():  # write bytecode caches before timing
        fresh_interpreter(code)
    result = ImportResult()
    for _ in range(repeats):
        for name, code in codes.items():
            getattr(result, name).append(fresh_interpreter(code))
    return result


FIRST_PAIR_CODE = """
import json, sys, time
start = time.perf_counter()
from benchmarks.run import load_bench_project, run_side
run_side(load_bench_project(), {side!r}, 1)
elapsed = time.perf_counter() - start
modules = sorted(m for m in sys.modules if m.startswith("pulumi_kubernetes."))
print(json.dumps({{"seconds": elapsed, "modules": modules}}))
"""


@dataclass
class FirstPairResult:
    """Fresh interpreter to one built pair: seconds, and the pulumi_kubernetes modules loaded."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in SIDES})
    modules: dict[str, list[str]] = field(default_factory=dict)


def time_first_pair(repeats: int) -> FirstPairResult:
    """Time a cold start to one pair for each side and record the modules it imported."""
    result = FirstPairResult()
    root = str(Path(__file__).resolve().parent.parent)
    for _ in range(repeats):
        for side in SIDES:
            code = f"import sys; sys.path.insert(0, {root!r})\n" + FIRST_PAIR_CODE.format(side=side)
            answer = fresh_interpreter(code)
            result.seconds[side].append(answer["seconds"])
            result.modules[side] = answer["modules"]
    return result


def describe_machine() -> dict[str, str]:
    """CPU model, core count and Python version, for the results table."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def report_construction(sizes: list[SizeResult], repeats: int, *, no_gc: bool) -> str:
    """Construction times as a Markdown table, with each target and whether it is met."""
    machine = describe_machine()
    lines = [
        f"Machine: {machine['cpu']}, {machine['cpus']} CPUs, Python {machine['python']} "
        f"({machine['platform']}); medians of {repeats} runs"
        + ("; cyclic GC DISABLED during the runs (diagnostic)." if no_gc else "."),
        "",
        "| N pairs | hand-written | StatefulServicePair | pair / hand | hand ms/pair "
        "| pair ms/pair | of which GC (hand / pair) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        lines.append(
            f"| {size.pairs} | {size.median('hand'):.3f} s | {size.median('pair'):.3f} s "
            f"| {size.ratio:.2f}x | {size.per_pair_ms('hand'):.2f} "
            f"| {size.per_pair_ms('pair'):.2f} "
            f"| {size.gc_share('hand'):.0%} / {size.gc_share('pair'):.0%} |"
        )
    lines.append("")
    worst = max(sizes, key=lambda s: s.ratio)
    lines.append(
        f"- pair / hand-written at most {MAX_PAIR_RATIO}x: worst {worst.ratio:.2f}x "
        f"(N={worst.pairs}) — {_verdict(worst.ratio <= MAX_PAIR_RATIO)}"
    )
    by_n = {size.pairs: size for size in sizes}
    if 100 in by_n and 1000 in by_n:
        for side in SIDES:
            scaling = by_n[1000].per_pair_ms(side) / by_n[100].per_pair_ms(side)
            lines.append(
                f"- {side}: cost per pair at N=1000 / at N=100 = {scaling:.2f} "
                f"(target at most {MAX_SCALING}) — {_verdict(scaling <= MAX_SCALING)}"
            )
    return "\n".join(lines)


def report_imports(imports: ImportResult, first: FirstPairResult) -> str:
    """Import times as a Markdown table, with the target and whether it is met."""
    base = statistics.median(imports.baseline)
    with_components = statistics.median(imports.with_components)
    alone = statistics.median(imports.components_alone)
    met = imports.overhead < MAX_IMPORT_OVERHEAD
    extra = sorted(set(first.modules["pair"]) - set(first.modules["hand"]))
    return "\n".join(
        [
            f"| import (fresh interpreter, medians of {len(imports.baseline)}) | time |",
            "| --- | ---: |",
            f"| `{BASELINE_IMPORT}` | {base * 1000:.0f} ms |",
            f"| `{COMPONENT_IMPORT}` and the above | {with_components * 1000:.0f} ms |",
            f"| `{COMPONENT_IMPORT}` alone | {alone * 1000:.0f} ms |",
            "",
            f"- `import components` adds {imports.overhead:+.1%} to the pulumi_kubernetes "
            f"import (target under {MAX_IMPORT_OVERHEAD:.0%}) — {_verdict(met)}",
            f"- fresh interpreter to one built pair: hand-written "
            f"{statistics.median(first.seconds['hand']):.2f} s, pair "
            f"{statistics.median(first.seconds['pair']):.2f} s; pulumi_kubernetes modules the "
            f"pair imports beyond the hand-written objects': {', '.join(extra) or 'none'}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--sizes", default="10,100,1000", help="comma-separated N (pairs)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per side and N")
    parser.add_argument("--import-repeats", type=int, default=15, help="fresh interpreters each")
    parser.add_argument("--json", type=Path, help="also write the raw timings here")
    parser.add_argument(
        "--no-gc",
        action="store_true",
        help="diagnostic: disable the cyclic garbage collector during the timed runs",
    )
    parser.add_argument(
        "--skip-imports", action="store_true", help="time construction only, not imports"
    )
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    project = load_bench_project()
    for side in SIDES:  # warm up: first use imports the policy/v1 module, fills caches
        run_side(project, side, 10)
    sizes = []
    for pairs in (int(n) for n in args.sizes.split(",")):
        log(f"N={pairs}: checking both sides create the same {OBJECTS_PER_PAIR * pairs} objects")
        sizes.append(time_size(project, pairs, args.repeats, log, no_gc=args.no_gc))
    print(report_construction(sizes, args.repeats, no_gc=args.no_gc), flush=True)
    results: dict[str, Any] = {
        "machine": describe_machine(),
        "no_gc": args.no_gc,
        "sizes": [asdict(size) for size in sizes],
    }
    if not args.skip_imports:
        log("imports: fresh interpreters")
        imports = time_imports(args.import_repeats)
        first = time_first_pair(max(3, args.import_repeats // 3))
        print("\n" + report_imports(imports, first))
        results["imports"] = asdict(imports)
        results["first_pair"] = asdict(first)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
