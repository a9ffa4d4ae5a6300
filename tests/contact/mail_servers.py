"""Mail servers that fail: one that refuses every message, one that never answers."""

import smtplib
import socket
import threading

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """An email backend whose server drops the connection: every send raises."""

    attempts: list[list[str]] = []

    def send_messages(self, email_messages):
        for message in email_messages:
            RefusingBackend.attempts.append(message.to)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class StalledServer:
    """A TCP server on 127.0.0.1 that accepts connections and never says a word (an SMTP
    server hung before its greeting)."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        # accept() wakes up now and then to see whether the server was closed.
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.closed.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.connections.append(connection)

    def close(self):
        self.closed.set()
        self.thread.join(timeout=5)
        self.listener.close()
        for connection in self.connections:
            connection.close()
