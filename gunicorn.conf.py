"""gunicorn settings for madoguchi: threaded workers sized to the machine, logs on stdout.

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS; WEB_CONCURRENCY
and GUNICORN_THREADS set the worker and thread counts.
"""

import gc
import os


def _cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


wsgi_app = "config.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")

# A process per core, and two threads in each to overlap the waits on PostgreSQL and Redis.
# Rendering is CPU work under one GIL: more threads or processes than that only queue searches
# behind each other, which shows in their p99 (make bench).
workers = int(os.environ.get("WEB_CONCURRENCY", _cores()))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 30
graceful_timeout = 20
keepalive = 5

# Recycle workers now and then (a leak cannot grow for ever), staggered so they never restart
# together. Each recycle closes that worker's keep-alive connections and costs a boot, so
# rarely: a worker serving cached pages at full load still goes minutes between restarts.
max_requests = 200000
max_requests_jitter = 20000

# The heartbeat file on tmpfs: a worker never blocks on a slow disk to say it is alive.
worker_tmp_dir = "/dev/shm"  # noqa: S108  (gunicorn's own advice; not a shared temp file)

# One line per request on stdout: client, request line, status, bytes, duration in ms.
accesslog = "-"
errorlog = "/dev/stdout"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'

# Several nodes may run on one machine (and do, in the tests); one shared control socket path
# would have them fight over it. Signals (HUP, TERM, TTIN) still control each master.
control_socket_disable = True


def post_worker_init(worker):
    """Put what the worker has loaded (Django, the project, the settings) out of the garbage
    collector's sight.

    Those objects live as long as the worker, yet every full collection walked them all,
    holding both threads while it ran: the slowest searches were those that waited for it.
    """
    gc.freeze()
