"""Gunicorn settings for Themenforum: `gunicorn -c gunicorn.conf.py forum.wsgi:app`.

Sized for a small server with 2 cores, measured with tests/benchmarks/bench_load.py. SQLite
(WAL, busy_timeout, set on every connection in forum/database.py) lets all workers write at once;
with PostgreSQL the same settings apply per app server. Environment overrides: BIND,
WEB_CONCURRENCY (worker processes), THREADS (threads per worker).
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two processes per core keep both cores busy while one worker waits for the database.
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# Threads answer the many cheap board polls; keep-alive spares phones a new connection per poll.
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "4"))
keepalive = 5
# No preload: each worker opens its own database connections after the fork.
preload_app = False
timeout = 30
graceful_timeout = 10
errorlog = "-"
