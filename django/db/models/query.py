"""
QuerySet: a lazy, chainable description of a database query over a model.

Nothing touches the database until the queryset is evaluated (iterated,
sliced with a step, len(), bool(), list(), repr(), pickled...). Each chained
method returns a new QuerySet with a cloned ``sql.Query``. Which database a
statement runs on is read through one property, ``QuerySet.db``: the alias
given to ``using()``, else the routers' answer for a read or a write.

Around it, in modules of their own: how rows become objects
(``iterables``), prefetch_related() (``prefetch``), and the writes of many
objects at once, bulk_create() and bulk_update() (``bulk``).
"""
import copy
import itertools
import warnings

import django
from django.db import connections, router
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db.models import bulk, sql
from django.db.models.expressions import F
from django.db.models.iterables import (  # noqa: F401 (importable from here, as in Django)
    BaseIterable, FlatValuesListIterable, ModelIterable, NamedValuesListIterable,
    RawModelIterable, RelatedPopulator, ValuesIterable, ValuesListIterable,
    create_namedtuple_class, get_related_populators,
)
from django.db.models.prefetch import Prefetch, prefetch_related_objects
from django.db.models.query_utils import LOOKUP_SEP, PROHIBITED_FILTER_KWARGS, FilteredRelation, Q
from django.db.models.sql.constants import ROW_COUNT
from django.db.models.sql.single_insert import insert_one
from django.db.models.utils import resolve_callables
from django.db.utils import NotSupportedError

# get() reads at most this many rows: one is the answer, two are an error,
# and the error message can still say "more than 20".
MAX_GET_RESULTS = 21

# repr() shows this many objects, then an ellipsis.
REPR_OUTPUT_SIZE = 20

# Pickled querysets record the version they were made with.
DJANGO_VERSION_PICKLE_KEY = "_django_version"

# The truncation kinds dates() and datetimes() accept.
DATE_KINDS = ("year", "month", "week", "day")
DATETIME_KINDS = DATE_KINDS + ("hour", "minute", "second")

# The iterable of each values_list() form, by (flat, named); flat and named
# together is no form.
_VALUES_LIST_ROWS = {
    (False, False): ValuesListIterable,
    (True, False): FlatValuesListIterable,
    (False, True): NamedValuesListIterable,
}


class _EvaluatedOnDemand:
    """Container behaviour shared by QuerySet and RawQuerySet: len(),
    iteration and truth all evaluate the query once (``_fetch_all()``) and
    answer from ``_result_cache`` afterwards."""

    # Filled by _fetch_all(); None means "not evaluated yet".
    _result_cache = None
    _prefetch_related_lookups = ()
    _lookups_prefetched = False
    _db = None

    def _evaluated(self):
        self._fetch_all()
        return self._result_cache

    def __len__(self):
        return len(self._evaluated())

    def __iter__(self):
        return iter(self._evaluated())

    def __bool__(self):
        return bool(self._evaluated())


class QuerySet(_EvaluatedOnDemand):
    """A lazy, chainable description of a set of ``model`` rows."""

    # Per-queryset state whose starting value is immutable lives on the
    # class until a queryset changes it: every Model.objects call makes one
    # or two querysets, most of which never touch these.
    _iterable_class = ModelIterable
    # Names given to values()/values_list(); None for model querysets.
    _fields = None
    _for_write = False
    # Set by _reuse_joins_in_next_filter(): the next filter() reuses the same joins.
    _sticky_next_filter = False
    # Related managers set {fk: {key: parent}} so that the rows they fetch
    # get their parent without a query. Never changed in place.
    _known_parents = {}

    def __init__(self, model=None, query=None, using=None, hints=None):
        # Built on first use (see ``query``): create() and the INSERT of
        # save() go through a queryset whose query they never read.
        self._sql_query = query
        self.model, self._hints = model, hints or {}
        if using is not None:
            # Checked where the alias is chosen (using(), db_manager()); else
            # the class's None: routed.
            self._db = using

    def _read_query(self):
        query = self._sql_query
        if query is None:
            query = self._sql_query = sql.Query(self.model)
            if self._db is not None:
                query.explicit_alias = self._db
        return query

    def _assign_query(self, query):
        # Assigning a values() query (an unpickled one, say) keeps its rows
        # dictionaries, as they were where it came from.
        self._sql_query = query
        if query.values_select:
            self._iterable_class = ValuesIterable

    query = property(_read_query, _assign_query)

    def _combinator(self):
        """query.combinator, without building a query for a queryset fresh
        from its manager (which is no combination)."""
        query = self._sql_query
        return None if query is None else query.combinator

    @classmethod
    def as_manager(cls):
        """A Manager instance whose methods are those of this queryset class."""
        # Imported here: manager.py imports this module.
        from django.db.models.manager import Manager

        # A class of its own, marked so that deconstruct() can say how it
        # was made.
        manager_class = Manager.from_queryset(cls)
        manager_class._made_by_as_manager = True
        return manager_class()

    as_manager.__func__.queryset_only = True

    # -- Python protocols --------------------------------------------------

    def __deepcopy__(self, memo):
        # Copy the description, never the fetched rows.
        twin = type(self)()
        for name, value in self.__dict__.items():
            twin.__dict__[name] = None if name == "_result_cache" else copy.deepcopy(value, memo)
        return twin

    def __getstate__(self):
        # A pickled queryset carries its rows (evaluated here) and the
        # version that pickled it: the Query inside is an internal structure.
        rows = self._evaluated()
        return {**self.__dict__, "_result_cache": rows, DJANGO_VERSION_PICKLE_KEY: django.__version__}

    def __setstate__(self, state):
        problem = _pickle_version_problem(state.pop(DJANGO_VERSION_PICKLE_KEY, None))
        if problem:
            warnings.warn(problem, RuntimeWarning, stacklevel=2)
        self.__dict__.update(state)

    def __repr__(self):
        # One row more than shown tells whether to print the ellipsis.
        shown = list(self[: REPR_OUTPUT_SIZE + 1])
        if len(shown) > REPR_OUTPUT_SIZE:
            shown[REPR_OUTPUT_SIZE] = "...(remaining elements truncated)..."
        return f"<{type(self).__name__} {shown!r}>"

    def __class_getitem__(cls, *args, **kwargs):
        return cls

    @staticmethod
    def _check_index(k):
        """Refuse what SQL LIMIT/OFFSET cannot express."""
        if isinstance(k, int):
            bounds, step = (k,), None
        elif isinstance(k, slice):
            bounds, step = (k.start, k.stop), k.step
        else:
            raise TypeError(f"QuerySet indices must be integers or slices, not {type(k).__name__}.")
        if any(bound is not None and bound < 0 for bound in bounds):
            raise ValueError("Negative indexing is not supported.")
        if step is not None and (not isinstance(step, int) or step < 1):
            raise ValueError("Slice step must be a positive integer.")

    def __getitem__(self, k):
        """qs[i] fetches one row; qs[a:b] is a lazily LIMITed queryset (a
        list when a step is given, as SQL has no step)."""
        self._check_index(k)
        cached = self._result_cache
        if cached is not None:
            return cached[k]
        limited = self._chained_copy()
        if isinstance(k, slice):
            limited.query.set_limits(
                None if k.start is None else int(k.start), None if k.stop is None else int(k.stop)
            )
            return list(limited)[:: k.step] if k.step else limited
        limited.query.set_limits(k, k + 1)
        return limited._evaluated()[0]

    def _combine_with(self, other, symbol, connector):
        """qs1 & qs2, qs1 | qs2, qs1 ^ qs2: one query, the WHERE clauses
        joined by ``connector``. An empty operand short-circuits."""
        if self.query.combinator or other.query.combinator:
            raise TypeError(f"Cannot use {symbol} operator with combined queryset.")
        self._check_same_values(other)
        empty = [side for side in (self, other) if isinstance(side, EmptyQuerySet)]
        if empty:
            if connector == sql.AND:
                return empty[-1]  # nothing can match
            # OR, XOR: what the other side matches.
            return other if empty[0] is self else self
        result = self._chained_copy()
        if connector == sql.AND:
            known = {fk: dict(parents) for fk, parents in self._known_parents.items()}
            for fk, parents in other._known_parents.items():
                known.setdefault(fk, {}).update(parents)
            result._known_parents = known
        result.query.combine(other.query, connector)
        return result

    def __and__(self, other):
        return self._combine_with(other, "&", sql.AND)

    def __or__(self, other):
        return self._combine_with(other, "|", sql.OR)

    def __xor__(self, other):
        return self._combine_with(other, "^", sql.XOR)

    # -- evaluation ----------------------------------------------------------

    def iterator(self, chunk_size=None):
        """
        Stream the results without caching them, fetching ``chunk_size`` rows
        at a time (2000 by default), through a server-side cursor where the
        backend has one.
        """
        if chunk_size is None:
            chunk_size = 2000
        elif not (isinstance(chunk_size, int) and chunk_size > 0):
            raise ValueError("Chunk size must be strictly positive.")
        chunked = getattr(connections[self.db].features, "can_use_chunked_reads", True)
        return self._streamed(chunked, chunk_size)

    def _streamed(self, chunked, chunk_size):
        # A generator: nothing runs until the first row is asked for.
        yield from self._iterable_class(self, chunked_fetch=chunked, chunk_size=chunk_size)

    def aggregate(self, *args, **kwargs):
        """A dict of aggregate values computed over this queryset; positional
        aggregates are keyed by their default alias (``price__avg``)."""
        if self.query.distinct_fields:
            raise NotImplementedError("aggregate() + distinct(fields) not implemented.")
        self._require_expressions("aggregate", (*args, *kwargs.values()))
        named = {**kwargs, **_aliased(args, "aggregates")}
        return self.query.chain().get_aggregation(self.db, named)

    def count(self):
        """The number of rows: len() of the cache if evaluated, else COUNT(*)."""
        cached = self._result_cache
        return self.query.get_count(self.db) if cached is None else len(cached)

    def get(self, *args, **kwargs):
        """The one object matching the filters; DoesNotExist when there is
        none, MultipleObjectsReturned when there are several."""
        candidates, cap = self._candidates_for_get(args, kwargs)
        found = candidates._evaluated()
        if len(found) == 1:
            return found[0]
        raise self._get_failure(len(found), cap)

    def _candidates_for_get(self, args, kwargs):
        """The queryset get() evaluates, and the cap on rows it was given
        (None where the backend cannot LIMIT a SELECT ... FOR UPDATE)."""
        combinator = self._combinator()
        if not combinator:
            candidates = self._filtered(False, args, kwargs)
        elif args or kwargs:
            raise NotSupportedError(
                f"Calling QuerySet.get(...) with filters after {combinator}() is not supported."
            )
        else:
            candidates = self._chained_copy()
        query = candidates.query
        if query.can_filter() and not query.distinct_fields:
            # Ordering is useless for at most one expected row.
            query.clear_ordering(force=True)
        if query.select_for_update and not getattr(
            connections[candidates.db].features, "supports_select_for_update_with_limit", True
        ):
            return candidates, None
        # Fetch a few rows only: enough to report "more than 20".
        query.set_limits(high=MAX_GET_RESULTS)
        return candidates, MAX_GET_RESULTS

    def _get_failure(self, found, cap):
        """The exception get() raises when ``found`` rows matched, not one."""
        name = self.model._meta.object_name
        if not found:
            return self.model.DoesNotExist(f"{name} matching query does not exist.")
        counted = f"more than {cap - 1}" if cap and found >= cap else found
        return self.model.MultipleObjectsReturned(
            f"get() returned more than one {name} -- it returned {counted}!"
        )

    def create(self, **kwargs):
        """Build an instance from ``kwargs`` and INSERT it (never UPDATE)."""
        self._for_write = True
        instance = self.model(**kwargs)
        instance.save(force_insert=True, using=self.db)
        return instance

    def bulk_create(self, objs, batch_size=None, ignore_conflicts=False):
        """
        INSERT the given unsaved instances, a batch per query, inside one
        transaction. Keys the database generates are set on the instances
        where the backend returns them (``can_return_rows_from_bulk_insert``)
        -- not when conflicts are ignored, since rows may then be missing.
        """
        return bulk.insert_many(self, objs, batch_size, ignore_conflicts)

    def bulk_update(self, objs, fields, batch_size=None):
        """
        Update the given fields in each of the given objects in the database,
        with one UPDATE ... SET col = CASE WHEN pk = .. THEN .. END per batch.
        """
        return bulk.update_many(self, objs, fields, batch_size)

    bulk_update.alters_data = True

    def get_or_create(self, defaults=None, **kwargs):
        """(object, created): the object matching ``kwargs``, or a new one
        built from ``kwargs`` and ``defaults``."""
        self._for_write = True
        existing = self._match_or_none(kwargs)
        if existing is not None:
            return existing, False
        values = dict(resolve_callables(self._creation_values(kwargs, defaults)))
        from django.db import IntegrityError, transaction

        try:
            # The savepoint keeps an outer transaction usable on failure.
            with transaction.atomic(using=self.db):
                return self.create(**values), True
        except IntegrityError:
            # Maybe lost a race: another connection inserted the same row.
            winner = self._match_or_none(kwargs)
            if winner is None:
                raise
        return winner, False

    def _match_or_none(self, lookup):
        try:
            return self.get(**lookup)
        except self.model.DoesNotExist:
            return None

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        """(object, created): the object matching ``kwargs`` updated with
        ``defaults``, or a new one (from ``create_defaults`` when given)."""
        changes = defaults or {}
        self._for_write = True
        from django.db import transaction

        with transaction.atomic(using=self.db):
            # The row lock makes a concurrent caller wait for our save().
            locked = self.select_for_update()
            obj, created = locked.get_or_create(
                changes if create_defaults is None else create_defaults, **kwargs
            )
            if not created:
                _save_changes(obj, changes, locked.db)
        return obj, created

    def _creation_values(self, lookup, defaults):
        """create() arguments for get_or_create(): the plain field names of
        ``lookup`` (no ``__`` lookups), overridden by ``defaults``. Each name
        must be a field, or a property with a setter."""
        values = {name: value for name, value in lookup.items() if LOOKUP_SEP not in name}
        values.update(defaults or {})
        rejected = sorted(name for name in values if not _accepts_value(self.model, name))
        if rejected:
            raise FieldError(
                "Invalid field name(s) for model %s: '%s'."
                % (self.model._meta.object_name, "', '".join(rejected))
            )
        return values

    def _refuse_sliced(self, message):
        if self.query.is_sliced:
            raise TypeError(message)

    def earliest(self, *fields):
        """The first object by ``fields`` (or Meta.get_latest_by)."""
        return self._extreme(fields, newest=False)

    def latest(self, *fields):
        """The last object by ``fields`` (or Meta.get_latest_by)."""
        return self._extreme(fields, newest=True)

    def _extreme(self, fields, newest):
        self._refuse_sliced("Cannot change a query once a slice has been taken.")
        ordering = fields or getattr(self.model._meta, "get_latest_by", None)
        if not ordering:
            raise ValueError(
                "earliest() and latest() require either fields as positional "
                "arguments or 'get_latest_by' in the model's Meta."
            )
        ranked = self.order_by(*((ordering,) if isinstance(ordering, str) else ordering))
        if newest:
            ranked = ranked.reverse()
        return ranked[:1].get()

    def _first_of(self, method, fallback_ordering, flip):
        # An unordered queryset gets a pk ordering so the answer is stable.
        if self.ordered:
            candidates = self.reverse() if flip else self
        else:
            self._refuse_pk_order_in_aggregation(method)
            candidates = self.order_by(fallback_ordering)
        found = list(candidates[:1])
        return found[0] if found else None

    def first(self):
        """The first object, or None when there is none."""
        return self._first_of("first", "pk", flip=False)

    def last(self):
        """The last object, or None when there is none."""
        return self._first_of("last", "-pk", flip=True)

    def _in_bulk_key(self, field_name):
        """The attname objects are keyed by; the field must be unique."""
        opts = self.model._meta
        if field_name == "pk":
            return opts.pk.attname
        field = self._field_or_error(field_name)
        unique_alone = {
            constraint.fields[0]
            for constraint in getattr(opts, "total_unique_constraints", ())
            if len(constraint.fields) == 1
        }
        if not (field.unique or field_name in unique_alone):
            raise ValueError(f"in_bulk()'s field_name must be a unique field but {field_name!r} isn't.")
        return field.attname

    def in_bulk(self, id_list=None, *, field_name="pk"):
        """{value of ``field_name``: object}, for ``id_list`` or every row."""
        self._refuse_sliced("Cannot use 'limit' or 'offset' with in_bulk().")
        key = self._in_bulk_key(field_name)
        if id_list is None:
            return {getattr(obj, key): obj for obj in self._chained_copy()}
        wanted = tuple(id_list)
        if not wanted:
            return {}
        lookup = f"{field_name}__in"
        ops = connections[self.db].ops
        # Backends with a cap on query parameters (SQLite) get several queries.
        per_query = ops.max_in_list_size() if hasattr(ops, "max_in_list_size") else None
        if not per_query or per_query >= len(wanted):
            chunks = [wanted]
        else:
            chunks = [wanted[i : i + per_query] for i in range(0, len(wanted), per_query)]
        return {getattr(obj, key): obj for chunk in chunks for obj in self.filter(**{lookup: chunk})}

    def delete(self):
        """DELETE the rows (with the cascades the Collector finds); returns
        (total deleted, {model label: count})."""
        self._refuse_after_combinator("delete")
        self._refuse_sliced("Cannot use 'limit' or 'offset' with delete().")
        if self.query.distinct or self.query.distinct_fields:
            raise TypeError("Cannot call delete() after .distinct().")
        self._refuse_after_values("delete")
        doomed = self._rows_to_delete()
        # The cached rows are about to leave the database: forget them.
        self._result_cache = None
        return _delete_with_cascades(doomed, origin=self)

    delete.alters_data = True
    delete.queryset_only = True

    def _rows_to_delete(self):
        doomed = self._chained_copy()
        # Collection and deletion must both run on the write connection.
        doomed._for_write = True
        # Row locks, joins for select_related and ordering mean nothing to
        # a DELETE (and some backends reject them in its subqueries).
        query = doomed.query
        query.select_for_update = query.select_related = False
        query.clear_ordering(force=True)
        return doomed

    def _delete_without_collecting(self, using=None):
        """One DELETE for the rows of this query: no signals, no cascades
        (the Collector uses it once it has handled those, passing the
        database it collected on, so the routers are not asked again)."""
        delete_query = self.query.clone()
        delete_query.__class__ = sql.DeleteQuery
        return delete_query.get_compiler(using=using or self.db).execute_sql(ROW_COUNT)

    _delete_without_collecting.alters_data = True
    _delete_without_collecting.queryset_only = False

    def update(self, **kwargs):
        """UPDATE every row, setting field name -> value or expression;
        returns the number of rows matched."""
        self._refuse_after_combinator("update")
        statement = self._update_statement()
        self._for_write = True
        statement.add_update_values(kwargs)
        # Ordering means nothing to an UPDATE of every row.
        statement.clear_ordering(force=True)
        from django.db import transaction

        # A failure inside atomic() must doom the block, as for save().
        with transaction.mark_for_rollback_on_error(self.db):
            return self._run_update(statement)

    update.alters_data = True

    def _update(self, values):
        """update() for Model.save(): ``values`` are (field, model, value)
        triples, not names."""
        self._for_write = True
        statement = self._update_statement()
        statement.add_update_fields(values)
        return self._run_update(statement)

    _update.alters_data = True
    _update.queryset_only = False

    def _update_statement(self):
        self._refuse_sliced("Cannot update a query once a slice has been taken.")
        return self.query.chain(sql.UpdateQuery)

    def _run_update(self, statement):
        # Annotations would otherwise be copied into the UPDATE's subqueries.
        statement.annotations = {}
        self._result_cache = None
        return statement.get_compiler(using=self.db).execute_sql(ROW_COUNT)

    def exists(self):
        """Whether there is at least one row (a cheap query if not cached)."""
        cached = self._result_cache
        return self.query.has_results(self.db) if cached is None else bool(cached)

    def contains(self, obj):
        """Whether ``obj`` (a saved instance) is one of the rows."""
        self._refuse_after_combinator("contains")
        self._refuse_after_values("QuerySet.contains", end=".")
        opts = getattr(obj, "_meta", None)
        if opts is None:
            raise TypeError("'obj' must be a model instance.")
        # Another table's object is never among the rows, saved or not.
        same_table = opts.concrete_model is self.model._meta.concrete_model
        if same_table and obj.pk is None:
            raise ValueError("QuerySet.contains() cannot be used on unsaved objects.")
        cached = self._result_cache
        if not same_table or cached is not None:
            return same_table and obj in cached
        return self.filter(pk=obj.pk).exists()

    def explain(self, *, format=None, **options):
        """
        Run an EXPLAIN on the SQL query this QuerySet would perform, and
        return the results. The format and option names are validated by the
        backend (``ops.explain_query_prefix``) against fixed sets.
        """
        return self.query.explain(self.db, format=format, **options)

    # -- methods returning another kind of queryset -------------------------

    def raw(self, raw_query, params=(), translations=None, using=None):
        """A RawQuerySet over ``raw_query`` for this model, run on ``using``
        (else on this queryset's explicit alias, else where reads route)."""
        alias = connections.checked_alias(using)
        raw_set = RawQuerySet(
            raw_query, model=self.model, params=params, translations=translations,
            using=self._db if alias is None else alias, hints=self._hints,
        )
        raw_set._prefetch_related_lookups = self._prefetch_related_lookups[:]
        return raw_set

    def _values_clone(self, names, expressions, iterable):
        """The common core of values() and values_list(): select ``names``
        (fields, or the aliases of ``expressions``), rows made by
        ``iterable``."""
        selecting = self.annotate(**expressions) if expressions else self._chained_copy()
        selecting._fields = tuple(names)
        selecting._iterable_class = iterable
        selecting.query.set_values(names)
        return selecting

    def values(self, *fields, **expressions):
        """Rows as dicts of the named fields/expressions (all by default)."""
        return self._values_clone((*fields, *expressions), expressions, ValuesIterable)

    def values_list(self, *fields, flat=False, named=False):
        """Rows as tuples (``named``: namedtuples; ``flat``: bare values of
        the single field)."""
        rows = _VALUES_LIST_ROWS.get((bool(flat), bool(named)))
        if rows is None:
            raise TypeError("'flat' and 'named' can't be used together.")
        if rows is FlatValuesListIterable and len(fields) > 1:
            raise TypeError(
                "'flat' is not valid when values_list is called with more than one field."
            )
        names, expressions = _name_expressions(fields)
        return self._values_clone(names, expressions, rows)

    def _truncated_values(self, field_name, kind, order, alias, output_field, **trunc_options):
        """The distinct, non-null values of ``field_name`` truncated to
        ``kind``, sorted: the common core of dates() and datetimes()."""
        if order not in ("ASC", "DESC"):
            raise ValueError("'order' must be either 'ASC' or 'DESC'.")
        from django.db.models.functions import Trunc

        truncated = Trunc(field_name, kind, output_field=output_field, **trunc_options)
        direction = "-" if order == "DESC" else ""
        annotated = self.annotate(**{alias: truncated, "plain_field": F(field_name)})
        return (
            annotated.values_list(alias, flat=True)
            .distinct()
            .filter(plain_field__isnull=False)
            .order_by(direction + alias)
        )

    def dates(self, field_name, kind, order="ASC"):
        """The distinct dates of ``field_name`` truncated to ``kind``."""
        _check_kind(kind, DATE_KINDS)
        return self._truncated_values(field_name, kind, order, "datefield", _date_field())

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        """The distinct datetimes of ``field_name`` truncated to ``kind``,
        in ``tzinfo`` (default: the current time zone) when USE_TZ is on."""
        _check_kind(kind, DATETIME_KINDS)
        return self._truncated_values(
            field_name, kind, order, "datetimefield", _datetime_field(),
            tzinfo=_truncation_zone(tzinfo),
        )

    def none(self):
        """A queryset that yields nothing and runs no query."""
        empty = self._chained_copy()
        empty.query.set_empty()
        return empty

    # -- methods returning a new, modified queryset ------------------------

    def all(self):
        """A copy of this queryset (a fresh cache, the same query)."""
        return self._chained_copy()

    def filter(self, *args, **kwargs):
        """Rows matching all of the given conditions as well."""
        self._refuse_after_combinator("filter")
        return self._filtered(False, args, kwargs)

    def exclude(self, *args, **kwargs):
        """Rows NOT matching the given conditions (ANDed together)."""
        self._refuse_after_combinator("exclude")
        return self._filtered(True, args, kwargs)

    def _filtered(self, negate, args, kwargs):
        """A copy with the conditions ``args``/``kwargs`` (negated) added."""
        if args or kwargs:
            query = self._sql_query
            if query is not None and query.is_sliced:
                raise TypeError("Cannot filter a query once a slice has been taken.")
            _check_filter_kwargs(kwargs)
        result = self._chained_copy()
        condition = Q(*args, **kwargs)
        result.query.add_q(~condition if negate else condition)
        return result

    def complex_filter(self, filter_obj):
        """filter() taking either a Q object or a dict of lookups."""
        if isinstance(filter_obj, Q):
            return self._filtered(False, (filter_obj,), {})
        return self._filtered(False, (), filter_obj)

    def _combined(self, kind, others, all=False):
        """A queryset over ``kind`` (union, intersection, difference) of
        this query and those of ``others``."""
        combined = self._chained_copy()
        query = combined.query
        # The parts keep their own ordering/limits; the combined query gets
        # whatever order_by()/slicing is applied afterwards.
        query.clear_ordering(force=True)
        query.clear_limits()
        query.combined_queries = (self.query, *(other.query for other in others))
        query.combinator, query.combinator_all = kind, all
        return combined

    def union(self, *other_qs, all=False):
        if not isinstance(self, EmptyQuerySet):
            return self._combined("union", other_qs, all)
        # An empty left side contributes nothing: combine the others.
        parts = [other for other in other_qs if not isinstance(other, EmptyQuerySet)]
        if len(parts) > 1:
            return parts[0]._combined("union", parts[1:], all)
        return parts[0] if parts else self

    def intersection(self, *other_qs):
        empty = [part for part in (self, *other_qs) if isinstance(part, EmptyQuerySet)]
        return empty[0] if empty else self._combined("intersection", other_qs)

    def difference(self, *other_qs):
        # Nothing minus anything is nothing.
        return self if isinstance(self, EmptyQuerySet) else self._combined("difference", other_qs)

    def select_for_update(self, nowait=False, skip_locked=False, of=(), no_key=False):
        """Lock the selected rows (SELECT ... FOR UPDATE) until the end of
        the transaction."""
        if nowait and skip_locked:
            raise ValueError("The nowait option cannot be used with skip_locked.")
        unsupported = [name for name in of if name != "self"]
        if unsupported:
            raise FieldError(
                "Invalid field name(s) given in select_for_update(of=(...)): "
                "%r. Only 'self' is allowed until relations are supported." % (unsupported[0],)
            )
        locked = self._chained_copy()
        locked._for_write = True
        query = locked.query
        query.select_for_update = True
        query.select_for_update_nowait = nowait
        query.select_for_update_skip_locked = skip_locked
        query.select_for_update_of = of
        query.select_for_no_key_update = no_key
        return locked

    def select_related(self, *fields):
        """
        Follow foreign keys in the same query: without names, every non-null
        foreign key; with names (``"author__city"``), those relations,
        nullable and reverse one-to-one ones included. ``None`` clears.
        """
        self._refuse_after_combinator("select_related")
        self._refuse_after_values("select_related")
        paths = [name for name in fields if name is not None]
        for path in paths:
            _check_select_related_path(self.model, path)
        joined = self._chained_copy()
        if paths:
            joined.query.add_select_related(fields)
        else:
            # select_related() follows every non-null foreign key;
            # select_related(None) none at all.
            joined.query.select_related = not fields
        return joined

    def prefetch_related(self, *lookups):
        """
        Fetch the related objects of every result in one extra query per
        relation (``"authors"``, ``"book_set__chapters"``, or ``Prefetch(
        lookup, queryset=..., to_attr=...)``) when the queryset is evaluated.
        ``None`` clears.
        """
        self._refuse_after_combinator("prefetch_related")
        if lookups == (None,):
            lookups = None
        else:
            _refuse_filtered_relation_prefetch(self, lookups)
        result = self._chained_copy()
        result._prefetch_related_lookups = (
            () if lookups is None else (*result._prefetch_related_lookups, *lookups)
        )
        return result

    def annotate(self, *args, **kwargs):
        """Add a computed value (expression or aggregate) to every result."""
        self._refuse_after_combinator("annotate")
        return self._with_annotations(args, kwargs, select=True)

    def alias(self, *args, **kwargs):
        """Like annotate(), but the value is only usable in later filters,
        orderings and annotations, not selected."""
        self._refuse_after_combinator("alias")
        return self._with_annotations(args, kwargs, select=False)

    def _annotation_names_taken(self):
        """Names an annotation may not use: the values() names, or every
        field name and attname of the model."""
        if self._fields is not None:
            return self._fields
        taken = set()
        for field in self.model._meta.get_fields():
            taken.add(field.name)
            attname = getattr(field, "attname", None)
            if attname:
                taken.add(attname)
        return taken

    def _with_annotations(self, args, kwargs, select):
        self._require_expressions("annotate", (*args, *kwargs.values()))
        positional = _aliased(args, "annotations")
        clash = next((alias for alias in positional if alias in kwargs), None)
        if clash is not None:
            raise ValueError(
                f"The named annotation '{clash}' conflicts with the default "
                "name for another annotation."
            )
        wanted = {**positional, **kwargs}
        taken = self._annotation_names_taken()
        clash = next((alias for alias in wanted if alias in taken), None)
        if clash is not None:
            raise ValueError(f"The annotation '{clash}' conflicts with a field on the model.")
        annotated = self._chained_copy()
        query = annotated.query
        for alias, expression in wanted.items():
            if isinstance(expression, FilteredRelation):
                query.add_filtered_relation(expression, alias)
            else:
                query.add_annotation(expression, alias, select=select)
        if _adds_aggregate(query, wanted):
            # GROUP BY every model column for model querysets, by the
            # values() columns otherwise.
            if annotated._fields is None:
                query.group_by = True
            else:
                query.set_group_by()
        return annotated

    def _unsliced_clone(self, action):
        if self.query.is_sliced:
            raise TypeError(f"Cannot {action} a query once a slice has been taken.")
        return self._chained_copy()

    def order_by(self, *field_names):
        """Replace the ordering (Meta.ordering still applies when empty)."""
        reordered = self._unsliced_clone("reorder")
        query = reordered.query
        query.clear_ordering(force=True, clear_default=False)
        query.add_ordering(*field_names)
        return reordered

    def distinct(self, *field_names):
        """SELECT DISTINCT, or DISTINCT ON (fields) where supported."""
        self._refuse_after_combinator("distinct")
        self._refuse_sliced("Cannot create distinct fields once a slice has been taken.")
        if field_names:
            self._check_distinct_on(field_names)
        deduplicated = self._chained_copy()
        deduplicated.query.add_distinct_fields(*field_names)
        return deduplicated

    def _check_distinct_on(self, field_names):
        validate = self.query._validate_field_path
        for name in field_names:
            validate(name)
        if not getattr(connections[self.db].features, "can_distinct_on_fields", False):
            raise NotSupportedError("DISTINCT ON fields is not supported by this database backend")

    def extra(self, select=None, where=None, params=None, tables=None,
              order_by=None, select_params=None):
        """Add trusted SQL fragments (see Query.add_extra()); values always
        go in ``params``/``select_params``, never into the fragments."""
        self._refuse_after_combinator("extra")
        result = self._unsliced_clone("change")
        result.query.add_extra(select, select_params, where, params, tables, order_by)
        return result

    def reverse(self):
        """The same rows in the opposite order."""
        result = self._unsliced_clone("reverse")
        result.query.standard_ordering = not result.query.standard_ordering
        return result

    def _refuse_after_values(self, method, end=""):
        if self._fields is not None:
            raise TypeError(f"Cannot call {method}() after .values() or .values_list(){end}")

    def defer(self, *fields):
        """Leave ``fields`` out of the SELECT (loaded on first access), on
        top of those already deferred; ``defer(None)`` loads everything."""
        return self._change_loading("defer", fields, _defer_more)

    def only(self, *fields):
        """Load only ``fields`` (and the primary key) now; the rest on access."""
        return self._change_loading("only", fields, _load_only)

    def _change_loading(self, method, fields, change):
        """defer() and only(): a copy whose query ``change(query, fields)``
        tells which fields to load now."""
        self._refuse_after_combinator(method)
        self._refuse_after_values(method)
        if fields != (None,):
            self._check_field_names(fields)
        result = self._chained_copy()
        change(result.query, fields)
        return result

    def _field_or_error(self, name):
        try:
            return self.model._meta.get_field(name)
        except FieldDoesNotExist:
            raise FieldError(
                "Cannot resolve keyword %r into field. Choices are: %s"
                % (name, ", ".join(self.query._field_choices()))
            ) from None

    def _check_field_names(self, names):
        opts = self.model._meta
        for name in names:
            if not isinstance(name, str):
                raise TypeError("Field names must be strings, got %r." % (name,))
            if name == "pk":
                continue
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is None or not getattr(field, "concrete", False):
                raise FieldError(
                    "Cannot resolve keyword %r into field. Choices are: %s"
                    % (name, ", ".join(self.query._field_choices()))
                )

    # -- introspection -----------------------------------------------------

    @property
    def ordered(self):
        """Whether the rows come in a defined order: an explicit order_by(),
        or the model's Meta.ordering (which GROUP BY queries ignore). An
        empty queryset counts as ordered."""
        if isinstance(self, EmptyQuerySet):
            return True
        query = self.query
        if query.order_by or query.extra_order_by:
            return True
        uses_default = query.default_ordering and not query.group_by
        return bool(uses_default and query.get_meta().ordering)

    @property
    def db(self):
        """The alias of the database this queryset's next statement runs on:
        the one given to using(), else the routers' choice for a write (the
        queryset is writing: create(), update(), delete()...) or a read."""
        alias = self._db
        if alias is not None:
            return alias
        # The router answers 'default' at once when no router defines the
        # method and no instance is hinted.
        if self._for_write:
            return router.route_write(self.model, self._hints)
        return router.route_read(self.model, self._hints)

    def using(self, alias):
        """This queryset on the database ``alias``; None goes back to routing."""
        alias = connections.checked_alias(alias)
        twin = self._chained_copy()
        if alias is None:
            twin.__dict__.pop("_db", None)
        else:
            twin._db = alias
        # str(query) renders the SQL of the database chosen here.
        twin.query.explicit_alias = alias
        return twin

    # -- private API used by models, managers and related descriptors -------

    def _insert(
        self,
        objs,
        fields,
        returning_fields=None,
        raw=False,
        on_conflict=None,
        update_fields=None,
        unique_fields=None,
    ):
        """INSERT ``objs`` (one statement); the entry point of Model.save()
        and bulk_create(). Returns the rows of ``returning_fields`` values."""
        self._for_write = True
        if len(objs) == 1 and not raw and on_conflict is None:
            # save(): the statement prepared for this model, if it qualifies.
            rows = insert_one(connections[self.db], self.model, objs[0], fields, returning_fields)
            if rows is not None:
                return rows
        insert = sql.InsertQuery(
            self.model, on_conflict=on_conflict,
            update_fields=update_fields, unique_fields=unique_fields,
        )
        insert.insert_values(fields, objs, raw=raw)
        compiler = insert.get_compiler(using=self.db)
        return compiler.execute_sql(returning_fields)

    _insert.alters_data = True
    _insert.queryset_only = False

    def _chained_copy(self):
        """_clone() for the next chained method, which consumes a pending
        _reuse_joins_in_next_filter() request."""
        successor = self._clone()
        if self._sticky_next_filter:
            successor.query.filter_is_sticky = True
            del successor._sticky_next_filter
        return successor

    # The per-queryset state a clone inherits (besides model/query/hints).
    _CLONED_STATE = (
        "_sticky_next_filter", "_for_write", "_known_parents", "_iterable_class", "_fields", "_db",
    )

    def _clone(self):
        """A new queryset over a copy of the query, without the result cache."""
        # A queryset fresh from its manager has no query yet: its clone
        # need not build one just to copy it.
        query = self._sql_query
        twin = type(self)(model=self.model, query=None if query is None else query.chain(), hints=self._hints)
        state = twin.__dict__
        mine = self.__dict__
        for name in self._CLONED_STATE:
            if name in mine:  # else the class default holds for both
                state[name] = mine[name]
        lookups = self._prefetch_related_lookups
        if lookups:
            # A tuple, but subclasses may have stored a list: copy either way.
            state["_prefetch_related_lookups"] = lookups[:]
        return twin

    def _fetch_all(self):
        """Evaluate once: fetch the rows, then run the prefetches on them."""
        if self._result_cache is None:
            self._result_cache = list(self._iterable_class(self))
        if self._prefetch_related_lookups and not self._lookups_prefetched:
            # One query per relation and level, whatever the number of rows.
            prefetch_related_objects(self._result_cache, *self._prefetch_related_lookups)
            self._lookups_prefetched = True

    def _reuse_joins_in_next_filter(self):
        """Make the next filter() reuse this query's multi-valued joins (a
        related manager's filter and the user's then apply to one row)."""
        self._sticky_next_filter = True
        return self

    def _check_same_values(self, other):
        """values() querysets only combine with the same selected names."""
        if self._fields is None:
            return
        mine, theirs = self.query, other.query
        same = (
            set(mine.values_select) == set(theirs.values_select)
            and set(mine.annotation_select) == set(theirs.annotation_select)
        )
        if not same:
            raise TypeError(
                f"Merging '{type(self).__name__}' classes must involve the same values in each case."
            )

    def resolve_expression(self, *args, **kwargs):
        # Used as a subquery (pk__in=qs, Subquery(qs)): one column only.
        if self._fields and len(self._fields) > 1:
            raise TypeError("Cannot use multi-field values as a filter value.")
        return self.query.resolve_expression(*args, **kwargs)

    resolve_expression.queryset_only = True

    @staticmethod
    def _require_expressions(method, values):
        rejected = sorted(str(value) for value in values if not hasattr(value, "resolve_expression"))
        if rejected:
            raise TypeError(
                f"QuerySet.{method}() received non-expression(s): {', '.join(rejected)}."
            )

    def _refuse_after_combinator(self, method):
        combinator = self._combinator()
        if combinator:
            raise NotSupportedError(
                f"Calling QuerySet.{method}() after {combinator}() is not supported."
            )

    def _refuse_pk_order_in_aggregation(self, method):
        # first()/last() fall back to ordering by pk, which is only
        # meaningful in an aggregation when the pk is one of the groups.
        group_by = self.query.group_by
        if not isinstance(group_by, tuple):
            return
        pk = self.model._meta.pk
        if any(getattr(column, "output_field", None) is pk for column in group_by):
            return
        raise TypeError(
            f"Cannot use QuerySet.{method}() on an unordered queryset performing "
            "aggregation. Add an ordering with order_by()."
        )


class InstanceCheckMeta(type):
    def __instancecheck__(self, instance):
        # Being empty is a state of the query, not a class: none() returns
        # an ordinary QuerySet whose query can match nothing.
        if not isinstance(instance, QuerySet):
            return False
        return instance.query.is_empty()


class EmptyQuerySet(metaclass=InstanceCheckMeta):
    """Only for ``isinstance(qs, EmptyQuerySet)``: true for querysets made
    empty by none() (and their chained copies)."""

    def __init__(self, *args, **kwargs):
        raise TypeError("EmptyQuerySet can't be instantiated")


class RawQuerySet(_EvaluatedOnDemand):
    """
    Model instances built from the rows of a hand-written SELECT. Columns
    are matched to fields by column name; ``translations`` renames result
    columns to field names first. Columns matching no field become plain
    attributes; fields the SELECT leaves out are deferred.
    """

    def __init__(
        self, raw_query, model=None, query=None, params=(), translations=None, using=None, hints=None,
    ):
        # What the SQL was made from, kept for _clone() and repr().
        self.raw_query, self.params = raw_query, params
        self.model = model
        self.translations = dict(translations or {})
        self._hints = hints or {}
        if using is not None:
            self._db = using
        if query is None:
            query = sql.RawQuery(sql=raw_query, params=params)
        self.query = query

    def _column_name(self):
        # Backends that fold identifiers (upper case on some) normalise here.
        return getattr(connections[self.db].introspection, "identifier_converter", None) or (lambda name: name)

    def resolve_model_init_order(self):
        """(attnames, their positions in a row, [(extra column, position)])
        for building instances from this query's rows."""
        columns = self.columns
        position = {name: index for index, name in reversed(list(enumerate(columns)))}
        to_name = self._column_name()
        names, positions = [], []
        for field in self.model._meta.concrete_fields:
            index = position.get(to_name(field.column))
            if index is not None:
                names.append(field.attname)
                positions.append(index)
        known = self.model_fields
        extras = [(name, index) for index, name in enumerate(columns) if name not in known]
        return names, positions, extras

    def prefetch_related(self, *lookups):
        raise ValueError("prefetch_related() needs relations, which are not supported yet.")

    def _clone(self):
        twin = type(self)(
            self.raw_query, model=self.model, query=self.query, params=self.params,
            translations=self.translations, using=self._db, hints=self._hints,
        )
        twin._prefetch_related_lookups = self._prefetch_related_lookups[:]
        return twin

    def _fetch_all(self):
        # Raw rows are not prefetched (see prefetch_related()).
        if self._result_cache is None:
            self._result_cache = list(RawModelIterable(self))

    def iterator(self):
        return iter(RawModelIterable(self))

    def __repr__(self):
        return f"<{type(self).__name__}: {self.query}>"

    def __getitem__(self, k):
        # SQL is opaque here: no LIMIT can be added, so index the rows.
        return list(self)[k]

    @property
    def db(self):
        """The alias the query runs on: the one given to using() or raw(),
        else where the routers send the model's reads."""
        alias = self._db
        return router.route_read(self.model, self._hints) if alias is None else alias

    def using(self, alias):
        """This raw query on the database ``alias``; None goes back to routing."""
        twin = self._clone()
        twin._db = connections.checked_alias(alias)
        return twin

    @property
    def columns(self):
        """The result column names, after ``translations``."""
        names = self.query.get_columns(connections[self.db])
        rename = self.translations
        if rename:
            # Translations naming a column the query lacks are ignored.
            names = [rename.get(name, name) for name in names]
        return names

    @property
    def model_fields(self):
        """{column name as the database reports it: field}."""
        to_name = self._column_name()
        return {to_name(field.get_attname_column()[1]): field for field in self.model._meta.fields}


# -- helpers ----------------------------------------------------------------------

def _pickle_version_problem(made_with):
    """The warning for a queryset pickled by another version, or None."""
    current = django.__version__
    if not made_with:
        return "Pickled queryset instance's Django version is not specified."
    if made_with != current:
        return (
            f"Pickled queryset instance's Django version {made_with} does not "
            f"match the current version {current}."
        )
    return None


def _aliased(expressions, plural):
    """{default alias: expression} for expressions given positionally to
    aggregate() or annotate(); ``plural`` names them in the error."""
    named = {}
    for expression in expressions:
        # default_alias raises TypeError when the expression is too complex
        # to name itself, AttributeError when it has none.
        try:
            named[expression.default_alias] = expression
        except (AttributeError, TypeError):
            raise TypeError(f"Complex {plural} require an alias") from None
    return named


def _adds_aggregate(query, aliases):
    """Whether one of the annotations just added aggregates (GROUP BY)."""
    added = query.annotations
    return any(added[alias].contains_aggregate for alias in aliases if alias in added)


def _name_expressions(items):
    """values_list() takes fields and expressions positionally: the names
    of the columns (an expression is named by its default alias, or class
    name, and a number counting over all of them, skipping the field
    names) and {name: expression}."""
    fields = {item for item in items if not hasattr(item, "resolve_expression")}
    numbers = itertools.count(1)
    expressions = {}

    def column_name(item):
        if not hasattr(item, "resolve_expression"):
            return item
        stem = getattr(item, "default_alias", type(item).__name__.lower())
        name = next(name for name in (f"{stem}{n}" for n in numbers) if name not in fields)
        expressions[name] = item
        return name

    return [column_name(item) for item in items], expressions


def _accepts_value(model, name):
    """Whether create() can take ``name``: a field, or a property with a
    setter."""
    opts = model._meta
    try:
        opts.get_field(name)
    except FieldDoesNotExist:
        if name not in getattr(opts, "_property_attribute_names", ()):
            return False
        return getattr(model, name).fset is not None
    return True


def _save_changes(obj, changes, alias):
    """update_or_create(): set ``changes`` on ``obj`` and save it on
    ``alias`` (where it was read); only their columns when they are all
    concrete fields."""
    for name, value in resolve_callables(changes):
        setattr(obj, name, value)
    concrete = {field.name for field in obj._meta.concrete_fields}
    if changes and concrete.issuperset(changes):
        obj.save(using=alias, update_fields=set(changes))
    else:
        # Properties or nothing at all: a full save is the safe choice.
        obj.save(using=alias)


def _defer_more(query, fields):
    if fields == (None,):
        query.clear_deferred_loading()
    else:
        query.add_deferred_loading(fields)


def _load_only(query, fields):
    if fields == (None,):
        # defer(None) means "clear"; only() has no such form.
        raise TypeError("Cannot pass None as an argument to only().")
    query.add_immediate_loading(fields)


def _refuse_filtered_relation_prefetch(queryset, lookups):
    query = queryset._sql_query
    filtered = query._filtered_relation_by_alias if query is not None else ()
    for lookup in lookups:
        path = lookup.prefetch_to if isinstance(lookup, Prefetch) else lookup
        if path.partition(LOOKUP_SEP)[0] in filtered:
            raise ValueError("prefetch_related() is not supported with FilteredRelation.")


def _check_kind(kind, kinds):
    if kind not in kinds:
        quoted = [f"'{k}'" for k in kinds]
        raise ValueError(f"'kind' must be one of {', '.join(quoted[:-1])}, or {quoted[-1]}.")


def _truncation_zone(tzinfo):
    """The time zone datetimes() truncates in: none without USE_TZ, else
    ``tzinfo`` or the current one."""
    from django.conf import settings
    from django.utils.timezone import get_current_timezone

    aware = settings.USE_TZ
    return (get_current_timezone() if tzinfo is None else tzinfo) if aware else None


def _delete_with_cascades(queryset, origin):
    """DELETE the rows of ``queryset`` and, through the Collector, what
    their on_delete rules reach; (total, {model label: count})."""
    from django.db.models.deletion import Collector

    collector = Collector(queryset.db, origin=origin)
    collector.collect(queryset)
    return collector.delete()


def _check_filter_kwargs(kwargs):
    invalid = PROHIBITED_FILTER_KWARGS.intersection(kwargs)
    if invalid:
        raise TypeError(
            "The following kwargs are invalid: %s. Q-node options cannot be "
            "passed as filter keywords."
            % ", ".join("'%s'" % k for k in sorted(invalid))
        )


def _date_field():
    from django.db.models.fields import DateField

    return DateField()


def _datetime_field():
    from django.db.models.fields import DateTimeField

    return DateTimeField()


def _check_select_related_path(model, name):
    """Refuse a select_related() name that is not a chain of relations
    (forward foreign keys/one-to-ones, or reverse one-to-ones)."""
    opts = model._meta
    for part in name.split(LOOKUP_SEP):
        relations = [f for f in opts.fields if f.is_relation] + [
            r for r in opts.related_objects if r.one_to_one
        ]
        choices = sorted(
            [f.name for f in opts.fields if f.is_relation]
            + [r.field.related_query_name() for r in opts.related_objects if r.one_to_one]
        )
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            raise FieldError(
                "Invalid field name(s) given in select_related: '%s'. Choices are: %s"
                % (part, ", ".join(choices) or "(none)")
            ) from None
        if field not in relations:
            if not field.is_relation:
                raise FieldError(
                    "Non-relational field given in select_related: '%s'. Choices are: %s"
                    % (part, ", ".join(choices) or "(none)")
                )
            raise FieldError(
                "Invalid field name(s) given in select_related: '%s' (a multi-valued "
                "relation: use prefetch_related()). Choices are: %s"
                % (part, ", ".join(choices) or "(none)")
            )
        opts = field.related_model._meta
