"""Serving the portal for the load benchmark: gunicorn as README recommends, a client that
keeps its connection and session cookie, and the CPU time each process spent.

The CPU time a request costs (the gunicorn worker, PostgreSQL's backends, the client) is
what a shared machine changes least: requests per second there follow whatever else runs.
"""

import http.client
import io
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from harness import CSRF_RE

from portal.demo import demo_pdf

HERE = Path(__file__).resolve().parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One person in a browser: a keep-alive connection and a session cookie."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("portal_session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, data

    def log_in(self, email: str, password: str) -> None:
        _status, page = self.request("GET", "/login")
        token = CSRF_RE.search(page.decode()).group(1)
        form = urllib.parse.urlencode({"email": email, "password": password,
                                       "csrf_token": token})
        status, _ = self.request("POST", "/login", form,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 303:
            raise SystemExit(f"login as {email} failed: {status}")

    def upload(self, n: int) -> int:
        _status, page = self.request("GET", "/certificates/new")
        token = CSRF_RE.search(page.decode()).group(1)
        today = time.strftime("%Y-%m-%d")
        until = time.strftime("%Y-%m-%d", time.localtime(time.time() + 600 * 86400))
        fields = {"csrf_token": token, "level": "trede_2", "certificate_number": f"LOAD-{n}",
                  "issued_on": today, "valid_until": until}
        boundary = f"----load{n}"
        body = io.BytesIO()
        for name, value in fields.items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                       f"{value}\r\n".encode())
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                   f'filename="pso-{n}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode())
        body.write(demo_pdf(f"load {n} {os.getpid()}") + f"\r\n--{boundary}--\r\n".encode())
        status, _ = self.request("POST", "/certificates/new", body.getvalue(),
                                 {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return status


class Server:
    """gunicorn serving `app_spec` with the settings README recommends, while in a with."""

    def __init__(self, app_spec: str, workers: int, env: dict):
        self.port = free_port()
        command = [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers),
                   "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
                   "--pythonpath", str(HERE), app_spec]
        # gunicorn.conf.py, as in production; its access log (stdout) is dropped here.
        self.process = subprocess.Popen(command, env=env, cwd=HERE.parent,  # noqa: S603
                                        stdout=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        self.process.kill()
        raise SystemExit(f"gunicorn did not start: {app_spec}")

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.process.terminate()
        self.process.wait(10)


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system CPU time each of the processes `pids` spent so far (Linux /proc)."""
    found = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return found


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent in between by the processes alive at the end (a PostgreSQL backend
    of an earlier server may end meanwhile; one that started counts from zero)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def pids_of(*arguments: str) -> list[int]:
    found = subprocess.run(["pgrep", *arguments], capture_output=True, text=True,  # noqa: S603,S607
                           check=False)
    return [int(pid) for pid in found.stdout.split()]


def cpu_per_request(pages: list[tuple["Server", "Client", str]], requests: int) -> list[dict]:
    """The clients ask their path in turn, one request each, `requests` rounds, of servers
    with one worker each: per page, the CPU time per request of its worker, of PostgreSQL
    (every backend: charged to the pages that use it) and of the client, in ms. In turn, so
    that every page meets the machine in the same state."""
    for _server, client, path in pages:
        for _ in range(20):
            client.request("GET", path)
    workers = [pids_of("-P", str(server.process.pid)) for server, _c, _p in pages]
    before = [cpu_seconds(pids) for pids in workers], cpu_seconds(pids_of("postgres"))
    own = [0.0] * len(pages)
    for _ in range(requests):
        for i, (_server, client, path) in enumerate(pages):
            started = time.process_time()
            status, _body = client.request("GET", path)
            own[i] += time.process_time() - started
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
    after = [cpu_seconds(pids) for pids in workers], cpu_seconds(pids_of("postgres"))
    postgres = spent(before[1], after[1]) * 1000 / requests
    found = []
    for i, (_server, _client, path) in enumerate(pages):
        worker = spent(before[0][i], after[0][i]) * 1000 / requests
        database = postgres if path and i else 0.0  # the first is the bare page: no database
        found.append({"worker": worker, "postgres": database, "client": own[i] * 1000 / requests,
                      "total": worker + database + own[i] * 1000 / requests})
    return found
