"""What the routers must agree to before two objects are related.

Every descriptor and related manager hands the objects it is about to link
to ``admit_related()`` (related_descriptors.py), which checks their type and
then calls one of the two functions below. Both run before anything is
written, so a refused relation leaves every database as it was, and an
enclosing ``transaction.atomic()`` stays usable.

``check_assignment(instance, value)``
    ``instance.<fk or one-to-one> = value`` (either side of a one-to-one,
    a constructor keyword, a reverse foreign key's add() through each
    object's foreign key, a generic foreign key through its content type):

    1. adoption: when one side was never saved or read (``_state.db`` is
       None) and the other was, the unsaved side is given the database the
       routers write it to, hinted with the other side:
       ``db_for_write(type(unsaved), instance=saved)``. Its later save()
       with no ``using`` goes there;
    2. ``router.allow_relation(value, instance)``; with no router defining
       it, whether both sides are on the same database. Unsaved objects are
       asked about too.

    Refused: ``Cannot assign "<value>": the current database router
    prevents this relation.``

``check_addition(instance, obj)``
    ``instance.<many-to-many>.add(obj)`` (and set(), and direct assignment):
    ``router.allow_relation(obj, instance)``, no adoption (the link row, not
    ``obj``, is what is written). Refused: ``Cannot add "<obj>": instance is
    on database "<a>", value is on database "<b>"``.

Assignment is on the path of every ``Model(fk=obj)``: with no router at
all, the fallbacks are applied directly (no hint dictionary, no router
call) and the check is one comparison of the two ``_state.db`` values.
"""
from django.db import router


def _adopt(state, model, other):
    """Give an unsaved object's state the database its writes go to."""
    state.db = router.route_write(model, {"instance": other})


def check_assignment(instance, value):
    """Adopt the unsaved side, then ask ``allow_relation(value, instance)``;
    ValueError naming ``value`` when refused."""
    mine, theirs = instance._state, value._state
    here, there = mine.db, theirs.db
    if not router.routers:
        # What the routers' fallbacks answer, without asking: the unsaved
        # side takes the other's database, and only equal ones may meet.
        if here is None:
            here = mine.db = there
        elif there is None:
            there = theirs.db = here
        if here != there:
            _refuse_assignment(value)
        return
    if here is None:
        if there is not None:
            _adopt(mine, type(instance), value)
    elif there is None:
        _adopt(theirs, type(value), instance)
    if not router.allow_relation(value, instance):
        _refuse_assignment(value)


def _refuse_assignment(value):
    raise ValueError('Cannot assign "%r": the current database router prevents this relation.' % (value,))


def check_addition(instance, obj):
    """``allow_relation(obj, instance)`` for a many-to-many link; ValueError
    naming ``obj`` and both databases when refused."""
    if not router.allow_relation(obj, instance):
        raise ValueError(
            'Cannot add "%r": instance is on database "%s", value is on database "%s"'
            % (obj, instance._state.db, obj._state.db)
        )


def saved_elsewhere(obj, alias):
    """Whether ``obj`` is saved, on a database other than ``alias``: 1.2's
    reverse foreign key add() saves such an object onto ``alias``."""
    state = obj._state
    return not state.adding and state.db != alias


def require_saved_on(obj, alias):
    """A reverse foreign key's bulk add() and set() only rewrite rows that
    exist on ``alias``, the database they write: ValueError otherwise."""
    state = obj._state
    if state.adding or state.db != alias:
        raise ValueError("%r instance isn't saved. Use bulk=False or save the object first." % (obj,))
