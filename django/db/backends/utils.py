"""
Pieces shared by every backend: the cursor wrappers that sit between the
ORM and the driver, statement logging, and small helpers for identifiers,
numbers and the text formats databases hand back.
"""
import contextlib
import datetime
import decimal
import functools
import hashlib
import logging
import re
import time

from django.db.backends.refusals import REFUSED, check as check_not_refused

logger = logging.getLogger("django.db.backends")


def _log_statement(connection, sql, duration, params=None, with_params=True):
    connection.queries_log.append({"sql": sql, "time": "%.3f" % duration})
    extra = {"duration": duration, "sql": sql}
    if with_params:
        extra["params"] = params
    logger.debug("(%.3f) %s; args=%s", duration, sql, params, extra=extra)


class _Stopwatch:
    """
    Times the ``with`` block it guards and hands the seconds to ``report``
    when the block ends, raised or not: the query log's timer, for
    statements and for BEGIN/COMMIT/ROLLBACK alike.
    """

    __slots__ = ("report", "started")

    def __init__(self, report):
        self.report = report

    def __enter__(self):
        self.started = time.monotonic()

    def __exit__(self, exc_type, exc_value, tb):
        self.report(time.monotonic() - self.started)


class CursorWrapper(contextlib.AbstractContextManager):
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
        self.db = db
        self.cursor = cursor

    # ``with connection.cursor() as cursor``: the block gets the wrapper itself
    # (AbstractContextManager's __enter__) and the cursor is closed at its end.
    def __exit__(self, exc_type, exc_value, tb):
        # If the connection died, closing fails too: that second error must
        # not replace the one propagating.
        self.db.close_cursor_quietly(self)

    # Read after most statements: plain properties are quicker than the
    # __getattr__ fallback.
    @property
    def rowcount(self):
        return self.cursor.rowcount

    @property
    def lastrowid(self):
        return self.cursor.lastrowid

    def __getattr__(self, name):
        found = getattr(self.cursor, name)
        return self.db.wrap_database_errors(found) if name in self.WRAP_ERROR_ATTRS else found

    # The usual fetches and execute() translate errors with try/except
    # (free unless something is raised) rather than entering
    # db.wrap_database_errors: they run for every statement.
    def _raise_translated(self, exc):
        """Raise a driver error as its django.db class, as leaving a
        ``with db.wrap_database_errors`` block would; return otherwise."""
        self.db._error_wrapper.__exit__(type(exc), exc, exc.__traceback__)

    def _fetched(self, fetch, *args, **kwargs):
        try:
            return fetch(*args, **kwargs)
        except Exception as exc:
            self._raise_translated(exc)
            raise

    def fetchone(self):
        return self._fetched(self.cursor.fetchone)

    def fetchmany(self, *args, **kwargs):
        return self._fetched(self.cursor.fetchmany, *args, **kwargs)

    def fetchall(self):
        return self._fetched(self.cursor.fetchall)

    def __iter__(self):
        # DB-API iteration is repeated fetchone() until None; going through
        # our fetchone() translates errors the same way.
        return iter(self.fetchone, None)

    def callproc(self, procname, params=None, kparams=None):
        if REFUSED:
            check_not_refused(self.db)
        self.db.validate_no_broken_transaction()
        call = self.cursor.callproc
        with self.db.wrap_database_errors:
            return call(procname) if params is None else call(procname, params)

    # Each statement also asks whether its alias is refused (a test that
    # did not declare the database): a cursor kept from before the refusal
    # must not slip past it. Outside tests REFUSED is empty.
    def execute(self, sql, params=None):
        db = self.db
        if REFUSED:
            check_not_refused(db)
        if db.execute_wrappers:
            return self._through_wrappers(sql, params, False)
        # The usual case, _to_driver() inlined: a call costs 1% of a get().
        if db.needs_rollback:
            db.validate_no_broken_transaction()
        try:
            return self.cursor.execute(sql) if params is None else self.cursor.execute(sql, params)
        except Exception as exc:
            self._raise_translated(exc)
            raise

    def executemany(self, sql, param_list):
        if REFUSED:
            check_not_refused(self.db)
        if self.db.execute_wrappers:
            return self._through_wrappers(sql, param_list, True)
        return self._to_driver(sql, param_list, True)

    def _through_wrappers(self, sql, params, many):
        """Hand the statement to the installed execute wrappers, the first
        installed outermost, with _to_driver() at the core."""
        call = self._to_driver
        for wrapper in reversed(self.db.execute_wrappers):
            call = functools.partial(wrapper, call)
        return call(sql, params, many, {"connection": self.db, "cursor": self})

    def _to_driver(self, sql, params, many, context=None):
        """
        The innermost step of every statement: refused in a transaction
        already doomed, then to the driver with its errors translated.
        Drivers treat execute(sql, None) unlike execute(sql) (placeholder
        parsing), so parameters are passed only when there are some.
        """
        db = self.db
        if db.needs_rollback:
            db.validate_no_broken_transaction()
        cursor = self.cursor
        try:
            if many:
                return cursor.executemany(sql, params)
            return cursor.execute(sql) if params is None else cursor.execute(sql, params)
        except Exception as exc:
            self._raise_translated(exc)
            raise


class CursorDebugWrapper(CursorWrapper):
    """Also records each statement and its duration in ``db.queries_log``."""

    def execute(self, sql, params=None):
        return self._logged(CursorWrapper.execute, sql, params, True, False)

    def executemany(self, sql, param_list):
        return self._logged(CursorWrapper.executemany, sql, param_list, False, True)

    def _logged(self, run, sql, params, use_last_executed_query, many):
        with self.debug_sql(sql, params, use_last_executed_query, many):
            return run(self, sql, params)

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

    def _record(self, sql, params, use_last_executed_query, many, elapsed):
        shown = self._logged_sql(sql, params, use_last_executed_query, many)
        _log_statement(self.db, shown, elapsed, params)

    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
        """A context manager logging the statement it guards, with its
        duration, once the statement is done (last_executed_query() can
        only tell then)."""
        return _Stopwatch(
            functools.partial(self._record, sql, params, use_last_executed_query, many)
        )


def debug_transaction(connection, sql):
    """A context manager recording BEGIN/COMMIT/ROLLBACK in the query log
    like any statement, while queries are logged."""
    if not connection.queries_logged:
        return contextlib.nullcontext()
    return _Stopwatch(functools.partial(_log_statement, connection, sql, with_params=False))


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


# How databases print a time of day and a timestamp: 'H:MM:SS[.fraction]',
# 'YYYY-MM-DD[ H:MM:SS[.fraction]]' (or 'T' between the two); anything
# after that (a UTC offset) is ignored: callers deal with time zones.
_TIME_OF_DAY = re.compile(r"(\d+):(\d+):(\d+)(?:\.(\d+))?")
_TIMESTAMP = re.compile(r"(\d+)-(\d+)-(\d+)(?:[ T](\d+):(\d+):(\d+)(?:\.(\d+))?)?")


def _matched_numbers(pattern, text, expected):
    found = pattern.match(text)
    if found is None:
        raise ValueError("%r is not a %s." % (text, expected))
    return found.groups()


def _microseconds(fraction):
    # Digits beyond the sixth are cut, not rounded: a time never moves
    # into the next second.
    return int(fraction[:6].ljust(6, "0")) if fraction else 0


def typecast_date(s):
    return datetime.date(*map(int, s.split("-"))) if s else None


def typecast_time(s):
    """'HH:MM:SS[.ffffff]' as a datetime.time (None for no value)."""
    if not s:
        return None
    hour, minute, second, fraction = _matched_numbers(_TIME_OF_DAY, s, "time of day (HH:MM:SS)")
    return datetime.time(int(hour), int(minute), int(second), _microseconds(fraction))


def typecast_timestamp(s):
    """'YYYY-MM-DD HH:MM:SS[.ffffff]' as a naive datetime; a date alone
    gives a date (None for no value)."""
    if not s:
        return None
    year, month, day, hour, minute, second, fraction = _matched_numbers(
        _TIMESTAMP, s, "timestamp (YYYY-MM-DD HH:MM:SS)"
    )
    date = datetime.date(int(year), int(month), int(day))
    if hour is None:
        return date
    clock = datetime.time(int(hour), int(minute), int(second), _microseconds(fraction))
    return datetime.datetime.combine(date, clock)


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
    """Decimal ``value`` as fixed-point text fitting the column's precision:
    rounded to ``decimal_places``; without them, digits that do not fit
    ``max_digits`` raise decimal.Rounded rather than being lost silently."""
    if value is None:
        return None
    with decimal.localcontext() as context:
        if max_digits is not None:
            context.prec = max_digits
        if decimal_places is not None:
            fitted = value.quantize(decimal.Decimal((0, (1,), -decimal_places)))
        else:
            context.traps[decimal.Rounded] = True
            fitted = +value  # unary plus applies the context's precision
    return "{:f}".format(fitted)


def strip_quotes(table_name):
    """'"name"' -> 'name'; anything not fully quoted is returned unchanged."""
    if len(table_name) >= 2 and table_name[0] == table_name[-1] == '"':
        return table_name[1:-1]
    return table_name
