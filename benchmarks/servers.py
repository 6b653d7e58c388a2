"""gunicorn servers on 127.0.0.1, started in their own session and stopped by PID, always."""

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# One definition of "the same gunicorn settings", for runcms and both references.
WORKERS = 2
HOST = "127.0.0.1"

_running = []  # Server objects not stopped yet; see stop_all()


def gunicorn_args(workers=WORKERS):
    return ["--workers", str(workers), "--worker-class", "sync", "--log-level", "warning"]


def gunicorn_path():
    path = Path(sys.executable).with_name("gunicorn")
    if not path.exists():
        raise RuntimeError(f"gunicorn not found next to {sys.executable}: pip install -r requirements.txt")
    return str(path)


# Ports the scripts' servers may listen on (`use_ports`); None: any the system gives.
_ports = None


def use_ports(first, last):
    """Listen only on ports first..last (for a machine where others' servers have the rest)."""
    global _ports
    _ports = list(range(first, last + 1))
    random.shuffle(_ports)


def free_port():
    with socket.socket() as sock:
        if _ports is None:
            sock.bind((HOST, 0))
            return sock.getsockname()[1]
        while _ports:
            port = _ports.pop()
            try:
                sock.bind((HOST, port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port left in the range given")


def children(pid):
    """PIDs whose parent is `pid` (a gunicorn master's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat[stat.rfind(")") + 2 :].split()[1]) == pid:
            found.append(int(entry))
    return found


def is_gunicorn(pid):
    try:
        return b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def peak_rss_kib(pid):
    """The process's peak resident set size (VmHWM), in KiB, or None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class Server:
    def __init__(self, name, app, *, env, cwd, workers=WORKERS, log_path):
        self.name, self.port = name, free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.argv = [gunicorn_path(), *gunicorn_args(workers), "--bind", f"{HOST}:{self.port}", app]
        self.env, self.cwd, self.log_path = env, cwd, log_path
        self.process = None
        self.workers = []

    def start(self, timeout=60):
        self.log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            self.argv, env=self.env, cwd=self.cwd, stdout=self.log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        _running.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5):
                    pass
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"{self.name} did not answer on {self.url} within {timeout} s; see {self.log_path}")
        self.workers = children(self.process.pid)
        return self

    def worker_peak_kib(self):
        """The largest VmHWM among the workers (and any the master started since)."""
        if self.process is None:
            return None
        self.workers = sorted(set(self.workers) | set(children(self.process.pid)))
        peaks = [kib for kib in map(peak_rss_kib, self.workers) if kib]
        return max(peaks) if peaks else None

    def stop(self):
        if self.process is None:
            return
        workers = set(self.workers) | set(children(self.process.pid))
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        for pid in workers:  # workers go with their master; make sure, by PID
            if is_gunicorn(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self.log.close()
        self.process = None
        if self in _running:
            _running.remove(self)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def stop_all():
    for server in list(_running):
        server.stop()
