"""Command line: `python -m stateful_service_pair.render render [PROGRAM_DIR] [options]`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from stateful_service_pair.dns import DEFAULT_CLUSTER_DOMAIN
from stateful_service_pair.render._errors import RenderError
from stateful_service_pair.render._render import (
    DEFAULT_OUT,
    DEFAULT_STACK,
    render,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with a `render` subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m stateful_service_pair.render",
        description="Run a Pulumi Kubernetes program offline (no CLI, no cluster) and render "
        "the objects it would create as YAML manifests.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    cmd = commands.add_parser("render", help="render a program's Kubernetes objects to YAML")
    cmd.add_argument(
        "program_dir",
        nargs="?",
        default=".",
        metavar="PROGRAM_DIR",
        help="directory with Pulumi.yaml (default: .)",
    )
    cmd.add_argument(
        "--stack",
        default=None,
        help="stack whose Pulumi.<stack>.yaml applies; the file must exist (default: "
        f"{DEFAULT_STACK}, with Pulumi.{DEFAULT_STACK}.yaml if there is one)",
    )
    cmd.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="config override, repeatable; KEY without a namespace is the project's",
    )
    cmd.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"directory for the manifests (default: {DEFAULT_OUT})",
    )
    cmd.add_argument(
        "--cluster-domain",
        default=None,
        help="cluster DNS domain for the DNS picture (default: the program's clusterDomain "
        f"config value, else {DEFAULT_CLUSTER_DOMAIN})",
    )
    cmd.add_argument(
        "--traceback", action="store_true", help="on error, also print the Python traceback"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 1 render error, 2 usage error)."""
    args = build_parser().parse_args(argv)
    # Failed programs leave futures nobody awaits; asyncio would log each at exit. The SDK's
    # language host silences this logger too.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    try:
        rendering = render(
            Path(args.program_dir),
            stack=args.stack,
            config_flags=args.config,
            out_dir=args.out,
            cluster_domain=args.cluster_domain,
        )
    except RenderError as exc:
        if args.traceback:
            traceback.print_exception(exc)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug in the renderer itself: still one line, unless asked
        if args.traceback:
            traceback.print_exception(exc)
        hint = "" if args.traceback else " (rerun with --traceback for details)"
        print(f"error: internal error: {type(exc).__name__}: {exc}{hint}", file=sys.stderr)
        return 1
    sys.stdout.write(rendering.summary)
    return 0


def console_main() -> NoReturn:
    """The console script and `python -m`: run `main`, flush, and exit without teardown.

    Tearing down an interpreter that has run a large program (every module, and the SDK's
    objects) took about a tenth of a render (docs/BENCHMARKS.md) and achieves nothing once
    the files are written and closed and the output is flushed, so this exits at once with
    `os._exit`. Only this entry point does; `main` and the library return normally.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
