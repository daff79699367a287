"""Log records of one line each for django-redis, whose outage is logged at every cache call."""

import logging
import sys

from django.conf import settings

from config.log_format import OneLineFormatter


def test_an_exception_is_written_on_the_records_line_without_its_traceback():
    formatter = OneLineFormatter("%(levelname)s %(name)s %(message)s")
    try:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    except ConnectionError:
        record = logging.getLogger("django_redis.cache").makeRecord(
            "django_redis.cache",
            logging.ERROR,
            __file__,
            1,
            "Exception ignored",
            (),
            sys.exc_info(),
        )
    assert formatter.format(record) == (
        "ERROR django_redis.cache Exception ignored: ConnectionError: Error 111 connecting to "
        "127.0.0.1:6379. Connection refused."
    )
    # The record keeps its exception for any other handler.
    assert record.exc_info is not None


def test_django_redis_logs_through_it_and_other_loggers_keep_their_tracebacks():
    loggers = settings.LOGGING["loggers"]
    handler = settings.LOGGING["handlers"][loggers["django_redis"]["handlers"][0]]
    assert settings.LOGGING["formatters"][handler["formatter"]]["()"].endswith("OneLineFormatter")
    assert settings.LOGGING["root"]["handlers"] == ["console"]
