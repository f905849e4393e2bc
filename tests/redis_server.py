"""A Redis server of a test's own, on a free port, that the test may stop and start again
(the broker outage tests), and a way to point the Celery app of the test process at it."""

import socket
import subprocess
import time
from contextlib import contextmanager


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """redis-server on 127.0.0.1:<free port>, without persistence: a restart empties it, as a
    Redis restarted without its dump would (queued messages are lost)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.ping():
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


@contextmanager
def celery_broker(url):
    """Send the test process's tasks through the broker at `url` (not the eager mode), and go
    back to the previous broker afterwards."""
    from takatsu_portal.celery import app

    keys = ("broker_url", "broker_read_url", "broker_write_url", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}

    def reset():
        from kombu import pools

        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        # kombu keeps producer pools per broker address for the whole process: one left holding
        # the connections closed above would refuse every later send ("Acquire on closed pool").
        pools.reset()

    # Celery derived the read and write URLs from broker_url when it was configured.
    app.conf.update(broker_url=url, broker_read_url=url, broker_write_url=url)
    app.conf.task_always_eager = False
    reset()
    try:
        yield app
    finally:
        app.conf.update(saved)
        reset()
