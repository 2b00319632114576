"""Measures mutua against the machine's own ceilings, in one run (see scripts/bench.sh).

For each backend: GET /health (the HTTP stack's ceiling), GET /api/v1/pools/{id} and the same
pool's web page GET /pools/{id} (a signed-in person's session cookie) beside it, for a member
and for an officer (whose page shows the duplicate review); the public
open data export GET /api/v1/ocds/releases (what harvesters hit);
POST /api/v1/needs with distinct bodies against raw single-row commits/s of the storage
(SQLite with the service's pragmas on the same disk, or pgbench's simple-update TPS);
concurrent PUT pledge on 100 pools from 50 organisations; resident memory at 10 000 pools.
Prints one table and writes it between the markers of docs/PERFORMANCE.md.
"""

import datetime
import http.client
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("MUTUA_BENCH_BIN", os.path.join(ROOT, "target", "release", "mutua"))
HERE = os.path.join(ROOT, "scripts", "bench")
DURATION = os.environ.get("BENCH_SECONDS", "10")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "32")
PG_ADMIN = os.environ.get("MUTUA_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
OFFICER = ("officer@bench.be", "benchmark officer password")
PASSWORD = "benchmark member password"


def call(base, method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"null")


def start(db_url, work):
    port = 18000 + os.getpid() % 1000
    env = dict(os.environ)
    env.update(json.loads(os.environ.get("BENCH_SERVER_ENV", "{}")))
    env.update({
        "MUTUA_DATABASE_URL": db_url,
        "MUTUA_BIND": f"127.0.0.1:{port}",
        "MUTUA_JWT_SECRET": "benchmark secret of at least thirty-two bytes",
        "MUTUA_BOOTSTRAP_OFFICER_EMAIL": OFFICER[0],
        "MUTUA_BOOTSTRAP_OFFICER_PASSWORD": OFFICER[1],
        "MUTUA_RATE_LIMIT_PER_MINUTE": "0",
        # The harvester's load comes from one address: without this, all but 300 a minute
        # are 429s (the anonymous limit of issue 24), and the row measures the refusals.
        "MUTUA_PUBLIC_PER_MINUTE": "0",
        "MUTUA_MAX_NEEDS_PER_DAY": "0",
        # Every need opens its own pool: the benchmark needs 10 000 distinct pools, and
        # matching still runs in full for each post.
        "MUTUA_MATCH_MERGE": "2",
        "MUTUA_OUTBOX_DIR": os.path.join(work, "outbox"),
        "MUTUA_LOG": "error",
    })
    proc = subprocess.Popen([BIN, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "server.log"), "w"))
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            return proc, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise SystemExit("mutua did not start; see " + work + "/server.log")


def setup(base, work):
    officer = call(base, "POST", "/api/v1/auth/login", body={"email": OFFICER[0], "password": OFFICER[1]})["access_token"]
    tokens, pools = [], []
    for i in range(50):
        org = call(base, "POST", "/api/v1/organisations", officer, {"name": f"Commune {i:02}", "kind": "commune", "locale": "fr"})
        email = f"member{i}@bench.be"
        call(base, "POST", f"/api/v1/organisations/{org['id']}/users", officer,
             {"email": email, "name": "Member", "password": PASSWORD, "role": "member"})
        tokens.append(call(base, "POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD})["access_token"])
    for i in range(100):
        posted = call(base, "POST", "/api/v1/needs", tokens[i % 50],
                      {"title": f"Mise en place {i} du registre {i * 7}", "description": f"Pool de mesure {i}",
                       "estimated_cost_cents": 10 ** 11})
        pools.append(posted["pool"]["id"])
    files = {"TOKENS_FILE": os.path.join(work, "tokens.txt"), "POOLS_FILE": os.path.join(work, "pools.txt"),
             "OFFICER_TOKEN": officer}
    with open(files["TOKENS_FILE"], "w") as f:
        f.write("\n".join(tokens) + "\n")
    with open(files["POOLS_FILE"], "w") as f:
        f.write("\n".join(map(str, pools)) + "\n")
    return tokens, pools, files


def web_session(base, email, password):
    """Signs in through the sign-in form, as a browser does; returns the session cookie."""
    host = base.split("//", 1)[1]
    conn = http.client.HTTPConnection(host, timeout=30)
    conn.request("GET", "/login")
    form = conn.getresponse()
    pre = re.search(r"mutua_login=([0-9a-f]+)", form.getheader("set-cookie") or "").group(1)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form.read().decode()).group(1)
    body = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token, "next": "/"})
    conn.request("POST", "/login", body=body, headers={
        "content-type": "application/x-www-form-urlencoded", "cookie": f"mutua_login={pre}"})
    answer = conn.getresponse()
    answer.read()
    cookies = " ".join(v for k, v in answer.getheaders() if k.lower() == "set-cookie")
    return re.search(r"mutua_session=([0-9a-f]+)", cookies).group(1)


def wrk(url, script=None, env=None):
    cmd = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency"]
    if script:
        cmd += ["-s", os.path.join(HERE, script)]
    out = subprocess.run(cmd + [url], env={**os.environ, **(env or {})}, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": rps, "p99": p99_ms, "non2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": sum(map(int, errors.groups())) if errors else 0}


def sqlite_commits_per_second(work, seconds=5.0):
    """Single-row INSERT + COMMIT with the service's pragmas, on the same disk."""
    conn = sqlite3.connect(os.path.join(work, "ceiling.db"), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    n, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (v) VALUES (?)", (f"row {n}",))
        conn.execute("COMMIT")
        n += 1
    return n / (time.perf_counter() - started)


def pgbench_tps():
    db = "mutua_bench_pgbench"
    admin = PG_ADMIN.rsplit("/", 1)[0]
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    try:
        subprocess.run(["pgbench", "-i", "-q", "-s", "1", f"{admin}/{db}"], check=True, capture_output=True)
        out = subprocess.run(["pgbench", "-N", "-c", CONNECTIONS, "-j", "2", "-T", DURATION, f"{admin}/{db}"],
                             check=True, capture_output=True, text=True).stdout
        return float(re.search(r"tps = ([\d.]+)", out).group(1))
    finally:
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", db], check=True)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def fill_to(base, token, count):
    total = call(base, "GET", "/api/v1/pools?limit=1", token)["total"]
    for i in range(total, count):
        call(base, "POST", "/api/v1/needs", token, {"title": f"Complément {i} pour la mesure", "description": f"n° {i}"})
    return max(total, count)


def bench(backend, work):
    if backend == "sqlite":
        db_url, ceiling_name = os.path.join(work, "mutua.db"), "raw SQLite commits/s"
        ceiling = sqlite_commits_per_second(work)
    else:
        name = f"mutua_bench_{os.getpid()}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        db_url, ceiling_name = PG_ADMIN.rsplit("/", 1)[0] + "/" + name, "pgbench simple-update TPS"
        ceiling = None
    proc, base = start(db_url, work)
    try:
        tokens, pools, files = setup(base, work)
        session = web_session(base, "member0@bench.be", PASSWORD)
        env = {**files, "TOKEN": tokens[0], "POOL": str(pools[0]), "SESSION": session}
        office = {**env, "TOKEN": files["OFFICER_TOKEN"], "SESSION": web_session(base, *OFFICER)}
        health = wrk(base + "/health")
        get_pool = wrk(base, "get.lua", env)
        get_page = wrk(base, "get_page.lua", env)
        officer_api = wrk(base, "get.lua", office)
        officer_page = wrk(base, "get_page.lua", office)
        ocds = wrk(base + "/api/v1/ocds/releases?limit=100")
        post = wrk(base, "post_needs.lua", env)
        pledge = wrk(base, "pledge.lua", env)
        pools_now = fill_to(base, tokens[0], 10_000)
        rss = rss_mib(proc.pid)
    finally:
        proc.terminate()
        proc.wait()
        if backend == "postgres":
            ceiling = pgbench_tps()
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False)
    return [
        (backend, "GET /health (HTTP ceiling)", health, None, None, None),
        (backend, "GET /api/v1/pools/{id}", get_pool, health["rps"], "GET /health", 0.5),
        (backend, "GET /pools/{id} (web page)", get_page, get_pool["rps"], "GET /api/v1/pools/{id}", 0.5),
        (backend, "GET /api/v1/pools/{id} (officer)", officer_api, health["rps"], "GET /health", None),
        (backend, "GET /pools/{id} (officer's web page)", officer_page, officer_api["rps"],
         "GET /api/v1/pools/{id} (officer)", 0.5),
        (backend, "GET /api/v1/ocds/releases (public, 100 releases)", ocds, health["rps"], "GET /health", None),
        # Issue 28: posts at 0.3 × raw durable commits on SQLite, 0.25 × pgbench -N on PostgreSQL.
        (backend, "POST /api/v1/needs", post, ceiling, ceiling_name, 0.3 if backend == "sqlite" else 0.25),
        (backend, "PUT pledge, 100 pools × 50 organisations", pledge, None, None, None),
        (backend, f"resident memory at {pools_now} pools", {"rss": rss, "pools": pools_now}, None, None, None),
    ]


def table(rows):
    lines = ["| backend | measure | requests/s | p99 | non-2xx | ceiling | ratio | target |",
             "|---|---|---:|---:|---:|---|---:|---|"]
    for backend, what, m, ceiling, ceiling_name, target in rows:
        if "rss" in m:
            met = "met" if m["rss"] <= 100 else "NOT met"
            lines.append(f"| {backend} | {what} | | | | | {m['rss']:.0f} MiB | ≤ 100 MiB: {met} |")
            continue
        bad = m["non2xx"] + m["socket_errors"]
        ratio = f"{m['rps'] / ceiling:.2f}" if ceiling else ""
        ceil = f"{ceiling_name}: {ceiling:,.0f}/s" if ceiling else ""
        goal = ""
        if target is not None:
            goal = f"≥ {target}: " + ("met" if m["rps"] / ceiling >= target else "NOT met")
        goal += ("; " if goal else "") + ("no non-2xx: met" if bad == 0 else f"{bad} non-2xx: NOT met")
        goal += "; p99 ≤ 50 ms: " + ("met" if m["p99"] <= 50 else "NOT met")
        lines.append(f"| {backend} | {what} | {m['rps']:,.0f} | {m['p99']:.2f} ms | {bad} | {ceil} | {ratio} | {goal} |")
    return "\n".join(lines)


def side_by_side(rows):
    """The same measures, one column per backend."""
    backends = sorted({r[0] for r in rows}, key=["sqlite", "postgres"].index)
    memory = "resident memory at 10 000 pools or more"
    measures, cell = [], {}
    for backend, what, m, ceiling, *_ in rows:
        if "rss" in m:
            what, text = memory, f"{m['rss']:.0f} MiB ({m['pools']:,} pools)"
        else:
            ratio = f" ({m['rps'] / ceiling:.2f}×)" if ceiling else ""
            text = f"{m['rps']:,.0f}/s{ratio}, p99 {m['p99']:.1f} ms"
        if what not in measures:
            measures.append(what)
        cell[(what, backend)] = text
    lines = ["| measure | " + " | ".join(backends) + " |", "|---|" + "---:|" * len(backends)]
    for what in measures:
        lines.append(f"| {what} | " + " | ".join(cell.get((what, b), "") for b in backends) + " |")
    return "\n".join(lines)


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return (f"{datetime.date.today().isoformat()}, commit {commit}, {platform.node()}: {os.cpu_count()} cores ({cpu}), "
            f"Linux {platform.release()}; wrk -t2 -c{CONNECTIONS} -d{DURATION}s on the same machine")


def main():
    backends = os.environ.get("BACKENDS", "sqlite,postgres").split(",")
    rows = []
    for backend in backends:
        with tempfile.TemporaryDirectory() as work:
            print(f"measuring {backend}…", file=sys.stderr)
            rows += bench(backend, work)
    report = (f"Measured {machine()}.\n\n{table(rows)}\n\n"
              f"Side by side (in brackets, the ratio to the row's ceiling above):\n\n{side_by_side(rows)}\n")
    print(report)
    doc = os.path.join(ROOT, "docs", "PERFORMANCE.md")
    text = open(doc).read() if os.path.exists(doc) else "<!-- bench:begin -->\n<!-- bench:end -->\n"
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(doc, "w") as f:
        f.write(f"{head}{begin}\n{report}{end}{tail}")


if __name__ == "__main__":
    main()
