"""bin/fleet watch: the signals that say whether a polyrun cluster is healthy.

Reads Redis (with redis-cli) for the queue as admission control sees it
(waiting and pending jobs, the oldest waiting job's age: the queue module's own
queue_load.lua), the workers alive (their heartbeats) and the dead letters; and
Prometheus endpoints (coordinator /metrics, worker metrics ports) for job
verdicts, sandbox failures and refused submissions. Prints one line per sample
and says ALERT with the reasons when a threshold is crossed.

  bin/fleet watch [--redis URL] [--metrics URL]... [--once | --for 10m] [--interval 15s]
                  [--max-queue-age 60s] [--min-workers N] [--max-error-rate 0.02]
                  [--max-new-dead-letters 0] [--alerts-to-fail 2] [--prefix polyrun]

The Redis password comes from the URL (redis://:PASSWORD@host:port) or from
REDISCLI_AUTH. Exit status: 0 when the last samples were healthy; 1 when
--alerts-to-fail samples in a row were not (--once: the one sample); 2 on a
usage error or when nothing could be read.
"""

import argparse
import hashlib
import os
import re
import subprocess
import sys
import time
import urllib.request

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+([-+0-9.eEinfNa]+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def duration(text):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m|h)", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"'{text}' (expected: a duration such as 500ms, 15s, 10m, 1h)")
    return float(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bin/fleet watch", description=__doc__.split("\n\n")[0])
    p.add_argument("--lua", required=True, help=argparse.SUPPRESS)
    p.add_argument("--redis", help="redis://[:password@]host:port of the cluster's Redis")
    p.add_argument("--prefix", default="polyrun", help="queue.prefix (default polyrun)")
    p.add_argument("--metrics", action="append", default=[], help="a Prometheus endpoint (repeatable)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="one sample, then exit")
    mode.add_argument("--for", dest="watch_for", type=duration, help="sample for this long, then exit")
    p.add_argument("--interval", type=duration, default=15.0, help="between samples (default 15s)")
    p.add_argument("--max-queue-age", type=duration, default=60.0, help="oldest waiting job (default 60s)")
    p.add_argument("--min-workers", type=int, default=1, help="workers alive (default 1)")
    p.add_argument("--max-error-rate", type=float, default=0.02,
                   help="INTERNAL_ERROR verdicts and sandbox failures per finished job between samples (default 0.02)")
    p.add_argument("--max-new-dead-letters", type=int, default=0, help="dead letters added between samples (default 0)")
    p.add_argument("--alerts-to-fail", type=int, default=2, help="unhealthy samples in a row that fail (default 2)")
    args = p.parse_args(argv)
    if not args.redis and not args.metrics:
        p.error("nothing to watch (expected: --redis and/or --metrics)")
    return args


def redis(args, *command):
    cli = ["redis-cli", "--no-auth-warning", "-u", args.redis, "--raw"] + list(command)
    out = subprocess.run(cli, capture_output=True, text=True, timeout=10)
    if out.returncode != 0 or out.stdout.startswith(("ERR", "NOAUTH", "WRONGPASS")) or "Could not connect" in out.stderr:
        raise RuntimeError(f"redis-cli {command[0]}: {(out.stdout + out.stderr).strip()[:200]}")
    return out.stdout.splitlines()


def queue_keys(p, queue):
    """A queue's keys as dev.polyrun.queue.internal.Keys names them: under the queue's hash tag."""
    tag = hashlib.sha256(queue.encode("utf-8")).hexdigest()[:8]
    base = f"{p}:{{{tag}}}"
    return {"jobs": f"{base}:jobs:{queue}", "backlog": f"{base}:backlog:{queue}", "dead": f"{base}:dead:{queue}"}


def redis_sample(args, lua):
    p = args.prefix
    waiting = pending = dead = 0
    oldest_ms = None
    now = 0
    for queue in redis(args, "SMEMBERS", f"{p}:queues"):
        k = queue_keys(p, queue)
        load = redis(args, "EVAL", lua, "2", k["jobs"], k["backlog"], "workers", "100000", k["backlog"] + ":")
        waiting += int(load[0])
        pending += int(load[1])
        oldest = load[2] if len(load) > 3 else ""
        now = int(load[-1])
        if oldest:
            ms = int(oldest.split("-")[0])
            oldest_ms = ms if oldest_ms is None else min(oldest_ms, ms)
        dead += int(redis(args, "XLEN", k["dead"])[0])
    age = max(0, now - oldest_ms) / 1000 if oldest_ms is not None else 0.0
    workers = slots = busy = 0
    for key in redis(args, "--scan", "--pattern", f"{p}:worker:*"):
        values = redis(args, "HMGET", key, "slots", "busy")
        if values and values[0]:
            workers += 1
            slots += int(values[0] or 0)
            busy += int(values[1] or 0)
    return {"workers": workers, "slots": slots, "busy": busy, "waiting": waiting, "pending": pending,
            "oldest_wait": age, "dead_letters": dead}


def metrics_sample(urls):
    totals = {"jobs": 0.0, "internal_errors": 0.0, "sandbox_failures": 0.0, "refused": 0.0}
    for url in urls:
        with urllib.request.urlopen(url, timeout=10) as response:
            text = response.read().decode("utf-8", "replace")
        for line in text.splitlines():
            m = SAMPLE.match(line)
            if not m:
                continue
            name, labels, value = m.group(1), dict(LABEL.findall(m.group(2) or "")), float(m.group(3))
            if name == "polyrun_worker_jobs_total":
                totals["jobs"] += value
                if labels.get("verdict") == "INTERNAL_ERROR":
                    totals["internal_errors"] += value
            elif name == "polyrun_worker_sandbox_failures_total":
                totals["sandbox_failures"] += value
            elif name == "polyrun_submissions_total" and labels.get("result", "accepted") != "accepted":
                totals["refused"] += value
    return totals


def judge(args, now, before):
    reasons = []
    if "workers" in now:
        if now["workers"] < args.min_workers:
            reasons.append(f"workers {now['workers']} < {args.min_workers}")
        if now["oldest_wait"] > args.max_queue_age:
            reasons.append(f"oldest waiting job {now['oldest_wait']:.0f}s > {args.max_queue_age:.0f}s")
        if before and now["dead_letters"] - before["dead_letters"] > args.max_new_dead_letters:
            reasons.append(f"{now['dead_letters'] - before['dead_letters']} new dead letters")
    if "jobs" in now:
        if before:
            jobs = now["jobs"] - before["jobs"]
            errors = (now["internal_errors"] - before["internal_errors"]
                      + now["sandbox_failures"] - before["sandbox_failures"])
        else:
            jobs, errors = now["jobs"], now["internal_errors"] + now["sandbox_failures"]
        if errors > 0 and errors > args.max_error_rate * max(jobs, 1):
            reasons.append(f"{errors:.0f} internal errors in {jobs:.0f} jobs")
    return reasons


def line(sample, reasons):
    parts = [time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())]
    for key, value in sample.items():
        parts.append(f"{key}={value:.1f}s" if key == "oldest_wait" else f"{key}={value:.0f}")
    parts.append("status=" + ("OK" if not reasons else "ALERT(" + "; ".join(reasons) + ")"))
    return " ".join(parts)


def main(argv):
    args = parse_args(argv)
    if args.redis and os.environ.get("REDISCLI_AUTH") is None and "@" not in args.redis:
        print("watch: no Redis password in the URL or REDISCLI_AUTH; trying without", file=sys.stderr)
    with open(args.lua, encoding="utf-8") as f:
        lua = f.read()
    deadline = None if args.watch_for is None else time.monotonic() + args.watch_for
    before, alerts = None, 0
    while True:
        sample = {}
        try:
            if args.redis:
                sample.update(redis_sample(args, lua))
            if args.metrics:
                sample.update(metrics_sample(args.metrics))
        except (OSError, RuntimeError, ValueError, subprocess.SubprocessError) as e:
            print(f"watch: cannot read the signals: {e}", file=sys.stderr)
            if args.once:
                return 2
            alerts += 1
            reasons = ["signals unreadable"]
        else:
            reasons = judge(args, sample, before)
            alerts = alerts + 1 if reasons else 0
            print(line(sample, reasons), flush=True)
            before = sample
        if args.once:
            return 0 if not reasons else 1
        if alerts >= args.alerts_to_fail:
            print(f"watch: unhealthy for {alerts} samples in a row", file=sys.stderr)
            return 1
        if deadline is not None and time.monotonic() >= deadline:
            return 0
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
