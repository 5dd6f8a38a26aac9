"""Time StatefulServicePair against the same Kubernetes objects written by hand.

`make bench` runs this as `python -m benchmarks.run`. Everything runs under the offline engine
(`stateful_service_pair.render._engine.run_program`, the project's Kubernetes mocks), the same
way for both sides:

- **construction**: `benchmarks/program` builds N default pairs (`side=pair`) or exactly the
  objects they create, written by hand with `pulumi_kubernetes` (`side=hand`); every N is timed
  several times, the two sides alternating, and the medians are compared. Before timing, the
  two sides' objects are checked to be identical, so the comparison cannot drift.
- **imports**: a fresh interpreter per measurement times `import pulumi_kubernetes.core.v1,
  pulumi_kubernetes.apps.v1` alone and together with `import stateful_service_pair`.
- **first pair**: a fresh interpreter builds one pair (or the hand-written objects) and lists
  the `pulumi_kubernetes` modules that were imported on the way.

Times are wall-clock seconds (`time.perf_counter`) and this process's CPU seconds
(`time.process_time`, all threads), which other work on a shared machine skews less. "GC share"
is the part of the wall-clock time Python's cyclic garbage collector ran, from `gc.callbacks`.
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

from stateful_service_pair.render import _engine as engine
from stateful_service_pair.render._engine import ProgramRun, run_program
from stateful_service_pair.render._project import Project, load_project, resolve_config

from benchmarks import peers

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
COMPONENT_IMPORT = "import stateful_service_pair"


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


GC_MODES = ("engine", "python", "off")


@contextmanager
def collector(mode: str) -> Iterator[None]:
    """The cyclic GC as `mode` says while a run lasts: see `--gc`."""
    threshold = engine.YOUNG_GENERATION_THRESHOLD
    if mode == "python":
        engine.YOUNG_GENERATION_THRESHOLD = 0  # the engine keeps the interpreter's threshold
        engine.COLLECT_WHILE_RUNNING = True
    if mode == "off":
        gc.disable()
    try:
        yield
    finally:
        engine.YOUNG_GENERATION_THRESHOLD = threshold
        engine.COLLECT_WHILE_RUNNING = False
        gc.enable()


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


def _per_side() -> dict[str, list[float]]:
    return {side: [] for side in SIDES}


@dataclass
class SizeResult:
    """Timed runs of both sides at one N: wall-clock, process CPU and GC seconds per run."""

    pairs: int
    seconds: dict[str, list[float]] = field(default_factory=_per_side)
    cpu_seconds: dict[str, list[float]] = field(default_factory=_per_side)
    gc_seconds: dict[str, list[float]] = field(default_factory=_per_side)

    def median(self, side: str, *, cpu: bool = False) -> float:
        return statistics.median((self.cpu_seconds if cpu else self.seconds)[side])

    def per_pair_ms(self, side: str, *, cpu: bool = False) -> float:
        return self.median(side, cpu=cpu) / self.pairs * 1000

    def gc_share(self, side: str) -> float:
        return statistics.median(self.gc_seconds[side]) / self.median(side)

    def ratio(self, *, cpu: bool = False) -> float:
        """Pair time over hand-written time (medians)."""
        return self.median("pair", cpu=cpu) / self.median("hand", cpu=cpu)


def time_size(
    project: Project, pairs: int, repeats: int, log: Callable[[str], None], *, gc_mode: str
) -> SizeResult:
    """Check both sides create the same objects, then time them `repeats` times, alternating."""
    check_same_objects(run_side(project, "hand", pairs), run_side(project, "pair", pairs), pairs)
    result = SizeResult(pairs)
    for repeat in range(repeats):
        # Alternate which side goes first, so drift on the machine hits both alike.
        order = SIDES if repeat % 2 == 0 else SIDES[::-1]
        for side in order:
            gc.collect()
            with collector(gc_mode), gc_timer() as gc_seconds:
                start, start_cpu = time.perf_counter(), time.process_time()
                run_side(project, side, pairs)
                elapsed = time.perf_counter() - start
                elapsed_cpu = time.process_time() - start_cpu
            result.seconds[side].append(elapsed)
            result.cpu_seconds[side].append(elapsed_cpu)
            result.gc_seconds[side].append(gc_seconds[0])
        log(
            f"  N={pairs} run {repeat + 1}/{repeats}: "
            + ", ".join(
                f"{side} {result.seconds[side][-1]:.3f}s (CPU {result.cpu_seconds[side][-1]:.3f}s)"
                for side in SIDES
            )
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
        """What importing the package adds to the baseline import, as a fraction (medians)."""
        base = statistics.median(self.baseline)
        return (statistics.median(self.with_components) - base) / base


def time_imports(repeats: int) -> ImportResult:
    """Time the baseline import with and without `import stateful_service_pair`, alternating."""
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


def machine_line() -> str:
    """One line: CPU, cores, Python, platform, load average now."""
    machine = describe_machine()
    return (
        f"{machine['cpu']}, {machine['cpus']} CPUs, Python {machine['python']} "
        f"({machine['platform']}); load average {load_average()}"
    )


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


GC_DESCRIPTIONS = {
    "engine": "cyclic GC as the offline engine sets it",
    "python": "cyclic GC at CPython's default thresholds (diagnostic)",
    "off": "cyclic GC DISABLED (diagnostic)",
}


def report_construction(
    sizes: list[SizeResult], repeats: int, *, gc_mode: str, load: tuple[str, str]
) -> str:
    """Construction times as a Markdown table, with each target and whether it is met."""
    machine = describe_machine()
    lines = [
        f"Machine: {machine['cpu']}, {machine['cpus']} CPUs, Python {machine['python']} "
        f"({machine['platform']}); load average {load[0]} before, {load[1]} after; "
        f"medians of {repeats} runs; {GC_DESCRIPTIONS[gc_mode]}.",
        "",
        "| N pairs | hand-written | pair | pair / hand | hand CPU | pair CPU | pair / hand CPU "
        "| hand ms/pair | pair ms/pair | GC share (hand / pair) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        lines.append(
            f"| {size.pairs} | {size.median('hand'):.3f} s | {size.median('pair'):.3f} s "
            f"| {size.ratio():.2f}x | {size.median('hand', cpu=True):.3f} s "
            f"| {size.median('pair', cpu=True):.3f} s | {size.ratio(cpu=True):.2f}x "
            f"| {size.per_pair_ms('hand'):.2f} | {size.per_pair_ms('pair'):.2f} "
            f"| {size.gc_share('hand'):.0%} / {size.gc_share('pair'):.0%} |"
        )
    lines.append("")
    for cpu, clock in ((False, "wall-clock"), (True, "CPU")):
        worst = max(sizes, key=lambda size: size.ratio(cpu=cpu))
        ratio = worst.ratio(cpu=cpu)
        lines.append(
            f"- pair / hand-written ({clock}) at most {MAX_PAIR_RATIO}x: worst {ratio:.2f}x "
            f"(N={worst.pairs}) — {_verdict(ratio <= MAX_PAIR_RATIO)}"
        )
    by_n = {size.pairs: size for size in sizes}
    if 100 in by_n and 1000 in by_n:
        for side in SIDES:
            scalings = [
                by_n[1000].per_pair_ms(side, cpu=cpu) / by_n[100].per_pair_ms(side, cpu=cpu)
                for cpu in (False, True)
            ]
            lines.append(
                f"- {side}: cost per pair at N=1000 / at N=100 = {scalings[0]:.2f} wall-clock, "
                f"{scalings[1]:.2f} CPU (target at most {MAX_SCALING}) — "
                f"{_verdict(max(scalings) <= MAX_SCALING)}"
            )
    return "\n".join(lines)


def load_average() -> str:
    """The 1-minute load average: other work on the machine skews wall-clock times."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "unknown"


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
            f"- `{COMPONENT_IMPORT}` adds {imports.overhead:+.1%} to the pulumi_kubernetes "
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
        "--gc",
        choices=GC_MODES,
        default="engine",
        help="cyclic GC during the runs: as the engine sets it (default); CPython's default "
        "thresholds, as `pulumi preview` runs a program; or off (diagnostics)",
    )
    parser.add_argument(
        "--skip-imports", action="store_true", help="time construction only, not imports"
    )
    parser.add_argument(
        "--render-sizes",
        default="1,100,1000",
        help="N for the whole-process render against cdk8s-plus; empty skips it",
    )
    parser.add_argument(
        "--stock-sizes",
        default="10,100,1000",
        help="N for pair against hand-written objects under the stock mocks; empty skips it",
    )
    parser.add_argument(
        "--skip-construction",
        action="store_true",
        help="skip the in-process comparison under the offline engine (--sizes)",
    )
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    def sizes_of(text: str) -> list[int]:
        return [int(n) for n in text.split(",") if n.strip()]

    print(f"Machine: {machine_line()}\n", flush=True)
    results: dict[str, Any] = {"machine": describe_machine()}
    if sizes_of(args.render_sizes):
        render = peers.compare_render(sizes_of(args.render_sizes), args.repeats, log)
        print("## Offline render against cdk8s-plus\n", flush=True)
        print(peers.report_render(render, args.repeats) + "\n", flush=True)
        results["render"] = [asdict(r) for r in render]
    if sizes_of(args.stock_sizes):
        stock = peers.compare_stock(sizes_of(args.stock_sizes), args.repeats, log)
        print("## Under the SDK's stock mocks, default GC\n", flush=True)
        print(peers.report_stock(stock, args.repeats) + "\n", flush=True)
        results["stock"] = [asdict(r) for r in stock]
    if args.skip_construction:
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")
        return 0

    load_before = load_average()
    project = load_bench_project()
    for side in SIDES:  # warm up: first use imports the policy/v1 module, fills caches
        run_side(project, side, 10)
    sizes = []
    for pairs in (int(n) for n in args.sizes.split(",")):
        log(f"N={pairs}: checking both sides create the same {OBJECTS_PER_PAIR * pairs} objects")
        sizes.append(time_size(project, pairs, args.repeats, log, gc_mode=args.gc))
    load = (load_before, load_average())
    print(report_construction(sizes, args.repeats, gc_mode=args.gc, load=load), flush=True)
    results |= {"gc": args.gc, "load_average": load, "sizes": [asdict(size) for size in sizes]}
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
