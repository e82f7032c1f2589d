"""The kill -9 campaign: writers append audited events through the API while servers are killed with
SIGKILL and restarted; afterwards every acknowledged write must be in the log, whole, and the chain must
verify. On PostgreSQL two servers share the database and the writers use both; when the rollout leader
is killed, the time until the other one leads is measured.

    python3 chaos.py BLASTWALL_BINARY sqlite KILLS
    python3 chaos.py BLASTWALL_BINARY postgres://… KILLS
Loopback only; every loop is bounded in count and time.
"""
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

BINARY, TARGET, KILLS = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
WRITERS = 8
DEADLINE = time.time() + 600  # the whole campaign, at most
work = tempfile.mkdtemp(prefix="blastwall-chaos-")
random.seed(20261201)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


database = os.path.join(work, "chaos.sqlite") if TARGET == "sqlite" else TARGET
token = subprocess.run([BINARY, "admin", "bootstrap", "--database", database, "--name", "chaos"], cwd=work,
                       capture_output=True, text=True, check=True).stdout.strip()
ports = [free_port()] if TARGET == "sqlite" else [free_port(), free_port()]
servers = {}


def start(port):
    log = open(os.path.join(work, f"serve-{port}.log"), "ab")
    arguments = [BINARY, "serve", "--listen", f"127.0.0.1:{port}", "--database", database]
    if TARGET != "sqlite":
        arguments += ["--advertise-url", f"http://127.0.0.1:{port}"]
    servers[port] = subprocess.Popen(arguments, cwd=work, stdout=subprocess.DEVNULL, stderr=log)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise SystemExit(f"server on {port} did not start")


def leader(port):
    try:
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=1).read().decode()
    except (urllib.error.URLError, OSError):
        return False
    for line in text.splitlines():
        if line.startswith("blastwall_rollout_leader "):
            return float(line.split()[-1]) == 1
    return False


acknowledged = []
attempted = [0]
lock = threading.Lock()
stop = threading.Event()


def writer(number):
    sequence = 0
    while not stop.is_set() and time.time() < DEADLINE:
        sequence += 1
        ident = f"w{number}-{sequence}"
        port = random.choice(ports)
        body = json.dumps({"action": "custom.chaos", "subject": ident, "payload": {"id": ident, "pad": "x" * 200}}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/audit/events", data=body, method="POST",
                                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with lock:
            attempted[0] += 1
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 201:
                    with lock:
                        acknowledged.append(ident)
        except (urllib.error.URLError, OSError, ConnectionError):
            time.sleep(0.02)  # the server is down: the write was not acknowledged, try the next


for port in ports:
    start(port)
threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
for thread in threads:
    thread.start()

takeovers = []
for kill in range(KILLS):
    if time.time() > DEADLINE:
        break
    time.sleep(random.uniform(0.3, 1.2))
    port = random.choice(ports)
    was_leader = len(ports) > 1 and leader(port)
    servers[port].send_signal(signal.SIGKILL)
    servers[port].wait()
    killed_at = time.time()
    if was_leader:
        other = next(p for p in ports if p != port)
        while time.time() - killed_at < 30 and not leader(other):
            time.sleep(0.01)
        if leader(other):
            takeovers.append(time.time() - killed_at)
    start(port)

stop.set()
for thread in threads:
    thread.join(timeout=10)
for process in servers.values():
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)

verify = subprocess.run([BINARY, "audit", "verify", "--database", database, "--format", "json"], cwd=work,
                        capture_output=True, text=True)
verification = json.loads(verify.stdout or "{}")
start(ports[0])
stored = {}
after = 0
while True:
    page = json.loads(urllib.request.urlopen(urllib.request.Request(
        f"http://127.0.0.1:{ports[0]}/api/v1/audit/events?limit=500&after={after}",
        headers={"Authorization": f"Bearer {token}"}), timeout=10).read())
    for event in page["items"]:
        if event["action"] == "custom.chaos":
            stored[event["subject"]] = event["payload"]
    if page["next_after"] is None:
        break
    after = page["next_after"]
servers[ports[0]].send_signal(signal.SIGTERM)
servers[ports[0]].wait(timeout=30)

lost = [ident for ident in acknowledged if ident not in stored]
half = [ident for ident, payload in stored.items() if payload.get("id") != ident or len(payload.get("pad", "")) != 200]
print(f"chaos: {TARGET.split('@')[-1]}: {KILLS} kills of {len(ports)} server(s), {attempted[0]} writes attempted, "
      f"{len(acknowledged)} acknowledged, {len(lost)} lost, {len(half)} half-written, "
      f"chain {'intact' if verification.get('intact') else 'BROKEN'} ({verification.get('events')} events)"
      + (f", leader takeover median {statistics.median(takeovers):.2f} s over {len(takeovers)} (max {max(takeovers):.2f} s)"
         if takeovers else ""))
sys.exit(0 if not lost and not half and verification.get("intact") else 1)
