"""A small production site on loopback, for scale_out.py and faults.py.

Two gunicorn app servers behind Debian's nginx, on one PostgreSQL database and one Redis
(both given, never stopped here) and moto's S3 server (started here). PostgreSQL and Redis
can be reached through `TcpProxy`s this process controls, so a script can take them away
from the app servers without touching the shared servers.
"""

import asyncio
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from benchmarks import servers

ROOT = Path(__file__).resolve().parent.parent
HOST = servers.HOST
ADMIN_USER, ADMIN_PASSWORD = "cluster-admin", "cluster-" + secrets.token_urlsafe(12)


def cluster_arguments(parser):
    """The options every cluster script takes: where its database and Redis are, where logs go."""
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/runcms_cluster",
                        help="PostgreSQL database for the cluster, dropped and created again (its name has 'cluster')")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0",
                        help="Redis for cache, kept answers and throttle (keys get a prefix of this run)")
    parser.add_argument("--run-dir", default=None, help="where logs and nginx's files go (default: a new temp dir)")
    parser.add_argument("--ports", default=None, metavar="FIRST-LAST",
                        help="listen only on loopback ports in this range (default: any free port)")
    return parser


def cluster_from(args, run_dir, **options):
    """The Cluster the command line asks for."""
    if args.ports:
        first, _, last = args.ports.partition("-")
        servers.use_ports(int(first), int(last or first))
    return Cluster(database_url=args.database_url, redis_url=args.redis, run_dir=run_dir, **options)


class Stop(Exception):
    """Something this script needs is missing: the message says what to do."""


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Checks:
    """PASS/FAIL lines, and the exit status they add up to."""

    def __init__(self):
        self.failed = []

    def check(self, name, ok, detail=""):
        print(f"{'PASS' if ok else 'FAIL'}  {name}{f'  ({detail})' if detail else ''}", flush=True)
        if not ok:
            self.failed.append(name)
        return ok

    def exit_status(self):
        print(f"\n{len(self.failed)} check(s) failed" if self.failed else "\nall checks passed", flush=True)
        return 1 if self.failed else 0


# --- Processes --------------------------------------------------------------------------------


def wait_for_port(port, timeout, process=None, name="server"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise Stop(f"{name} exited with status {process.returncode}")
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise Stop(f"{name} did not listen on {HOST}:{port} within {timeout} s")


class Process:
    """A child process in its own session, stopped by its PID."""

    def __init__(self, name, argv, *, log_path, env=None, cwd=ROOT):
        self.name = name
        self.log = open(log_path, "ab")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            argv, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env, cwd=cwd, start_new_session=True,
        )

    def kill(self):
        """SIGKILL the process and every process it started (its session's group), at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        self.kill()  # whatever it started and left behind (a job worker's pool) goes too
        self.log.close()


class TcpProxy:
    """Forwards a loopback port to `target`; `cut()` drops every connection and refuses new ones
    (as a database host that went away), `hang()` keeps them open but forwards nothing (as a
    server that stopped answering), `restore()` lets them through again."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.port = servers.free_port()
        self.down = self.hanging = False
        self._open = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self):
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(timeout=10)
        return self

    async def _listen(self):
        self._server = await asyncio.start_server(self._client, HOST, self.port)

    async def _client(self, reader, writer):
        if self.hanging:
            with contextlib.suppress(OSError):
                while await reader.read(65536):
                    pass  # swallowed, never answered
            writer.transport.abort()
            return
        if self.down:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        pair = (writer, up_writer)
        self._open.add(pair)
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        finally:
            self._open.discard(pair)
            for side in pair:
                side.transport.abort()

    async def _pipe(self, reader, writer):
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await reader.read(65536):
                if self.hanging:
                    continue
                writer.write(data)
                await writer.drain()
        writer.transport.abort()

    def cut(self):
        def drop():
            self.down = True
            for pair in list(self._open):
                for side in pair:
                    side.transport.abort()

        self._loop.call_soon_threadsafe(drop)

    def hang(self):
        self._loop.call_soon_threadsafe(setattr, self, "hanging", True)

    def restore(self):
        def back():
            self.down = self.hanging = False

        self._loop.call_soon_threadsafe(back)

    def stop(self):
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


# --- The site -----------------------------------------------------------------------------------


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {run}/nginx-body;
    proxy_temp_path {run}/nginx-proxy;
    fastcgi_temp_path {run}/nginx-fastcgi;
    uwsgi_temp_path {run}/nginx-uwsgi;
    scgi_temp_path {run}/nginx-scgi;
    client_max_body_size 120m;
    upstream runcms {{
{upstreams}
        keepalive 32;
    }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://runcms;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # Which app server answered: the scripts read it to switch servers on purpose.
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def require_tools():
    for tool, package in (("nginx", "nginx"),):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise Stop(f"{tool} not found: apt-get install -y {package}")
    moto = Path(sys.executable).with_name("moto_server")
    if not moto.exists():
        raise Stop("moto_server not found next to this Python: pip install -r requirements-dev.txt")
    servers.gunicorn_path()
    return moto


def fresh_database(database_url):
    """Create the cluster's database anew: the S3 server starts empty each run, so must the rows."""
    import psycopg
    from psycopg import sql

    url = urllib.parse.urlsplit(database_url)
    name = url.path.lstrip("/")
    if "cluster" not in name:
        raise Stop(f"the database {name!r} is dropped and created again each run: name one with 'cluster' in it")
    admin_url = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        raise Stop(f"cannot reach PostgreSQL at {url.hostname}:{url.port or 5432}: {error}") from error


def check_redis(redis_url):
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        raise Stop(f"Redis at {redis_url} does not answer ({error}): start it, or pass --redis") from error


def with_port(url, host, port):
    parts = urllib.parse.urlsplit(url)
    netloc = f"{parts.username}@{host}:{port}" if parts.username else f"{host}:{port}"
    if parts.password:
        netloc = f"{parts.username}:{parts.password}@{host}:{port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


class Cluster:
    def __init__(self, *, database_url, redis_url, run_dir, extra_env=None, proxies=False, workers=2):
        self.database_url, self.redis_url, self.run = database_url, redis_url, Path(run_dir)
        self.extra_env, self.proxies, self.workers = extra_env or {}, proxies, workers
        self.children, self.app_servers = [], []
        self.database_proxy = self.redis_proxy = self.job_worker = None
        self.worker_number = self.worker_restarts = 0
        self._worker_lock, self._worker_killed, self._stopping = threading.RLock(), False, threading.Event()
        self._supervisor = threading.Thread(target=self._supervise, daemon=True)

    # The environment every app server and management command gets: production settings.
    def env(self):
        database_url, redis_url = self.database_url, self.redis_url
        if self.database_proxy:
            database_url = with_port(database_url, HOST, self.database_proxy.port)
        if self.redis_proxy:
            redis_url = with_port(redis_url, HOST, self.redis_proxy.port)
        prefix = f"cluster-{self.run.name}"
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_"))},
            "DJANGO_SETTINGS_MODULE": "runcms.settings",
            "DEBUG": "false",
            "SECRET_KEY": "cluster-only-" + "k" * 50,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": database_url,
            "CACHE_URL": f"{redis_url}{'&' if '?' in redis_url else '?'}key_prefix={prefix}",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "API_NUM_PROXIES": "1",  # nginx
            "AWS_STORAGE_BUCKET_NAME": "runcms-media",
            "AWS_S3_ENDPOINT_URL": self.s3_url,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "cluster",
            "AWS_SECRET_ACCESS_KEY": "cluster",
            "STATIC_ROOT": str(self.run / "static"),
            "RUNCMS_RENDITION_LOCK_DIR": str(self.run),
            "RUNCMS_ADMIN_USER": ADMIN_USER,
            "RUNCMS_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "LOG_LEVEL": "WARNING",
            # The scripts' webhook receiver is on loopback; the periodic checks run often.
            "RUNCMS_WEBHOOK_ALLOW_PRIVATE": "true",
            "RUNCMS_SCHEDULE_CHECK_SECONDS": "2",
            **({"JOBS_URL": redis_url, "RUNCMS_JOB_KEY_PREFIX": f"{prefix}:"} if self.has_jobs() else {}),
            **self.extra_env,
        }

    def manage(self, *args):
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(), capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise Stop(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self):
        moto = require_tools()
        self.run.mkdir(parents=True, exist_ok=True)
        # Stopped by a signal (a terminal closed, a CI timeout): the `with` still stops every child.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        fresh_database(self.database_url)
        check_redis(self.redis_url)
        s3_port = servers.free_port()
        self.s3_url = f"http://{HOST}:{s3_port}"
        s3 = Process("S3 (moto)", [str(moto), "-H", HOST, "-p", str(s3_port)], log_path=self.run / "moto.log")
        self.children.append(s3)
        wait_for_port(s3_port, 30, s3.process, "moto_server")
        self.s3_client().create_bucket(Bucket="runcms-media")
        log(f"S3 server (moto) on {self.s3_url}, bucket runcms-media")
        if self.proxies:
            database = urllib.parse.urlsplit(self.database_url)
            redis_parts = urllib.parse.urlsplit(self.redis_url)
            self.database_proxy = TcpProxy(database.hostname, database.port or 5432).start()
            self.redis_proxy = TcpProxy(redis_parts.hostname, redis_parts.port or 6379).start()
            log(f"PostgreSQL through a proxy on {HOST}:{self.database_proxy.port}, "
                f"Redis through one on {HOST}:{self.redis_proxy.port}")
        log("migrating, admin login, demo content (its media into the bucket), static files")
        self.manage("quickstart", "--addr", f"{HOST}:8000")
        self.manage("collectstatic", "--noinput", "-v0")
        for name in ("app-a", "app-b"):
            server = servers.Server(
                name, "runcms.wsgi", env=self.env(), cwd=ROOT, workers=self.workers, log_path=self.run / f"{name}.log"
            )
            self.app_servers.append(server.start(timeout=90))
            log(f"{name}: gunicorn with {self.workers} workers on {server.url}")
        if self.start_job_worker():
            self.wait_for_demo_renditions()
        self.port = servers.free_port()
        self.url = f"http://{HOST}:{self.port}"
        conf = self.run / "nginx.conf"
        upstreams = "\n".join(f"        server {HOST}:{server.port};" for server in self.app_servers)
        conf.write_text(NGINX_CONF.format(run=self.run, host=HOST, port=self.port, upstreams=upstreams))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        proxy = Process("nginx", [nginx, "-c", str(conf), "-p", str(self.run)], log_path=self.run / "nginx.log")
        self.children.append(proxy)
        wait_for_port(self.port, 15, proxy.process, "nginx")
        log(f"nginx on {self.url}, round robin over both app servers")
        return self

    @staticmethod
    def has_jobs():
        return (ROOT / "runcms" / "jobs.py").exists()

    def start_job_worker(self, timeout=90):
        """The README's worker command (with --beat), on the cluster's Redis; waits until it is ready.

        Supervised, as the README asks for in production: should it exit by itself, it is started
        again (Celery's Redis transport can exit the worker when Redis drops mid-job).
        """
        if not self.has_jobs():
            log("no job queue in this checkout (runcms/jobs.py): jobs run inside the app servers")
            return None
        with self._worker_lock:
            self._worker_killed = False
            self._start_job_worker(timeout)
        if not self._supervisor.is_alive():
            self._supervisor.start()
        return self.job_worker

    def kill_job_worker(self):
        """SIGKILL the job worker with its pool; it stays dead until start_job_worker()."""
        with self._worker_lock:
            self._worker_killed = True
            self.job_worker.kill()

    def _supervise(self):
        while not self._stopping.wait(1):
            with self._worker_lock:
                worker = self.job_worker
                if self._worker_killed or self._stopping.is_set() or worker.process.poll() is None:
                    continue
                self.worker_restarts += 1
                log(f"the job worker exited by itself (status {worker.process.returncode}, see its log); "
                    "starting it again, as a supervisor would")
                try:
                    self._start_job_worker(90)
                except Stop as error:
                    log(str(error))

    def _start_job_worker(self, timeout):
        self.worker_number += 1
        log_path = self.run / f"jobs-{self.worker_number}.log"
        argv = [sys.executable, "-m", "celery", "-A", "runcms.jobs", "worker", "--beat", "--loglevel", "INFO",
                "--concurrency", "2", "--hostname", f"worker{self.worker_number}@%h",
                "--schedule", str(self.run / "celerybeat-schedule")]
        self.job_worker = Process("job worker", argv, log_path=log_path, env=self.env())
        self.children.append(self.job_worker)
        deadline = time.monotonic() + timeout
        while b" ready." not in log_path.read_bytes():
            if self.job_worker.process.poll() is not None or time.monotonic() > deadline:
                raise Stop(f"the job worker did not start; see {log_path}")
            time.sleep(0.2)
        log(f"job worker {self.worker_number}: celery -A runcms.jobs worker --beat (pid {self.job_worker.process.pid})")

    def wait_for_demo_renditions(self, timeout=300):
        """Let the worker build the demo media's renditions first: the checks then see only their own jobs."""
        started = time.monotonic()
        while self.sql("SELECT count(*) FROM drills_cuemedia WHERE renditions_pending")[0][0]:
            if time.monotonic() - started > timeout:
                raise Stop(f"the job worker did not build the demo's renditions within {timeout} s; see its log")
            time.sleep(0.5)
        time.sleep(2)  # the events and documents those changes asked for
        log(f"the worker built the demo media's renditions in {time.monotonic() - started:.0f} s")

    def job_log(self):
        """What every job worker of this run logged, in the order they were started."""
        return "".join((self.run / f"jobs-{number}.log").read_text(errors="replace")
                       for number in range(1, self.worker_number + 1))

    def sql(self, query, *params):
        """Rows of `query` on the cluster's database, read directly (not through the proxy)."""
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True, connect_timeout=5) as conn:
            return conn.execute(query, params).fetchall()

    def s3_client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.s3_url, region_name="us-east-1",
                            aws_access_key_id="cluster", aws_secret_access_key="cluster")

    def stop(self):
        self._stopping.set()
        with self._worker_lock:
            pass  # a restart under way has finished: its worker is among the children
        for server in self.app_servers:
            server.stop()
        for child in reversed(self.children):
            child.stop()
        for proxy in (self.database_proxy, self.redis_proxy):
            if proxy:
                proxy.stop()

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()


# --- HTTP ---------------------------------------------------------------------------------------


class Answer:
    def __init__(self, status, headers, body, seconds):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies, and requests that may be sent to any server of the cluster."""

    def __init__(self):
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def request(self, url, *, data=None, headers=None, timeout=10):
        request = urllib.request.Request(url, data=data, headers=headers or {})
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=timeout) as answer:
                return Answer(answer.status, answer.headers, answer.read(), time.monotonic() - started)
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read(), time.monotonic() - started)

    def cookie(self, name):
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)

    def post_form(self, url, fields, *, referer, files=None, timeout=10):
        """A form post with the CSRF token from the cookie, multipart when there are files."""
        fields = {**fields, "csrfmiddlewaretoken": self.cookie("csrftoken") or ""}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request(url, data=body, headers={"Content-Type": content_type, "Referer": referer},
                            timeout=timeout)

    def log_in(self, base):
        self.request(f"{base}/admin/login/")
        return self.post_form(
            f"{base}/admin/login/?next=/admin/", {"username": ADMIN_USER, "password": ADMIN_PASSWORD},
            referer=f"{base}/admin/login/",
        )


def multipart(fields, files):
    boundary = "runcms" + secrets.token_hex(12)
    parts = []
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def form_fields(html, form_id):
    """The fields of the form `form_id` in an admin page, as a browser would post them."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        inside, select, textarea, fields = False, None, None, {}

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.inside = attrs.get("id") == form_id
            name = attrs.get("name")
            if not self.inside or not name and tag != "option":
                return
            if tag == "input" and attrs.get("type", "text") not in ("submit", "button", "file"):
                if attrs.get("type") in ("checkbox", "radio"):
                    if "checked" in attrs:
                        self.fields.setdefault(name, []).append(attrs.get("value", "on"))
                else:
                    self.fields[name] = [attrs.get("value") or ""]
            elif tag == "textarea":
                self.textarea = name
                self.fields[name] = [""]
            elif tag == "select":
                self.select = name
                self.fields.setdefault(name, [])
            elif tag == "option" and self.select and "selected" in attrs:
                self.fields[self.select].append(attrs.get("value", ""))

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None
            elif tag == "form":
                self.inside = False

        def handle_data(self, data):
            if self.textarea:
                self.fields[self.textarea][0] += data

    parser = Parser()
    parser.fields = {}
    parser.feed(html)
    return parser.fields


def upstream(answer):
    return answer.headers.get("X-Upstream", "?")


# --- Webhooks -----------------------------------------------------------------------------------


class WebhookReceiver:
    """A webhook endpoint on loopback: records every delivery it is sent (checking its signature)
    and answers 200, or, while `holding`, keeps the sender waiting for an answer."""

    def __init__(self, secret):
        import hashlib
        import hmac
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.secret, self.received, self.holding = secret, [], False
        self.release = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        def signed(headers, body):
            parts = dict(part.split("=", 1) for part in headers.get("X-Runcms-Signature", "").split(",") if "=" in part)
            expected = hmac.new(secret.encode(), parts.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest()
            return hmac.compare_digest(expected, parts.get("v1", ""))

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                payload = json.loads(body or b"{}")
                record = {**payload, "header_delivery": self.headers.get("X-Runcms-Delivery"),
                          "valid": signed(self.headers, body), "at": time.time()}
                with receiver._lock:
                    receiver.received.append(record)
                if receiver.holding:
                    receiver.release.wait(60)
                with contextlib.suppress(OSError):
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.port = servers.free_port()
        self.url = f"http://{HOST}:{self.port}/hooks"
        self.server = ThreadingHTTPServer((HOST, self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def events(self, **match):
        with self._lock:
            return [r for r in self.received if all(r.get(key) == value for key, value in match.items())]

    def wait_for(self, timeout, **match):
        """The deliveries matching `match`, once there is at least one (or [] after `timeout` s)."""
        deadline = time.monotonic() + timeout
        while not (found := self.events(**match)) and time.monotonic() < deadline:
            time.sleep(0.1)
        return found

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def add_endpoint(editor, base, receiver, name="Scripts' receiver"):
    """Add a webhook endpoint for `receiver` through the admin, every event and content type."""
    add_url = f"{base}/admin/webhooks/endpoint/add/"
    fields = form_fields(editor.request(add_url).text, "endpoint_form")
    fields.update({"name": [name], "url": [receiver.url], "secret": [receiver.secret], "active": ["on"],
                   "events": ["published", "updated", "unpublished", "deleted"], "collections": [], "_save": [""]})
    return editor.post_form(add_url, fields, referer=add_url)


def edit_drill(editor, base, drill_id, title):
    """Save a drill's admin form through `base` with a new title, as an editor would."""
    change_url = f"{base}/admin/drills/drill/{drill_id}/change/"
    fields = form_fields(editor.request(change_url).text, "drill_form")
    fields["title"] = [title]
    fields["_save"] = [""]
    return editor.post_form(change_url, fields, referer=change_url)


def upload_media(editor, base, filename, content, content_type="image/jpeg"):
    """Add a media item through `base`'s admin with this file, as an editor would."""
    add_url = f"{base}/admin/drills/cuemedia/add/"
    fields = form_fields(editor.request(add_url).text, "cuemedia_form")
    fields.update({"alt_text": ["A runner pulling the heel to the hip"], "_continue": [""]})
    return editor.post_form(add_url, fields, referer=add_url, files={"file": (filename, content, content_type)},
                            timeout=120)
