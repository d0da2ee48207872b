"""
Iterables: how the rows of a query become Python objects.

A QuerySet names one of these classes in ``_iterable_class``; evaluating the
queryset iterates an instance of it. Each class only decides the shape of an
item:

* ``ModelIterable``: a model instance per row, with its select_related()
  objects (``RelatedPopulator``), annotations, and the parent a related
  manager already holds.
* ``ValuesIterable``: a dict; ``ValuesListIterable``: a tuple;
  ``NamedValuesListIterable``: a namedtuple; ``FlatValuesListIterable``:
  the bare value of a one-column query.
* ``RawModelIterable``: model instances from the rows of a raw() SELECT.

What a statement's rows need (which slice of a row is which object, which
annotations sit where) depends only on the statement's shape, so
``InstanceRows`` works it out once and keeps it in the compiler's memo
(shared by every compiler of the same shape, see ``sql/statement_cache``).
The row loader itself is chosen again for every query: receivers of the
init signals may connect between two queries.
"""
import operator
from collections import namedtuple
from functools import lru_cache

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE


class BaseIterable:
    """Reads the rows of a queryset's SQL; subclasses shape each item.

    Fetching goes through ``_rows()`` so that chunked (server-side cursor)
    reads are honoured by every kind of item.
    """

    def __init__(self, queryset, chunked_fetch=False, chunk_size=GET_ITERATOR_CHUNK_SIZE):
        self.queryset = queryset
        self.chunked_fetch = chunked_fetch
        self.chunk_size = chunk_size

    def _compiler(self):
        queryset = self.queryset
        return queryset.query.get_compiler(using=queryset.db)

    def _rows(self, compiler, **options):
        return compiler.results_iter(
            chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size, **options
        )


# -- model instances ----------------------------------------------------------

class ModelIterable(BaseIterable):
    """A model instance for each row.

    The statement runs when iteration starts (``iter()``), not at the first
    ``next()``: both callers, ``list()`` and ``QuerySet.iterator()``'s
    generator, start iterating only when they want rows.
    """

    def __iter__(self):
        queryset = self.queryset
        alias = queryset.db
        compiler = queryset.query.get_compiler(using=alias)
        batches = compiler.execute_sql(chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size)
        if compiler.klass_info is None:  # nothing can match: no statement ran
            return iter(())
        rows = compiler.results_iter(batches)
        return InstanceRows.of(compiler).instances(rows, queryset._known_parents, alias)


class InstanceRows:
    """How the rows of one statement shape become model instances.

    Kept in the compiler's memo under ``"instance_rows"``: the memo belongs
    to the statement's shape, so a change of columns, joins or annotations
    is a different memo. The memo lives on a connection, which several
    aliases may share (TEST MIRROR): the alias rows came from is given per
    query to instances(), never kept here.
    """

    def __init__(self, compiler):
        info = compiler.klass_info
        self.model = info["model"]
        self.columns = _column_slice(info)
        self.attnames = _attnames(compiler.select[self.columns])
        self.joined = related_populators(info, compiler.select)
        self.annotations = tuple(compiler.annotation_col_map.items())
        # Each row is exactly one instance's columns: the common case.
        self.bare = not (self.joined or self.annotations) and (
            self.columns == slice(0, compiler.col_count)
        )

    @classmethod
    def of(cls, compiler):
        shape = compiler.memo.get("instance_rows")
        if shape is None:
            shape = compiler.memo["instance_rows"] = cls(compiler)
        return shape

    def instances(self, rows, known_parents, alias):
        """An iterator of instances over ``rows`` (converted tuples) read
        from the database ``alias``."""
        build = self.model._row_loader(alias, self.attnames)
        if self.bare and not known_parents:
            return map(build, rows)
        # Per query, never stored on the shared populators: two aliases on
        # one connection (TEST MIRROR) may iterate the same shape at once.
        finishers = [populator.for_rows(alias) for populator in self.joined]
        if self.annotations:
            finishers.append(_annotation_setter(self.annotations))
        if known_parents:
            finishers.append(_known_parent_setter(tuple(known_parents.items())))
        return _finished(rows, build, self.columns, finishers)


def _finished(rows, build, columns, finishers):
    # A finisher completes an instance from its row: select_related()
    # objects, annotations, a parent already in memory.
    for row in rows:
        instance = build(row[columns])
        for finish in finishers:
            finish(row, instance)
        yield instance


def _annotation_setter(positions):
    def set_annotations(row, instance):
        for name, index in positions:
            setattr(instance, name, row[index])

    return set_annotations


def _known_parent_setter(known):
    """Set on each instance the parent a related manager fetched it for
    (``{fk: {key: parent}}``), so reading it costs no query.

    Only the cache is filled: the row already holds the parent's key, and
    the relation exists, so the assignment checks (adoption,
    allow_relation) have nothing to decide, and must not cost every row
    fetched."""

    def set_parents(row, instance):
        for fk, parents_by_key in known:
            if fk.is_cached(instance):
                continue
            parent = parents_by_key.get(fk.get_local_related_value(instance))
            if parent is not None:
                fk.set_cached_value(instance, parent)

    return set_parents


def _column_slice(klass_info):
    positions = klass_info["select_fields"]
    return slice(positions[0], positions[-1] + 1)


def _attnames(selected):
    return [expression.target.attname for expression, _sql, _alias in selected]


class RelatedPopulator:
    """One select_related() relation: builds its object from its slice of
    a row, caches it on the parent object (and, for one-to-one, the parent
    on it), then lets the relations nested under it do the same."""

    def __init__(self, klass_info, select):
        self.model_cls = klass_info["model"]
        self.columns = _column_slice(klass_info)
        self.attnames = _attnames(select[self.columns])
        # A NULL primary key means the LEFT OUTER JOIN found no row.
        self.pk_position = self.attnames.index(self.model_cls._meta.pk.attname)
        self.cache_on_parent = klass_info["local_setter"]
        self.cache_parent_on_it = klass_info["remote_setter"]
        self.nested = related_populators(klass_info, select)
        self.load = None  # set by prepare(), before each query's rows

    def prepare(self, alias):
        """Choose the row loaders for the next query's rows, read from the
        database ``alias`` (see the module docstring for why per query)."""
        self.load = self.model_cls._row_loader(alias, self.attnames)
        for inner in self.nested:
            inner.prepare(alias)

    def for_rows(self, alias):
        """populate() as a function of its own for one query's rows, read
        from ``alias``: the loaders it uses are chosen here and kept only
        by it."""
        load = self.model_cls._row_loader(alias, self.attnames)
        nested = [inner.for_rows(alias) for inner in self.nested]
        columns, pk_position = self.columns, self.pk_position
        cache_on_parent, cache_parent_on_it = self.cache_on_parent, self.cache_parent_on_it

        def populate_one(row, parent):
            values = row[columns]
            if values[pk_position] is None:
                cache_on_parent(parent, None)
                return
            related = load(values)
            cache_on_parent(parent, related)
            cache_parent_on_it(related, parent)
            for fill in nested:
                fill(row, related)

        return populate_one

    def populate(self, row, parent):
        """Fill ``parent`` from ``row`` with the loaders prepare() chose."""
        values = row[self.columns]
        if values[self.pk_position] is None:
            self.cache_on_parent(parent, None)
            return
        related = self.load(values)
        self.cache_on_parent(parent, related)
        self.cache_parent_on_it(related, parent)
        for inner in self.nested:
            inner.populate(row, related)


def related_populators(klass_info, select):
    """A RelatedPopulator per relation selected under ``klass_info``."""
    infos = klass_info.get("related_klass_infos") if klass_info else None
    return [RelatedPopulator(info, select) for info in infos or ()]


# Kept under its older name for code that imports it.
get_related_populators = related_populators


class RawModelIterable(BaseIterable):
    """Model instances from the rows of a raw() query."""

    def __iter__(self):
        raw = self.queryset
        # Each iteration runs the statement afresh; the column names are
        # then read from that statement's cursor.
        alias = raw.db
        rows = raw.query.iterate(connections[alias])
        try:
            yield from map(RawRowLoader(raw, alias), rows)
        finally:
            raw.query.cursor.close()


class RawRowLoader:
    """Turns one row of a raw query into an instance: the columns named
    like a field fill it (converted as the field's values are), the others
    become plain attributes; fields the SELECT left out are deferred."""

    def __init__(self, raw, alias):
        # Made per query: it may hold the alias (instances get it) and the
        # connection (converters get it).
        self.alias, self.connection = alias, connections[alias]
        self.model = raw.model
        names, self.positions, self.extras = raw.resolve_model_init_order()
        if self.model._meta.pk.attname not in names:
            raise FieldDoesNotExist("Raw query must include the primary key")
        self.names = names
        self.conversions = self._conversions(raw)

    def _conversions(self, raw):
        """(position, expression, converters) for each column whose field
        converts database values."""
        plan = []
        fields = raw.model_fields
        for position, column in enumerate(raw.columns):
            field = fields.get(column)
            if field is not None:
                expression = field.get_col(None)
                connection = self.connection
                found = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
                if found:
                    plan.append((position, expression, found))
        return plan

    def __call__(self, row):
        if self.conversions:
            row = self._converted(row)
        instance = self.model.from_db(self.alias, self.names, [row[p] for p in self.positions])
        for column, position in self.extras:
            setattr(instance, column, row[position])
        return instance

    def _converted(self, row):
        row = list(row)
        connection = self.connection
        for position, expression, converters in self.conversions:
            value = row[position]
            for convert in converters:
                value = convert(value, expression, connection)
            row[position] = value
        return row


# -- dicts and tuples ----------------------------------------------------------

def _selected_names(query):
    # Column order of a values() SELECT: extra(select=), fields, annotations.
    return [*query.extra_select, *query.values_select, *query.annotation_select]


class ValuesIterable(BaseIterable):
    """A dictionary for each row."""

    def __iter__(self):
        compiler = self._compiler()
        names = _selected_names(self.queryset.query)
        for row in self._rows(compiler):
            yield dict(zip(names, row))


class ValuesListIterable(BaseIterable):
    """A tuple for each row."""

    def _reorder(self):
        """An itemgetter putting the columns in the order values_list() was
        given (the SELECT lists extra/fields/annotations by kind), or None
        when the SELECT order is already right."""
        requested = self.queryset._fields
        if not requested:
            return None
        query = self.queryset.query
        wanted = list(requested) + [a for a in query.annotation_select if a not in requested]
        selected = _selected_names(query)
        if wanted == selected:
            return None
        where = {name: index for index, name in enumerate(selected)}
        return operator.itemgetter(*(where[name] for name in wanted)), len(wanted)

    def __iter__(self):
        compiler = self._compiler()
        reorder = self._reorder()
        if reorder is None:
            return map(tuple, self._rows(compiler, tuple_expected=True))
        getter, width = reorder
        if width == 1:
            # itemgetter with one index returns the bare value, not a tuple.
            return ((getter(row),) for row in self._rows(compiler))
        return map(getter, self._rows(compiler))


@lru_cache
def create_namedtuple_class(*names):
    """One Row class per column list, so rows of a query share a class and
    pickle by reference to their column names."""
    base = namedtuple("Row", names)

    def __reduce__(row):
        return unpickle_named_row, (names, tuple(row))

    return type("Row", (base,), {"__slots__": (), "__reduce__": __reduce__})


def unpickle_named_row(names, values):
    return create_namedtuple_class(*names)(*values)


class NamedValuesListIterable(ValuesListIterable):
    """A namedtuple for each row."""

    def __iter__(self):
        names = self.queryset._fields or _selected_names(self.queryset.query)
        row_class = create_namedtuple_class(*names)
        # tuple.__new__ skips the namedtuple's per-field argument parsing.
        make = tuple.__new__
        return (make(row_class, values) for values in super().__iter__())


class FlatValuesListIterable(BaseIterable):
    """The single selected value of each row."""

    def __iter__(self):
        return (row[0] for row in self._rows(self._compiler()))
