"""Whole-process timings: the offline render against cdk8s-plus, and the stock-mocks unit test.

Two measurements for `make bench` (issue #12), each a fresh process per run, the two sides
alternating, medians:

- **render vs cdk8s-plus**: `python -m stateful_service_pair.render render benchmarks/program`
  with N default pairs, against `node benchmarks/cdk8s/synth.js N` (cdk8s-plus, installed from
  the npm registry into build/bench-cdk8s with `npm ci` and the committed lock file). Both write
  one YAML file per object into an empty directory. Wall-clock, CPU (user + system, from the
  child's rusage) and peak RSS of each process.
- **stock mocks**: the benchmark program (`side=pair` or `side=hand`) under the SDK's own
  `MockMonitor`, echo mocks and CPython's default GC thresholds, as a user's pytest runs it
  (`pulumi.runtime.test`); timed inside the process, from the program's start to the last
  registration, excluding interpreter start and imports.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "benchmarks" / "program"
CDK8S_SOURCE = ROOT / "benchmarks" / "cdk8s"
CDK8S_INSTALL = ROOT / "build" / "bench-cdk8s"

# Targets from issue #12.
MAX_RENDER_RATIO = {100: 4.0, 1000: 6.0}
MAX_LINEAR_SCALING = 1.1
MAX_STOCK_RATIO = 1.3
MAX_RENDER_PEAK_MIB = 250.0


def install_cdk8s() -> Path:
    """`npm ci` cdk8s-plus into build/bench-cdk8s (again only when the lock file changed)."""
    CDK8S_INSTALL.mkdir(parents=True, exist_ok=True)
    lock = (CDK8S_SOURCE / "package-lock.json").read_text()
    installed = CDK8S_INSTALL / "package-lock.json"
    fresh = installed.is_file() and installed.read_text() == lock
    if fresh and (CDK8S_INSTALL / "node_modules").is_dir():
        return CDK8S_INSTALL / "node_modules"
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(CDK8S_SOURCE / name, CDK8S_INSTALL / name)
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CDK8S_INSTALL, check=True
    )
    return CDK8S_INSTALL / "node_modules"


@dataclass
class ProcessRun:
    """One child process: wall-clock and CPU seconds, peak resident memory in MiB."""

    seconds: float
    cpu_seconds: float
    peak_mib: float


def run_process(argv: Sequence[str], env: dict[str, str] | None = None) -> ProcessRun:
    """Run `argv` to completion; raise CalledProcessError on a non-zero exit."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    stderr = child.stderr.read() if child.stderr else b""
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, argv, stderr=stderr)
    return ProcessRun(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _runs() -> dict[str, list[ProcessRun]]:
    return {}


@dataclass
class Comparison:
    """Runs of two or more sides at one N."""

    pairs: int
    runs: dict[str, list[ProcessRun]] = field(default_factory=_runs)

    def median(self, side: str, what: str = "seconds") -> float:
        return statistics.median(getattr(run, what) for run in self.runs[side])

    def ratio(self, side: str, other: str, what: str = "seconds") -> float:
        return self.median(side, what) / self.median(other, what)

    def per_pair_ms(self, side: str, what: str = "seconds") -> float:
        return self.median(side, what) / self.pairs * 1000


def alternate(
    pairs: int,
    sides: dict[str, Callable[[], ProcessRun]],
    repeats: int,
    log: Callable[[str], None],
) -> Comparison:
    """Run every side `repeats` times, the order reversed every other round."""
    result = Comparison(pairs, {side: [] for side in sides})
    names = list(sides)
    for repeat in range(repeats):
        for side in names if repeat % 2 == 0 else names[::-1]:
            result.runs[side].append(sides[side]())
        log(
            f"  N={pairs} run {repeat + 1}/{repeats}: "
            + ", ".join(
                f"{side} {runs[-1].seconds:.2f}s {runs[-1].peak_mib:.0f}MiB"
                for side, runs in result.runs.items()
            )
        )
    return result


def render_once(pairs: int) -> ProcessRun:
    """`python -m stateful_service_pair.render render` of N default pairs into an empty dir."""
    with tempfile.TemporaryDirectory(prefix="bench-render-") as out:
        return run_process(
            [
                sys.executable,
                "-m",
                "stateful_service_pair.render",
                "render",
                str(PROGRAM),
                "--stack",
                "bench",
                "--config",
                "side=pair",
                "--config",
                f"pairs={pairs}",
                "--out",
                out,
            ]
        )


def cdk8s_once(pairs: int, node_modules: Path) -> ProcessRun:
    """`node synth.js N` into an empty dir."""
    env = {**os.environ, "NODE_PATH": str(node_modules)}
    with tempfile.TemporaryDirectory(prefix="bench-cdk8s-") as out:
        return run_process(["node", str(CDK8S_SOURCE / "synth.js"), str(pairs), out], env=env)


def compare_render(
    sizes: Sequence[int], repeats: int, log: Callable[[str], None]
) -> list[Comparison]:
    """The offline render against cdk8s-plus synth, per N."""
    node_modules = install_cdk8s()
    render_once(1), cdk8s_once(1, node_modules)  # warm caches: bytecode, npm's file cache
    results = []
    for pairs in sizes:
        log(f"render vs cdk8s-plus, N={pairs}")
        sides = {
            "render": lambda n=pairs: render_once(n),
            "cdk8s": lambda n=pairs: cdk8s_once(n, node_modules),
        }
        results.append(alternate(pairs, sides, repeats, log))
    return results


STOCK_CODE = """
import json, os, runpy, sys, time
import pulumi

class EchoMocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return (args.name + "_id", args.inputs)

    def call(self, args):
        return ({{}}, None)

# What the program imports, loaded before the clock starts (pulumi_kubernetes loads lazily).
import pulumi_kubernetes as k8s
import stateful_service_pair
k8s.core.v1.Service, k8s.apps.v1.StatefulSet, k8s.policy.v1.PodDisruptionBudget, k8s.meta.v1

pulumi.runtime.set_mocks(EchoMocks(), project="bench", stack="bench", preview=False)
pulumi.runtime.set_all_config({{"bench:side": {side!r}, "bench:pairs": "{pairs}"}})

@pulumi.runtime.test
def program():
    runpy.run_path({program!r}, run_name="__main__")

start, start_cpu = time.perf_counter(), time.process_time()
program()
elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
sys.stdout.write(json.dumps([elapsed, cpu]) + "\\n")
sys.stdout.flush()
os._exit(0)
"""


def stock_once(side: str, pairs: int) -> ProcessRun:
    """The benchmark program under the SDK's stock mocks and default GC, in a fresh process."""
    code = STOCK_CODE.format(side=side, pairs=pairs, program=str(PROGRAM / "__main__.py"))
    completed = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    seconds, cpu = json.loads(completed.stdout.strip().splitlines()[-1])
    return ProcessRun(seconds, cpu, 0.0)


def compare_stock(
    sizes: Sequence[int], repeats: int, log: Callable[[str], None]
) -> list[Comparison]:
    """Pairs against the hand-written objects under the stock mocks, per N."""
    stock_once("pair", 1), stock_once("hand", 1)  # bytecode caches
    results = []
    for pairs in sizes:
        log(f"stock mocks, default GC, N={pairs}")
        sides = {"hand": lambda n=pairs: stock_once("hand", n)}
        sides["pair"] = lambda n=pairs: stock_once("pair", n)
        results.append(alternate(pairs, sides, repeats, log))
    return results


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def _scaling(results: Sequence[Comparison], side: str, what: str) -> float | None:
    by_n = {result.pairs: result for result in results}
    if 100 in by_n and 1000 in by_n:
        return by_n[1000].per_pair_ms(side, what) / by_n[100].per_pair_ms(side, what)
    return None


def report_render(results: Sequence[Comparison], repeats: int) -> str:
    """The render against cdk8s-plus as a Markdown table, with the issue-12 targets."""
    lines = [
        f"Whole processes, medians of {repeats} alternating runs.",
        "",
        "| N pairs | render | cdk8s-plus synth | render / cdk8s | render CPU | cdk8s CPU "
        "| render ms/pair | render peak RSS | cdk8s peak RSS |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.pairs} | {r.median('render'):.2f} s | {r.median('cdk8s'):.2f} s "
            f"| {r.ratio('render', 'cdk8s'):.1f}x | {r.median('render', 'cpu_seconds'):.2f} s "
            f"| {r.median('cdk8s', 'cpu_seconds'):.2f} s | {r.per_pair_ms('render'):.1f} "
            f"| {r.median('render', 'peak_mib'):.0f} MiB "
            f"| {r.median('cdk8s', 'peak_mib'):.0f} MiB |"
        )
    lines.append("")
    for r in results:
        if r.pairs in MAX_RENDER_RATIO:
            ratio, target = r.ratio("render", "cdk8s"), MAX_RENDER_RATIO[r.pairs]
            lines.append(
                f"- render of {r.pairs} pairs within {target:.0f}x of cdk8s-plus: {ratio:.1f}x "
                f"(CPU {r.ratio('render', 'cdk8s', 'cpu_seconds'):.1f}x) — "
                f"{_verdict(ratio <= target)}"
            )
        if r.pairs == 1000:
            peak = r.median("render", "peak_mib")
            lines.append(
                f"- peak RSS of rendering 1000 pairs at most {MAX_RENDER_PEAK_MIB:.0f} MiB: "
                f"{peak:.0f} MiB — {_verdict(peak <= MAX_RENDER_PEAK_MIB)}"
            )
    wall, cpu = _scaling(results, "render", "seconds"), _scaling(results, "render", "cpu_seconds")
    if wall is not None and cpu is not None:
        lines.append(
            f"- render: cost per pair at N=1000 / at N=100 = {wall:.2f} wall-clock, {cpu:.2f} CPU "
            f"(target at most {MAX_LINEAR_SCALING}) — {_verdict(wall <= MAX_LINEAR_SCALING)}"
        )
    return "\n".join(lines)


def report_stock(results: Sequence[Comparison], repeats: int) -> str:
    """Pairs against hand-written objects under stock mocks, with the issue-12 targets."""
    lines = [
        f"In-process time of the program under `pulumi.runtime.test`, a fresh interpreter per run,"
        f" medians of {repeats} alternating runs, CPython's default GC.",
        "",
        "| N pairs | hand-written | pair | pair / hand | pair / hand CPU | hand ms/pair "
        "| pair ms/pair |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.pairs} | {r.median('hand'):.3f} s | {r.median('pair'):.3f} s "
            f"| {r.ratio('pair', 'hand'):.2f}x | {r.ratio('pair', 'hand', 'cpu_seconds'):.2f}x "
            f"| {r.per_pair_ms('hand'):.2f} | {r.per_pair_ms('pair'):.2f} |"
        )
    lines.append("")
    worst = max(results, key=lambda r: r.ratio("pair", "hand"))
    ratio = worst.ratio("pair", "hand")
    lines.append(
        f"- pair at most {MAX_STOCK_RATIO}x the hand-written objects: worst {ratio:.2f}x "
        f"(N={worst.pairs}) — {_verdict(ratio <= MAX_STOCK_RATIO)}"
    )
    for side in ("pair", "hand"):
        wall, cpu = _scaling(results, side, "seconds"), _scaling(results, side, "cpu_seconds")
        if wall is not None and cpu is not None:
            lines.append(
                f"- {side}: cost per pair at N=1000 / at N=100 = {wall:.2f} wall-clock, "
                f"{cpu:.2f} CPU (target at most {MAX_LINEAR_SCALING}) — "
                f"{_verdict(wall <= MAX_LINEAR_SCALING)}"
            )
    added = added_cost_scaling(results)
    if added is not None:
        lines.append(
            f"- what the pair adds to the same objects (pair minus hand-written), per pair at "
            f"N=1000 / at N=100 = {added:.2f} wall-clock (no target of its own: the lines above "
            "also hold CPython's collector over the SDK's heap, see docs/BENCHMARKS.md)"
        )
    return "\n".join(lines)


def added_cost_scaling(results: Sequence[Comparison]) -> float | None:
    """(pair - hand) per pair at N=1000 over the same at N=100; None without both N."""
    by_n = {result.pairs: result for result in results}
    if 100 not in by_n or 1000 not in by_n:
        return None

    def added_ms(result: Comparison) -> float:
        return result.per_pair_ms("pair") - result.per_pair_ms("hand")

    return added_ms(by_n[1000]) / added_ms(by_n[100])
