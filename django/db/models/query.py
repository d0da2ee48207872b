"""
QuerySet: a lazy, chainable description of a database query over a model.

Nothing touches the database until the queryset is evaluated (iterated,
sliced with a step, len(), bool(), list(), repr(), pickled...). Each chained
method returns a new QuerySet with a cloned ``sql.Query``. The connection is
read through one property, ``QuerySet.db``.
"""
import copy
import itertools
import operator
import warnings

import django
from django.db import get_connection
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db.models import sql
from django.db.models.expressions import Case, F, Value, When
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


def _get_connection():
    # The one place the query layer picks its connection.
    return get_connection()


class _EvaluatedOnDemand:
    """Container behaviour shared by QuerySet and RawQuerySet: len(),
    iteration and truth all evaluate the query once (``_fetch_all()``) and
    answer from ``_result_cache`` afterwards."""

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
    _db = None
    # Filled by _fetch_all(); None means "not evaluated yet".
    _result_cache = None
    _prefetch_related_lookups = ()
    _lookups_prefetched = False
    _iterable_class = ModelIterable
    # Names given to values()/values_list(); None for model querysets.
    _fields = None
    _for_write = False
    # _next_is_sticky(): the next filter() reuses the same joins.
    _sticky_filter = False
    # A related manager may postpone its filter until the query is read
    # (so that e.g. prefetching can replace it cheaply).
    _defer_next_filter = False
    _deferred_filter = None

    def __init__(self, model=None, query=None, hints=None):
        self.model = model
        self._hints = hints or {}
        # Built on first use (see ``query``): create() and the INSERT of
        # save() go through a queryset whose query they never read.
        self._query = query
        # Related managers hand over {fk: {key: parent}} so the rows they
        # fetch get their parent without a query (updated in place, so one
        # dict per queryset).
        self._known_related_objects = {}

    @property
    def query(self):
        pending = self._deferred_filter
        if pending:
            self._deferred_filter = None
            self._filter_or_exclude_inplace(*pending)
        query = self._query
        if query is None:
            query = self._query = sql.Query(self.model)
        return query

    def _combinator(self):
        """query.combinator, without building a query for a queryset fresh
        from its manager (which is no combination)."""
        return None if self._query is None else self.query.combinator

    @query.setter
    def query(self, value):
        # A query built by values() must keep yielding dictionaries.
        if value.values_select:
            self._iterable_class = ValuesIterable
        self._query = value

    @classmethod
    def as_manager(cls):
        """A Manager instance whose methods are those of this queryset class."""
        # Imported here: manager.py imports this module.
        from django.db.models.manager import Manager

        manager_class = Manager.from_queryset(cls)
        manager = manager_class()
        manager._built_with_as_manager = True
        return manager

    as_manager.__func__.queryset_only = True

    # -- Python protocols --------------------------------------------------

    def __deepcopy__(self, memo):
        # Copy the description, never the fetched rows.
        twin = type(self)()
        for name, value in self.__dict__.items():
            twin.__dict__[name] = None if name == "_result_cache" else copy.deepcopy(value, memo)
        return twin

    def __getstate__(self):
        # A pickled queryset carries its rows, so evaluate it first, and
        # stamp the version: the pickled Query is an internal structure.
        self._fetch_all()
        state = dict(self.__dict__)
        state[DJANGO_VERSION_PICKLE_KEY] = django.__version__
        return state

    def __setstate__(self, state):
        recorded = state.pop(DJANGO_VERSION_PICKLE_KEY, None)
        current = django.__version__
        if not recorded:
            message = "Pickled queryset instance's Django version is not specified."
        elif recorded != current:
            message = (
                f"Pickled queryset instance's Django version {recorded} does not "
                f"match the current version {current}."
            )
        else:
            message = None
        if message:
            warnings.warn(message, RuntimeWarning, stacklevel=2)
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
        if self._result_cache is not None:
            return self._result_cache[k]
        limited = self._chain()
        if isinstance(k, int):
            limited.query.set_limits(k, k + 1)
            limited._fetch_all()
            return limited._result_cache[0]
        low = None if k.start is None else int(k.start)
        high = None if k.stop is None else int(k.stop)
        limited.query.set_limits(low, high)
        if k.step:
            return list(limited)[:: k.step]
        return limited

    def _combine_with(self, other, symbol, connector):
        """qs1 & qs2, qs1 | qs2, qs1 ^ qs2: one query, the WHERE clauses
        joined by ``connector``. An empty operand short-circuits."""
        self._check_operator_queryset(other, symbol)
        self._merge_sanity_check(other)
        if connector == sql.AND:
            # Intersection: empty if either side is.
            for side in (other, self):
                if isinstance(side, EmptyQuerySet):
                    return side
        else:
            # Union-like: the other side alone if one is empty.
            if isinstance(self, EmptyQuerySet):
                return other
            if isinstance(other, EmptyQuerySet):
                return self
        result = self._chain()
        if connector == sql.AND:
            result._merge_known_related_objects(other)
        result.query.combine(other.query, connector)
        return result

    def __and__(self, other):
        return self._combine_with(other, "&", sql.AND)

    def __or__(self, other):
        return self._combine_with(other, "|", sql.OR)

    def __xor__(self, other):
        return self._combine_with(other, "^", sql.XOR)

    # -- evaluation ----------------------------------------------------------

    def _iterator(self, use_chunked_fetch, chunk_size):
        yield from self._iterable_class(
            self, chunked_fetch=use_chunked_fetch, chunk_size=chunk_size or 2000
        )

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
        chunked = getattr(self.db.features, "can_use_chunked_reads", True)
        return self._iterator(chunked, chunk_size)

    def aggregate(self, *args, **kwargs):
        """A dict of aggregate values computed over this queryset; positional
        aggregates are keyed by their default alias (``price__avg``)."""
        if self.query.distinct_fields:
            raise NotImplementedError("aggregate() + distinct(fields) not implemented.")
        self._validate_values_are_expressions(list(args) + list(kwargs.values()), method_name="aggregate")
        named = dict(kwargs)
        for expression in args:
            # default_alias raises TypeError when the expression is too
            # complex to name itself, AttributeError when it has none.
            try:
                alias = expression.default_alias
            except (AttributeError, TypeError):
                raise TypeError("Complex aggregates require an alias") from None
            named[alias] = expression
        return self.query.chain().get_aggregation(self.db, named)

    def count(self):
        """The number of rows: len() of the cache if evaluated, else COUNT(*)."""
        cached = self._result_cache
        return self.query.get_count(self.db) if cached is None else len(cached)

    def get(self, *args, **kwargs):
        """The one object matching the filters; DoesNotExist when there is
        none, MultipleObjectsReturned when there are several."""
        combinator = self._combinator()
        if combinator:
            if args or kwargs:
                raise NotSupportedError(
                    f"Calling QuerySet.get(...) with filters after {combinator}() is not supported."
                )
            candidates = self._chain()
        else:
            candidates = self.filter(*args, **kwargs)
        query = candidates.query
        if query.can_filter() and not query.distinct_fields:
            # Ordering is useless for at most one expected row. What
            # order_by() would do, on the clone made just above.
            query.clear_ordering(force=True)
        # Fetch a few rows only: enough to report "more than 20".
        cap = None
        if not query.select_for_update or getattr(
            candidates.db.features, "supports_select_for_update_with_limit", True
        ):
            cap = MAX_GET_RESULTS
            query.set_limits(high=cap)
        found = len(candidates)
        if found == 1:
            return candidates._result_cache[0]
        name = self.model._meta.object_name
        if found == 0:
            raise self.model.DoesNotExist(f"{name} matching query does not exist.")
        shown = f"more than {cap - 1}" if cap and found >= cap else found
        raise self.model.MultipleObjectsReturned(
            f"get() returned more than one {name} -- it returned {shown}!"
        )

    def create(self, **kwargs):
        """Build an instance from ``kwargs`` and INSERT it (never UPDATE)."""
        self._for_write = True
        instance = self.model(**kwargs)
        instance.save(force_insert=True)
        return instance

    def _prepare_for_bulk_create(self, objs):
        """Return (the objects with a key, those without). An unset pk takes
        the field's default (a UUID, say) before the INSERT;
        auto-incremented keys have none and stay None."""
        pk = self.model._meta.pk
        if not pk.has_default() and set(map(type, objs)) == {self.model}:
            # The usual case, an auto key: the objects without one are those
            # whose key is None, read with one C-level loop.
            keys = list(map(operator.attrgetter(pk.attname), objs))
            if None not in keys:
                return objs, []
            if keys.count(None) == len(keys):
                return [], objs
        keyed, unkeyed = [], []
        for obj in objs:
            pk = obj._meta.pk
            value = getattr(obj, pk.attname)
            if value is None:
                setattr(obj, pk.attname, pk.get_default() if pk.has_default() else None)
                value = getattr(obj, pk.attname)
            (unkeyed if value is None else keyed).append(obj)
        return keyed, unkeyed

    def _check_bulk_create_options(self, ignore_conflicts):
        if not ignore_conflicts:
            return None
        if not getattr(self.db.features, "supports_ignore_conflicts", True):
            raise NotSupportedError("This database backend does not support ignoring conflicts.")
        return "ignore"

    @staticmethod
    def _check_batch_size(batch_size):
        if batch_size is None:
            return
        if not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError("Batch size must be a positive integer.")

    @staticmethod
    def _effective_batch_size(backend_limit, requested):
        """The requested size, capped by what the backend accepts per query."""
        limit = max(backend_limit, 1)
        return min(requested, limit) if requested else limit

    def _check_bulk_create_model(self):
        opts = self.model._meta
        # A multi-table child spans several tables: its parent rows would
        # need their own INSERTs and returned keys.
        for parent in getattr(opts, "parents", None) or {}:
            if parent._meta.concrete_model is not opts.concrete_model:
                raise ValueError(
                    f"Can't bulk create a multi-table inherited model ({opts.object_name})."
                )
        if opts.proxy:
            raise ValueError(
                f"Can't bulk create a proxy model ({opts.object_name}); use the concrete model "
                f"{opts.concrete_model._meta.object_name} instead."
            )

    def bulk_create(self, objs, batch_size=None, ignore_conflicts=False):
        """
        INSERT the given unsaved instances, a batch per query, inside one
        transaction. Keys the database generates are set on the instances
        where the backend returns them (``can_return_rows_from_bulk_insert``)
        -- not when conflicts are ignored, since rows may then be missing.
        """
        self._check_batch_size(batch_size)
        self._check_bulk_create_model()
        objs = list(objs)
        if not objs:
            return objs
        model = self.model
        if not all(map(isinstance, objs, itertools.repeat(model))):  # a C-level loop
            wrong = next(obj for obj in objs if not isinstance(obj, model))
            raise TypeError(
                f"bulk_create() expected {model._meta.object_name} instances, got {wrong!r}."
            )
        on_conflict = self._check_bulk_create_options(ignore_conflicts)
        self._for_write = True
        # Rows with a key insert every column; the others leave the auto
        # field out so the database numbers them.
        keyed, unkeyed = self._prepare_for_bulk_create(objs)
        all_fields = self.model._meta.concrete_fields
        from django.db import transaction

        with transaction.atomic(savepoint=False):
            if keyed:
                self._bulk_insert_group(keyed, all_fields, batch_size, on_conflict, keyed=True)
            if unkeyed:
                fields = [f for f in all_fields if not _is_auto_field(f)]
                self._bulk_insert_group(unkeyed, fields, batch_size, on_conflict, keyed=False)
        return objs

    def _bulk_insert_group(self, objs, fields, batch_size, on_conflict, keyed):
        rows = self._batched_insert(objs, fields, batch_size, on_conflict=on_conflict)
        opts = self.model._meta
        if (
            not keyed and on_conflict is None
            and getattr(self.db.features, "can_return_rows_from_bulk_insert", False)
        ):
            # Returned rows are matched to objects by position.
            assert len(rows) == len(objs)
        # A key the caller chose is kept as given (None: not assigned).
        targets = [
            None if keyed and field == opts.pk else field.attname
            for field in opts.db_returning_fields
        ]
        if len(targets) == 1:  # the usual case: the new key only
            (attname,) = targets
            if attname is not None:
                for obj, (value,) in zip(objs, rows):
                    setattr(obj, attname, value)
        else:
            for obj, values in zip(objs, rows):
                for attname, value in zip(targets, values):
                    if attname is not None:
                        setattr(obj, attname, value)
        for obj in objs:
            obj._state.adding = False

    def _batched_insert(self, objs, fields, batch_size, on_conflict=None):
        """INSERT ``objs`` in as few statements as the backend allows; the
        returned rows are collected when the backend can return them."""
        connection = self.db
        size = self._effective_batch_size(connection.ops.bulk_batch_size(fields, objs), batch_size)
        collect = on_conflict is None and getattr(
            connection.features, "can_return_rows_from_bulk_insert", False
        )
        returning = self.model._meta.db_returning_fields
        rows = []
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            if collect:
                rows.extend(self._insert(batch, fields=fields, returning_fields=returning))
            else:
                self._insert(batch, fields=fields, on_conflict=on_conflict)
        return rows

    @staticmethod
    def _case_per_pk(field, objs, cast):
        """CASE WHEN pk=1 THEN <value of obj 1> ... END for one field."""
        branches = []
        for obj in objs:
            value = getattr(obj, field.attname)
            if not hasattr(value, "resolve_expression"):
                value = Value(value, output_field=field)
            branches.append(When(pk=obj.pk, then=value))
        expression = Case(*branches, output_field=field)
        if cast:
            # Some backends type a CASE from its first branch only.
            from django.db.models.functions import Cast

            expression = Cast(expression, output_field=field)
        return expression

    def bulk_update(self, objs, fields, batch_size=None):
        """
        Update the given fields in each of the given objects in the database,
        with one UPDATE ... SET col = CASE WHEN pk = .. THEN .. END per batch.
        """
        self._check_batch_size(batch_size)
        if not fields:
            raise ValueError("Field names must be given to bulk_update().")
        objs = tuple(objs)
        if any(obj.pk is None for obj in objs):
            raise ValueError("All bulk_update() objects must have a primary key set.")
        fields = [self._field_or_error(name) for name in fields]
        for field in fields:
            if not field.concrete or getattr(field, "many_to_many", False):
                raise ValueError("bulk_update() can only be used with concrete fields.")
        if any(field.primary_key for field in fields):
            raise ValueError("bulk_update() cannot be used with primary key fields.")
        if not objs:
            return 0
        connection = self.db
        # Each object costs its pk twice (WHEN and IN) plus one value per field.
        backend_limit = connection.ops.bulk_batch_size(["pk", "pk"] + fields, objs)
        size = self._effective_batch_size(backend_limit, batch_size)
        cast = getattr(connection.features, "requires_casted_case_in_updates", False)
        plan = []
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            assignments = {f.attname: self._case_per_pk(f, batch, cast) for f in fields}
            plan.append(([obj.pk for obj in batch], assignments))
        base = self._chain()
        from django.db import transaction

        updated = 0
        with transaction.atomic(savepoint=False):
            for pks, assignments in plan:
                updated += base.filter(pk__in=pks).update(**assignments)
        return updated

    bulk_update.alters_data = True

    def get_or_create(self, defaults=None, **kwargs):
        """(object, created): the object matching ``kwargs``, or a new one
        built from ``kwargs`` and ``defaults``."""
        self._for_write = True
        try:
            return self.get(**kwargs), False
        except self.model.DoesNotExist:
            params = self._extract_model_params(defaults, **kwargs)
        from django.db import IntegrityError, transaction

        try:
            # The savepoint keeps an outer transaction usable on failure.
            with transaction.atomic():
                return self.create(**dict(resolve_callables(params))), True
        except IntegrityError as error:
            # Lost a race: another connection inserted the same row.
            try:
                return self.get(**kwargs), False
            except self.model.DoesNotExist:
                raise error from None

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        """(object, created): the object matching ``kwargs`` updated with
        ``defaults``, or a new one (from ``create_defaults`` when given)."""
        from django.db import transaction

        changes = defaults or {}
        initial = changes if create_defaults is None else create_defaults
        self._for_write = True
        with transaction.atomic():
            # The row lock makes a concurrent caller wait for our save().
            obj, created = self.select_for_update().get_or_create(initial, **kwargs)
            if created:
                return obj, True
            for name, value in resolve_callables(changes):
                setattr(obj, name, value)
            changed = set(changes)
            concrete = {field.name for field in self.model._meta.concrete_fields}
            if changed and changed <= concrete:
                obj.save(update_fields=changed)
            else:
                # Properties or nothing at all: a full save is the safe choice.
                obj.save()
        return obj, False

    def _extract_model_params(self, defaults, **kwargs):
        """create() arguments for get_or_create(): the lookup-free keyword
        arguments, overridden by ``defaults``. Names must be fields, or
        properties with a setter."""
        params = {name: value for name, value in kwargs.items() if LOOKUP_SEP not in name}
        params.update(defaults or {})
        meta = self.model._meta
        properties = getattr(meta, "_property_names", frozenset())

        def settable(name):
            try:
                meta.get_field(name)
            except FieldDoesNotExist:
                return name in properties and bool(getattr(self.model, name).fset)
            return True

        invalid = sorted(name for name in params if not settable(name))
        if invalid:
            raise FieldError(
                "Invalid field name(s) for model %s: '%s'." % (meta.object_name, "', '".join(invalid))
            )
        return params

    def _earliest(self, *fields):
        ordering = fields or getattr(self.model._meta, "get_latest_by", None)
        if ordering is None:
            raise ValueError(
                "earliest() and latest() require either fields as positional "
                "arguments or 'get_latest_by' in the model's Meta."
            )
        if isinstance(ordering, str):
            ordering = (ordering,)
        single = self._chain()
        query = single.query
        query.clear_ordering(force=True)
        query.add_ordering(*ordering)
        query.set_limits(high=1)
        return single.get()

    def _refuse_sliced(self, message):
        if self.query.is_sliced:
            raise TypeError(message)

    def earliest(self, *fields):
        """The first object by ``fields`` (or Meta.get_latest_by)."""
        self._refuse_sliced("Cannot change a query once a slice has been taken.")
        return self._earliest(*fields)

    def latest(self, *fields):
        """The last object by ``fields`` (or Meta.get_latest_by)."""
        self._refuse_sliced("Cannot change a query once a slice has been taken.")
        return self.reverse()._earliest(*fields)

    def _first_of(self, method, fallback_ordering, flip):
        # An unordered queryset gets a pk ordering so the answer is stable.
        if self.ordered:
            candidates = self.reverse() if flip else self
        else:
            self._check_ordering_first_last_queryset_aggregation(method=method)
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
            return {getattr(obj, key): obj for obj in self._chain()}
        wanted = tuple(id_list)
        if not wanted:
            return {}
        lookup = f"{field_name}__in"
        ops = self.db.ops
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
        self._not_support_combined_queries("delete")
        self._refuse_sliced("Cannot use 'limit' or 'offset' with delete().")
        if self.query.distinct or self.query.distinct_fields:
            raise TypeError("Cannot call delete() after .distinct().")
        if self._fields is not None:
            raise TypeError("Cannot call delete() after .values() or .values_list()")
        doomed = self._chain()
        # Collection and deletion must both run on the write connection.
        doomed._for_write = True
        # Row locks, joins for select_related and ordering mean nothing to
        # a DELETE (and some backends reject them in its subqueries).
        query = doomed.query
        query.select_for_update = False
        query.select_related = False
        query.clear_ordering(force=True)
        from django.db.models.deletion import Collector

        collector = Collector(doomed.db, origin=self)
        collector.collect(doomed)
        outcome = collector.delete()
        # Cached rows are gone from the database: do not serve them again.
        self._result_cache = None
        return outcome

    delete.alters_data = True
    delete.queryset_only = True

    def _raw_delete(self):
        """One DELETE for the rows of this query: no signals, no cascades
        (the Collector uses it once it has handled those)."""
        delete_query = self.query.clone()
        delete_query.__class__ = sql.DeleteQuery
        return delete_query.get_compiler(connection=self.db).execute_sql(ROW_COUNT)

    _raw_delete.alters_data = True
    _raw_delete.queryset_only = False

    def _run_update(self, query):
        # Annotations would otherwise be copied into the UPDATE's subqueries.
        query.annotations = {}
        self._result_cache = None
        return query.get_compiler(connection=self.db).execute_sql(ROW_COUNT)

    def update(self, **kwargs):
        """UPDATE every row, setting field name -> value or expression;
        returns the number of rows matched."""
        self._not_support_combined_queries("update")
        self._refuse_sliced("Cannot update a query once a slice has been taken.")
        self._for_write = True
        query = self.query.chain(sql.UpdateQuery)
        query.add_update_values(kwargs)
        query.clear_ordering(force=True)
        from django.db import transaction

        # A failure inside atomic() must doom the block, as for save().
        with transaction.mark_for_rollback_on_error():
            return self._run_update(query)

    update.alters_data = True

    def _update(self, values):
        """update() for Model.save(): ``values`` are (field, model, value)
        triples, not names."""
        self._refuse_sliced("Cannot update a query once a slice has been taken.")
        query = self.query.chain(sql.UpdateQuery)
        query.add_update_fields(values)
        return self._run_update(query)

    _update.alters_data = True
    _update.queryset_only = False

    def exists(self):
        """Whether there is at least one row (a cheap query if not cached)."""
        cached = self._result_cache
        return self.query.has_results(self.db) if cached is None else bool(cached)

    def contains(self, obj):
        """Whether ``obj`` (a saved instance) is one of the rows."""
        self._not_support_combined_queries("contains")
        if self._fields is not None:
            raise TypeError("Cannot call QuerySet.contains() after .values() or .values_list().")
        meta = getattr(obj, "_meta", None)
        if meta is None:
            raise TypeError("'obj' must be a model instance.")
        if meta.concrete_model != self.model._meta.concrete_model:
            return False
        if obj.pk is None:
            raise ValueError("QuerySet.contains() cannot be used on unsaved objects.")
        if self._result_cache is None:
            return self.filter(pk=obj.pk).exists()
        return obj in self._result_cache

    def explain(self, *, format=None, **options):
        """
        Run an EXPLAIN on the SQL query this QuerySet would perform, and
        return the results. The format and option names are validated by the
        backend (``ops.explain_query_prefix``) against fixed sets.
        """
        return self.query.explain(self.db, format=format, **options)

    # -- methods returning another kind of queryset -------------------------

    def raw(self, raw_query, params=(), translations=None):
        """A RawQuerySet over ``raw_query`` for this model."""
        raw_set = RawQuerySet(
            raw_query, model=self.model, params=params,
            translations=translations, hints=self._hints,
        )
        raw_set._prefetch_related_lookups = self._prefetch_related_lookups[:]
        return raw_set

    def _values(self, *fields, **expressions):
        result = self._chain()
        if expressions:
            result = result.annotate(**expressions)
        result._fields = (*fields, *expressions)
        result.query.set_values(fields)
        return result

    def values(self, *fields, **expressions):
        """Rows as dicts of the named fields/expressions (all by default)."""
        result = self._values(*fields, *expressions, **expressions)
        result._iterable_class = ValuesIterable
        return result

    def values_list(self, *fields, flat=False, named=False):
        """Rows as tuples (``named``: namedtuples; ``flat``: bare values of
        the single field)."""
        if flat and named:
            raise TypeError("'flat' and 'named' can't be used together.")
        if flat and len(fields) > 1:
            raise TypeError(
                "'flat' is not valid when values_list is called with more than one field."
            )
        # Positional expressions need names: their default alias (or class
        # name) plus a number, skipping names already used by fields.
        taken = {f for f in fields if not hasattr(f, "resolve_expression")}
        numbers = itertools.count(1)
        names, expressions = [], {}
        for item in fields:
            if not hasattr(item, "resolve_expression"):
                names.append(item)
                continue
            stem = getattr(item, "default_alias", type(item).__name__.lower())
            alias = stem + str(next(numbers))
            while alias in taken:
                alias = stem + str(next(numbers))
            expressions[alias] = item
            names.append(alias)
        result = self._values(*names, **expressions)
        if named:
            result._iterable_class = NamedValuesListIterable
        elif flat:
            result._iterable_class = FlatValuesListIterable
        else:
            result._iterable_class = ValuesListIterable
        return result

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

    _DATE_KINDS = ("year", "month", "week", "day")
    _DATETIME_KINDS = _DATE_KINDS + ("hour", "minute", "second")

    def dates(self, field_name, kind, order="ASC"):
        """The distinct dates of ``field_name`` truncated to ``kind``."""
        if kind not in self._DATE_KINDS:
            raise ValueError("'kind' must be one of 'year', 'month', 'week', or 'day'.")
        return self._truncated_values(field_name, kind, order, "datefield", _date_field())

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        """The distinct datetimes of ``field_name`` truncated to ``kind``,
        in ``tzinfo`` (default: the current time zone) when USE_TZ is on."""
        if kind not in self._DATETIME_KINDS:
            raise ValueError(
                "'kind' must be one of 'year', 'month', 'week', 'day', "
                "'hour', 'minute', or 'second'."
            )
        from django.conf import settings
        from django.utils import timezone

        if not settings.USE_TZ:
            tzinfo = None
        elif tzinfo is None:
            tzinfo = timezone.get_current_timezone()
        return self._truncated_values(
            field_name, kind, order, "datetimefield", _datetime_field(), tzinfo=tzinfo
        )

    def none(self):
        """A queryset that yields nothing and runs no query."""
        empty = self._chain()
        empty.query.set_empty()
        return empty

    # -- methods returning a new, modified queryset ------------------------

    def all(self):
        """A copy of this queryset (a fresh cache, the same query)."""
        return self._chain()

    def filter(self, *args, **kwargs):
        """Rows matching all of the given conditions as well."""
        self._not_support_combined_queries("filter")
        return self._filter_or_exclude(False, args, kwargs)

    def exclude(self, *args, **kwargs):
        """Rows NOT matching the given conditions (ANDed together)."""
        self._not_support_combined_queries("exclude")
        return self._filter_or_exclude(True, args, kwargs)

    def _filter_or_exclude(self, negate, args, kwargs):
        if self._query is not None and self.query.is_sliced and (args or kwargs):
            raise TypeError("Cannot filter a query once a slice has been taken.")
        _check_filter_kwargs(kwargs)
        result = self._chain()
        if not self._defer_next_filter:
            result._filter_or_exclude_inplace(negate, args, kwargs)
            return result
        # Consumed once: the related manager asked for this filter only.
        self._defer_next_filter = False
        result._deferred_filter = (negate, args, kwargs)
        return result

    def _filter_or_exclude_inplace(self, negate, args, kwargs):
        condition = Q(*args, **kwargs)
        self.query.add_q(~condition if negate else condition)

    def complex_filter(self, filter_obj):
        """filter() taking either a Q object or a dict of lookups."""
        if not isinstance(filter_obj, Q):
            return self._filter_or_exclude(False, args=(), kwargs=filter_obj)
        result = self._chain()
        result.query.add_q(filter_obj)
        return result

    def _combinator_query(self, combinator, *other_qs, all=False):
        combined = self._chain()
        query = combined.query
        # The parts keep their own ordering/limits; the combined query gets
        # whatever order_by()/slicing is applied afterwards.
        query.clear_ordering(force=True)
        query.clear_limits()
        query.combined_queries = (self.query, *(other.query for other in other_qs))
        query.combinator, query.combinator_all = combinator, all
        return combined

    def union(self, *other_qs, all=False):
        if not isinstance(self, EmptyQuerySet):
            return self._combinator_query("union", *other_qs, all=all)
        # An empty left side contributes nothing: union the others.
        rest = [other for other in other_qs if not isinstance(other, EmptyQuerySet)]
        if not rest:
            return self
        first, *others = rest
        return first._combinator_query("union", *others, all=all) if others else first

    def intersection(self, *other_qs):
        for candidate in (self, *other_qs):
            if isinstance(candidate, EmptyQuerySet):
                return candidate
        return self._combinator_query("intersection", *other_qs)

    def difference(self, *other_qs):
        if isinstance(self, EmptyQuerySet):
            return self
        return self._combinator_query("difference", *other_qs)

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
        locked = self._chain()
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
        self._not_support_combined_queries("select_related")
        if self._fields is not None:
            raise TypeError("Cannot call select_related() after .values() or .values_list()")
        for name in fields:
            if name is not None:
                _check_select_related_path(self.model, name)
        result = self._chain()
        if not fields:
            result.query.select_related = True
        elif fields == (None,):
            result.query.select_related = False
        else:
            result.query.add_select_related(fields)
        return result

    def prefetch_related(self, *lookups):
        """
        Fetch the related objects of every result in one extra query per
        relation (``"authors"``, ``"book_set__chapters"``, or ``Prefetch(
        lookup, queryset=..., to_attr=...)``) when the queryset is evaluated.
        ``None`` clears.
        """
        self._not_support_combined_queries("prefetch_related")
        result = self._chain()
        if lookups == (None,):
            result._prefetch_related_lookups = ()
            return result
        filtered = self.query._filtered_relations
        for lookup in lookups:
            path = lookup.prefetch_to if isinstance(lookup, Prefetch) else lookup
            if path.partition(LOOKUP_SEP)[0] in filtered:
                raise ValueError("prefetch_related() is not supported with FilteredRelation.")
        result._prefetch_related_lookups = (*result._prefetch_related_lookups, *lookups)
        return result

    def annotate(self, *args, **kwargs):
        """Add a computed value (expression or aggregate) to every result."""
        self._not_support_combined_queries("annotate")
        return self._annotate(args, kwargs, select=True)

    def alias(self, *args, **kwargs):
        """Like annotate(), but the value is only usable in later filters,
        orderings and annotations, not selected."""
        self._not_support_combined_queries("alias")
        return self._annotate(args, kwargs, select=False)

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

    def _annotate(self, args, kwargs, select=True):
        self._validate_values_are_expressions((*args, *kwargs.values()), method_name="annotate")
        annotations = {}
        for expression in args:
            try:
                alias = expression.default_alias
            except (AttributeError, TypeError):
                raise TypeError("Complex annotations require an alias") from None
            if alias in kwargs:
                raise ValueError(
                    f"The named annotation '{alias}' conflicts with the default "
                    "name for another annotation."
                )
            annotations[alias] = expression
        annotations.update(kwargs)

        taken = self._annotation_names_taken()
        result = self._chain()
        query = result.query
        for alias, annotation in annotations.items():
            if alias in taken:
                raise ValueError(f"The annotation '{alias}' conflicts with a field on the model.")
            if isinstance(annotation, FilteredRelation):
                query.add_filtered_relation(annotation, alias)
            else:
                query.add_annotation(annotation, alias, select=select)
        # An aggregate annotation needs a GROUP BY: by every model column for
        # model querysets, by the values() columns otherwise.
        if any(query.annotations[alias].contains_aggregate
               for alias in annotations if alias in query.annotations):
            if result._fields is None:
                query.group_by = True
            else:
                query.set_group_by()
        return result

    def _unsliced_clone(self, action):
        if self.query.is_sliced:
            raise TypeError(f"Cannot {action} a query once a slice has been taken.")
        return self._chain()

    def order_by(self, *field_names):
        """Replace the ordering (Meta.ordering still applies when empty)."""
        result = self._unsliced_clone("reorder")
        result.query.clear_ordering(force=True, clear_default=False)
        result.query.add_ordering(*field_names)
        return result

    def distinct(self, *field_names):
        """SELECT DISTINCT, or DISTINCT ON (fields) where supported."""
        self._not_support_combined_queries("distinct")
        if self.query.is_sliced:
            raise TypeError("Cannot create distinct fields once a slice has been taken.")
        for name in field_names:
            self.query._validate_field_path(name)
        if field_names and not getattr(self.db.features, "can_distinct_on_fields", False):
            raise NotSupportedError("DISTINCT ON fields is not supported by this database backend")
        result = self._chain()
        result.query.add_distinct_fields(*field_names)
        return result

    def extra(self, select=None, where=None, params=None, tables=None,
              order_by=None, select_params=None):
        raise NotImplementedError(
            "extra() is not supported; use annotate(), RawSQL or raw()."
        )

    def reverse(self):
        """The same rows in the opposite order."""
        result = self._unsliced_clone("reverse")
        result.query.standard_ordering = not result.query.standard_ordering
        return result

    def _refuse_after_values(self, method):
        if self._fields is not None:
            raise TypeError(f"Cannot call {method}() after .values() or .values_list()")

    def defer(self, *fields):
        """Leave ``fields`` out of the SELECT (loaded on first access), on
        top of those already deferred; ``defer(None)`` loads everything."""
        self._not_support_combined_queries("defer")
        self._refuse_after_values("defer")
        result = self._chain()
        if fields == (None,):
            result.query.clear_deferred_loading()
            return result
        self._check_field_names(fields)
        result.query.add_deferred_loading(fields)
        return result

    def only(self, *fields):
        """Load only ``fields`` (and the primary key) now; the rest on access."""
        self._not_support_combined_queries("only")
        self._refuse_after_values("only")
        if fields == (None,):
            # defer(None) means "clear"; only() has no such form.
            raise TypeError("Cannot pass None as an argument to only().")
        self._check_field_names(fields)
        result = self._chain()
        result.query.add_immediate_loading(fields)
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
        """The database connection this queryset runs on (the seam for multi-db)."""
        return _get_connection()

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
            rows = insert_one(self.db, self.model, objs[0], fields, returning_fields)
            if rows is not None:
                return rows
        insert = sql.InsertQuery(
            self.model, on_conflict=on_conflict,
            update_fields=update_fields, unique_fields=unique_fields,
        )
        insert.insert_values(fields, objs, raw=raw)
        compiler = insert.get_compiler(connection=self.db)
        return compiler.execute_sql(returning_fields)

    _insert.alters_data = True
    _insert.queryset_only = False

    def _chain(self):
        """_clone() for the next chained method: a pending "sticky" request
        is handed to the new query and consumed."""
        successor = self._clone()
        if successor._sticky_filter:
            successor._sticky_filter = False
            successor.query.filter_is_sticky = True
        return successor

    # The per-queryset state a clone inherits (besides model/query/hints).
    _CLONED_STATE = ("_sticky_filter", "_for_write", "_known_related_objects", "_iterable_class", "_fields")

    def _clone(self):
        """A new queryset over a copy of the query, without the result cache."""
        # A queryset fresh from its manager has no query yet: its clone
        # need not build one just to copy it.
        query = None if self._query is None else self.query.chain()
        twin = type(self)(model=self.model, query=query, hints=self._hints)
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
        if not self._lookups_prefetched and self._prefetch_related_lookups:
            self._prefetch_related_objects()

    def _prefetch_related_objects(self):
        # One query per relation and level, whatever the number of rows.
        prefetch_related_objects(self._result_cache, *self._prefetch_related_lookups)
        self._lookups_prefetched = True

    def _next_is_sticky(self):
        """Make the next filter() reuse this query's multi-valued joins (a
        related manager's filter and the user's then apply to one row)."""
        self._sticky_filter = True
        return self

    def _merge_sanity_check(self, other):
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

    def _merge_known_related_objects(self, other):
        for fk, parents in other._known_related_objects.items():
            self._known_related_objects.setdefault(fk, {}).update(parents)

    def resolve_expression(self, *args, **kwargs):
        # Used as a subquery (pk__in=qs, Subquery(qs)): one column only.
        if self._fields and len(self._fields) > 1:
            raise TypeError("Cannot use multi-field values as a filter value.")
        return self.query.resolve_expression(*args, **kwargs)

    resolve_expression.queryset_only = True

    def _add_hints(self, **hints):
        self._hints.update(hints)

    def _has_filters(self):
        return self.query.has_filters()

    @staticmethod
    def _validate_values_are_expressions(values, method_name):
        rejected = [str(value) for value in values if not hasattr(value, "resolve_expression")]
        if rejected:
            listed = ", ".join(sorted(rejected))
            raise TypeError(f"QuerySet.{method_name}() received non-expression(s): {listed}.")

    def _not_support_combined_queries(self, operation_name):
        combinator = self._combinator()
        if combinator:
            raise NotSupportedError(
                f"Calling QuerySet.{operation_name}() after {combinator}() is not supported."
            )

    def _check_operator_queryset(self, other, operator_):
        if self.query.combinator or other.query.combinator:
            raise TypeError(f"Cannot use {operator_} operator with combined queryset.")

    def _check_ordering_first_last_queryset_aggregation(self, method):
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
    # isinstance(qs, EmptyQuerySet) asks the query, not the class.
    def __instancecheck__(self, instance):
        return isinstance(instance, QuerySet) and instance.query.is_empty()


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
        self,
        raw_query,
        model=None,
        query=None,
        params=(),
        translations=None,
        hints=None,
    ):
        self.raw_query = raw_query
        self.model = model
        self.params = params
        self.translations = translations or {}
        self.query = query or sql.RawQuery(sql=raw_query, params=params)
        self._db = None
        self._hints = hints or {}
        self._result_cache = None
        self._prefetch_related_lookups = ()
        self._lookups_prefetched = False

    def _column_name(self):
        # Backends that fold identifiers (upper case on some) normalise here.
        return getattr(self.db.introspection, "identifier_converter", None) or (lambda name: name)

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
            translations=self.translations, hints=self._hints,
        )
        twin._prefetch_related_lookups = self._prefetch_related_lookups[:]
        return twin

    def _fetch_all(self):
        if self._result_cache is None:
            self._result_cache = list(self.iterator())

    def iterator(self):
        return iter(RawModelIterable(self))

    def __repr__(self):
        return f"<{type(self).__name__}: {self.query}>"

    def __getitem__(self, k):
        # SQL is opaque here: no LIMIT can be added, so index the rows.
        return list(self)[k]

    @property
    def db(self):
        """The connection the query runs on (see QuerySet.db)."""
        return _get_connection()

    @property
    def columns(self):
        """The result column names, after ``translations``."""
        names = self.query.get_columns(self.db)
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


def _check_filter_kwargs(kwargs):
    invalid = PROHIBITED_FILTER_KWARGS.intersection(kwargs)
    if invalid:
        raise TypeError(
            "The following kwargs are invalid: %s. Q-node options cannot be "
            "passed as filter keywords."
            % ", ".join("'%s'" % k for k in sorted(invalid))
        )


def _is_auto_field(field):
    return getattr(field, "db_returning", False) or field.get_internal_type() in (
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
    )


def _date_field():
    from django.db.models.fields import DateField

    return DateField()


def _datetime_field():
    from django.db.models.fields import DateTimeField

    return DateTimeField()
