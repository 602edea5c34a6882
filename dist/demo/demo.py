#!/usr/bin/env python3
"""The keptn-host demo: a Keptn quality-gate sequence driven through keptn-host, event by event.

It backfills known metrics into a real Prometheus, starts keptn-host with every first-party
plugin, sends the control plane's .triggered events, prints every event as it flows and ends
with a one-screen summary. State lives under var/demo/ and is reset on every run.
"""
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build", "release")
VAR = os.path.join(ROOT, "var", "demo")
HOST = os.path.join(BUILD, "host", "keptn-host")
PLUGINS = ["lighthouse", "prometheus-sli", "approval"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, condition, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.2)
    sys.exit(f"demo: {what} did not come up within {seconds}s; see {VAR}")


# --- Prometheus with known series -----------------------------------------------------------

BAD_WINDOW = (40 * 60, 30 * 60)   # seconds before now: a slow, failing deployment
GOOD_WINDOW = (10 * 60, 1 * 60)   # seconds before now: a healthy one


def backfill(now):
    lines = []
    for name, good, bad in (("demo_response_time_p95_ms", 420, 720),
                            ("demo_error_rate", 0.004, 0.015),
                            ("demo_throughput_rps", 55, 38)):
        series = f'{name}{{project="sockshop",stage="staging",service="carts"}}'
        for ago in range(45 * 60, 0, -15):
            bad_time = BAD_WINDOW[1] <= ago <= BAD_WINDOW[0]
            lines.append(f"{series} {bad if bad_time else good} {now - ago}")
    path = os.path.join(VAR, "metrics.om")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n# EOF\n")
    data = os.path.join(VAR, "prometheus")
    subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", path, data],
                   check=True, stdout=subprocess.DEVNULL)
    return data


def start_prometheus(data, port):
    config = os.path.join(VAR, "prometheus.yml")
    with open(config, "w") as f:
        f.write("global:\n  scrape_interval: 1h\n")
    log = open(os.path.join(VAR, "prometheus.log"), "w")
    proc = subprocess.Popen(["prometheus", f"--config.file={config}",
                             f"--storage.tsdb.path={data}",
                             f"--web.listen-address=127.0.0.1:{port}",
                             "--storage.tsdb.retention.time=30d"],
                            stdout=log, stderr=subprocess.STDOUT)

    def ready():
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=1).status == 200
        except OSError:
            return False
    wait_until("Prometheus", ready)
    return proc


# --- keptn-host ------------------------------------------------------------------------------

def write_host_config(prometheus_url):
    path = os.path.join(VAR, "keptn-host.yaml")
    with open(path, "w") as f:
        f.write(f"""# Written by the demo: every first-party plugin, local resources.
plugins:
  - library: lighthouse
    config:
      sliProvider:
        default: prometheus
  - library: prometheus-sli
    config:
      url: {prometheus_url}
  - library: approval
resources:
  provider: local
  directory: {os.path.join(ROOT, "dist", "demo", "resources")}
eventStore:
  type: file
  path: {os.path.join(VAR, "events.jsonl")}
""")
    return path


class LocalHost:
    """keptn-host in local mode: events in on stdin, emitted events out on stdout."""

    def __init__(self, config):
        self.events = queue.Queue()
        self.proc = subprocess.Popen([HOST, "run", "--config", config], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=open(os.path.join(VAR, "keptn-host.log"), "w"),
                                     text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            if line.strip():
                self.events.put(json.loads(line))

    def send(self, event):
        self.proc.stdin.write(json.dumps(event) + "\n")
        self.proc.stdin.flush()

    def close(self):
        self.proc.stdin.close()
        return self.proc.wait(timeout=60)


# --- the sequence ----------------------------------------------------------------------------

def iso(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(seconds))


def triggered(task, context, data):
    return {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "shipyard-controller",
            "type": f"sh.keptn.event.{task}.triggered", "datacontenttype": "application/json",
            "shkeptncontext": context, "time": iso(time.time()),
            "data": {"project": "sockshop", "stage": "staging", "service": "carts", **data}}


def describe(event):
    data = event.get("data", {})
    kind = event["type"].rsplit(".", 1)[-1]
    task = event["type"][len("sh.keptn.event."):-(len(kind) + 1)]
    details = []
    if task == "get-sli" and kind == "triggered":
        details.append("indicators " + ", ".join(data.get("get-sli", {}).get("indicators", [])))
    if task == "get-sli" and kind == "finished":
        for value in data.get("get-sli", {}).get("indicatorValues", []):
            details.append(f"{value['metric']}={value.get('value')}")
    if task == "evaluation" and kind == "finished":
        evaluation = data.get("evaluation", {})
        details.append(f"score {evaluation.get('score')}")
    if kind == "finished":
        details.insert(0, f"{data.get('status')}/{data.get('result')}")
    if data.get("message"):
        details.append(data["message"][:70])
    return task, kind, " ".join(details)


def show(direction, event):
    task, kind, details = describe(event)
    stamp = time.strftime("%H:%M:%S")
    print(f"  {stamp} {direction} {task + '.' + kind:<24} {event.get('source', ''):<19} {details}",
          flush=True)


def run_until(host, finished_type, triggered_id, seen):
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            event = host.events.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(event)
        show("<-", event)
        if event["type"] == finished_type and event.get("triggeredid") == triggered_id:
            return event
    sys.exit(f"demo: no {finished_type} within 60s; see {VAR}/keptn-host.log")


def wait_for_started(host, triggered_id, seen, seconds=3):
    """Collects events until the task's .started arrived and nothing more comes for a moment."""
    started = None
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            event = host.events.get(timeout=seconds if started else 1)
        except queue.Empty:
            if started:
                return started
            continue
        seen.append(event)
        show("<-", event)
        if event.get("triggeredid") == triggered_id and event["type"].endswith(".started"):
            started = event
    sys.exit(f"demo: no .started for {triggered_id}; see {VAR}/keptn-host.log")


def main():
    if os.path.exists(VAR):
        shutil.rmtree(VAR)
    os.makedirs(VAR)
    now = int(time.time())
    port = free_port()
    print("keptn-host demo: a quality gate and an approval, in local mode")
    print(f"  Prometheus with backfilled metrics on 127.0.0.1:{port}; state under var/demo/\n")
    prometheus = start_prometheus(backfill(now), port)
    host = None
    try:
        host = LocalHost(write_host_config(f"http://127.0.0.1:{port}"))
        seen, summary = [], []
        for label, window, build in (("healthy build", GOOD_WINDOW, "1.0.1"),
                                     ("slow build", BAD_WINDOW, "1.0.2")):
            context = str(uuid.uuid4())
            print(f"-- {label} (carts {build}), shkeptncontext {context}")
            evaluation = triggered("evaluation", context, {
                "labels": {"buildId": build},
                "evaluation": {"start": iso(now - window[0]), "end": iso(now - window[1])}})
            show("->", evaluation)
            host.send(evaluation)
            finished = run_until(host, "sh.keptn.event.evaluation.finished", evaluation["id"], seen)
            result = finished["data"]["result"]
            score = finished["data"].get("evaluation", {}).get("score")
            approval = triggered("approval", context, {
                "labels": {"buildId": build}, "result": result, "status": "succeeded",
                "approval": {"pass": "automatic", "warning": "manual"}})
            show("->", approval)
            host.send(approval)
            if result != "warning":
                decided = run_until(host, "sh.keptn.event.approval.finished", approval["id"], seen)
                outcome = f"decided automatically ({decided['data']['result']})"
            else:
                wait_for_started(host, approval["id"], seen)
                outcome = "waiting for a person: approval.started only, left open"
            summary.append((label, build, result, score, outcome))
            print()
        code = host.close()
        host = None
        print("Summary")
        print(f"  {'sequence':<15} {'build':<7} {'quality gate':<13} {'score':<7} approval")
        for label, build, result, score, outcome in summary:
            print(f"  {label:<15} {build:<7} {result:<13} {score!s:<7} {outcome}")
        print(f"\n  {len(seen)} events emitted by keptn-host; every one is in var/demo/events.jsonl")
        print(f"  keptn-host exited {code}; its log is var/demo/keptn-host.log")
        return 0 if code == 0 else 1
    finally:
        if host is not None:
            host.proc.kill()
        prometheus.send_signal(signal.SIGTERM)
        prometheus.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
