"""Cursor wrappers and small SQL helpers shared by all backends."""
import datetime
import decimal
import functools
import hashlib
import logging
import time
from contextlib import contextmanager

logger = logging.getLogger("django.db.backends")


class CursorWrapper:
    """
    Wrap a driver cursor: translate driver errors, check that the
    transaction is usable, and accept ``%s`` placeholders on every backend.
    """

    WRAP_ERROR_ATTRS = frozenset(["fetchone", "fetchmany", "fetchall", "nextset"])

    def __init__(self, cursor, db):
        self.cursor = cursor
        self.db = db

    def __getattr__(self, attr):
        cursor_attr = getattr(self.cursor, attr)
        if attr in CursorWrapper.WRAP_ERROR_ATTRS:
            return self.db.wrap_database_errors(cursor_attr)
        return cursor_attr

    def __iter__(self):
        with self.db.wrap_database_errors:
            yield from self.cursor

    def __enter__(self):
        return self

    def __exit__(self, type, value, traceback):
        # Closing a cursor whose connection already went away must not hide
        # the original exception.
        try:
            self.close()
        except self.db.Database.Error:
            pass

    def callproc(self, procname, params=None, kparams=None):
        self.db.validate_no_broken_transaction()
        with self.db.wrap_database_errors:
            if params is None:
                return self.cursor.callproc(procname)
            return self.cursor.callproc(procname, params)

    def execute(self, sql, params=None):
        return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)

    def executemany(self, sql, param_list):
        return self._execute_with_wrappers(sql, param_list, many=True, executor=self._executemany)

    def _execute_with_wrappers(self, sql, params, many, executor):
        context = {"connection": self.db, "cursor": self}
        for wrapper in reversed(getattr(self.db, "execute_wrappers", [])):
            executor = functools.partial(wrapper, executor)
        return executor(sql, params, many, context)

    def _execute(self, sql, params, *ignored_wrapper_args):
        self.db.validate_no_broken_transaction()
        with self.db.wrap_database_errors:
            if params is None:
                return self.cursor.execute(sql)
            return self.cursor.execute(sql, params)

    def _executemany(self, sql, param_list, *ignored_wrapper_args):
        self.db.validate_no_broken_transaction()
        with self.db.wrap_database_errors:
            return self.cursor.executemany(sql, param_list)


class CursorDebugWrapper(CursorWrapper):
    """A CursorWrapper that records every statement in ``db.queries_log``."""

    def execute(self, sql, params=None):
        with self.debug_sql(sql, params, use_last_executed_query=True):
            return super().execute(sql, params)

    def executemany(self, sql, param_list):
        with self.debug_sql(sql, param_list, many=True):
            return super().executemany(sql, param_list)

    @contextmanager
    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
        start = time.monotonic()
        try:
            yield
        finally:
            duration = time.monotonic() - start
            if use_last_executed_query:
                try:
                    sql = self.db.ops.last_executed_query(self.cursor, sql, params)
                except Exception:
                    pass
            if many:
                try:
                    times = len(params)
                except TypeError:
                    # params may be a one-shot iterator.
                    times = "?"
                sql = "%s times: %s" % (times, sql)
            self.db.queries_log.append({"sql": sql, "time": "%.3f" % duration})
            logger.debug(
                "(%.3f) %s; args=%s",
                duration,
                sql,
                params,
                extra={"duration": duration, "sql": sql, "params": params},
            )


@contextmanager
def debug_transaction(connection, sql):
    """Log a transaction-control statement (BEGIN/COMMIT/ROLLBACK) as a query."""
    start = time.monotonic()
    try:
        yield
    finally:
        if connection.queries_logged:
            duration = time.monotonic() - start
            connection.queries_log.append({"sql": sql, "time": "%.3f" % duration})
            logger.debug("(%.3f) %s; args=None", duration, sql, extra={"duration": duration, "sql": sql})


def split_tzname_delta(tzname):
    """Split 'Europe/Paris+05:00' into ('Europe/Paris', '+', '05:00')."""
    for sign in ("+", "-"):
        if sign in tzname:
            name, offset = tzname.rsplit(sign, 1)
            if offset and offset[:2].isdigit():
                return name, sign, offset
    return tzname, None, None


###############################################
# Converters from database strings to Python  #
###############################################


def typecast_date(s):
    return datetime.date(*map(int, s.split("-"))) if s else None


def typecast_time(s):
    if not s:
        return None
    hour, minutes, seconds = s.split(":")
    if "." in seconds:
        seconds, frac = seconds.split(".")
    else:
        frac = "0"
    return datetime.time(int(hour), int(minutes), int(seconds), int((frac + "000000")[:6]))


def typecast_timestamp(s):
    """Parse 'YYYY-MM-DD HH:MM:SS[.ffffff]' (a date alone is accepted)."""
    if not s:
        return None
    if " " not in s and "T" not in s:
        return typecast_date(s)
    s = s.replace("T", " ")
    d, t = s.split(" ", 1)
    # Drop a UTC offset suffix; callers deal with time zones themselves.
    for sign in ("+", "-"):
        if sign in t:
            t = t.split(sign, 1)[0]
    dates = d.split("-")
    times = t.split(":")
    seconds = times[2]
    if "." in seconds:
        seconds, frac = seconds.split(".")
    else:
        frac = "0"
    return datetime.datetime(
        int(dates[0]), int(dates[1]), int(dates[2]),
        int(times[0]), int(times[1]), int(seconds), int((frac + "000000")[:6]),
    )


###############################################
# Helpers for names and numbers               #
###############################################


def split_identifier(identifier):
    """Split '"namespace"."name"' (or 'namespace"."name') into its parts."""
    try:
        namespace, name = identifier.split('"."')
    except ValueError:
        namespace, name = "", identifier
    return namespace.strip('"'), name.strip('"')


def truncate_name(identifier, length=None, hash_len=4):
    """
    Shorten an SQL identifier to ``length`` characters, replacing the tail
    with a hash so that distinct long names stay distinct. A namespace
    prefix ('"ns"."name"') is kept untouched.
    """
    namespace, name = split_identifier(identifier)
    if length is None or len(name) <= length:
        return identifier
    digest = names_digest(name, length=hash_len)
    return "%s%s%s" % ('%s"."' % namespace if namespace else "", name[: length - hash_len], digest)


def names_digest(*args, length):
    """A short, stable hex digest of the given strings (for generated names)."""
    h = hashlib.md5(usedforsecurity=False)
    for arg in args:
        h.update(arg.encode())
    return h.hexdigest()[:length]


def format_number(value, max_digits, decimal_places):
    """Format a Decimal for storage with the given precision."""
    if value is None:
        return None
    context = decimal.getcontext().copy()
    if max_digits is not None:
        context.prec = max_digits
    if decimal_places is not None:
        value = value.quantize(decimal.Decimal(1).scaleb(-decimal_places), context=context)
    else:
        context.traps[decimal.Rounded] = 1
        value = context.create_decimal(value)
    return "{:f}".format(value)


def strip_quotes(table_name):
    """Remove one level of double quotes around a name, if present."""
    has_quotes = table_name.startswith('"') and table_name.endswith('"')
    return table_name[1:-1] if has_quotes else table_name
