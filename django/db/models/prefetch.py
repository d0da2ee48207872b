"""
prefetch_related(): the related objects of many instances at once, one
query per relation and level whatever the number of instances.

A *lookup* is a path of relation names from the instances' model
(``"book_set__chapters"``), given as a string or as a ``Prefetch``, which
adds the queryset to fetch the last relation with and ``to_attr``, a
plain attribute to store that relation's objects in as a list.

How a lookup is followed:

* ``lookup_steps()`` turns a lookup into its levels (``_Step``): the
  attribute to follow, the name the result is stored under, and the path
  so far, which names the objects reached at that level.
* ``PrefetchWalk`` follows the lookups from the root instances, level by
  level. It remembers the objects fetched at each path, so ``"book_set"``
  then ``"book_set__chapters"`` fetch the books once; a lookup that
  reaches a path already fetched continues from those objects.
* ``LevelFetch`` does one level: it finds the relation's *prefetcher* on
  the objects' class, runs the prefetcher's one query for the objects that
  do not hold the result yet, and stores each object's share where
  reading the relation finds it. A queryset given to ``Prefetch`` may have
  its own prefetch_related() lookups: they are followed after the current
  lookup, one level further down.

The prefetcher protocol (forward and reverse relation descriptors, related
managers, generic relations): ``get_prefetch_querysets(instances,
querysets)`` returns ``(rows, key_of_row, key_of_instance, single,
cache_name, is_descriptor)``. ``rows`` iterates the related objects (a
queryset, or anything iterable); an instance's share is the rows whose
``key_of_row()`` equals its ``key_of_instance()``. ``single`` relations
keep one object (or None): set as the attribute ``cache_name`` when
``is_descriptor``, else in the instance's field cache. Multi-valued ones
keep a queryset whose result cache is filled, in the instance's
``_prefetched_objects_cache[cache_name]``, which the related manager reads.
"""
from collections import namedtuple

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models.iterables import ModelIterable
from django.db.models.query_utils import LOOKUP_SEP

__all__ = ["Prefetch", "prefetch_related_objects"]


class Prefetch:
    """A prefetch_related() lookup with options: the queryset to fetch the
    related objects with, and ``to_attr`` to store them as a list instead
    of in the related manager's cache."""

    def __init__(self, lookup, queryset=None, to_attr=None):
        if queryset is not None and not _yields_instances(queryset):
            raise ValueError("Prefetch querysets cannot use raw(), values(), and values_list().")
        # The names of the relations followed, from the instances down; the
        # lookup strings below are made from them.
        self.relation_names = lookup.split(LOOKUP_SEP)
        self.queryset, self.to_attr = queryset, to_attr

    @property
    def prefetch_through(self):
        """The lookup followed: ``"book_set__chapters"``."""
        return LOOKUP_SEP.join(self.relation_names)

    @property
    def prefetch_to(self):
        """Where the results land: the lookup with its last name replaced
        by ``to_attr``, if given."""
        return LOOKUP_SEP.join(_stored_names(self))

    def __getstate__(self):
        # Pickling a queryset would run it: pickle what it describes only.
        return dict(vars(self), queryset=_unevaluated(self.queryset))

    def add_prefix(self, prefix):
        """Make the lookup start at ``prefix``, a path further up."""
        self.relation_names[:0] = prefix.split(LOOKUP_SEP)

    def get_current_prefetch_to(self, level):
        return lookup_steps(self)[level].path

    def get_current_to_attr(self, level):
        step = lookup_steps(self)[level]
        return step.stored_as, step.as_attribute

    def get_current_queryset(self, level):
        return lookup_steps(self)[level].queryset

    def __eq__(self, other):
        # Two lookups storing their results in the same place are the same
        # lookup (prefetch_related() keeps the first).
        return isinstance(other, Prefetch) and other.prefetch_to == self.prefetch_to

    def __hash__(self):
        return hash((Prefetch, self.prefetch_to))

    def __repr__(self):
        return f"<Prefetch: {self.prefetch_to}>"


def _stored_names(prefetch):
    names = prefetch.relation_names
    return [*names[:-1], prefetch.to_attr] if prefetch.to_attr else names


def _unevaluated(queryset):
    """A copy of ``queryset`` that pickles without running its query: it
    counts as evaluated, with no rows. None stays None."""
    if queryset is None:
        return None
    blank = queryset._chained_copy()
    blank._result_cache, blank._lookups_prefetched = [], True
    return blank


def _yields_instances(queryset):
    """Prefetched objects fill caches of instances: only a queryset yielding
    model instances can provide them (not raw(), values(), values_list())."""
    iterable = getattr(queryset, "_iterable_class", None)
    return isinstance(iterable, type) and issubclass(iterable, ModelIterable)


def _as_prefetch(lookup, prefix):
    """A new Prefetch for ``lookup`` (a string or a Prefetch, left as is)
    starting at ``prefix`` (a path, or "" for the root instances)."""
    if isinstance(lookup, Prefetch):
        prefetch = Prefetch(lookup.prefetch_through, lookup.queryset, lookup.to_attr)
    else:
        prefetch = Prefetch(lookup)
    if prefix:
        prefetch.add_prefix(prefix)
    return prefetch


# One level of a lookup. ``follow``: the attribute read on the objects;
# ``stored_as``: where the result lands (``to_attr`` at the last level);
# ``path``: the stored names down to here; ``queryset``: the lookup's
# queryset, at the last level only; ``as_attribute``: store the result as
# a plain attribute (``to_attr``); ``last``: the lookup ends here.
_Step = namedtuple("_Step", "follow stored_as path queryset as_attribute last")


def lookup_steps(prefetch):
    """The levels of ``prefetch``, root first."""
    followed = prefetch.relation_names
    stored = _stored_names(prefetch)
    depth = len(followed)
    steps = []
    for level in range(depth):
        last = level == depth - 1
        steps.append(_Step(
            follow=followed[level],
            stored_as=stored[level],
            path=LOOKUP_SEP.join(stored[: level + 1]),
            queryset=prefetch.queryset if last else None,
            as_attribute=last and bool(prefetch.to_attr),
            last=last,
        ))
    return steps


def prefetch_related_objects(model_instances, *related_lookups):
    """
    Fetch the relations named by ``related_lookups`` (strings or Prefetch
    objects) for all of ``model_instances`` (of one model): one query per
    relation and level, whatever the number of instances. Nested lookups
    (``"book_set__chapters"``) continue from the objects fetched at the
    level above.
    """
    roots = list(model_instances)
    if roots:
        PrefetchWalk(roots).follow_all(related_lookups)


class PrefetchWalk:
    """Follows prefetch lookups down from one list of root instances."""

    def __init__(self, roots):
        self.roots = roots
        # path -> the objects a query fetched at that path
        self.fetched = {}

    def follow_all(self, lookups, prefix=""):
        for lookup in lookups:
            self.follow(_as_prefetch(lookup, prefix))

    def follow(self, prefetch):
        if prefetch.prefetch_to in self.fetched:
            if prefetch.queryset is not None:
                raise ValueError(
                    f"'{prefetch.prefetch_to}' lookup was already seen with a different "
                    "queryset. You may need to adjust the ordering of your lookups."
                )
            return
        # Lookups a fetched queryset asked for, by the path they start at.
        deeper = []
        objects = self.roots
        for step in lookup_steps(prefetch):
            if not objects:
                break
            if step.path in self.fetched:
                objects = self.fetched[step.path]
                continue
            if not _give_prefetch_caches(objects):
                break  # e.g. dicts from values(): nothing to store results on
            prefetcher, holds_result = _find_prefetcher(objects[0], step, prefetch.prefetch_through)
            pending = [obj for obj in objects if not holds_result(obj)] if prefetcher else []
            if not pending:
                # Nothing to fetch here: walk through what the objects hold.
                objects = _reachable(objects, step.follow)
                continue
            objects, asked = LevelFetch(step, prefetcher, pending).run()
            self.fetched[step.path] = objects
            if asked:
                deeper.append((step.path, asked))
        for path, asked in deeper:
            self.follow_all(asked, path)


def _give_prefetch_caches(objects):
    """Give each object a ``_prefetched_objects_cache``; False when they
    cannot take one (dicts and tuples from values(), say)."""
    try:
        for obj in objects:
            vars(obj).setdefault("_prefetched_objects_cache", {})
    except TypeError:  # no instance dict
        return False
    return True


def _reachable(objects, name):
    """The objects one level down ``name`` from ``objects``, read from what
    they already hold."""
    return [held for obj in objects for held in _held(obj, name)]


def _held(obj, name):
    """What ``obj`` holds under ``name`` as a list: a prefetched list, the
    related manager's rows, a cached object, a plain attribute."""
    prefetched = getattr(obj, "_prefetched_objects_cache", {}).get(name)
    if prefetched is not None:
        return list(prefetched)
    try:
        value = getattr(obj, name)
    except ObjectDoesNotExist:
        value = None  # a reverse one-to-one without its row
    if hasattr(value, "get_queryset"):
        return list(value.all())
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _find_prefetcher(sample, step, lookup_name):
    """(the object whose get_prefetch_querysets() follows ``step`` for
    instances like ``sample``, or None when nothing needs fetching; a test
    of whether an instance holds the result already)."""
    name = step.follow
    descriptor = getattr(type(sample), name, None)
    if descriptor is None and not hasattr(sample, name):
        raise AttributeError(
            f"Cannot find '{name}' on {type(sample).__name__} object, "
            f"'{lookup_name}' is an invalid parameter to prefetch_related()"
        )
    if descriptor is None:
        prefetcher = None  # a plain instance attribute
    elif hasattr(descriptor, "get_prefetch_querysets"):
        prefetcher = descriptor  # a single-object relation
    else:
        value = getattr(sample, name)  # a related manager, a property...
        prefetcher = value if hasattr(value, "get_prefetch_querysets") else None
    if prefetcher is None:
        if step.last:
            raise ValueError(
                f"'{lookup_name}' does not resolve to an item that supports "
                "prefetching - this is an invalid parameter to prefetch_related()."
            )
        return None, None
    if step.stored_as != name:
        return prefetcher, lambda obj: hasattr(obj, step.stored_as)
    if prefetcher is descriptor:
        return prefetcher, descriptor.is_cached
    return prefetcher, lambda obj: name in obj._prefetched_objects_cache


class LevelFetch:
    """One level of one lookup: the prefetcher's one query for the
    ``pending`` objects, and the storing of each one's share."""

    def __init__(self, step, prefetcher, pending):
        self.step = step
        self.prefetcher = prefetcher
        self.pending = pending

    def run(self):
        """Fetch and store; return (the related objects fetched, the
        lookups their queryset asked for)."""
        step = self.step
        given = None if step.queryset is None else [step.queryset]
        answer = self.prefetcher.get_prefetch_querysets(self.pending, given)
        source, key_of_row, key_of_owner, single, cache_name, is_descriptor = answer
        asked = getattr(source, "_prefetch_related_lookups", ())
        if asked:
            # They run one level down, from the rows fetched here.
            source._prefetch_related_lookups = ()
        rows = list(source)
        shares = {}
        for row in rows:
            shares.setdefault(key_of_row(row), []).append(row)
        store = self._storer(single, cache_name, is_descriptor)
        for owner in self.pending:
            store(owner, shares.get(key_of_owner(owner), []))
        return rows, asked

    def _storer(self, single, cache_name, is_descriptor):
        """A function storing an owner's share of the rows where reading
        the relation finds it."""
        step = self.step
        if step.as_attribute:
            self._refuse_field_name(step.stored_as)
            if single:
                return lambda owner, share: setattr(owner, step.stored_as, _first(share))
            return lambda owner, share: setattr(owner, step.stored_as, share)
        if single and is_descriptor:
            return lambda owner, share: setattr(owner, cache_name, _first(share))
        if single:
            def store_in_field_cache(owner, share):
                owner._state.fields_cache[cache_name] = _first(share)

            return store_in_field_cache

        def store_as_evaluated_queryset(owner, share):
            manager = getattr(owner, step.stored_as)
            if step.queryset is None:
                queryset = manager.get_queryset()
            else:
                queryset = manager._narrow_to_instance(step.queryset)
            queryset._result_cache = share
            queryset._lookups_prefetched = True
            owner._prefetched_objects_cache[cache_name] = queryset

        return store_as_evaluated_queryset

    def _refuse_field_name(self, to_attr):
        model = type(self.pending[0])
        try:
            model._meta.get_field(to_attr)
        except FieldDoesNotExist:
            return
        raise ValueError(f"to_attr={to_attr} conflicts with a field on the {model.__name__} model.")


def _first(share):
    return share[0] if share else None
