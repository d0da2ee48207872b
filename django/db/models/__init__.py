"""The public API of ``django.db.models``.

Fields, Model, Manager, signals, indexes and constraints come from this
package's model layer; QuerySet, Q, F, lookups, expressions, aggregates and
functions from the query layer (re-exported here as Django does).
"""
import importlib
import importlib.util

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import signals
from django.db.models.constraints import *  # noqa: F401,F403
from django.db.models.constraints import __all__ as constraints_all
from django.db.models.deletion import (
    CASCADE, DO_NOTHING, PROTECT, RESTRICT, SET, SET_DEFAULT, SET_NULL,
    ProtectedError, RestrictedError,
)
from django.db.models.enums import *  # noqa: F401,F403
from django.db.models.enums import __all__ as enums_all
from django.db.models.fields import *  # noqa: F401,F403
from django.db.models.fields import __all__ as fields_all
from django.db.models.fields.json import JSONField
from django.db.models.fields.files import FileField, ImageField
from django.db.models.fields.related import (
    ForeignKey, ForeignObject, ManyToManyField, OneToOneField,
)
from django.db.models.fields.reverse_related import (
    ForeignObjectRel, ManyToManyRel, ManyToOneRel, OneToOneRel,
)
from django.db.models.indexes import *  # noqa: F401,F403
from django.db.models.indexes import __all__ as indexes_all

__all__ = [*constraints_all, *enums_all, *fields_all, *indexes_all]
__all__ += [
    "ObjectDoesNotExist", "signals", "CASCADE", "DO_NOTHING", "PROTECT",
    "RESTRICT", "SET", "SET_DEFAULT", "SET_NULL", "ProtectedError",
    "RestrictedError", "JSONField", "ForeignKey", "ForeignObject",
    "ManyToManyField", "OneToOneField", "ForeignObjectRel", "ManyToManyRel",
    "ManyToOneRel", "OneToOneRel",
]
__all__ += ["FileField", "ImageField"]


def _reexport(module_name, names=None):
    """Re-export a query-layer module's public names if it exists yet."""
    full = "django.db.models." + module_name
    if importlib.util.find_spec(full) is None:
        return
    module = importlib.import_module(full)
    if names is None:
        names = getattr(module, "__all__", None)
        if names is None:
            names = [n for n in vars(module) if not n.startswith("_")]
    for name in names:
        if hasattr(module, name):
            globals()[name] = getattr(module, name)
            if name not in __all__:
                __all__.append(name)


_reexport("expressions", [
    "Case", "Exists", "Expression", "ExpressionList", "ExpressionWrapper", "F",
    "Func", "OrderBy", "OuterRef", "RowRange", "Subquery", "Value",
    "ValueRange", "When", "Window", "WindowFrame",
])
_reexport("query_utils", ["FilteredRelation", "Q"])
_reexport("lookups", ["Lookup", "Transform"])
_reexport("aggregates")
_reexport("functions", [])

from django.db.models.manager import Manager  # noqa: E402

_reexport("query", ["Prefetch", "QuerySet", "prefetch_related_objects"])

from django.db.models.base import DEFERRED, Model  # noqa: E402

__all__ += ["Manager", "DEFERRED", "Model"]

from django.db.models.fields.proxy import OrderWrt  # noqa: E402

__all__ += ["OrderWrt"]
