"""A minimal NATS client speaking the text protocol over one TCP socket (no TLS, no auth).

Debian packages no Python NATS library, and the demo needs little: CONNECT, PING/PONG, SUB,
UNSUB, PUB/HPUB, MSG/HMSG, and request/reply for JetStream's API and publish acknowledgements.
Protocol: https://docs.nats.io/reference/reference-protocols/nats-protocol
"""
import itertools
import json
import queue
import socket
import threading
import uuid
from collections import namedtuple

# status: the NATS status code of a header-only reply ("503" when nobody answers), else None.
Msg = namedtuple("Msg", "subject reply headers data status")


class NatsError(Exception):
    pass


class NatsClient:
    """One connection. Callbacks run on the reader thread and must not block; publish() and
    request() may be called from any other thread."""

    def __init__(self, host, port, name="keptn-host demo", timeout=5):
        self._sock = socket.create_connection((host, port), timeout=timeout)
        self._sock.settimeout(None)
        # A request is two small writes (SUB, then PUB): without this, Nagle holds the second
        # until the server's delayed ACK, 40 ms later.
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._file = self._sock.makefile("rb")
        self._write_lock = threading.Lock()
        self._subs = {}
        self._sids = itertools.count(1)
        self._pongs = queue.Queue()
        self._closed = False
        self.error = None  # the server's -ERR text, or why the connection ended
        info = self._file.readline()
        if not info.startswith(b"INFO "):
            raise NatsError(f"expected INFO from the server, found {info[:80]!r}")
        self.server_info = json.loads(info[5:])
        connect = {"verbose": False, "pedantic": False, "name": name, "lang": "python",
                   "version": "0.1", "protocol": 1, "headers": True, "no_responders": True}
        self._send(b"CONNECT " + json.dumps(connect).encode() + b"\r\n")
        threading.Thread(target=self._read_loop, name="nats-reader", daemon=True).start()
        self.flush(timeout)

    # --- commands ---

    def subscribe(self, subject, callback):
        """callback(Msg) for every message on subject (wildcards allowed); returns the sid."""
        sid = next(self._sids)
        self._subs[sid] = callback
        self._send(f"SUB {subject} {sid}\r\n".encode())
        return sid

    def unsubscribe(self, sid):
        self._subs.pop(sid, None)
        self._send(f"UNSUB {sid}\r\n".encode())

    def publish(self, subject, data, reply=None, headers=None):
        payload = data if isinstance(data, bytes) else data.encode()
        target = f"{subject} {reply}" if reply else subject
        if headers:
            head = ("NATS/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                    + "\r\n").encode()
            line = f"HPUB {target} {len(head)} {len(head) + len(payload)}\r\n".encode()
            self._send(line + head + payload + b"\r\n")
        else:
            self._send(f"PUB {target} {len(payload)}\r\n".encode() + payload + b"\r\n")

    def request(self, subject, data, timeout=5, headers=None):
        """Publishes with a fresh reply inbox and returns the first reply (a Msg)."""
        inbox = "_INBOX." + uuid.uuid4().hex
        replies = queue.Queue()
        sid = self.subscribe(inbox, replies.put)
        try:
            self.publish(subject, data, reply=inbox, headers=headers)
            try:
                reply = replies.get(timeout=timeout)
            except queue.Empty:
                raise NatsError(f"no reply on {subject} within {timeout}s") from None
        finally:
            self.unsubscribe(sid)
        if reply.status == "503":
            raise NatsError(f"no responders on {subject}")
        return reply

    def request_json(self, subject, body, timeout=5, headers=None):
        """request() for JetStream's API: JSON in, JSON out; an API error raises."""
        text = body if isinstance(body, str) else json.dumps(body)
        answer = json.loads(self.request(subject, text, timeout, headers).data or b"{}")
        if "error" in answer:
            raise NatsError(f"{subject}: {answer['error'].get('description', answer['error'])}")
        return answer

    def flush(self, timeout=5):
        """Round trip to the server: everything sent before is processed when this returns."""
        self._send(b"PING\r\n")
        try:
            self._pongs.get(timeout=timeout)
        except queue.Empty:
            raise NatsError(f"no PONG within {timeout}s ({self.error or 'no error'})") from None

    def close(self):
        self._closed = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()

    # --- the wire ---

    def _send(self, raw):
        with self._write_lock:
            self._sock.sendall(raw)

    def _read_loop(self):
        try:
            while True:
                line = self._file.readline()
                if not line:
                    raise NatsError("the server closed the connection")
                op, _, args = line.rstrip(b"\r\n").partition(b" ")
                if op == b"MSG":
                    # MSG <subject> <sid> [reply] <#bytes>
                    parts = args.decode().split()
                    data = self._file.read(int(parts[-1]) + 2)[:-2]
                    self._deliver(parts, {}, data, None)
                elif op == b"HMSG":
                    # HMSG <subject> <sid> [reply] <#header bytes> <#total bytes>
                    parts = args.decode().split()
                    head_len, total = int(parts[-2]), int(parts[-1])
                    raw = self._file.read(total + 2)[:-2]
                    headers, status = _parse_headers(raw[:head_len])
                    self._deliver(parts[:-1], headers, raw[head_len:], status)
                elif op == b"PING":
                    self._send(b"PONG\r\n")
                elif op == b"PONG":
                    self._pongs.put(True)
                elif op == b"-ERR":
                    self.error = args.decode()
                # +OK and INFO updates need nothing.
        except (OSError, ValueError, NatsError) as e:
            if not self._closed:
                self.error = self.error or str(e)

    def _deliver(self, parts, headers, data, status):
        subject, sid = parts[0], int(parts[1])
        reply = parts[2] if len(parts) == 4 else None
        callback = self._subs.get(sid)
        if callback is not None:
            callback(Msg(subject, reply, headers, data, status))


def _parse_headers(raw):
    lines = raw.decode(errors="replace").split("\r\n")
    version = lines[0].split(None, 2)  # "NATS/1.0" or "NATS/1.0 503 [description]"
    status = version[1] if len(version) > 1 else None
    headers = {}
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if sep:
            headers[key.strip()] = value.strip()
    return headers, status
