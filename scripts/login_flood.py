"""Resident memory of `mutua serve` under a flood of junk logins (issue 12, finding 1).

    cargo build --release && python3 scripts/login_flood.py
    MUTUA_BENCH_BIN=/path/to/mutua python3 scripts/login_flood.py   # another build

Starts the release binary on a fresh SQLite database, then sends failed logins from 150
client addresses (real loopback addresses 127.0.1.1 to 127.0.1.150, so no proxy setting is
needed and an older build is measured the same way):

1. 1,500 logins with distinct emails of about 60 KB (what the issue reproduced);
2. 1,500 logins with distinct emails of 254 characters, the longest the standard allows,
   which do reach the throttle.

Prints the resident memory (VmRSS) before and after each phase, and the statuses seen.
Linux only (reads /proc). Takes about a minute: each failed login of phase 2 verifies a
password hash.
"""

import collections
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("MUTUA_BENCH_BIN", os.path.join(ROOT, "target", "release", "mutua"))
ADDRESSES = [f"127.0.1.{i}" for i in range(1, 151)]
LOGINS = 1_500


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def login(port, source, email):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    body = json.dumps({"email": email, "password": "not the password"})
    conn.request("POST", "/api/v1/auth/login", body, {"content-type": "application/json"})
    status = conn.getresponse().status
    conn.close()
    return status


def flood(port, pid, label, email_of):
    before = rss_mb(pid)
    statuses = collections.Counter()
    for i in range(LOGINS):
        statuses[login(port, ADDRESSES[i % len(ADDRESSES)], email_of(i))] += 1
    after = rss_mb(pid)
    print(f"{label}: RSS {before:.1f} MB -> {after:.1f} MB ({after - before:+.1f} MB); statuses {dict(statuses)}")
    return after - before


def main():
    with tempfile.TemporaryDirectory() as work:
        port = 19000 + os.getpid() % 1000
        env = dict(os.environ)
        env.update({
            "MUTUA_DATABASE_URL": os.path.join(work, "mutua.db"),
            "MUTUA_BIND": f"127.0.0.1:{port}",
            "MUTUA_JWT_SECRET": "login flood secret of at least thirty-two bytes",
            "MUTUA_OUTBOX_DIR": os.path.join(work, "outbox"),
            "MUTUA_LOG": "error",
        })
        server = subprocess.Popen([BIN, "serve"], env=env)
        try:
            for _ in range(600):
                try:
                    http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/health")
                    break
                except OSError:
                    time.sleep(0.1)
            # One hash first: its 19 MiB are part of the steady state, not of the flood.
            login(port, "127.0.0.1", "warm@up.be")
            junk = flood(port, server.pid, "1,500 logins, ~60 KB emails", lambda i: f"{i}-" + "x" * 60_000 + "@junk.be")
            longest = flood(port, server.pid, "1,500 logins, 254-char emails",
                            lambda i: f"{i:06d}" + "y" * (254 - 6 - len("@junk.be")) + "@junk.be")
            print(f"total growth: {junk + longest:+.1f} MB (target: at most 32 MB)")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
