"""A lean HTTP/1.1 client for the load benchmark: keep-alive, one session cookie, no magic.

The generator shares the machine's two cores with the server, so it must spend little CPU per
request; http.client and requests cost several times more than the 304 answer they measure.
"""

import re
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

_COOKIE = re.compile(rb"^set-cookie:\s*([^=;\s]+)=([^;\r\n]*)", re.IGNORECASE | re.MULTILINE)
_LENGTH = re.compile(rb"^content-length:\s*(\d+)", re.IGNORECASE | re.MULTILINE)
_LOCATION = re.compile(rb"^location:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_ETAG = re.compile(rb"^etag:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
# How long a held board poll waited on the server (forum/held_polls.py), in ms.
_HELD = re.compile(rb"^server-timing:.*\bhold;dur=(\d+)", re.IGNORECASE | re.MULTILINE)
_CLOSE = re.compile(rb"^connection:\s*close", re.IGNORECASE | re.MULTILINE)


@dataclass
class Answer:
    """One response: status, the headers the benchmark reads, body, and the time it took."""

    status: int
    body: bytes
    seconds: float
    location: str = ""
    etag: str = ""
    # Bytes on the wire: status line, headers and body.
    size: int = 0
    # Seconds the server held the request waiting for news (Server-Timing: hold).
    held: float = 0.0


@dataclass
class Client:
    """One browser: a keep-alive connection to host:port and its cookies."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    # False: a new connection per request, as a reverse proxy in front of gunicorn opens them.
    keep_alive: bool = True
    sock: socket.socket | None = None

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        """Send a GET and return the answer."""
        return self.request("GET", path, headers=headers)

    def post(self, path: str, form: dict[str, str]) -> Answer:
        """Send a form the way a browser does."""
        body = urlencode(form).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body, headers)

    def request(self, method, path, body=b"", headers=None) -> Answer:
        """Send one request, reconnecting once if the server closed the kept-alive connection."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if not self.keep_alive:
            lines.append("Connection: close")
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        start = time.perf_counter()
        for attempt in (1, 2):
            reused = self.sock is not None
            try:
                return self._exchange(raw, start)
            except (ConnectionError, EmptyReply):
                self.close()
                if not reused or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _exchange(self, raw: bytes, start: float) -> Answer:
        if self.sock is None:
            self.sock = socket.create_connection((self.host, self.port))
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.sendall(raw)
        head, rest = self._read_head()
        status = int(head[9:12])
        length = _LENGTH.search(head)
        size = int(length.group(1)) if length else 0
        while len(rest) < size:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EmptyReply
            rest += chunk
        seconds = time.perf_counter() - start
        for name, value in _COOKIE.findall(head):
            self.cookies[name.decode()] = value.decode()
        if _CLOSE.search(head) or not self.keep_alive:
            self.close()
        location = _LOCATION.search(head)
        etag = _ETAG.search(head)
        held = _HELD.search(head)
        return Answer(
            status,
            rest[:size],
            seconds,
            location.group(1).decode() if location else "",
            etag.group(1).decode() if etag else "",
            len(head) + 4 + size,
            int(held.group(1)) / 1000 if held else 0.0,
        )

    def _read_head(self) -> tuple[bytes, bytes]:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EmptyReply
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        return head, rest

    def close(self) -> None:
        """Drop the connection; the next request opens a new one."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class EmptyReply(ConnectionError):
    """The server closed the connection before answering."""
