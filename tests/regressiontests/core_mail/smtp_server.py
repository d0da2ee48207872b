"""A stand-in SMTP server for the smtp backend's tests: no network beyond 127.0.0.1.

It speaks just enough SMTP for smtplib (EHLO/HELO, AUTH PLAIN, MAIL, RCPT,
DATA, RSET, NOOP, QUIT), refuses the recipients listed in ``refuse`` with a
550, and records what it was told: ``messages`` (one dict per DATA:
envelope sender, envelope recipients, the parsed message), ``logins`` and
the count of ``connections`` and ``quits``.
"""
import base64
import email
import socket
import threading
from email import policy


class FakeSMTPServer:
    def __init__(self, refuse=()):
        self.refuse = set(refuse)
        self.messages, self.logins = [], []
        self.connections = self.quits = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(5)
        self.host, self.port = self._listener.getsockname()
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def stop(self):
        # shutdown() wakes the accept() that close() alone leaves blocked.
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        for thread in self._threads:
            thread.join(5)

    def _accept(self):
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return  # stop() closed the listener
            self.connections += 1
            thread = threading.Thread(target=self._session, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _session(self, conn):
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"220 fake.smtp ready\r\n")
            envelope = None
            for raw in lines:
                command = raw.decode("ascii").rstrip("\r\n")
                verb, _, argument = command.partition(" ")
                verb = verb.upper()
                if verb == "EHLO":
                    conn.sendall(b"250-fake.smtp\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n")
                elif verb == "AUTH":
                    _, user, password = base64.b64decode(argument.split()[1]).split(b"\0")
                    self.logins.append((user.decode(), password.decode()))
                    conn.sendall(b"235 ok\r\n")
                elif verb == "MAIL":
                    envelope = {"from": _angle(argument), "to": []}
                    conn.sendall(b"250 ok\r\n")
                elif verb == "RCPT":
                    address = _angle(argument)
                    if address in self.refuse:
                        conn.sendall(b"550 no such user\r\n")
                    else:
                        envelope["to"].append(address)
                        conn.sendall(b"250 ok\r\n")
                elif verb == "DATA":
                    conn.sendall(b"354 go on\r\n")
                    envelope["message"] = email.message_from_bytes(
                        _read_data(lines), policy=policy.default)
                    self.messages.append(envelope)
                    conn.sendall(b"250 queued\r\n")
                elif verb == "QUIT":
                    self.quits += 1
                    conn.sendall(b"221 bye\r\n")
                    return
                elif verb in ("HELO", "RSET", "NOOP"):
                    conn.sendall(b"250 ok\r\n")
                else:
                    conn.sendall(b"502 not implemented\r\n")


def _angle(argument):
    """'FROM:<a@b> SIZE=10' -> 'a@b'."""
    return argument.split("<", 1)[1].split(">", 1)[0]


def _read_data(lines):
    body = []
    for raw in lines:
        if raw == b".\r\n":
            break
        body.append(raw[1:] if raw.startswith(b"..") else raw)
    return b"".join(body)
