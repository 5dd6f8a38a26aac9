"""A throwaway Kubernetes control plane on loopback, with fake nodes and CoreDNS.

Started by the e2e suite when no ``E2E_KUBECONFIG`` names an existing cluster:

- etcd, kube-apiserver (RBAC, a token in ``system:masters``, serving certificates
  generated at start by ``--cert-dir``), kube-controller-manager (with the test-only
  host-path provisioner, so claims bind to real PersistentVolumes) and kube-scheduler;
- kwok: three fake nodes in three zones whose fake kubelets run kwok's own "general"
  Pod stages (created, Ready, deleted), with their delays shortened;
- CoreDNS with its kubernetes plugin, serving the cluster domains on 127.0.0.1.

Every process listens on 127.0.0.1 on a port picked free at start. ``stop()`` stops
each process by the id it was started with, also after a failed start, and removes
the temporary directory; logs are copied to ``build/e2e-logs/`` when asked to keep them.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# The fake nodes, one per zone; each gets its own Pod CIDR so Pod IPs show the node.
NODES = (
    ("kwok-node-a", "zone-a", "10.244.1.0/24", "10.0.1.1"),
    ("kwok-node-b", "zone-b", "10.244.2.0/24", "10.0.1.2"),
    ("kwok-node-c", "zone-c", "10.244.3.0/24", "10.0.1.3"),
)
SERVICE_CIDR = "10.96.0.0/16"
ADMIN_TOKEN_USER = "e2e-admin"
STORAGE_CLASS = "e2e-hostpath"
# Where kube-controller-manager's host-path provisioner creates each volume's directory.
HOST_PATH_PROVISIONER_DIR = Path("/tmp/hostpath_pv")
# Every DNS zone CoreDNS answers for: the default and the custom-domain scenario's.
CLUSTER_DOMAINS = ("cluster.local", "corp.example")
# kwok's "general" Pod stages wait 1 s plus a random extra at each step; a shorter, fixed
# delay keeps rollouts fast while the per-Pod delay annotations keep working.
KWOK_STAGE_DELAY_MS = 300
# prctl(2) option: the signal a child gets when its parent dies.
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Runs in each child before exec: the kernel sends it SIGTERM when the test process
    dies, even by SIGKILL, so no control plane outlives a killed run (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class ClusterError(RuntimeError):
    """A control-plane piece failed to start; the message names it and the fix."""


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port(taken: set[int] | frozenset[int] = frozenset()) -> int:
    """A port on 127.0.0.1 free for TCP and UDP, outside the kernel's ephemeral range.

    Ports are picked before the pieces start; one from the ephemeral range (what binding
    port 0 returns) can meanwhile become the source port of one of the many connections
    the starting control plane opens, and the piece meant to listen there then fails
    ("address already in use", seen with CoreDNS). Below that range the kernel never hands
    a port out on its own.
    """
    low, _high = _ephemeral_range()
    for _ in range(200):
        port = random.randint(max(1024, low - 12000), low - 1)
        if port in taken:
            continue
        try:
            for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                with socket.socket(socket.AF_INET, kind) as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return port
    raise ClusterError(f"no free port on 127.0.0.1 below the ephemeral range (from {low})")


@dataclass
class Process:
    """A started program: its id, its log file and how to describe it."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class ControlPlane:
    """The processes of one local cluster and the files they share."""

    bin_dir: Path
    workdir: Path
    processes: list[Process] = field(default_factory=list)
    ports: dict[str, int] = field(default_factory=dict)
    kubeconfig: Path = Path()
    dns_port: int = 0

    # -- lifecycle -----------------------------------------------------------------

    @classmethod
    def start(cls, bin_dir: Path) -> ControlPlane:
        """Starts every piece, or stops what it started and raises ClusterError."""
        plane = cls(bin_dir=bin_dir, workdir=Path(tempfile.mkdtemp(prefix="ssp-e2e-cluster-")))
        try:
            plane._start_all()
        except BaseException:
            plane.stop(keep_logs=True)
            raise
        return plane

    def stop(self, keep_logs: bool = False, log_dir: Path = Path("build/e2e-logs")) -> None:
        """Stops every started process by its own id, then removes the work directory and
        the directories the host-path provisioner made for this cluster's volumes."""
        volume_dirs = self._host_path_volumes()
        for proc in reversed(self.processes):
            if proc.alive():
                proc.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in reversed(self.processes):
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            if proc.alive():
                proc.popen.kill()
                proc.popen.wait(timeout=10)
        if keep_logs:
            log_dir.mkdir(parents=True, exist_ok=True)
            for proc in self.processes:
                with contextlib.suppress(OSError):
                    shutil.copy(proc.log, log_dir / proc.log.name)
        self.processes.clear()
        shutil.rmtree(self.workdir, ignore_errors=True)
        for directory in volume_dirs:
            shutil.rmtree(directory, ignore_errors=True)

    def _host_path_volumes(self) -> list[Path]:
        """The provisioner's directories (always under /tmp/hostpath_pv) of this cluster."""
        if not any(p.name == "kube-apiserver" and p.alive() for p in self.processes):
            return []
        try:
            volumes = self.get_json("pv")["items"]
        except (ClusterError, ValueError):
            return []
        paths = [Path(pv["spec"].get("hostPath", {}).get("path", "")) for pv in volumes]
        return [path for path in paths if path.parent == HOST_PATH_PROVISIONER_DIR]

    def check_alive(self) -> None:
        """Raises ClusterError naming any process that has exited."""
        for proc in self.processes:
            if not proc.alive():
                raise ClusterError(
                    f"{proc.name} exited with code {proc.popen.returncode}; last log lines:\n"
                    f"{proc.tail()}"
                )

    # -- helpers ---------------------------------------------------------------------

    def _spawn(self, name: str, args: Sequence[str], env: dict[str, str] | None = None) -> Process:
        binary = self.bin_dir / args[0]
        if not binary.exists():
            raise ClusterError(f"{binary} is missing: run tests/e2e/toolchain/build.sh")
        log = self.workdir / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                [str(binary), *args[1:]],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **(env or {})},
                start_new_session=True,
                # The suite starts processes from its one thread, so preexec_fn is safe.
                preexec_fn=die_with_parent,  # noqa: PLW1509
            )
        proc = Process(name, popen, log)
        self.processes.append(proc)
        return proc

    def _wait(self, what: str, proc: Process, ready: Any, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not proc.alive():
                raise ClusterError(
                    f"{proc.name} exited during start (code {proc.popen.returncode}; a port in "
                    f"use shows as 'address already in use'); last log lines:\n{proc.tail()}"
                )
            with contextlib.suppress(Exception):
                if ready():
                    return
            time.sleep(0.2)
        raise ClusterError(
            f"{what} not ready after {timeout:.0f} s; last log lines:\n{proc.tail()}"
        )

    def kubectl(self, *args: str, input_text: str | None = None, check: bool = True) -> str:
        """Runs the kubectl built from the same Kubernetes release; returns stdout."""
        result = subprocess.run(
            [str(self.bin_dir / "kubectl"), f"--kubeconfig={self.kubeconfig}", *args],
            input=input_text,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if check and result.returncode != 0:
            raise ClusterError(f"kubectl {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def get_json(self, *args: str) -> Any:
        return json.loads(self.kubectl("get", "-o", "json", *args))

    def apply(self, objects: Sequence[dict[str, Any]]) -> None:
        self.kubectl("apply", "-f", "-", input_text=yaml.safe_dump_all(objects))

    # -- the pieces --------------------------------------------------------------------

    def _start_all(self) -> None:
        for name in ("etcd", "etcd-peer", "apiserver", "kwok", "dns"):
            self.ports[name] = free_port(set(self.ports.values()))
        self._start_etcd()
        self._start_apiserver()
        self._start_controllers()
        self._register_nodes()
        self._start_kwok()
        self._install_storage_class()
        self._start_coredns()
        self._wait_for_default_service_account()

    def _start_etcd(self) -> None:
        client = f"http://127.0.0.1:{self.ports['etcd']}"
        peer = f"http://127.0.0.1:{self.ports['etcd-peer']}"
        proc = self._spawn(
            "etcd",
            [
                "etcd",
                f"--data-dir={self.workdir / 'etcd'}",
                f"--listen-client-urls={client}",
                f"--advertise-client-urls={client}",
                f"--listen-peer-urls={peer}",
                f"--initial-advertise-peer-urls={peer}",
                f"--initial-cluster=default={peer}",
                # A test cluster's data is thrown away: skip fsync for speed.
                "--unsafe-no-fsync",
                "--log-level=warn",
            ],
        )
        self._wait("etcd", proc, lambda: _http_ok(f"{client}/health"))

    def _start_apiserver(self) -> None:
        certs = self.workdir / "certs"
        certs.mkdir()
        sa_key = certs / "service-account.key"
        subprocess.run(
            ["openssl", "genrsa", "-out", str(sa_key), "2048"], check=True, capture_output=True
        )
        token = os.urandom(16).hex()
        tokens = self.workdir / "tokens.csv"
        tokens.write_text(f'{token},{ADMIN_TOKEN_USER},e2e-admin-uid,"system:masters"\n')
        tokens.chmod(0o600)
        port = self.ports["apiserver"]
        proc = self._spawn(
            "kube-apiserver",
            [
                "kube-apiserver",
                f"--etcd-servers=http://127.0.0.1:{self.ports['etcd']}",
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                f"--secure-port={port}",
                f"--cert-dir={certs}",
                f"--token-auth-file={tokens}",
                "--authorization-mode=Node,RBAC",
                f"--service-account-key-file={sa_key}",
                f"--service-account-signing-key-file={sa_key}",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                f"--service-cluster-ip-range={SERVICE_CIDR}",
                # The kubernetes Service's endpoints would point at 127.0.0.1; not needed.
                "--endpoint-reconciler-type=none",
                "--profiling=false",
            ],
        )
        server = f"https://127.0.0.1:{port}"
        self.kubeconfig = self.workdir / "kubeconfig"
        ca = certs / "apiserver.crt"
        self._wait("kube-apiserver certificates", proc, ca.exists, timeout=30)
        self.kubeconfig.write_text(
            yaml.safe_dump(
                {
                    "apiVersion": "v1",
                    "kind": "Config",
                    "clusters": [
                        {
                            "name": "e2e",
                            "cluster": {"server": server, "certificate-authority": str(ca)},
                        }
                    ],
                    "users": [{"name": "e2e-admin", "user": {"token": token}}],
                    "contexts": [
                        {"name": "e2e", "context": {"cluster": "e2e", "user": "e2e-admin"}}
                    ],
                    "current-context": "e2e",
                }
            )
        )
        self.kubeconfig.chmod(0o600)
        self._wait(
            "kube-apiserver", proc, lambda: self.kubectl("get", "--raw=/readyz").strip() == "ok"
        )

    def _start_controllers(self) -> None:
        certs = self.workdir / "certs"
        self._spawn(
            "kube-controller-manager",
            [
                "kube-controller-manager",
                f"--kubeconfig={self.kubeconfig}",
                "--leader-elect=false",
                "--secure-port=0",
                f"--service-account-private-key-file={certs / 'service-account.key'}",
                f"--root-ca-file={certs / 'apiserver.crt'}",
                f"--service-cluster-ip-range={SERVICE_CIDR}",
                # Test-only provisioner: a claim gets a real PersistentVolume and binds.
                "--enable-hostpath-provisioner=true",
            ],
        )
        self._spawn(
            "kube-scheduler",
            [
                "kube-scheduler",
                f"--kubeconfig={self.kubeconfig}",
                f"--authentication-kubeconfig={self.kubeconfig}",
                f"--authorization-kubeconfig={self.kubeconfig}",
                "--leader-elect=false",
                "--secure-port=0",
            ],
        )

    def _register_nodes(self) -> None:
        nodes = []
        for name, zone, pod_cidr, _ip in NODES:
            nodes.append(
                {
                    "apiVersion": "v1",
                    "kind": "Node",
                    "metadata": {
                        "name": name,
                        "annotations": {"kwok.x-k8s.io/node": "fake"},
                        "labels": {
                            "kubernetes.io/hostname": name,
                            "kubernetes.io/os": "linux",
                            "kubernetes.io/arch": "amd64",
                            "topology.kubernetes.io/zone": zone,
                            "type": "kwok",
                        },
                    },
                    "spec": {"podCIDR": pod_cidr, "podCIDRs": [pod_cidr]},
                }
            )
        self.apply(nodes)

    def _kwok_stages(self) -> Path:
        """kwok's own node and general Pod stages, with the fixed delays shortened."""
        stages_root = self.bin_dir / "kwok-stages"
        documents: list[dict[str, Any]] = []
        files = [
            stages_root / "node" / "fast" / "node-initialize.yaml",
            stages_root / "node" / "heartbeat-with-lease" / "node-heartbeat-with-lease.yaml",
        ]
        files += [
            stages_root / "pod" / "general" / resource
            for resource in yaml.safe_load(
                (stages_root / "pod" / "general" / "kustomization.yaml").read_text()
            )["resources"]
        ]
        for path in files:
            stage = yaml.safe_load(path.read_text())
            delay = stage["spec"].get("delay")
            if delay and stage["metadata"]["name"].startswith("pod-"):
                delay["durationMilliseconds"] = KWOK_STAGE_DELAY_MS
                # No random extra: pod-delete's would wait up to the end of the grace period,
                # as for a process that ignores SIGTERM; ours exits at once.
                delay.pop("jitterDurationMilliseconds", None)
                delay.pop("jitterDurationFrom", None)
            documents.append(stage)
        out = self.workdir / "kwok-stages.yaml"
        out.write_text(yaml.safe_dump_all(documents))
        return out

    def _start_kwok(self) -> None:
        stages = self._kwok_stages()
        proc = self._spawn(
            "kwok",
            [
                "kwok",
                f"--kubeconfig={self.kubeconfig}",
                "--manage-all-nodes=false",
                "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
                f"--server-address=127.0.0.1:{self.ports['kwok']}",
                # The fake kubelets renew their node Leases, as the heartbeat-with-lease stage
                # expects; without this the node lifecycle controller marks every node (and
                # so every Pod) NotReady after 40 s, and StatefulSets stop scaling down.
                "--node-lease-duration-seconds=40",
                f"--config={stages}",
            ],
        )

        def nodes_ready() -> bool:
            items = self.get_json("nodes")["items"]
            ready = [
                node
                for node in items
                if any(
                    c["type"] == "Ready" and c["status"] == "True"
                    for c in node.get("status", {}).get("conditions", [])
                )
            ]
            return len(ready) == len(NODES)

        self._wait("kwok nodes", proc, nodes_ready, timeout=60)

    def _install_storage_class(self) -> None:
        self.apply(
            [
                {
                    "apiVersion": "storage.k8s.io/v1",
                    "kind": "StorageClass",
                    "metadata": {
                        "name": STORAGE_CLASS,
                        "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
                    },
                    "provisioner": "kubernetes.io/host-path",
                    "reclaimPolicy": "Delete",
                    "volumeBindingMode": "Immediate",
                    # The storage procedure resizes claims in place; the API server refuses
                    # that unless the class allows it (host-path volumes never really grow).
                    "allowVolumeExpansion": True,
                }
            ]
        )

    def _start_coredns(self) -> None:
        self.dns_port = self.ports["dns"]
        zones = " ".join(CLUSTER_DOMAINS)
        corefile = self.workdir / "Corefile"
        corefile.write_text(
            f""".:{self.dns_port} {{
    bind 127.0.0.1
    errors
    kubernetes {zones} {{
        kubeconfig {self.kubeconfig} e2e
    }}
}}
"""
        )
        proc = self._spawn("coredns", ["coredns", "-conf", str(corefile)])
        from .dns import Resolver

        resolver = Resolver(self.dns_port)
        self._wait(
            "CoreDNS",
            proc,
            lambda: resolver.a("kubernetes.default.svc.cluster.local") != [],
            timeout=60,
        )

    def _wait_for_default_service_account(self) -> None:
        # The ServiceAccount admission plugin refuses Pods until the controller manager
        # has created `default` in their namespace.
        proc = next(p for p in self.processes if p.name == "kube-controller-manager")
        self._wait(
            "the default ServiceAccount",
            proc,
            lambda: (
                self.kubectl("get", "serviceaccount", "default", "-n", "default", check=False) != ""
            ),
        )


def _http_ok(url: str) -> bool:
    import urllib.request

    with urllib.request.urlopen(url, timeout=2) as response:
        return bool(response.status == 200)


@contextlib.contextmanager
def running_control_plane(bin_dir: Path) -> Iterator[ControlPlane]:
    """Starts a control plane and always stops it; logs are kept when the body fails."""
    plane = ControlPlane.start(bin_dir)
    failed = True
    try:
        yield plane
        failed = False
    finally:
        plane.stop(keep_logs=failed)
