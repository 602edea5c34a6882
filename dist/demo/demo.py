#!/usr/bin/env python3
"""The keptn-host demo: Keptn quality-gate sequences through `keptn-host serve` on NATS, event
by event.

It starts a local nats-server with JetStream, a real Prometheus backfilled with known metrics,
and `keptn-host serve` with every first-party plugin. Then it plays Keptn's control plane: it
publishes the .triggered events onto NATS as shipyard-controller would, prints every event on
sh.keptn.> as it arrives, and ends with a one-screen summary. Whatever happens (the end, an
error, Ctrl-C, SIGTERM), the servers it started are stopped before it exits.

State lives under var/demo/ and is wiped at the start of each run, not at the end:
- Prometheus is backfilled relative to "now"; blocks from an earlier run would overlap.
- A fresh JetStream stream, consumer and task journal make every run tell the same story: a
  kept stream would feed lighthouse the previous run's evaluations and keep its open approval.
- The previous run's logs and data stay for inspection until the next run.
"""
import base64
import fcntl
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nats_wire import NatsClient, NatsError  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build", "release")
VAR = os.path.join(ROOT, "var", "demo")
HOST = os.path.join(BUILD, "host", "keptn-host")
RESOURCES = os.path.join(ROOT, "dist", "demo", "resources")
PLUGINS = ["lighthouse", "prometheus-sli", "approval"]  # every first-party plugin written so far
# Seconds for anything the demo waits for (KEPTN_DEMO_TIMEOUT: to try the failure path fast).
TIMEOUT = float(os.environ.get("KEPTN_DEMO_TIMEOUT", "60"))

# The part of sockshop's shipyard that the demo plays as shipyard-controller: in stage staging,
# sequence quality-gate runs task evaluation, then task approval with these properties.
STAGE, SEQUENCE = "staging", "quality-gate"
APPROVAL_STRATEGY = {"pass": "automatic", "warning": "manual"}
JOURNAL_BUCKET = "keptn-host-tasks"  # keptn-host's default task journal

BAD_WINDOW = (40 * 60, 30 * 60)   # seconds before now: a slow, failing deployment
GOOD_WINDOW = (10 * 60, 1 * 60)   # seconds before now: a healthy one


class DemoFailed(Exception):
    """Something did not happen; `log` names the log file whose tail explains it."""

    def __init__(self, message, log="keptn-host.log"):
        super().__init__(message)
        self.log = log


def rel(path):
    return os.path.relpath(path, ROOT)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=2):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, ""
    except OSError:
        return None, ""


def wait_until(what, condition, process=None, log="keptn-host.log", seconds=TIMEOUT):
    """Polls condition() until it is true; fails at the deadline or when `process` exits."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise DemoFailed(f"{what}: the process exited with status {process.returncode}", log)
        time.sleep(0.1)
    raise DemoFailed(f"{what} did not happen within {seconds:g}s", log)


def iso(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(seconds))


# --- the servers ------------------------------------------------------------------------------

class Servers:
    """The processes the demo starts, stopped in reverse order (keptn-host drains while NATS is
    still up). Each runs in its own session, so a Ctrl-C reaches only the demo, which then stops
    them in order; setpriv's parent-death signal stops them even if the demo is killed -9."""

    def __init__(self):
        self.running = []  # (name, Popen)
        self.guard = ["setpriv", "--pdeathsig", "TERM"] if shutil.which("setpriv") else []

    def start(self, name, argv, log):
        with open(os.path.join(VAR, log), "w") as out:
            proc = subprocess.Popen(self.guard + argv, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        self.running.append((name, proc))
        return proc

    def stop(self, proc, seconds=30):
        """SIGTERM, then SIGKILL after `seconds`; returns the exit status."""
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.send_signal(signal.SIGCONT)  # in case someone paused it
            try:
                proc.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.running = [(n, p) for n, p in self.running if p is not proc]
        return proc.returncode

    def stop_all(self):
        for _, proc in reversed(list(self.running)):
            self.stop(proc)


def start_nats(servers, port):
    return servers.start("nats-server", [
        shutil.which("nats-server") or "/usr/sbin/nats-server", "-js",
        "-a", "127.0.0.1", "-p", str(port), "-sd", os.path.join(VAR, "nats"),
        "-n", "keptn-host-demo"], "nats-server.log")


def connect_nats(proc, port):
    client = None

    def connected():
        nonlocal client
        try:
            client = NatsClient("127.0.0.1", port, timeout=2)
            client.request_json("$JS.API.INFO", "")  # JetStream answers, too
            return True
        except (OSError, NatsError):
            if client is not None:
                client.close()
            client = None
            return False
    wait_until("nats-server with JetStream coming up", connected, proc, "nats-server.log")
    return client


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


def start_prometheus(servers, data, port):
    config = os.path.join(VAR, "prometheus.yml")
    with open(config, "w") as f:
        f.write("global:\n  scrape_interval: 1h\n")
    return servers.start("prometheus", [
        "prometheus", f"--config.file={config}", f"--storage.tsdb.path={data}",
        f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=30d"],
        "prometheus.log")


def write_host_config(nats_url, prometheus_url):
    path = os.path.join(VAR, "keptn-host.yaml")
    with open(path, "w") as f:
        f.write(f"""# Written by dist/demo/demo.py: keptn-host serve on the demo's nats-server.
controlPlane:
  mode: nats
  nats:
    url: {nats_url}
    # Keptn's stream "keptn" on sh.keptn.> does not exist on a fresh server (shipyard-controller
    # creates it in a real cluster): keptn-host creates it.
    createStream: true
    deliverPolicy: all
    shutdownGrace: 10s
plugins:
  - library: lighthouse
    config:
      sliProvider:
        default: prometheus
  - library: prometheus-sli
    config:
      url: {prometheus_url}
  - library: approval
""")
    return path


def start_host(servers, config, metrics_port):
    return servers.start("keptn-host", [
        HOST, "serve", "--config", config, "--resources", RESOURCES,
        "--metrics-address", "127.0.0.1", "--metrics-port", str(metrics_port)],
        "keptn-host.log")


# --- events -----------------------------------------------------------------------------------

def cloud_event(type_, source, context, data, triggeredid=None):
    event = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": source, "type": type_,
             "time": iso(time.time()), "datacontenttype": "application/json",
             "shkeptncontext": context, "shkeptnspecversion": "0.2.4", "data": data}
    if triggeredid:
        event["triggeredid"] = triggeredid
    return event


def publish(client, event):
    """Publishes onto the event's subject, as Keptn does, and waits for JetStream's ack: the
    event is stored in the stream keptn-host consumes from. Nats-Msg-Id deduplicates a retry."""
    ack = client.request_json(event["type"], json.dumps(event),
                              headers={"Nats-Msg-Id": event["id"]})
    return ack.get("seq")


def short_type(type_):
    return type_[len("sh.keptn.event."):] if type_.startswith("sh.keptn.event.") else type_


def details(event):
    """The facts of an event worth showing: a short one for its line, and a longer one (values,
    the message) for a line below it, or ""."""
    data = event.get("data") or {}
    type_ = short_type(event.get("type", ""))
    kind = type_.rsplit(".", 1)[-1]
    short, more = [], ""
    if type_ == f"{STAGE}.{SEQUENCE}.triggered":
        short.append(f"buildId {data.get('labels', {}).get('buildId')}")
    if type_ == "evaluation.triggered":
        window = data.get("evaluation", {})
        short.append(f"window {window.get('start', '')[11:16]}-{window.get('end', '')[11:16]}"
                     " UTC")
    if type_ == "get-sli.triggered":
        short.append(", ".join(data.get("get-sli", {}).get("indicators", [])))
    if type_ == "approval.triggered":
        result = data.get("result")
        short.append(f"gate {result} -> {data.get('approval', {}).get(result, '?')}")
    if kind == "finished":
        short.append(f"{data.get('status')}/{data.get('result')}")
    if type_ == "evaluation.finished":
        short.append(f"score {data.get('evaluation', {}).get('score')}")
    if type_ == "get-sli.finished":
        values = []
        for value in data.get("get-sli", {}).get("indicatorValues", []):
            number = value.get("value")
            values.append(f"{value.get('metric')}="
                          + (f"{number:g}" if isinstance(number, (int, float)) else str(number)))
        more = " ".join(values)
    elif kind in ("started", "finished") and data.get("message"):
        more = data["message"]
    if len(more) > 84:
        more = more[:81] + "..."
    return " ".join(short), more


class EventFeed:
    """Every message on sh.keptn.>, in arrival order, printed by the main thread while it waits
    for the one it needs next."""

    def __init__(self, client):
        self.client = client
        self.arrivals = queue.Queue()
        self.seen = []  # (arrival time, event)
        self.origin = time.time()
        client.subscribe("sh.keptn.>", lambda msg: self.arrivals.put((time.time(), msg)))

    def _show(self, arrived, msg):
        try:
            event = json.loads(msg.data)
            if not isinstance(event, dict):
                raise ValueError("not an object")
        except ValueError:
            print(f"  {arrived - self.origin:6.3f}s ?? {msg.subject}: not a CloudEvent: {msg.data[:60]!r}", flush=True)
            return None
        self.seen.append((arrived, event))
        source = event.get("source", "")
        arrow = "->" if source in ("shipyard-controller", "demo-user") else "<-"
        short, more = details(event)
        print(f"  {arrived - self.origin:6.3f}s {arrow} {short_type(event.get('type', '')):<30}"
              f" {source:<19} {short}".rstrip(), flush=True)
        if more:
            print(f"  {'':<11} {more}", flush=True)
        return event

    def wait_for(self, what, match, seconds=TIMEOUT):
        """Prints arrivals until one matches; returns that event."""
        deadline = time.time() + seconds
        while True:
            try:
                arrived, msg = self.arrivals.get(timeout=max(0.0, deadline - time.time()))
            except queue.Empty:
                raise DemoFailed(f"no {what} within {seconds:g}s") from None
            event = self._show(arrived, msg)
            if event is not None and match(event):
                return event

    def drain(self):
        """Prints what arrived so far: a NATS round trip first, so nothing is in flight."""
        self.client.flush()
        while not self.arrivals.empty():
            self._show(*self.arrivals.get())


def answers(kind, triggered):
    """A matcher for the .<kind> event that answers `triggered`."""
    task = triggered["type"][:-len(".triggered")]
    return lambda e: e.get("type") == f"{task}.{kind}" and e.get("triggeredid") == triggered["id"]


def journal_state(client, triggered, plugin):
    """The task's state in keptn-host's journal (a JetStream key-value bucket), or None."""
    key = f"$KV.{JOURNAL_BUCKET}.{triggered['id']}.{plugin}"
    try:
        reply = client.request_json(f"$JS.API.STREAM.MSG.GET.KV_{JOURNAL_BUCKET}",
                                    {"last_by_subj": key})
    except NatsError:
        return None
    return json.loads(base64.b64decode(reply["message"]["data"])).get("state")


# --- the control plane's part -----------------------------------------------------------------

def run_sequence(client, feed, label, build, window, now):
    """Plays shipyard-controller for one quality-gate sequence; returns its summary row."""
    context = str(uuid.uuid4())
    common = {"project": "sockshop", "stage": STAGE, "service": "carts",
              "labels": {"buildId": build}}
    print(f"\n-- {label}: carts {build}, shkeptncontext {context}")
    feed.origin = started = time.time()

    # A user (keptn trigger, or the API) starts the sequence in stage staging.
    trigger = cloud_event(f"sh.keptn.event.{STAGE}.{SEQUENCE}.triggered", "demo-user", context,
                          {**common, "evaluation": {"start": iso(now - window[0]),
                                                    "end": iso(now - window[1])}})
    publish(client, trigger)
    feed.wait_for("sequence trigger", lambda e: e.get("id") == trigger["id"])

    # shipyard-controller: the sequence's first task, with the sequence's input.
    evaluation = cloud_event("sh.keptn.event.evaluation.triggered", "shipyard-controller",
                             context, {**trigger["data"], "status": "succeeded",
                                       "result": "pass", "message": ""})
    publish(client, evaluation)
    finished = feed.wait_for("evaluation.finished from lighthouse",
                             answers("finished", evaluation))
    result = finished["data"].get("result")
    score = finished["data"].get("evaluation", {}).get("score")

    # The next task gets the merged payload: everything so far, the previous task's status
    # and result, and the task's properties from the shipyard.
    approval = cloud_event("sh.keptn.event.approval.triggered", "shipyard-controller", context,
                           {**evaluation["data"], **finished["data"], "message": "",
                            "approval": APPROVAL_STRATEGY})
    publish(client, approval)
    if APPROVAL_STRATEGY.get(result) == "manual":
        feed.wait_for("approval.started from approval", answers("started", approval))
        # Left open is a state, not an event: keptn-host's journal records it.
        wait_until("approval left open in keptn-host's journal",
                   lambda: journal_state(client, approval, "approval") == "leftOpen")
        feed.drain()
        print(f"  {'':<11} (keptn-host's task journal: leftOpen; the sequence waits for a "
              "person's approval.finished)")
        took = time.time() - started
        outcome = "manual: left open for a person"
        sequence = "open (waits for approval.finished)"
    else:
        decided = feed.wait_for("approval.finished from approval", answers("finished", approval))
        outcome = f"automatic: {decided['data'].get('result')}"
        # shipyard-controller closes the sequence once its last task finished.
        closing = cloud_event(f"sh.keptn.event.{STAGE}.{SEQUENCE}.finished",
                              "shipyard-controller", context,
                              {**common, "status": decided["data"].get("status"),
                               "result": decided["data"].get("result"), "message": ""},
                              triggeredid=trigger["id"])
        publish(client, closing)
        feed.wait_for("sequence finished", lambda e: e.get("id") == closing["id"])
        took = time.time() - started
        sequence = f"finished {closing['data']['status']}/{closing['data']['result']}"
    feed.drain()
    events = sum(1 for _, e in feed.seen if e.get("shkeptncontext") == context)
    return {"label": label, "build": build, "context": context, "events": events,
            "result": result, "gate": f"{result} ({score})", "approval": outcome, "sequence": sequence,
            "took": took}


def correlation_problems(seen):
    """Keptn's rule for each task .triggered: one .started and, unless left open, one .finished.
    Returns what broke it."""
    counts, ids = {}, set()
    for _, event in seen:
        # keptn-host may publish an event again with the same id (after a restart, from its
        # journal); JetStream stores it once.
        if event.get("id") in ids:
            continue
        ids.add(event.get("id"))
        type_ = event.get("type", "")
        if type_.count(".") != 4:  # task events only: sh.keptn.event.<task>.<kind>
            continue
        kind = type_.rsplit(".", 1)[-1]
        key = event.get("id") if kind == "triggered" else event.get("triggeredid")
        counts.setdefault(key, {"type": type_[:-len(kind) - 1]}).setdefault(kind, 0)
        counts[key][kind] += 1
    problems = []
    for key, c in counts.items():
        if c.get("triggered") != 1:
            problems.append(f"{c['type']}: answers to an unknown .triggered {key}")
        elif c.get("started", 0) != 1 or c.get("finished", 0) > 1:
            problems.append(f"{c['type']} {key}: {c.get('started', 0)} .started, "
                            f"{c.get('finished', 0)} .finished")
    return problems


def consumer_backlog(client):
    """keptn-host's durable consumer once it settled every message: (name, pending, unacked).
    Everything on the stream reaches it; events it has no route for are acknowledged, too."""
    state = {}

    def settled():
        consumers = client.request_json("$JS.API.CONSUMER.LIST.keptn", {}).get("consumers") or []
        if consumers:
            c = consumers[0]
            state["now"] = (c["name"], c["num_pending"], c["num_ack_pending"])
        return bool(state) and state["now"][1:] == (0, 0)
    try:
        wait_until("keptn-host's consumer settling", settled, seconds=min(TIMEOUT, 10))
    except DemoFailed:
        pass  # reported as found
    return state.get("now", ("(none)", "?", "?"))


def metrics_excerpt(text):
    wanted = ("keptn_host_tasks_started_total", "keptn_host_tasks_finished_total")
    return [line for line in text.splitlines() if line.startswith(wanted) and not
            line.endswith(" 0")]


# --- main -------------------------------------------------------------------------------------

def tail(log, lines=25):
    path = os.path.join(VAR, log)
    try:
        with open(path, errors="replace") as f:
            text = f.readlines()[-lines:]
    except OSError:
        return f"  ({rel(path)} is missing)"
    return f"  last lines of {rel(path)}:\n" + "".join("    " + line for line in text)


def stop_on_signal(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def demo(servers):
    now = int(time.time())
    nats_port, prometheus_port, metrics_port = free_port(), free_port(), free_port()
    nats_url = f"nats://127.0.0.1:{nats_port}"
    prometheus_url = f"http://127.0.0.1:{prometheus_port}"
    metrics_url = f"http://127.0.0.1:{metrics_port}"

    print("keptn-host demo: starting nats-server, Prometheus and keptn-host serve ...", flush=True)
    nats = start_nats(servers, nats_port)
    prometheus = start_prometheus(servers, backfill(now), prometheus_port)
    client = connect_nats(nats, nats_port)
    host = start_host(servers, write_host_config(nats_url, prometheus_url), metrics_port)
    wait_until("Prometheus ready", lambda: http_get(f"{prometheus_url}/-/ready")[0] == 200,
               prometheus, "prometheus.log")
    wait_until("keptn-host serve ready (/readyz)",
               lambda: http_get(f"{metrics_url}/readyz")[0] == 200, host)

    strategy = ", ".join(f"{k}: {v}" for k, v in APPROVAL_STRATEGY.items())
    nats_name = f"nats-server {client.server_info.get('version')}, JetStream"
    for what, where, state in ((nats_name, nats_url, f"data {rel(VAR)}/nats"),
                               ("Prometheus, backfilled", prometheus_url,
                                f"data {rel(VAR)}/prometheus"),
                               ("keptn-host serve", f"{metrics_url}/metrics",
                                f"log  {rel(VAR)}/keptn-host.log")):
        print(f"  {what:<30} {where:<32} {state}")
    print(f"  {'':<30} plugins {', '.join(PLUGINS)}; resources {rel(RESOURCES)}")
    print(f"\nThe demo plays Keptn's control plane: it publishes .triggered events as\n"
          f"shipyard-controller does for sequence {SEQUENCE} in sockshop/{STAGE} (task evaluation,\n"
          f"then approval with {strategy}), and prints every event on sh.keptn.>\n"
          f"as it arrives (-> published by the demo, <- sent by keptn-host; seconds since the\n"
          f"sequence was triggered).")

    feed = EventFeed(client)
    rows = []
    for label, window, build, expected in (("healthy build", GOOD_WINDOW, "1.0.1", "pass"),
                                           ("slow build", BAD_WINDOW, "1.0.2", "warning")):
        rows.append(run_sequence(client, feed, label, build, window, now))
        rows[-1]["expected"] = expected

    problems = correlation_problems(feed.seen)
    stream = client.request_json("$JS.API.STREAM.INFO.keptn", "")["state"]
    consumer, pending, unacked = consumer_backlog(client)
    status, metrics = http_get(f"{metrics_url}/metrics")
    excerpt = metrics_excerpt(metrics) if status == 200 else [f"(GET /metrics: {status})"]
    client.close()
    stopping = time.time()
    code = servers.stop(host, seconds=40)
    stopped_in = time.time() - stopping

    print("\nSummary")
    print(f"  {'sequence':<14} {'build':<6} {'events':>6}  {'quality gate':<14} "
          f"{'approval':<30} {'took':>6}")
    for r in rows:
        print(f"  {r['label']:<14} {r['build']:<6} {r['events']:>6}  {r['gate']:<14} "
              f"{r['approval']:<30} {r['took']:>5.2f}s")
        print(f"  {'':<14} sequence {r['sequence']}, context {r['context']}")
    print(f"\n  {len(feed.seen)} events on sh.keptn.>; JetStream stream keptn holds "
          f"{stream['messages']} messages (under {rel(VAR)}/nats)")
    print(f"  consumer {consumer}: {pending} undelivered, {unacked} unacknowledged")
    print("  Keptn's correlation rule (one .started, at most one .finished per .triggered): "
          + ("kept" if not problems else "BROKEN"))
    for problem in problems:
        print(f"    {problem}")
    print(f"  metrics were served at {metrics_url}/metrics, e.g.")
    for line in excerpt[:6]:
        print(f"    {line}")
    print(f"  keptn-host serve stopped on SIGTERM with status {code} in {stopped_in:.1f}s;"
          f" its log: {rel(VAR)}/keptn-host.log")
    wrong = [f"{r['label']}: quality gate {r['result']}, expected {r['expected']}"
             for r in rows if r["result"] != r["expected"]]
    if code != 0 or problems or (pending, unacked) != (0, 0) or wrong:
        raise DemoFailed("keptn-host did not behave as expected (see above)"
                         + "".join(f"\n  {w}" for w in wrong))


def main():
    os.makedirs(os.path.dirname(VAR), exist_ok=True)
    # Two demos at once would wipe each other's state.
    lock = open(os.path.join(os.path.dirname(VAR), "demo.lock"), "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit(f"demo: another demo is running (it holds {rel(lock.name)}); stop it first")
    if os.path.exists(VAR):
        shutil.rmtree(VAR)
    os.makedirs(VAR)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on_signal)

    servers = Servers()
    try:
        demo(servers)
        return 0
    except DemoFailed as e:
        print(f"\ndemo: FAILED: {e}", file=sys.stderr)
        print(tail(e.log), file=sys.stderr)
        if e.log != "keptn-host.log" and os.path.exists(os.path.join(VAR, "keptn-host.log")):
            print(tail("keptn-host.log"), file=sys.stderr)
        return 1
    except KeyboardInterrupt as e:
        print(f"\ndemo: interrupted ({str(e) or 'SIGINT'}); stopping what it started",
              file=sys.stderr)
        return 130
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # let the servers stop in order
        servers.stop_all()


if __name__ == "__main__":
    sys.exit(main())
