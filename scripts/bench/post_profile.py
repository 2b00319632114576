"""Where a post's time goes: POST /api/v1/needs alone (the load of scripts/bench/run.py), with
the CPU it cost the service and PostgreSQL, per post, and what PostgreSQL ran for it.

    python3 scripts/bench/post_profile.py postgres     # or sqlite
    MUTUA_BENCH_BIN=/path/to/other/build python3 scripts/bench/post_profile.py postgres

Builds nothing: it runs target/release/mutua (or MUTUA_BENCH_BIN), so two builds can be
measured one after the other. CPU is read from /proc (user + system) of the service and of
every postgres process, before and after wrk. The statements per post, with the buffers each
touched, come from pg_stat_statements when the server preloads it
(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'` and a restart; planning
time is counted once `pg_stat_statements.track_planning` is on); without it that table is
left out. With MUTUA_PERF=path, `perf record` samples the service's call stacks during the
load into that file (`perf report -i path --no-children`). A development tool:
scripts/bench.sh gives the figures of record.
"""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402


def stat_seconds(paths):
    """CPU seconds (user + system) of the processes or threads whose /proc stat files are `paths`."""
    total = 0
    for path in paths:
        try:
            with open(path) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    return stat_seconds(f"/proc/{pid}/stat" for pid in pids)


def writer_seconds(pid):
    """CPU seconds of the service's SQLite writer thread (the one that runs every write), if any."""
    tasks = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                if f.read().startswith("mutua-sqlite-wr"):
                    tasks.append(f"/proc/{pid}/task/{tid}/stat")
        except FileNotFoundError:
            pass
    return stat_seconds(tasks)


def postgres_pids():
    out = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def perf_record(pid):
    """`perf record` of the service's call stacks for most of the load, if MUTUA_PERF names a file."""
    path = os.environ.get("MUTUA_PERF")
    if not path:
        return None
    return subprocess.Popen(["perf", "record", "-q", "-F", "499", "--call-graph", "dwarf,16384", "-o", path,
                             "-p", str(pid), "--", "sleep", "6"], stdout=subprocess.DEVNULL)


def main():
    backend = sys.argv[1] if len(sys.argv) > 1 else "postgres"
    work = tempfile.mkdtemp(prefix="mutua-profile-")
    name = f"mutua_profile_{os.getpid()}"
    if backend == "postgres":
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        url = run.PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    else:
        url = os.path.join(work, "mutua.db")

    def psql(query):
        done = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-Atc", query],
                              capture_output=True, text=True)
        sys.stderr.write(done.stderr)
        return done.stdout

    proc, base = run.start(url, work)
    try:
        tokens, _, files = run.setup(base, work)
        statements = backend == "postgres" and "pg_stat_statements" in psql("SHOW shared_preload_libraries")
        if statements:
            psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            psql("SELECT pg_stat_statements_reset()")
        pids = postgres_pids() if backend == "postgres" else []
        perf = perf_record(proc.pid)
        before = (cpu_seconds([proc.pid]), cpu_seconds(pids), time.time(), writer_seconds(proc.pid))
        post = run.wrk(base, "post_needs.lua", {**files, "TOKEN": tokens[0]})
        if perf:
            perf.wait()
        after = (cpu_seconds([proc.pid]), cpu_seconds(postgres_pids() if pids else []), time.time(),
                 writer_seconds(proc.pid))
        posts = post["rps"] * (after[2] - before[2])
        print(f"{backend}: {post['rps']:.0f} posts/s, p99 {post['p99']:.1f} ms; CPU per post: "
              f"mutua {1e6 * (after[0] - before[0]) / posts:.0f} µs, "
              f"postgres {1e6 * (after[1] - before[1]) / posts:.0f} µs"
              + (f", SQLite writer thread {1e6 * (after[3] - before[3]) / posts:.0f} µs" if backend == "sqlite" else ""))
        if backend == "postgres":
            needs, pairs = psql("SELECT (SELECT count(*) FROM needs), (SELECT count(*) FROM duplicate_candidates)").strip().split("|")
            print(f"{needs} needs, {pairs} likely-duplicate pairs stored")
        if statements:
            print("calls per post | buffers per call | µs per call: execute, plan (wall) | share of time | statement")
            rows = psql(
                "SELECT calls, shared_blks_hit / calls, round((total_exec_time / calls * 1000)::numeric), "
                "round((total_plan_time / calls * 1000)::numeric), "
                "round((100 * (total_exec_time + total_plan_time) / sum(total_exec_time + total_plan_time) over ())::numeric, 1), "
                "left(regexp_replace(query, '\\s+', ' ', 'g'), 100) FROM pg_stat_statements "
                "WHERE calls > 0 AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "ORDER BY total_exec_time + total_plan_time DESC LIMIT 25")
            for row in rows.splitlines():
                calls, blocks, execute, plan, share, query = row.split("|", 5)
                print(f"{int(calls) / posts:.2f} | {blocks} | {execute}, {plan} | {share} % | {query}")
    finally:
        if statements:
            sys.stderr.write(psql("SELECT calls, plans, query FROM pg_stat_statements WHERE calls > 0 ORDER BY calls DESC LIMIT 12") if os.environ.get("MUTUA_PROFILE_FULL") else "")
        proc.terminate()
        proc.wait()
        if backend == "postgres":
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False)


if __name__ == "__main__":
    main()
