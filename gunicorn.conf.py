"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py`.

Each value can be changed through the environment variable named beside it.
"""

import multiprocessing
import os


def number(name, default):
    """The whole number in environment variable `name`, or `default`."""
    return int(os.environ.get(name) or default)


wsgi_app = "declaration_site.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threaded workers keep client connections alive and hold one database connection per thread
# (DJANGO_CONN_MAX_AGE), so workers x threads must stay below PostgreSQL's max_connections.
worker_class = "gthread"
workers = number("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = number("GUNICORN_THREADS", 4)

# A request that takes longer than this is stuck: the worker is replaced.
timeout = number("GUNICORN_TIMEOUT", 30)
graceful_timeout = number("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = number("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so that a slow leak never grows.
max_requests = number("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = number("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Only the proxy in front may say that a request came over HTTPS.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access and error logs on standard output and error, for the service manager to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
