"""Gunicorn settings for Themenforum: `gunicorn -c gunicorn.conf.py forum.wsgi:app`.

Sized for a small server with 2 cores, measured with tests/benchmarks/bench_load.py. SQLite
(WAL, busy_timeout, set on every connection in forum/database.py) lets all workers write at once;
with PostgreSQL the same settings apply per app server. Environment overrides: BIND,
WEB_CONCURRENCY (worker processes), THREADS (threads per worker), LIVE_HOLD_SEATS (polls that
may wait at once per worker).
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# One process per core; its threads keep the core busy while one of them waits for the database.
# A room's polls arrive one by one, and each wakes a worker: with fewer processes more of them
# share a wake-up. Measured at the realistic pace of issue 15 (bench_load.py room only, two runs
# each, before held polls): 2 × 8 threads used 0.37 cores, 4 × 4 used 0.41.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads answer the many cheap board polls; keep-alive spares phones a new connection per poll.
worker_class = "gthread"
# A phone whose board is current waits in a thread for the next change (forum/held_polls.py):
# a room of 300 phones needs about 150 waiting threads per worker. A waiting thread costs no CPU
# and little memory. At most threads - RESERVED polls wait at once, so that card posts and pages
# always find a thread; the phones beyond that poll every 1.5 s, as without holding.
threads = int(os.environ.get("THREADS", "192"))
RESERVED = 16
raw_env = [f"LIVE_HOLD_SEATS={os.environ.get('LIVE_HOLD_SEATS', max(threads - RESERVED, 0))}"]
keepalive = 5
# No preload: each worker opens its own database connections after the fork.
preload_app = False
timeout = 30
# A held poll waits at most LIVE_HOLD_SECONDS (10): a restart cuts it, and live.js asks again.
graceful_timeout = 10
errorlog = "-"
