"""
Pieces shared by every backend: the cursor wrappers that sit between the
ORM and the driver, statement logging, and small helpers for identifiers,
numbers and the text formats databases hand back.
"""
import datetime
import decimal
import functools
import hashlib
import logging
import time
from contextlib import contextmanager

logger = logging.getLogger("django.db.backends")


def _log_statement(connection, sql, duration, params=None, with_params=True):
    connection.queries_log.append({"sql": sql, "time": "%.3f" % duration})
    extra = {"duration": duration, "sql": sql}
    if with_params:
        extra["params"] = params
    logger.debug("(%.3f) %s; args=%s", duration, sql, params, extra=extra)


class CursorWrapper:
    """
    What ``connection.cursor()`` returns.  Every call that reaches the
    server goes through ``db.wrap_database_errors`` (so callers only ever
    see django.db exceptions), statements are refused in a transaction
    already marked broken, and ``connection.execute_wrapper()`` hooks run
    around each statement.
    """

    # Fetches can fail on the server too (e.g. server-side cursors).
    WRAP_ERROR_ATTRS = frozenset({"fetchone", "fetchmany", "fetchall", "nextset"})

    def __init__(self, cursor, db):
        self.cursor = cursor
        self.db = db

    def __getattr__(self, name):
        value = getattr(self.cursor, name)
        if name not in self.WRAP_ERROR_ATTRS:
            return value
        return self.db.wrap_database_errors(value)

    # Read after most statements: plain properties are quicker than the
    # __getattr__ fallback.
    @property
    def rowcount(self):
        return self.cursor.rowcount

    @property
    def lastrowid(self):
        return self.cursor.lastrowid

    # The usual fetches and execute() translate errors with try/except
    # (free unless something is raised) rather than entering
    # db.wrap_database_errors: they run for every statement.
    def _translate(self, exc):
        """Raise a driver error as its django.db class, as leaving a
        ``with db.wrap_database_errors`` block would; return otherwise."""
        self.db._error_wrapper.__exit__(type(exc), exc, exc.__traceback__)

    def _fetched(self, fetch, *args, **kwargs):
        try:
            return fetch(*args, **kwargs)
        except Exception as exc:
            self._translate(exc)
            raise

    def fetchone(self):
        return self._fetched(self.cursor.fetchone)

    def fetchmany(self, *args, **kwargs):
        return self._fetched(self.cursor.fetchmany, *args, **kwargs)

    def fetchall(self):
        return self._fetched(self.cursor.fetchall)

    def __iter__(self):
        with self.db.wrap_database_errors:
            yield from self.cursor

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, tb):
        # If the connection died, close() fails too; that secondary error
        # must not replace the one that is propagating.
        try:
            self.close()
        except self.db.Database.Error:
            pass

    def _guarded(self):
        self.db.validate_no_broken_transaction()
        return self.db.wrap_database_errors

    def callproc(self, procname, params=None, kparams=None):
        args = (procname,) if params is None else (procname, params)
        with self._guarded():
            return self.cursor.callproc(*args)

    def execute(self, sql, params=None):
        db = self.db
        if getattr(db, "execute_wrappers", None):
            return self._through_wrappers(self._execute, sql, params, many=False)
        # The usual case, _execute() inlined: it runs for every statement.
        if db.needs_rollback:
            db.validate_no_broken_transaction()
        try:
            if params is None:
                return self.cursor.execute(sql)
            return self.cursor.execute(sql, params)
        except Exception as exc:
            self._translate(exc)
            raise

    def executemany(self, sql, param_list):
        return self._through_wrappers(self._executemany, sql, param_list, many=True)

    def _through_wrappers(self, innermost, sql, params, many):
        wrappers = getattr(self.db, "execute_wrappers", None)
        if not wrappers:  # the usual case: straight to the driver
            return innermost(sql, params)
        # The first installed wrapper ends up outermost.
        call = innermost
        for wrapper in reversed(wrappers):
            call = functools.partial(wrapper, call)
        return call(sql, params, many, {"connection": self.db, "cursor": self})

    def _execute(self, sql, params, *_wrapper_args):
        # Drivers treat execute(sql, None) differently from execute(sql)
        # (placeholder parsing), so only pass params when there are some.
        args = (sql,) if params is None else (sql, params)
        with self._guarded():
            return self.cursor.execute(*args)

    def _executemany(self, sql, param_list, *_wrapper_args):
        with self._guarded():
            return self.cursor.executemany(sql, param_list)


class CursorDebugWrapper(CursorWrapper):
    """Also records each statement and its duration in ``db.queries_log``."""

    def execute(self, sql, params=None):
        with self.debug_sql(sql, params, use_last_executed_query=True):
            return super().execute(sql, params)

    def executemany(self, sql, param_list):
        with self.debug_sql(sql, param_list, many=True):
            return super().executemany(sql, param_list)

    def _logged_sql(self, sql, params, use_last_executed_query, many):
        if use_last_executed_query:
            try:
                sql = self.db.ops.last_executed_query(self.cursor, sql, params)
            except Exception:
                pass  # logging must never break the query itself
        if many:
            try:
                count = len(params)
            except TypeError:
                count = "?"  # a generator: already consumed, length unknown
            sql = "%s times: %s" % (count, sql)
        return sql

    @contextmanager
    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
        started = time.monotonic()
        try:
            yield
        finally:
            elapsed = time.monotonic() - started
            shown = self._logged_sql(sql, params, use_last_executed_query, many)
            _log_statement(self.db, shown, elapsed, params)


@contextmanager
def debug_transaction(connection, sql):
    """Record BEGIN/COMMIT/ROLLBACK in the query log like any statement."""
    started = time.monotonic()
    try:
        yield
    finally:
        if connection.queries_logged:
            _log_statement(connection, sql, time.monotonic() - started, with_params=False)


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
    """('namespace', 'name') from '"namespace"."name"'; namespace '' if absent."""
    namespace, dot, name = identifier.rpartition('"."')
    if not dot:
        namespace, name = "", identifier
    return namespace.strip('"'), name.strip('"')


def names_digest(*args, length):
    """A short hex digest of the strings, stable across runs and platforms."""
    digest = hashlib.md5(usedforsecurity=False)
    for part in args:
        digest.update(part.encode())
    return digest.hexdigest()[:length]


def truncate_name(identifier, length=None, hash_len=4):
    """
    Fit an identifier into ``length`` characters.  The tail is replaced by
    a hash of the full name so two long names sharing a prefix still differ;
    a '"namespace".' prefix is kept as it is and not counted.
    """
    namespace, name = split_identifier(identifier)
    if length is None or len(name) <= length:
        return identifier
    shortened = name[: length - hash_len] + names_digest(name, length=hash_len)
    return '%s"."%s' % (namespace, shortened) if namespace else shortened


def format_number(value, max_digits, decimal_places):
    """Decimal ``value`` as fixed-point text fitting the column's precision."""
    if value is None:
        return None
    context = decimal.getcontext().copy()
    if max_digits is not None:
        context.prec = max_digits
    if decimal_places is None:
        # No scale to round to: refuse to silently lose digits instead.
        context.traps[decimal.Rounded] = 1
        value = context.create_decimal(value)
    else:
        value = value.quantize(decimal.Decimal(1).scaleb(-decimal_places), context=context)
    return format(value, "f")


def strip_quotes(table_name):
    """'"name"' -> 'name'; anything not fully quoted is returned unchanged."""
    if len(table_name) >= 2 and table_name[0] == table_name[-1] == '"':
        return table_name[1:-1]
    return table_name
