"""
QuerySet: a lazy, chainable description of a database query over a model.

Nothing touches the database until the queryset is evaluated (iterated,
sliced with a step, len(), bool(), list(), repr(), pickled...). Each chained
method returns a new QuerySet with a cloned ``sql.Query``. The connection is
read through one property, ``QuerySet.db``.
"""
import copy
import operator
import warnings
from collections import namedtuple
from functools import lru_cache
from itertools import chain, islice

import django
from django.core.exceptions import (
    FieldDoesNotExist, FieldError, ObjectDoesNotExist, ValidationError,
)
from django.db.models import sql
from django.db.models.expressions import Case, F, Value, When
from django.db.models.query_utils import (
    LOOKUP_SEP, PROHIBITED_FILTER_KWARGS, FilteredRelation, Q,
)
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE, ROW_COUNT
from django.db.utils import NotSupportedError

# The maximum number of results to fetch in a get() query.
MAX_GET_RESULTS = 21

# The maximum number of items to display in a QuerySet.__repr__
REPR_OUTPUT_SIZE = 20

# Pickled querysets record the version they were made with.
DJANGO_VERSION_PICKLE_KEY = "_django_version"


def _get_connection():
    from django.db import get_connection

    return get_connection()


class BaseIterable:
    def __init__(self, queryset, chunked_fetch=False, chunk_size=GET_ITERATOR_CHUNK_SIZE):
        self.queryset = queryset
        self.chunked_fetch = chunked_fetch
        self.chunk_size = chunk_size


class ModelIterable(BaseIterable):
    """Yield a model instance for each row."""

    def __iter__(self):
        queryset = self.queryset
        db = queryset.db
        compiler = queryset.query.get_compiler(connection=db)
        results = compiler.execute_sql(
            chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size
        )
        select, klass_info, annotation_col_map = (
            compiler.select,
            compiler.klass_info,
            compiler.annotation_col_map,
        )
        if klass_info is None:
            return
        model_cls = klass_info["model"]
        select_fields = klass_info["select_fields"]
        model_fields_start, model_fields_end = select_fields[0], select_fields[-1] + 1
        init_list = [
            f[0].target.attname for f in select[model_fields_start:model_fields_end]
        ]
        # select_related(): builders for the related objects in each row.
        joined_builders = get_related_populators(klass_info, select, db)
        known = list(queryset._known_related_objects.items())
        for row in compiler.results_iter(results):
            obj = model_cls.from_db(
                db, init_list, row[model_fields_start:model_fields_end]
            )
            for builder in joined_builders:
                builder.populate(row, obj)
            for attr_name, col_pos in annotation_col_map.items():
                setattr(obj, attr_name, row[col_pos])
            # A related manager's instance is attached, never fetched again.
            for fk, by_value in known:
                if fk.is_cached(obj):
                    continue
                parent = by_value.get(fk.get_local_related_value(obj))
                if parent is not None:
                    setattr(obj, fk.name, parent)
            yield obj


class RelatedPopulator:
    """Build the object of one select_related() relation from its slice of
    a row, cache it on the parent object (and, for one-to-one, the parent
    on it), then let the nested relations do the same."""

    def __init__(self, klass_info, select, db):
        self.db = db
        positions = klass_info["select_fields"]
        self.columns = slice(positions[0], positions[-1] + 1)
        self.attnames = [expr.target.attname for expr, _, _ in select[self.columns]]
        self.model_cls = klass_info["model"]
        # A NULL primary key means the LEFT OUTER JOIN found no row.
        self.pk_position = self.attnames.index(self.model_cls._meta.pk.attname)
        self.nested = get_related_populators(klass_info, select, db)
        self.cache_on_parent = klass_info["local_setter"]
        self.cache_parent_on_it = klass_info["remote_setter"]

    def populate(self, row, parent):
        values = row[self.columns]
        related = None
        if values[self.pk_position] is not None:
            related = self.model_cls.from_db(self.db, self.attnames, values)
            for builder in self.nested:
                builder.populate(row, related)
            self.cache_parent_on_it(related, parent)
        self.cache_on_parent(parent, related)


def get_related_populators(klass_info, select, db):
    infos = (klass_info or {}).get("related_klass_infos") or ()
    return [RelatedPopulator(info, select, db) for info in infos]


class RawModelIterable(BaseIterable):
    """Yield model instances from a raw query, mapping columns to fields."""

    def __iter__(self):
        queryset = self.queryset
        db = queryset.db
        query = queryset.query
        columns = queryset.columns
        model_init_names, model_init_pos, annotation_fields = (
            queryset.resolve_model_init_order()
        )
        model_cls = queryset.model
        if model_cls._meta.pk.attname not in model_init_names:
            raise FieldDoesNotExist("Raw query must include the primary key")
        fields = [queryset.model_fields.get(c) for c in columns]
        converters = []
        for pos, field in enumerate(fields):
            if field is not None:
                convs = db.ops.get_db_converters(field.get_col(None)) + field.get_db_converters(db)
                if convs:
                    converters.append((pos, convs, field))
        cursor = query.cursor
        try:
            for values in cursor:
                values = list(values)
                for pos, convs, field in converters:
                    value = values[pos]
                    for converter in convs:
                        value = converter(value, field.get_col(None), db)
                    values[pos] = value
                model_init_values = [values[pos] for pos in model_init_pos]
                instance = model_cls.from_db(db, model_init_names, model_init_values)
                if annotation_fields:
                    for column, pos in annotation_fields:
                        setattr(instance, column, values[pos])
                yield instance
        finally:
            cursor.close()


class ValuesIterable(BaseIterable):
    """Yield a dictionary for each row."""

    def __iter__(self):
        queryset = self.queryset
        query = queryset.query
        compiler = query.get_compiler(connection=queryset.db)
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        indexes = range(len(names))
        for row in compiler.results_iter(
            chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size
        ):
            yield {names[i]: row[i] for i in indexes}


class ValuesListIterable(BaseIterable):
    """Yield a tuple for each row."""

    def __iter__(self):
        queryset = self.queryset
        query = queryset.query
        compiler = query.get_compiler(connection=queryset.db)
        if queryset._fields:
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            fields = [
                *queryset._fields,
                *(f for f in query.annotation_select if f not in queryset._fields),
            ]
            if fields != names:
                # Reorder according to fields.
                index_map = {name: idx for idx, name in enumerate(names)}
                rowfactory = operator.itemgetter(*[index_map[f] for f in fields])
                if len(fields) == 1:
                    return (
                        (rowfactory(row),)
                        for row in compiler.results_iter(
                            chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size
                        )
                    )
                return map(
                    rowfactory,
                    compiler.results_iter(
                        chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size
                    ),
                )
        return map(
            tuple,
            compiler.results_iter(
                tuple_expected=True,
                chunked_fetch=self.chunked_fetch,
                chunk_size=self.chunk_size,
            ),
        )


@lru_cache
def create_namedtuple_class(*names):
    # Cache the class so rows of one query share it (and pickle by name).
    def __reduce__(self):
        return unpickle_named_row, (names, tuple(self))

    return type(
        "Row",
        (namedtuple("Row", names),),
        {"__reduce__": __reduce__, "__slots__": ()},
    )


def unpickle_named_row(names, values):
    return create_namedtuple_class(*names)(*values)


class NamedValuesListIterable(ValuesListIterable):
    """Yield a namedtuple for each row."""

    def __iter__(self):
        queryset = self.queryset
        if queryset._fields:
            names = queryset._fields
        else:
            query = queryset.query
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
        tuple_class = create_namedtuple_class(*names)
        new = tuple.__new__
        for row in super().__iter__():
            yield new(tuple_class, row)


class FlatValuesListIterable(BaseIterable):
    """Yield the single selected value of each row."""

    def __iter__(self):
        queryset = self.queryset
        compiler = queryset.query.get_compiler(connection=queryset.db)
        for row in compiler.results_iter(
            chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size
        ):
            yield row[0]


class QuerySet:
    """Represent a lazy database lookup for a set of objects."""

    def __init__(self, model=None, query=None, hints=None):
        self.model = model
        self._db = None
        self._hints = hints or {}
        self._query = query or sql.Query(self.model)
        self._result_cache = None
        self._sticky_filter = False
        self._for_write = False
        self._prefetch_related_lookups = ()
        self._prefetch_done = False
        self._known_related_objects = {}
        self._iterable_class = ModelIterable
        self._fields = None
        self._defer_next_filter = False
        self._deferred_filter = None

    @property
    def query(self):
        if self._deferred_filter:
            negate, args, kwargs = self._deferred_filter
            self._filter_or_exclude_inplace(negate, args, kwargs)
            self._deferred_filter = None
        return self._query

    @query.setter
    def query(self, value):
        if value.values_select:
            self._iterable_class = ValuesIterable
        self._query = value

    def as_manager(cls):
        # Address the circular dependency between `Queryset` and `Manager`.
        from django.db.models.manager import Manager

        manager = Manager.from_queryset(cls)()
        manager._built_with_as_manager = True
        return manager

    as_manager.queryset_only = True
    as_manager = classmethod(as_manager)

    ########################
    # PYTHON MAGIC METHODS #
    ########################

    def __deepcopy__(self, memo):
        """Don't populate the QuerySet's cache."""
        obj = self.__class__()
        for k, v in self.__dict__.items():
            if k == "_result_cache":
                obj.__dict__[k] = None
            else:
                obj.__dict__[k] = copy.deepcopy(v, memo)
        return obj

    def __getstate__(self):
        # Force the cache to be fully populated.
        self._fetch_all()
        return {**self.__dict__, DJANGO_VERSION_PICKLE_KEY: django.__version__}

    def __setstate__(self, state):
        pickled_version = state.pop(DJANGO_VERSION_PICKLE_KEY, None)
        if pickled_version and pickled_version != django.__version__:
            warnings.warn(
                "Pickled queryset instance's Django version %s does not match "
                "the current version %s." % (pickled_version, django.__version__),
                RuntimeWarning,
                stacklevel=2,
            )
        elif not pickled_version:
            warnings.warn(
                "Pickled queryset instance's Django version is not specified.",
                RuntimeWarning,
                stacklevel=2,
            )
        self.__dict__.update(state)

    def __repr__(self):
        data = list(self[: REPR_OUTPUT_SIZE + 1])
        if len(data) > REPR_OUTPUT_SIZE:
            data[-1] = "...(remaining elements truncated)..."
        return "<%s %r>" % (self.__class__.__name__, data)

    def __len__(self):
        self._fetch_all()
        return len(self._result_cache)

    def __iter__(self):
        self._fetch_all()
        return iter(self._result_cache)

    def __bool__(self):
        self._fetch_all()
        return bool(self._result_cache)

    def __getitem__(self, k):
        """Retrieve an item or slice from the set of results."""
        if not isinstance(k, (int, slice)):
            raise TypeError(
                "QuerySet indices must be integers or slices, not %s."
                % type(k).__name__
            )
        if (isinstance(k, int) and k < 0) or (
            isinstance(k, slice)
            and (
                (k.start is not None and k.start < 0)
                or (k.stop is not None and k.stop < 0)
            )
        ):
            raise ValueError("Negative indexing is not supported.")
        if isinstance(k, slice) and k.step is not None and (
            not isinstance(k.step, int) or k.step < 1
        ):
            raise ValueError("Slice step must be a positive integer.")

        if self._result_cache is not None:
            return self._result_cache[k]

        if isinstance(k, slice):
            qs = self._chain()
            if k.start is not None:
                start = int(k.start)
            else:
                start = None
            if k.stop is not None:
                stop = int(k.stop)
            else:
                stop = None
            qs.query.set_limits(start, stop)
            return list(qs)[:: k.step] if k.step else qs

        qs = self._chain()
        qs.query.set_limits(k, k + 1)
        qs._fetch_all()
        return qs._result_cache[0]

    def __class_getitem__(cls, *args, **kwargs):
        return cls

    def __and__(self, other):
        self._check_operator_queryset(other, "&")
        self._merge_sanity_check(other)
        if isinstance(other, EmptyQuerySet):
            return other
        if isinstance(self, EmptyQuerySet):
            return self
        combined = self._chain()
        combined._merge_known_related_objects(other)
        combined.query.combine(other.query, sql.AND)
        return combined

    def __or__(self, other):
        self._check_operator_queryset(other, "|")
        self._merge_sanity_check(other)
        if isinstance(self, EmptyQuerySet):
            return other
        if isinstance(other, EmptyQuerySet):
            return self
        combined = self._chain()
        combined.query.combine(other.query, sql.OR)
        return combined

    def __xor__(self, other):
        self._check_operator_queryset(other, "^")
        self._merge_sanity_check(other)
        if isinstance(self, EmptyQuerySet):
            return other
        if isinstance(other, EmptyQuerySet):
            return self
        combined = self._chain()
        combined.query.combine(other.query, sql.XOR)
        return combined

    ####################################
    # METHODS THAT DO DATABASE QUERIES #
    ####################################

    def _iterator(self, use_chunked_fetch, chunk_size):
        iterable = self._iterable_class(
            self,
            chunked_fetch=use_chunked_fetch,
            chunk_size=chunk_size or 2000,
        )
        yield from iterable

    def iterator(self, chunk_size=None):
        """
        Stream the results without caching them, fetching ``chunk_size`` rows
        at a time (2000 by default), through a server-side cursor where the
        backend has one.
        """
        if chunk_size is None:
            chunk_size = 2000
        elif not isinstance(chunk_size, int) or chunk_size <= 0:
            raise ValueError("Chunk size must be strictly positive.")
        use_chunked_fetch = getattr(
            self.db.features, "can_use_chunked_reads", True
        )
        return self._iterator(use_chunked_fetch, chunk_size)

    def aggregate(self, *args, **kwargs):
        """
        Return a dictionary containing the calculations (aggregation)
        over the current queryset.
        """
        if self.query.distinct_fields:
            raise NotImplementedError("aggregate() + distinct(fields) not implemented.")
        self._validate_values_are_expressions(
            (*args, *kwargs.values()), method_name="aggregate"
        )
        for arg in args:
            # The default_alias property raises TypeError if default_alias
            # can't be set automatically or AttributeError if it isn't an
            # attribute.
            try:
                arg.default_alias
            except (AttributeError, TypeError):
                raise TypeError("Complex aggregates require an alias")
            kwargs[arg.default_alias] = arg
        return self.query.chain().get_aggregation(self.db, kwargs)

    def count(self):
        """
        Perform a SELECT COUNT() and return the number of records as an
        integer. If the QuerySet is already fully cached, return its length.
        """
        if self._result_cache is not None:
            return len(self._result_cache)
        return self.query.get_count(self.db)

    def get(self, *args, **kwargs):
        """Perform the query and return a single object matching the given keyword arguments."""
        if self.query.combinator and (args or kwargs):
            raise NotSupportedError(
                "Calling QuerySet.get(...) with filters after %s() is not "
                "supported." % self.query.combinator
            )
        clone = self._chain() if self.query.combinator else self.filter(*args, **kwargs)
        if self.query.can_filter() and not self.query.distinct_fields:
            clone = clone.order_by()
        limit = None
        if (
            not clone.query.select_for_update
            or getattr(clone.db.features, "supports_select_for_update_with_limit", True)
        ):
            limit = MAX_GET_RESULTS
            clone.query.set_limits(high=limit)
        num = len(clone)
        if num == 1:
            return clone._result_cache[0]
        if not num:
            raise self.model.DoesNotExist(
                "%s matching query does not exist." % self.model._meta.object_name
            )
        raise self.model.MultipleObjectsReturned(
            "get() returned more than one %s -- it returned %s!"
            % (
                self.model._meta.object_name,
                num if not limit or num < limit else "more than %s" % (limit - 1),
            )
        )

    def create(self, **kwargs):
        """Create a new object with the given kwargs, saving it to the database."""
        obj = self.model(**kwargs)
        self._for_write = True
        obj.save(force_insert=True)
        return obj

    def _prepare_for_bulk_create(self, objs):
        for obj in objs:
            if obj.pk is None:
                # Populate new PK values.
                pk_field = obj._meta.pk
                default = pk_field.get_default() if pk_field.has_default() else None
                setattr(obj, pk_field.attname, default)

    def _check_bulk_create_options(self, ignore_conflicts):
        if ignore_conflicts and not getattr(
            self.db.features, "supports_ignore_conflicts", True
        ):
            raise NotSupportedError(
                "This database backend does not support ignoring conflicts."
            )
        return "ignore" if ignore_conflicts else None

    def bulk_create(self, objs, batch_size=None, ignore_conflicts=False):
        """
        Insert each of the instances into the database, in batches. Primary
        keys are set on the objects wherever the database returns them
        (``features.can_return_rows_from_bulk_insert``), except when
        conflicts are ignored (the returned rows would not line up).
        """
        if batch_size is not None and (not isinstance(batch_size, int) or batch_size <= 0):
            raise ValueError("Batch size must be a positive integer.")
        opts = self.model._meta
        # Multi-table inheritance children span several tables: one INSERT
        # per parent would be needed and the parent keys are not returned.
        for parent in getattr(opts, "parents", {}) or {}:
            if parent._meta.concrete_model is not opts.concrete_model:
                raise ValueError(
                    "Can't bulk create a multi-table inherited model (%s)."
                    % opts.object_name
                )
        if opts.proxy:
            raise ValueError(
                "Can't bulk create a proxy model (%s); use the concrete model "
                "%s instead." % (opts.object_name, opts.concrete_model._meta.object_name)
            )
        objs = list(objs)
        if not objs:
            return objs
        for obj in objs:
            if not isinstance(obj, self.model):
                raise TypeError(
                    "bulk_create() expected %s instances, got %r."
                    % (opts.object_name, obj)
                )
        on_conflict = self._check_bulk_create_options(ignore_conflicts)
        self._for_write = True
        fields = opts.concrete_fields
        self._prepare_for_bulk_create(objs)
        from django.db import transaction

        with transaction.atomic(savepoint=False):
            objs_with_pk, objs_without_pk = [], []
            for obj in objs:
                (objs_with_pk if obj.pk is not None else objs_without_pk).append(obj)
            if objs_with_pk:
                returned_columns = self._batched_insert(
                    objs_with_pk, fields, batch_size, on_conflict=on_conflict
                )
                for obj_with_pk, results in zip(objs_with_pk, returned_columns):
                    for result, field in zip(results, opts.db_returning_fields):
                        if field != opts.pk:
                            setattr(obj_with_pk, field.attname, result)
                for obj_with_pk in objs_with_pk:
                    obj_with_pk._state.adding = False
            if objs_without_pk:
                fields = [f for f in fields if not _is_auto_field(f)]
                returned_columns = self._batched_insert(
                    objs_without_pk, fields, batch_size, on_conflict=on_conflict
                )
                if (
                    getattr(self.db.features, "can_return_rows_from_bulk_insert", False)
                    and on_conflict is None
                ):
                    assert len(returned_columns) == len(objs_without_pk)
                for obj_without_pk, results in zip(objs_without_pk, returned_columns):
                    for result, field in zip(results, opts.db_returning_fields):
                        setattr(obj_without_pk, field.attname, result)
                    obj_without_pk._state.adding = False
                for obj_without_pk in objs_without_pk:
                    obj_without_pk._state.adding = False
        return objs

    def _batched_insert(self, objs, fields, batch_size, on_conflict=None):
        """Helper method for bulk_create() to insert objs one batch at a time."""
        connection = self.db
        ops = connection.ops
        max_batch_size = max(ops.bulk_batch_size(fields, objs), 1)
        batch_size = min(batch_size, max_batch_size) if batch_size else max_batch_size
        inserted_rows = []
        bulk_return = getattr(connection.features, "can_return_rows_from_bulk_insert", False)
        returning = self.model._meta.db_returning_fields
        for item in [objs[i : i + batch_size] for i in range(0, len(objs), batch_size)]:
            if bulk_return and on_conflict is None:
                inserted_rows.extend(
                    self._insert(item, fields=fields, returning_fields=returning)
                )
            else:
                self._insert(item, fields=fields, on_conflict=on_conflict)
        return inserted_rows

    def bulk_update(self, objs, fields, batch_size=None):
        """
        Update the given fields in each of the given objects in the database,
        with one UPDATE ... SET col = CASE WHEN pk = .. THEN .. END per batch.
        """
        if batch_size is not None and (not isinstance(batch_size, int) or batch_size <= 0):
            raise ValueError("Batch size must be a positive integer.")
        if not fields:
            raise ValueError("Field names must be given to bulk_update().")
        objs = tuple(objs)
        if any(obj.pk is None for obj in objs):
            raise ValueError("All bulk_update() objects must have a primary key set.")
        fields = [self._field_or_error(name) for name in fields]
        if any(not f.concrete or getattr(f, "many_to_many", False) for f in fields):
            raise ValueError("bulk_update() can only be used with concrete fields.")
        if any(f.primary_key for f in fields):
            raise ValueError("bulk_update() cannot be used with primary key fields.")
        if not objs:
            return 0
        connection = self.db
        max_batch_size = connection.ops.bulk_batch_size(["pk", "pk"] + fields, objs)
        max_batch_size = max(max_batch_size, 1)
        batch_size = min(batch_size, max_batch_size) if batch_size else max_batch_size
        requires_casting = getattr(connection.features, "requires_casted_case_in_updates", False)
        batches = (objs[i : i + batch_size] for i in range(0, len(objs), batch_size))
        updates = []
        for batch_objs in batches:
            update_kwargs = {}
            for field in fields:
                when_statements = []
                for obj in batch_objs:
                    attr = getattr(obj, field.attname)
                    if not hasattr(attr, "resolve_expression"):
                        attr = Value(attr, output_field=field)
                    when_statements.append(When(pk=obj.pk, then=attr))
                case_statement = Case(*when_statements, output_field=field)
                if requires_casting:
                    from django.db.models.functions import Cast

                    case_statement = Cast(case_statement, output_field=field)
                update_kwargs[field.attname] = case_statement
            updates.append(([obj.pk for obj in batch_objs], update_kwargs))
        rows_updated = 0
        queryset = self._chain()
        from django.db import transaction

        with transaction.atomic(savepoint=False):
            for pks, update_kwargs in updates:
                rows_updated += queryset.filter(pk__in=pks).update(**update_kwargs)
        return rows_updated

    bulk_update.alters_data = True

    def get_or_create(self, defaults=None, **kwargs):
        """
        Look up an object with the given kwargs, creating one if necessary.
        Return a tuple of (object, created).
        """
        self._for_write = True
        try:
            return self.get(**kwargs), False
        except self.model.DoesNotExist:
            params = self._extract_model_params(defaults, **kwargs)
            from django.db import IntegrityError, transaction

            # Try to create an object using passed params.
            try:
                with transaction.atomic():
                    params = dict(resolve_callables(params))
                    return self.create(**params), True
            except IntegrityError:
                try:
                    return self.get(**kwargs), False
                except self.model.DoesNotExist:
                    pass
                raise

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        """
        Look up an object with the given kwargs, updating one with defaults
        if it exists, otherwise create a new one (with create_defaults, or
        defaults). Return a tuple (object, created).
        """
        from django.db import transaction

        update_defaults = defaults or {}
        if create_defaults is None:
            create_defaults = update_defaults
        self._for_write = True
        with transaction.atomic():
            # Lock the row so that a concurrent update is blocked until
            # update_or_create() has performed its save.
            obj, created = self.select_for_update().get_or_create(
                create_defaults, **kwargs
            )
            if created:
                return obj, created
            for k, v in resolve_callables(update_defaults):
                setattr(obj, k, v)
            update_fields = set(update_defaults)
            concrete_field_names = {f.name for f in self.model._meta.concrete_fields}
            if update_fields and update_fields <= concrete_field_names:
                obj.save(update_fields=update_fields)
            else:
                obj.save()
        return obj, False

    def _extract_model_params(self, defaults, **kwargs):
        """Merge kwargs (without lookups) and defaults into create() params."""
        defaults = defaults or {}
        params = {k: v for k, v in kwargs.items() if "__" not in k}
        params.update(defaults)
        property_names = self.model._meta._property_names if hasattr(
            self.model._meta, "_property_names"
        ) else frozenset()
        invalid_params = []
        for param in params:
            try:
                self.model._meta.get_field(param)
            except FieldDoesNotExist:
                # It's okay to use a model's property if it has a setter.
                if not (param in property_names and getattr(self.model, param).fset):
                    invalid_params.append(param)
        if invalid_params:
            raise FieldError(
                "Invalid field name(s) for model %s: '%s'."
                % (self.model._meta.object_name, "', '".join(sorted(invalid_params)))
            )
        return params

    def _earliest(self, *fields):
        if fields:
            order_by = fields
        else:
            order_by = getattr(self.model._meta, "get_latest_by", None)
            if order_by and not isinstance(order_by, (tuple, list)):
                order_by = (order_by,)
        if order_by is None:
            raise ValueError(
                "earliest() and latest() require either fields as positional "
                "arguments or 'get_latest_by' in the model's Meta."
            )
        obj = self._chain()
        obj.query.set_limits(high=1)
        obj.query.clear_ordering(force=True)
        obj.query.add_ordering(*order_by)
        return obj.get()

    def earliest(self, *fields):
        if self.query.is_sliced:
            raise TypeError("Cannot change a query once a slice has been taken.")
        return self._earliest(*fields)

    def latest(self, *fields):
        """Return the latest object according to fields (if given) or by the model's Meta.get_latest_by."""
        if self.query.is_sliced:
            raise TypeError("Cannot change a query once a slice has been taken.")
        return self.reverse()._earliest(*fields)

    def first(self):
        """Return the first object of a query or None if no match is found."""
        if self.ordered:
            queryset = self
        else:
            self._check_ordering_first_last_queryset_aggregation(method="first")
            queryset = self.order_by("pk")
        for obj in queryset[:1]:
            return obj

    def last(self):
        """Return the last object of a query or None if no match is found."""
        if self.ordered:
            queryset = self.reverse()
        else:
            self._check_ordering_first_last_queryset_aggregation(method="last")
            queryset = self.order_by("-pk")
        for obj in queryset[:1]:
            return obj

    def in_bulk(self, id_list=None, *, field_name="pk"):
        """Return a dictionary mapping each of the given IDs to the object with that ID."""
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with in_bulk().")
        opts = self.model._meta
        unique_fields = [
            constraint.fields[0]
            for constraint in getattr(opts, "total_unique_constraints", [])
            if len(constraint.fields) == 1
        ]
        if field_name != "pk":
            try:
                field = opts.get_field(field_name)
            except FieldDoesNotExist:
                raise FieldError(
                    "Cannot resolve keyword %r into field. Choices are: %s"
                    % (field_name, ", ".join(self.query._field_choices()))
                ) from None
            if not field.unique and field_name not in unique_fields:
                raise ValueError(
                    "in_bulk()'s field_name must be a unique field but %r isn't."
                    % field_name
                )
        if id_list is not None:
            if not id_list:
                return {}
            filter_key = "{}__in".format(field_name)
            batch_size = self.db.ops.max_in_list_size() if hasattr(
                self.db.ops, "max_in_list_size"
            ) else None
            id_list = tuple(id_list)
            # If the database has a limit on the number of query parameters
            # (e.g. SQLite), retrieve objects in batches if necessary.
            if batch_size and batch_size < len(id_list):
                qs = ()
                for offset in range(0, len(id_list), batch_size):
                    batch = id_list[offset : offset + batch_size]
                    qs += tuple(self.filter(**{filter_key: batch}))
            else:
                qs = self.filter(**{filter_key: id_list})
        else:
            qs = self._chain()
        attname = opts.pk.attname if field_name == "pk" else opts.get_field(field_name).attname
        return {getattr(obj, attname): obj for obj in qs}

    def delete(self):
        """Delete the records in the current QuerySet."""
        self._not_support_combined_queries("delete")
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with delete().")
        if self.query.distinct or self.query.distinct_fields:
            raise TypeError("Cannot call delete() after .distinct().")
        if self._fields is not None:
            raise TypeError("Cannot call delete() after .values() or .values_list()")

        del_query = self._chain()
        # The delete is actually 2 queries - one to find related objects,
        # and one to delete. Make sure that the discovery of related
        # objects is performed on the same database as the deletion.
        del_query._for_write = True
        # Disable non-supported fields.
        del_query.query.select_for_update = False
        del_query.query.select_related = False
        del_query.query.clear_ordering(force=True)

        from django.db.models.deletion import Collector

        collector = Collector(del_query.db, origin=self)
        collector.collect(del_query)
        deleted, _rows_count = collector.delete()

        # Clear the result cache, in case this QuerySet gets reused.
        self._result_cache = None
        return deleted, _rows_count

    delete.alters_data = True
    delete.queryset_only = True

    def _raw_delete(self):
        """
        Delete objects found from the given queryset in single direct SQL
        query. No signals are sent and there is no protection for cascades.
        """
        query = self.query.clone()
        query.__class__ = sql.DeleteQuery
        return query.get_compiler(connection=self.db).execute_sql(ROW_COUNT)

    _raw_delete.alters_data = True
    _raw_delete.queryset_only = False

    def update(self, **kwargs):
        """
        Update all elements in the current QuerySet, setting all the given
        fields to the appropriate values.
        """
        self._not_support_combined_queries("update")
        if self.query.is_sliced:
            raise TypeError("Cannot update a query once a slice has been taken.")
        self._for_write = True
        query = self.query.chain(sql.UpdateQuery)
        query.add_update_values(kwargs)
        # Inline annotations in order_by(), if possible.
        query.annotations = {}
        query.clear_ordering(force=True)
        from django.db import transaction

        with transaction.mark_for_rollback_on_error():
            rows = query.get_compiler(connection=self.db).execute_sql(ROW_COUNT)
        self._result_cache = None
        return rows

    update.alters_data = True

    def _update(self, values):
        """
        A version of update() that accepts field objects instead of field names.
        Used primarily for model saving and not intended for use by general
        code (it requires too much poking around at model internals to be
        useful at that level).
        """
        if self.query.is_sliced:
            raise TypeError("Cannot update a query once a slice has been taken.")
        query = self.query.chain(sql.UpdateQuery)
        query.add_update_fields(values)
        # Clear any annotations so that they won't be present in subqueries.
        query.annotations = {}
        self._result_cache = None
        return query.get_compiler(connection=self.db).execute_sql(ROW_COUNT)

    _update.alters_data = True
    _update.queryset_only = False

    def exists(self):
        """Return True if the QuerySet would have any results, False otherwise."""
        if self._result_cache is None:
            return self.query.has_results(self.db)
        return bool(self._result_cache)

    def contains(self, obj):
        """Return True if the QuerySet contains the provided obj, False otherwise."""
        self._not_support_combined_queries("contains")
        if self._fields is not None:
            raise TypeError(
                "Cannot call QuerySet.contains() after .values() or .values_list()."
            )
        try:
            if obj._meta.concrete_model != self.model._meta.concrete_model:
                return False
        except AttributeError:
            raise TypeError("'obj' must be a model instance.")
        if obj.pk is None:
            raise ValueError("QuerySet.contains() cannot be used on unsaved objects.")
        if self._result_cache is not None:
            return obj in self._result_cache
        return self.filter(pk=obj.pk).exists()

    def explain(self, *, format=None, **options):
        """
        Run an EXPLAIN on the SQL query this QuerySet would perform, and
        return the results. The format and option names are validated by the
        backend (``ops.explain_query_prefix``) against fixed sets.
        """
        return self.query.explain(self.db, format=format, **options)

    ##################################################
    # PUBLIC METHODS THAT RETURN A QUERYSET SUBCLASS #
    ##################################################

    def raw(self, raw_query, params=(), translations=None):
        qs = RawQuerySet(
            raw_query,
            model=self.model,
            params=params,
            translations=translations,
            hints=self._hints,
        )
        qs._prefetch_related_lookups = self._prefetch_related_lookups[:]
        return qs

    def _values(self, *fields, **expressions):
        clone = self._chain()
        if expressions:
            clone = clone.annotate(**expressions)
        clone._fields = fields + tuple(expressions)
        clone.query.set_values(fields)
        return clone

    def values(self, *fields, **expressions):
        fields += tuple(expressions)
        clone = self._values(*fields, **expressions)
        clone._iterable_class = ValuesIterable
        return clone

    def values_list(self, *fields, flat=False, named=False):
        if flat and named:
            raise TypeError("'flat' and 'named' can't be used together.")
        if flat and len(fields) > 1:
            raise TypeError(
                "'flat' is not valid when values_list is called with more than one "
                "field."
            )

        field_names = {f for f in fields if not hasattr(f, "resolve_expression")}
        _fields = []
        expressions = {}
        counter = 1
        for field in fields:
            if hasattr(field, "resolve_expression"):
                field_id_prefix = getattr(
                    field, "default_alias", field.__class__.__name__.lower()
                )
                while True:
                    field_id = field_id_prefix + str(counter)
                    counter += 1
                    if field_id not in field_names:
                        break
                expressions[field_id] = field
                _fields.append(field_id)
            else:
                _fields.append(field)

        clone = self._values(*_fields, **expressions)
        clone._iterable_class = (
            NamedValuesListIterable
            if named
            else FlatValuesListIterable
            if flat
            else ValuesListIterable
        )
        return clone

    def dates(self, field_name, kind, order="ASC"):
        """
        Return a list of date objects representing all available dates for
        the given field_name, scoped to 'kind'.
        """
        if kind not in ("year", "month", "week", "day"):
            raise ValueError("'kind' must be one of 'year', 'month', 'week', or 'day'.")
        if order not in ("ASC", "DESC"):
            raise ValueError("'order' must be either 'ASC' or 'DESC'.")
        from django.db.models.functions import Trunc

        return (
            self.annotate(
                datefield=Trunc(field_name, kind, output_field=_date_field()),
                plain_field=F(field_name),
            )
            .values_list("datefield", flat=True)
            .distinct()
            .filter(plain_field__isnull=False)
            .order_by(("-" if order == "DESC" else "") + "datefield")
        )

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        """
        Return a list of datetime objects representing all available
        datetimes for the given field_name, scoped to 'kind'.
        """
        if kind not in ("year", "month", "week", "day", "hour", "minute", "second"):
            raise ValueError(
                "'kind' must be one of 'year', 'month', 'week', 'day', "
                "'hour', 'minute', or 'second'."
            )
        if order not in ("ASC", "DESC"):
            raise ValueError("'order' must be either 'ASC' or 'DESC'.")
        from django.conf import settings
        from django.db.models.functions import Trunc
        from django.utils import timezone

        if settings.USE_TZ:
            if tzinfo is None:
                tzinfo = timezone.get_current_timezone()
        else:
            tzinfo = None
        return (
            self.annotate(
                datetimefield=Trunc(
                    field_name,
                    kind,
                    output_field=_datetime_field(),
                    tzinfo=tzinfo,
                ),
                plain_field=F(field_name),
            )
            .values_list("datetimefield", flat=True)
            .distinct()
            .filter(plain_field__isnull=False)
            .order_by(("-" if order == "DESC" else "") + "datetimefield")
        )

    def none(self):
        """Return an empty QuerySet."""
        clone = self._chain()
        clone.query.set_empty()
        return clone

    ##################################################################
    # PUBLIC METHODS THAT ALTER ATTRIBUTES AND RETURN A NEW QUERYSET #
    ##################################################################

    def all(self):
        """
        Return a new QuerySet that is a copy of the current one. This allows a
        QuerySet to proxy for a model manager in some cases.
        """
        return self._chain()

    def filter(self, *args, **kwargs):
        """
        Return a new QuerySet instance with the args ANDed to the existing
        set.
        """
        self._not_support_combined_queries("filter")
        return self._filter_or_exclude(False, args, kwargs)

    def exclude(self, *args, **kwargs):
        """
        Return a new QuerySet instance with NOT (args) ANDed to the existing
        set.
        """
        self._not_support_combined_queries("exclude")
        return self._filter_or_exclude(True, args, kwargs)

    def _filter_or_exclude(self, negate, args, kwargs):
        if (args or kwargs) and self.query.is_sliced:
            raise TypeError("Cannot filter a query once a slice has been taken.")
        _check_filter_kwargs(kwargs)
        clone = self._chain()
        if self._defer_next_filter:
            self._defer_next_filter = False
            clone._deferred_filter = negate, args, kwargs
        else:
            clone._filter_or_exclude_inplace(negate, args, kwargs)
        return clone

    def _filter_or_exclude_inplace(self, negate, args, kwargs):
        if negate:
            self._query.add_q(~Q(*args, **kwargs))
        else:
            self._query.add_q(Q(*args, **kwargs))

    def complex_filter(self, filter_obj):
        """
        Return a new QuerySet instance with filter_obj added to the filters.

        filter_obj can be a Q object or a dictionary of keyword lookup
        arguments.
        """
        if isinstance(filter_obj, Q):
            clone = self._chain()
            clone.query.add_q(filter_obj)
            return clone
        return self._filter_or_exclude(False, args=(), kwargs=filter_obj)

    def _combinator_query(self, combinator, *other_qs, all=False):
        # Clone the query to inherit the select list and everything
        clone = self._chain()
        # Clear limits and ordering so they can be reapplied
        clone.query.clear_ordering(force=True)
        clone.query.clear_limits()
        clone.query.combined_queries = (self.query,) + tuple(
            qs.query for qs in other_qs
        )
        clone.query.combinator = combinator
        clone.query.combinator_all = all
        return clone

    def union(self, *other_qs, all=False):
        # If the query is an EmptyQuerySet, combine all nonempty querysets.
        if isinstance(self, EmptyQuerySet):
            qs = [q for q in other_qs if not isinstance(q, EmptyQuerySet)]
            if not qs:
                return self
            if len(qs) == 1:
                return qs[0]
            return qs[0]._combinator_query("union", *qs[1:], all=all)
        return self._combinator_query("union", *other_qs, all=all)

    def intersection(self, *other_qs):
        # If any query is an EmptyQuerySet, return it.
        if isinstance(self, EmptyQuerySet):
            return self
        for other in other_qs:
            if isinstance(other, EmptyQuerySet):
                return other
        return self._combinator_query("intersection", *other_qs)

    def difference(self, *other_qs):
        # If the query is an EmptyQuerySet, return it.
        if isinstance(self, EmptyQuerySet):
            return self
        return self._combinator_query("difference", *other_qs)

    def select_for_update(self, nowait=False, skip_locked=False, of=(), no_key=False):
        """
        Return a new QuerySet instance that will select objects with a
        FOR UPDATE lock.
        """
        if nowait and skip_locked:
            raise ValueError("The nowait option cannot be used with skip_locked.")
        for name in of:
            if not isinstance(name, str) or name != "self":
                raise FieldError(
                    "Invalid field name(s) given in select_for_update(of=(...)): "
                    "%r. Only 'self' is allowed until relations are supported." % (name,)
                )
        obj = self._chain()
        obj._for_write = True
        obj.query.select_for_update = True
        obj.query.select_for_update_nowait = nowait
        obj.query.select_for_update_skip_locked = skip_locked
        obj.query.select_for_update_of = of
        obj.query.select_for_no_key_update = no_key
        return obj

    def select_related(self, *fields):
        """
        Follow foreign keys in the same query: without names, every non-null
        foreign key; with names (``"author__city"``), those relations,
        nullable and reverse one-to-one ones included. ``None`` clears.
        """
        self._not_support_combined_queries("select_related")
        if self._fields is not None:
            raise TypeError(
                "Cannot call select_related() after .values() or .values_list()"
            )
        obj = self._chain()
        if fields == (None,):
            obj.query.select_related = False
        elif fields:
            for name in fields:
                _check_select_related_path(self.model, name)
            obj.query.add_select_related(fields)
        else:
            obj.query.select_related = True
        return obj

    def prefetch_related(self, *lookups):
        """
        Fetch the related objects of every result in one extra query per
        relation (``"authors"``, ``"book_set__chapters"``, or ``Prefetch(
        lookup, queryset=..., to_attr=...)``) when the queryset is evaluated.
        ``None`` clears.
        """
        self._not_support_combined_queries("prefetch_related")
        clone = self._chain()
        if lookups == (None,):
            clone._prefetch_related_lookups = ()
        else:
            for lookup in lookups:
                if isinstance(lookup, Prefetch):
                    lookup = lookup.prefetch_to
                lookup = lookup.split(LOOKUP_SEP, 1)[0]
                if lookup in self.query._filtered_relations:
                    raise ValueError(
                        "prefetch_related() is not supported with FilteredRelation."
                    )
            clone._prefetch_related_lookups = clone._prefetch_related_lookups + lookups
        return clone

    def annotate(self, *args, **kwargs):
        """
        Return a query set in which the returned objects have been annotated
        with extra data or aggregations.
        """
        self._not_support_combined_queries("annotate")
        return self._annotate(args, kwargs, select=True)

    def alias(self, *args, **kwargs):
        """
        Return a query set with added aliases for extra data or aggregations.
        """
        self._not_support_combined_queries("alias")
        return self._annotate(args, kwargs, select=False)

    def _annotate(self, args, kwargs, select=True):
        self._validate_values_are_expressions(
            args + tuple(kwargs.values()), method_name="annotate"
        )
        annotations = {}
        for arg in args:
            # The default_alias property may raise a TypeError.
            try:
                if arg.default_alias in kwargs:
                    raise ValueError(
                        "The named annotation '%s' conflicts with the "
                        "default name for another annotation." % arg.default_alias
                    )
            except (AttributeError, TypeError):
                raise TypeError("Complex annotations require an alias")
            annotations[arg.default_alias] = arg
        annotations.update(kwargs)

        clone = self._chain()
        names = self._fields
        if names is None:
            names = set(
                chain.from_iterable(
                    (field.name, field.attname)
                    if hasattr(field, "attname")
                    else (field.name,)
                    for field in self.model._meta.get_fields()
                )
            )

        for alias, annotation in annotations.items():
            if alias in names:
                raise ValueError(
                    "The annotation '%s' conflicts with a field on "
                    "the model." % alias
                )
            if isinstance(annotation, FilteredRelation):
                clone.query.add_filtered_relation(annotation, alias)
            else:
                clone.query.add_annotation(annotation, alias, select=select)
        for alias, annotation in clone.query.annotations.items():
            if alias in annotations and annotation.contains_aggregate:
                if clone._fields is None:
                    clone.query.group_by = True
                else:
                    clone.query.set_group_by()
                break

        return clone

    def order_by(self, *field_names):
        """Return a new QuerySet instance with the ordering changed."""
        if self.query.is_sliced:
            raise TypeError("Cannot reorder a query once a slice has been taken.")
        obj = self._chain()
        obj.query.clear_ordering(force=True, clear_default=False)
        obj.query.add_ordering(*field_names)
        return obj

    def distinct(self, *field_names):
        """
        Return a new QuerySet instance that will select only distinct results.
        """
        self._not_support_combined_queries("distinct")
        if self.query.is_sliced:
            raise TypeError(
                "Cannot create distinct fields once a slice has been taken."
            )
        if field_names:
            for name in field_names:
                self.query._validate_field_path(name)
            if not getattr(self.db.features, "can_distinct_on_fields", False):
                raise NotSupportedError(
                    "DISTINCT ON fields is not supported by this database backend"
                )
        obj = self._chain()
        obj.query.add_distinct_fields(*field_names)
        return obj

    def extra(self, select=None, where=None, params=None, tables=None,
              order_by=None, select_params=None):
        raise NotImplementedError(
            "extra() is not supported; use annotate(), RawSQL or raw()."
        )

    def reverse(self):
        """Reverse the ordering of the QuerySet."""
        if self.query.is_sliced:
            raise TypeError("Cannot reverse a query once a slice has been taken.")
        clone = self._chain()
        clone.query.standard_ordering = not clone.query.standard_ordering
        return clone

    def defer(self, *fields):
        """
        Defer the loading of data for certain fields until they are accessed.
        Add the set of deferred fields to any existing set of deferred fields.
        The only exception to this is if None is passed in as the only
        parameter, in which case removal all deferrals.
        """
        self._not_support_combined_queries("defer")
        if self._fields is not None:
            raise TypeError("Cannot call defer() after .values() or .values_list()")
        clone = self._chain()
        if fields == (None,):
            clone.query.clear_deferred_loading()
        else:
            self._check_field_names(fields)
            clone.query.add_deferred_loading(fields)
        return clone

    def only(self, *fields):
        """
        Essentially, the opposite of defer(). Only the fields passed into this
        method and that are not already specified as deferred are loaded
        immediately when the queryset is evaluated.
        """
        self._not_support_combined_queries("only")
        if self._fields is not None:
            raise TypeError("Cannot call only() after .values() or .values_list()")
        if fields == (None,):
            # Can only pass None to defer(), not only(), as the rest option.
            # That won't stop people trying to do this, so let's be explicit.
            raise TypeError("Cannot pass None as an argument to only().")
        self._check_field_names(fields)
        clone = self._chain()
        clone.query.add_immediate_loading(fields)
        return clone

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

    ###################################
    # PUBLIC INTROSPECTION ATTRIBUTES #
    ###################################

    @property
    def ordered(self):
        """
        Return True if the QuerySet is ordered -- i.e. has an order_by()
        clause or a default ordering on the model (or is empty).
        """
        if isinstance(self, EmptyQuerySet):
            return True
        if self.query.extra_order_by or self.query.order_by:
            return True
        elif (
            self.query.default_ordering
            and self.query.get_meta().ordering
            # A default ordering doesn't affect GROUP BY queries.
            and not self.query.group_by
        ):
            return True
        else:
            return False

    @property
    def db(self):
        """The database connection this queryset runs on (the seam for multi-db)."""
        return _get_connection()

    ###################
    # PRIVATE METHODS #
    ###################

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
        """
        Insert a new record for the given model. This provides an interface to
        the InsertQuery class and is how Model.save() is implemented. Return
        a list of rows (tuples of the returning fields' values).
        """
        self._for_write = True
        query = sql.InsertQuery(
            self.model,
            on_conflict=on_conflict,
            update_fields=update_fields,
            unique_fields=unique_fields,
        )
        query.insert_values(fields, objs, raw=raw)
        return query.get_compiler(connection=self.db).execute_sql(returning_fields)

    _insert.alters_data = True
    _insert.queryset_only = False

    def _chain(self):
        """
        Return a copy of the current QuerySet that's ready for another
        operation.
        """
        obj = self._clone()
        if obj._sticky_filter:
            obj.query.filter_is_sticky = True
            obj._sticky_filter = False
        return obj

    def _clone(self):
        """
        Return a copy of the current QuerySet. A lightweight alternative
        to deepcopy().
        """
        c = self.__class__(
            model=self.model,
            query=self.query.chain(),
            hints=self._hints,
        )
        c._sticky_filter = self._sticky_filter
        c._for_write = self._for_write
        c._prefetch_related_lookups = self._prefetch_related_lookups[:]
        c._known_related_objects = self._known_related_objects
        c._iterable_class = self._iterable_class
        c._fields = self._fields
        return c

    def _fetch_all(self):
        if self._result_cache is None:
            self._result_cache = list(self._iterable_class(self))
        if self._prefetch_related_lookups and not self._prefetch_done:
            self._prefetch_related_objects()

    def _prefetch_related_objects(self):
        # One query per relation for all the results.
        prefetch_related_objects(self._result_cache, *self._prefetch_related_lookups)
        self._prefetch_done = True

    def _next_is_sticky(self):
        self._sticky_filter = True
        return self

    def _merge_sanity_check(self, other):
        """Check that two QuerySet classes may be merged."""
        if self._fields is not None and (
            set(self.query.values_select) != set(other.query.values_select)
            or set(self.query.annotation_select) != set(other.query.annotation_select)
        ):
            raise TypeError(
                "Merging '%s' classes must involve the same values in each case."
                % self.__class__.__name__
            )

    def _merge_known_related_objects(self, other):
        for field, objects in other._known_related_objects.items():
            self._known_related_objects.setdefault(field, {}).update(objects)

    def resolve_expression(self, *args, **kwargs):
        if self._fields and len(self._fields) > 1:
            # values() queryset can only be used as nested queries
            # if they are set up to select only a single field.
            raise TypeError("Cannot use multi-field values as a filter value.")
        query = self.query.resolve_expression(*args, **kwargs)
        return query

    resolve_expression.queryset_only = True

    def _add_hints(self, **hints):
        self._hints.update(hints)

    def _has_filters(self):
        return self.query.has_filters()

    @staticmethod
    def _validate_values_are_expressions(values, method_name):
        invalid_args = sorted(
            str(arg) for arg in values if not hasattr(arg, "resolve_expression")
        )
        if invalid_args:
            raise TypeError(
                "QuerySet.%s() received non-expression(s): %s."
                % (
                    method_name,
                    ", ".join(invalid_args),
                )
            )

    def _not_support_combined_queries(self, operation_name):
        if self.query.combinator:
            raise NotSupportedError(
                "Calling QuerySet.%s() after %s() is not supported."
                % (operation_name, self.query.combinator)
            )

    def _check_operator_queryset(self, other, operator_):
        if self.query.combinator or other.query.combinator:
            raise TypeError(f"Cannot use {operator_} operator with combined queryset.")

    def _check_ordering_first_last_queryset_aggregation(self, method):
        if isinstance(self.query.group_by, tuple) and not any(
            col.output_field is self.model._meta.pk
            for col in self.query.group_by
            if hasattr(col, "output_field")
        ):
            raise TypeError(
                f"Cannot use QuerySet.{method}() on an unordered queryset performing "
                f"aggregation. Add an ordering with order_by()."
            )


class InstanceCheckMeta(type):
    def __instancecheck__(self, instance):
        return isinstance(instance, QuerySet) and instance.query.is_empty()


class EmptyQuerySet(metaclass=InstanceCheckMeta):
    """
    Marker class to checking if a queryset is empty by .none():
        isinstance(qs.none(), EmptyQuerySet) -> True
    """

    def __init__(self, *args, **kwargs):
        raise TypeError("EmptyQuerySet can't be instantiated")


class RawQuerySet:
    """
    Provide an iterator which converts the results of raw SQL queries into
    annotated model instances. Columns are matched to fields by column name
    (or attname); ``translations`` maps query column names to field names.
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
        self._db = None
        self._hints = hints or {}
        self.query = query or sql.RawQuery(sql=raw_query, params=params)
        self.params = params
        self.translations = translations or {}
        self._result_cache = None
        self._prefetch_related_lookups = ()
        self._prefetch_done = False

    def resolve_model_init_order(self):
        """Resolve the init field names and value positions."""
        converter = getattr(
            self.db.introspection, "identifier_converter", lambda name: name
        )
        model_init_fields = [
            f for f in self.model._meta.concrete_fields if converter(f.column) in self.columns
        ]
        annotation_fields = [
            (column, pos)
            for pos, column in enumerate(self.columns)
            if column not in self.model_fields
        ]
        model_init_order = [
            self.columns.index(converter(f.column)) for f in model_init_fields
        ]
        model_init_names = [f.attname for f in model_init_fields]
        return model_init_names, model_init_order, annotation_fields

    def prefetch_related(self, *lookups):
        raise ValueError("prefetch_related() needs relations, which are not supported yet.")

    def _clone(self):
        """Same as QuerySet._clone()"""
        c = self.__class__(
            self.raw_query,
            model=self.model,
            query=self.query,
            params=self.params,
            translations=self.translations,
            hints=self._hints,
        )
        c._prefetch_related_lookups = self._prefetch_related_lookups[:]
        return c

    def _fetch_all(self):
        if self._result_cache is None:
            self._result_cache = list(self.iterator())

    def __len__(self):
        self._fetch_all()
        return len(self._result_cache)

    def __bool__(self):
        self._fetch_all()
        return bool(self._result_cache)

    def __iter__(self):
        self._fetch_all()
        return iter(self._result_cache)

    def iterator(self):
        yield from RawModelIterable(self)

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self.query)

    def __getitem__(self, k):
        return list(self)[k]

    @property
    def db(self):
        """Return the database used if this query is executed now."""
        return _get_connection()

    @property
    def columns(self):
        """
        A list of model field names in the order they'll appear in the
        query results.
        """
        columns = self.query.get_columns(self.db)
        # Adjust any column names which don't match field names
        for query_name, model_name in self.translations.items():
            # Ignore translations for nonexistent column names
            try:
                index = columns.index(query_name)
            except ValueError:
                pass
            else:
                columns[index] = model_name
        return columns

    @property
    def model_fields(self):
        """A dict mapping column names to model field names."""
        converter = getattr(
            self.db.introspection, "identifier_converter", lambda name: name
        )
        model_fields = {}
        for field in self.model._meta.fields:
            name, column = field.get_attname_column()
            model_fields[converter(column)] = field
        return model_fields


class Prefetch:
    """A prefetch_related() lookup with options: the queryset to fetch the
    related objects with, and ``to_attr`` to store them as a list instead of
    the manager's cache."""

    def __init__(self, lookup, queryset=None, to_attr=None):
        if queryset is not None:
            model_rows = issubclass(getattr(queryset, "_iterable_class", ModelIterable), ModelIterable)
            if isinstance(queryset, RawQuerySet) or not model_rows:
                raise ValueError("Prefetch querysets cannot use raw(), values(), and values_list().")
        self.prefetch_through = lookup
        # Where the results land: the last name becomes to_attr if given.
        steps = lookup.split(LOOKUP_SEP)
        if to_attr:
            steps[-1] = to_attr
        self.prefetch_to = LOOKUP_SEP.join(steps)
        self.queryset = queryset
        self.to_attr = to_attr

    def __getstate__(self):
        state = dict(self.__dict__)
        if self.queryset is not None:
            # Pickle the query, never its results.
            frozen = self.queryset._chain()
            frozen._result_cache, frozen._prefetch_done = [], True
            state["queryset"] = frozen
        return state

    def add_prefix(self, prefix):
        self.prefetch_through = LOOKUP_SEP.join((prefix, self.prefetch_through))
        self.prefetch_to = LOOKUP_SEP.join((prefix, self.prefetch_to))

    def _steps(self):
        return self.prefetch_to.split(LOOKUP_SEP)

    def get_current_prefetch_to(self, level):
        return LOOKUP_SEP.join(self._steps()[: level + 1])

    def get_current_to_attr(self, level):
        steps = self._steps()
        is_last = level == len(steps) - 1
        return steps[level], bool(self.to_attr) and is_last

    def get_current_queryset(self, level):
        # The queryset applies to the last step only.
        if self.get_current_prefetch_to(level) != self.prefetch_to:
            return None
        return self.queryset

    def __eq__(self, other):
        return isinstance(other, Prefetch) and other.prefetch_to == self.prefetch_to

    def __hash__(self):
        return hash(("Prefetch", self.prefetch_to))

    def __repr__(self):
        return "<Prefetch: %s>" % self.prefetch_to


def normalize_prefetch_lookups(lookups, prefix=None):
    """Strings become Prefetch objects (prefixed for nested lookups)."""
    normalized = []
    for item in lookups:
        prefetch = item if isinstance(item, Prefetch) else Prefetch(item)
        if prefix:
            prefetch.add_prefix(prefix)
        normalized.append(prefetch)
    return normalized


def _ensure_prefetch_caches(objects):
    """Give every object a _prefetched_objects_cache; False for non-models."""
    for obj in objects:
        if hasattr(obj, "_prefetched_objects_cache"):
            continue
        try:
            obj._prefetched_objects_cache = {}
        except (AttributeError, TypeError):
            return False
    return True


def _children_of(objects, attr):
    """The objects one step down ``attr`` from ``objects``, from what they
    already hold (a prefetched list, a cached object, a plain attribute)."""
    found = []
    for obj in objects:
        cache = getattr(obj, "_prefetched_objects_cache", {})
        if attr in cache:
            found.extend(cache[attr])
            continue
        try:
            value = getattr(obj, attr)
        except ObjectDoesNotExist:
            continue
        if value is None:
            continue
        if isinstance(value, list):
            found.extend(value)
        elif hasattr(value, "get_queryset"):
            found.extend(value.all())
        else:
            found.append(value)
    return found


def prefetch_related_objects(model_instances, *related_lookups):
    """
    Fetch the relations named by ``related_lookups`` for all of
    ``model_instances`` (of one model) at once: one query per relation and
    level, whatever the number of instances. Nested lookups
    (``"books__chapters"``) walk down from the objects fetched at the
    previous level.
    """
    roots = list(model_instances)
    if not roots:
        return
    fetched_at = {}  # prefetch_to -> the objects found at that level
    added_by_querysets = set()
    descriptors_followed = set()
    pending = normalize_prefetch_lookups(reversed(related_lookups))
    while pending:
        lookup = pending.pop()
        if lookup.prefetch_to in fetched_at:
            if lookup.queryset is not None:
                raise ValueError(
                    "'%s' lookup was already seen with a different queryset. "
                    "You may need to adjust the ordering of your lookups."
                    % lookup.prefetch_to
                )
            continue
        level_objects = roots
        steps = lookup.prefetch_through.split(LOOKUP_SEP)
        for level, attr in enumerate(steps):
            if not level_objects:
                break
            here = lookup.get_current_prefetch_to(level)
            if here in fetched_at:
                level_objects = fetched_at[here]
                continue
            if not _ensure_prefetch_caches(level_objects):
                break  # e.g. values(): nothing to attach results to
            sample = level_objects[0]
            prefetcher, descriptor, found, already_done = get_prefetcher(
                sample, attr, lookup.get_current_to_attr(level)[0]
            )
            if not found:
                raise AttributeError(
                    "Cannot find '%s' on %s object, '%s' is an invalid "
                    "parameter to prefetch_related()"
                    % (attr, type(sample).__name__, lookup.prefetch_through)
                )
            is_last = level == len(steps) - 1
            if prefetcher is None and is_last:
                raise ValueError(
                    "'%s' does not resolve to an item that supports "
                    "prefetching - this is an invalid parameter to "
                    "prefetch_related()." % lookup.prefetch_through
                )
            todo = [] if prefetcher is None else [o for o in level_objects if not already_done(o)]
            if not todo:
                level_objects = _children_of(level_objects, attr)
                continue
            level_objects, more = prefetch_one_level(todo, prefetcher, lookup, level)
            repeat = (
                here in fetched_at and lookup in added_by_querysets
                and descriptor in descriptors_followed
            )
            if not repeat:
                fetched_at[here] = level_objects
                # The inner queryset's own prefetch_related() continues here.
                nested = normalize_prefetch_lookups(reversed(more), here)
                added_by_querysets.update(nested)
                pending.extend(nested)
            descriptors_followed.add(descriptor)


def get_prefetcher(instance, through_attr, to_attr):
    """
    Return ``(prefetcher, descriptor, attr_found, is_fetched)``: the object
    whose get_prefetch_querysets() fetches ``through_attr`` for many
    instances (a forward/one-to-one descriptor, or a related manager), and
    a function telling whether an instance already has the result.
    """
    descriptor = getattr(type(instance), through_attr, None)
    if descriptor is None:
        return None, None, hasattr(instance, through_attr), (lambda obj: False)
    same_name = through_attr == to_attr

    def has_attr(obj):
        return hasattr(obj, to_attr)

    if hasattr(descriptor, "get_prefetch_querysets"):
        # Forward foreign keys and reverse one-to-ones: the descriptor.
        return descriptor, descriptor, True, (descriptor.is_cached if same_name else has_attr)
    manager = getattr(instance, through_attr)
    prefetcher = manager if hasattr(manager, "get_prefetch_querysets") else None
    if same_name:
        def in_cache(obj):
            return through_attr in obj._prefetched_objects_cache

        return prefetcher, descriptor, True, in_cache
    return prefetcher, descriptor, True, has_attr


def _check_to_attr(instances, to_attr):
    model = type(instances[0])
    try:
        model._meta.get_field(to_attr)
    except FieldDoesNotExist:
        return
    raise ValueError(
        "to_attr=%s conflicts with a field on the %s model." % (to_attr, model.__name__)
    )


def prefetch_one_level(instances, prefetcher, lookup, level):
    """Run one prefetch query for ``instances`` and attach the results.
    Return the related objects and the lookups their queryset asked for."""
    given = lookup.get_current_queryset(level)
    answer = prefetcher.get_prefetch_querysets(instances, None if given is None else [given])
    rows_qs, key_of_row, key_of_instance, single, cache_name, is_descriptor = answer
    # The given queryset's own prefetch_related() runs one level down.
    more = [copy.copy(item) for item in getattr(rows_qs, "_prefetch_related_lookups", ())]
    if more:
        rows_qs._prefetch_related_lookups = ()
    rows = list(rows_qs)
    grouped = {}
    for row in rows:
        grouped.setdefault(key_of_row(row), []).append(row)
    to_attr, as_attr = lookup.get_current_to_attr(level)
    if as_attr and instances:
        _check_to_attr(instances, to_attr)
    at_leaf = level == len(lookup.prefetch_through.split(LOOKUP_SEP)) - 1
    for obj in instances:
        matches = grouped.get(key_of_instance(obj), [])
        if single:
            match = matches[0] if matches else None
            if as_attr:
                setattr(obj, to_attr, match)
            elif is_descriptor:
                setattr(obj, cache_name, match)
            else:
                obj._state.fields_cache[cache_name] = match
            continue
        if as_attr:
            setattr(obj, to_attr, matches)
            continue
        # A manager's queryset that will not query again.
        manager = getattr(obj, to_attr)
        if at_leaf and given is not None:
            cached = manager._apply_rel_filters(given)
        else:
            cached = manager.get_queryset()
        cached._result_cache, cached._prefetch_done = matches, True
        obj._prefetched_objects_cache[cache_name] = cached
    return rows, more


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


def resolve_callables(mapping):
    """Generate key/value pairs for the given mapping where the values are
    evaluated if they're callable.
    """
    for k, v in mapping.items():
        yield k, v() if callable(v) else v


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
