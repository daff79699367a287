"""A log format of one line per record, an exception written after the message."""

import logging


class OneLineFormatter(logging.Formatter):
    """The exception's type and message on the record's line instead of its traceback.

    For django-redis: while Redis is away it logs each cache call it gives up, dozens a page,
    and a traceback each made thousands of lines a request.
    """

    def format(self, record):
        exc_info, exc_text = record.exc_info, record.exc_text
        record.exc_info = record.exc_text = None
        try:
            line = super().format(record)
        finally:
            record.exc_info, record.exc_text = exc_info, exc_text
        if exc_info and exc_info[1] is not None:
            line += f": {type(exc_info[1]).__name__}: {exc_info[1]}"
        return line
