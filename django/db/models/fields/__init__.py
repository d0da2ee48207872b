"""Model fields: how a Python attribute maps to a database column.

A field converts values in both directions: ``get_prep_value()`` turns a
Python value into something the database layer understands (raising a clear
error naming the field when it cannot), ``get_db_prep_value()`` applies the
backend's adaptation, and ``from_db_value()`` (defined only where needed) or
the backend's converters turn column values back into Python objects.

Layout of this module: the ``Field`` base class, then small families of
concrete fields (integers, other numbers, text, dates, misc scalars).  Each
family shares its conversion code through a private mixin or helper so that
a concrete class is mostly a declaration: its internal type, its messages
and the Python type it converts to.
"""
import base64
import copy
import datetime
import decimal
import ipaddress
import uuid
import warnings
from functools import partialmethod, total_ordering

from django.conf import settings
from django.core import exceptions, validators
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_duration, parse_time
from django.utils.duration import duration_string
from django.utils.datastructures import DictWrapper
from django.utils.functional import Promise, cached_property

from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.fields.storage_checks import (
    FieldValueError,
    FloatGuard,
    field_label,
    LengthGuard,
    RangeGuard,
)
from django.db.models.query_utils import DeferredAttribute, RegisterLookupMixin

__all__ = [
    "AutoField", "BLANK_CHOICE_DASH", "BigAutoField", "BigIntegerField",
    "BinaryField", "BooleanField", "CharField", "DateField", "DateTimeField",
    "DecimalField", "DurationField", "EmailField", "Empty", "Field",
    "FieldValueError", "FloatField", "GenericIPAddressField", "IPAddressField", "IntegerField",
    "NOT_PROVIDED",
    "NullBooleanField", "PositiveBigIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SlugField", "SmallAutoField",
    "SmallIntegerField", "TextField", "TimeField", "URLField", "UUIDField",
]


class NOT_PROVIDED:
    """Sentinel for "no default given" (``None`` is a legitimate default)."""


class Empty:
    """An attribute-less shell; ``Field`` copies and unpickles into one and
    then swaps its class, so no ``__init__`` runs twice."""


BLANK_CHOICE_DASH = [("", "---------")]


def _shell_of(field_class):
    shell = Empty()
    shell.__class__ = field_class
    return shell


def _column(alias, field, output_field=None):
    from django.db.models.expressions import Col  # expressions import fields

    return Col(alias, field, output_field)


def _field_by_path(app_label, model_name, field_name):
    # Pickled fields that belong to a model are looked up again on load, so
    # the unpickled object *is* the model's field.
    from django.apps import apps

    return apps.get_model(app_label, model_name)._meta.get_field(field_name)


def _expected(field, value, what):
    """Message for a query value the field cannot convert. A field without a
    name (a transform's output) leaves naming the subject to the lookup."""
    if field.name is None:
        return "expected %s but got %r." % (what, value)
    return "Field '%s' expected %s but got %r." % (field.name, what, value)


def _invalid(field, value, code="invalid"):
    """A ValidationError carrying the field's own message for ``code``."""
    return exceptions.ValidationError(
        field.error_messages[code], code=code, params={"value": value}
    )


def _to_python_for_query(field, value, what):
    """Run ``to_python()`` on a query value: bad input is a programming error
    there, not a form error, hence ValueError rather than ValidationError."""
    try:
        return field.to_python(value)
    except exceptions.ValidationError as exc:
        raise ValueError(_expected(field, value, what)) from exc


def _qualified_name(klass):
    return "%s.%s" % (klass.__module__, klass.__qualname__)


# Options accepted by Field.__init__ and recorded by deconstruct(): name ->
# (attribute holding the value as given, default).
_FIELD_OPTIONS = {
    "verbose_name": ("_verbose_name_given", None),
    "primary_key": ("primary_key", False),
    "max_length": ("max_length", None),
    "unique": ("_unique_given", False),
    "blank": ("blank", False),
    "null": ("null", False),
    "db_index": ("db_index", False),
    "default": ("default", NOT_PROVIDED),
    "editable": ("editable", True),
    "serialize": ("serialize", True),
    "choices": ("choices", None),
    "help_text": ("help_text", ""),
    "db_column": ("db_column", None),
    "db_tablespace": ("db_tablespace", None),
    "auto_created": ("auto_created", False),
    "validators": ("_validators_given", []),
    "error_messages": ("_error_messages_given", None),
    "db_comment": ("db_comment", None),
}

# The methods that turn a Python value into what is saved.
_PREPARATION = ("get_prep_value", "get_db_prep_value", "get_db_prep_save")

# Modules whose fields are re-exported by ``django.db.models``: deconstruct()
# reports the short public path for them.
_SHORT_PATH_MODULES = ("django.db.models.fields.json", "django.db.models.fields")


@total_ordering
class Field(RegisterLookupMixin):
    """Base class for every model field."""

    # None means "use the class name"; built-in fields pin their type so
    # that user subclasses keep the parent's column type.
    _internal_type = None

    empty_strings_allowed = True
    empty_values = list(validators.EMPTY_VALUES)

    # Fields sort in the order they were written. Auto-created fields take
    # numbers from a separate, decreasing counter so they come first.
    creation_counter = 0
    auto_creation_counter = -1

    default_validators = []
    default_error_messages = {
        "invalid_choice": "Value %(value)r is not a valid choice.",
        "null": "This field cannot be null.",
        "blank": "This field cannot be blank.",
        "unique": "%(model_name)s with this %(field_label)s already exists.",
    }
    system_check_deprecated_details = None
    system_check_removed_details = None

    # Relation flags; relation fields override them.
    is_relation = False
    many_to_many = None
    many_to_one = None
    one_to_many = None
    one_to_one = None
    related_model = None
    remote_field = None
    hidden = False

    db_returning = False
    descriptor_class = DeferredAttribute
    description = "Field"

    def __init__(
        self, verbose_name=None, name=None, primary_key=False, max_length=None,
        unique=False, blank=False, null=False, db_index=False, rel=None,
        default=NOT_PROVIDED, editable=True, serialize=True, unique_for_date=None,
        unique_for_month=None, unique_for_year=None, choices=None, help_text="",
        db_column=None, db_tablespace=None, auto_created=False, validators=(),
        error_messages=None, db_comment=None,
    ):
        # Values kept exactly as given (deconstruct() reports them).
        self._verbose_name_given = verbose_name
        self._unique_given = unique
        self._validators_given = list(validators)
        self._error_messages_given = error_messages

        # Options stored as given, under their own names.
        vars(self).update(
            name=name, verbose_name=verbose_name, primary_key=primary_key,
            max_length=max_length, blank=blank, null=null, db_index=db_index,
            default=default, editable=editable, serialize=serialize,
            unique_for_date=unique_for_date, unique_for_month=unique_for_month,
            unique_for_year=unique_for_year, help_text=help_text,
            db_column=db_column, db_tablespace=db_tablespace,
            db_comment=db_comment, auto_created=auto_created,
        )
        self.choices = self._normalize_choices(choices)
        self.remote_field = rel
        self.is_relation = rel is not None

        self.creation_counter = self._next_creation_number(auto_created)
        self.error_messages = self._collect_error_messages(error_messages)

        # Filled in by contribute_to_class().
        self.model = None
        self.attname = None
        self.column = None
        self.concrete = False

    @staticmethod
    def _normalize_choices(choices):
        if choices is None:
            return None
        if isinstance(choices, type) and hasattr(choices, "choices"):
            return choices.choices  # a Choices enum class
        return choices if isinstance(choices, (list, tuple)) else list(choices)

    @staticmethod
    def _next_creation_number(auto_created):
        if auto_created:
            number = Field.auto_creation_counter
            Field.auto_creation_counter = number - 1
        else:
            number = Field.creation_counter
            Field.creation_counter = number + 1
        return number

    def _collect_error_messages(self, overrides):
        # Base classes first, so a subclass's message for a code wins, and
        # the messages passed to this instance win over all of them.
        merged = {}
        for klass in type(self).__mro__[::-1]:
            merged.update(vars(klass).get("default_error_messages", {}))
        merged.update(overrides or {})
        return merged

    # -- identity -------------------------------------------------------
    def __str__(self):
        model = getattr(self, "model", None)
        if model is None:
            return object.__str__(self)
        return "%s.%s" % (model._meta.label, self.name)

    def __repr__(self):
        name = getattr(self, "name", None)
        path = _qualified_name(type(self))
        return "<%s>" % path if name is None else "<%s: %s>" % (path, name)

    def _equality_key(self):
        model = getattr(self, "model", None)
        return self.creation_counter, model

    def __eq__(self, other):
        if not isinstance(other, Field):
            return NotImplemented
        return self._equality_key() == other._equality_key()

    def __lt__(self, other):
        if not isinstance(other, Field):
            return NotImplemented
        if self.creation_counter != other.creation_counter:
            return self.creation_counter < other.creation_counter
        # Same counter (fields copied into several models): order by model.
        if self.model is None or other.model is None:
            return False
        mine, theirs = self.model._meta, other.model._meta
        return (mine.app_label, mine.model_name) < (theirs.app_label, theirs.model_name)

    def __hash__(self):
        return hash(self.creation_counter)

    def __copy__(self):
        # The default copy protocol would go through __reduce__, which hands
        # back the model's own field; a copy must be a new object.
        duplicate = _shell_of(type(self))
        duplicate.__dict__ = dict(self.__dict__)
        # Save guards name the field they belong to: the copy makes its own.
        duplicate.__dict__.pop("_save_guards", None)
        return duplicate

    def __deepcopy__(self, memodict):
        # Abstract-model inheritance deep-copies fields. Validators, choices
        # and defaults can be shared; only the relation descriptor object is
        # per-field state worth duplicating.
        duplicate = self.__copy__()
        if self.remote_field:
            duplicate.remote_field = copy.copy(self.remote_field)
        memodict[id(self)] = duplicate
        return duplicate

    def __reduce__(self):
        owner = self.model
        if owner is None:  # a free-standing field travels with its state
            return _shell_of, (type(self),), dict(self.__dict__)
        return _field_by_path, (owner._meta.app_label, owner._meta.object_name, self.name)

    # -- checks -----------------------------------------------------------
    def check(self, **kwargs):
        """Return the list of configuration problems found on this field."""
        return self._name_problems() + self._choices_problems()

    def _error(self, msg, id):
        from django.core import checks

        return checks.Error(msg, obj=self, id=id)

    _NAME_RULES = (
        (lambda name: name.endswith("_"),
         "Field names must not end with an underscore.", "fields.E001"),
        (lambda name: "__" in name,
         'Field names must not contain "__".', "fields.E002"),
        (lambda name: name == "pk",
         "'pk' is a reserved word that cannot be used as a field name.", "fields.E003"),
    )

    def _name_problems(self):
        if not self.name:
            return []
        for broken, message, check_id in self._NAME_RULES:
            if broken(self.name):
                return [self._error(message, check_id)]
        return []

    def _choices_problems(self):
        if self.choices is None:
            return []
        well_formed = all(
            isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in self.choices
        )
        if well_formed:
            return []
        return [self._error(
            "'choices' must be an iterable containing (actual value, human "
            "readable name) tuples.", "fields.E005",
        )]

    # -- attributes ------------------------------------------------------
    @property
    def unique(self):
        return self.primary_key or self._unique_given

    @cached_property
    def validators(self):
        # A fresh list per field: subclasses append to it in __init__.
        return list(self.default_validators) + self._validators_given

    def get_attname(self):
        return self.name

    def get_attname_column(self):
        """(attribute name, column name): the column is db_column if given."""
        return self.get_attname(), self.db_column or self.get_attname()

    def set_attributes_from_name(self, name):
        self.name = self.name or name
        attname, column = self.get_attname_column()
        # A field without a column (a generic relation...) is not concrete.
        vars(self).update(attname=attname, column=column, concrete=column is not None)
        if self.verbose_name is None and self.name:
            self.verbose_name = self.name.replace("_", " ")

    def contribute_to_class(self, cls, name, private_only=False):
        """Attach the field to model ``cls`` under ``name``: register it
        with the model's options and install the attribute descriptor."""
        self.set_attributes_from_name(name)
        self.model = cls
        cls._meta.add_field(self, private=private_only)
        self._install_model_attributes(cls)

    def _install_model_attributes(self, cls):
        """The descriptor for the column and, with choices, the
        ``get_FOO_display()`` method (unless the model defines its own)."""
        if self.column:
            setattr(cls, self.attname, self.descriptor_class(self))
        display_method = "get_%s_display" % self.name
        if self.choices is not None and display_method not in vars(cls):
            setattr(cls, display_method, partialmethod(cls._get_FIELD_display, field=self))

    def get_filter_kwargs_for_object(self, obj):
        return {self.name: getattr(obj, self.attname)}

    def get_internal_type(self):
        return self._internal_type or type(self).__name__

    # -- database types --------------------------------------------------
    def db_type_parameters(self, connection):
        # Column templates may say %(max_length)s or %(qn_column)s.
        return DictWrapper(self.__dict__, connection.ops.quote_name, "qn_")

    def _render_type_template(self, templates, connection):
        template = templates.get(self.get_internal_type())
        if template is None:
            return None
        parameters = self.db_type_parameters(connection)
        return template(parameters) if callable(template) else template % parameters

    def db_check(self, connection):
        return self._render_type_template(connection.data_type_check_constraints, connection)

    def db_type(self, connection):
        """The column type for this field on ``connection`` (None: no column)."""
        return self._render_type_template(connection.data_types, connection)

    def rel_db_type(self, connection):
        """The column type of a foreign key pointing at this field."""
        return self.db_type(connection)

    def cast_db_type(self, connection):
        """The type to name in ``CAST(... AS type)`` for this field."""
        cast_templates = getattr(connection.ops, "cast_data_types", {})
        return self._render_type_template(cast_templates, connection) or self.db_type(connection)

    def db_parameters(self, connection):
        return {"type": self.db_type(connection), "check": self.db_check(connection)}

    def db_type_suffix(self, connection):
        suffixes = getattr(connection, "data_types_suffix", {})
        return suffixes.get(self.get_internal_type())

    def get_db_converters(self, connection):
        converter = getattr(self, "from_db_value", None)
        return [converter] if converter is not None else []

    @property
    def db_tablespace_name(self):
        return self.db_tablespace

    # -- values ----------------------------------------------------------
    def to_python(self, value):
        return value  # subclasses coerce

    def get_prep_value(self, value):
        """Turn a Python value into the field's canonical query value."""
        if isinstance(value, Promise):
            value = value._evaluate()  # lazy strings resolve here
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        return value if prepared else self.get_prep_value(value)

    def get_db_prep_save(self, value, connection):
        # An expression is rendered by the compiler, not prepared.
        return value if hasattr(value, "as_sql") else self.get_db_prep_value(value, connection)

    def save_passthrough_type(self, connection):
        """
        The exact type whose values get_db_prep_save() hands back as they
        are on ``connection`` once save_guard() passed them, or None: an
        INSERT stores such values without calling it. Built-in fields whose
        preparation returns values of one type untouched declare it as
        ``_prep_passthrough_type``; a subclass that prepares values its own
        way (overriding a method of _PREPARATION) has none.
        """
        passthrough = getattr(self, "_prep_passthrough_type", None)
        if passthrough is None:
            return None
        cls, own = type(self), self.__dict__
        builtin = next(klass for klass in cls.__mro__ if klass.__module__ == __name__)
        for name in _PREPARATION:
            if name in own or getattr(cls, name) is not getattr(builtin, name):
                return None
        return passthrough

    def save_guard(self, connection):
        """The storage_checks.Guard that values of save_passthrough_type()
        must pass on ``connection`` before they are stored unprepared, or
        None when every such value is storable."""
        return None

    def get_default(self):
        if not self.has_default():
            # String columns default to "" unless NULL is the empty value.
            return "" if self.empty_strings_allowed and not self.null else None
        given = self.default
        return given() if callable(given) else given

    def has_default(self):
        return self.default is not NOT_PROVIDED

    def value_from_object(self, obj):
        return getattr(obj, self.attname)

    def pre_save(self, model_instance, add):
        # By default what gets saved is simply the attribute's current value.
        return self.value_from_object(model_instance)

    def value_to_string(self, obj):
        return str(self.value_from_object(obj))

    # -- validation ------------------------------------------------------
    def run_validators(self, value):
        """Run every validator on a non-empty value; their complaints, all
        of them, make one ValidationError."""
        if value in self.empty_values:
            return
        complaints = [c for check in self.validators for c in self._complaints(check, value)]
        if complaints:
            raise exceptions.ValidationError(complaints)

    def _complaints(self, check, value):
        try:
            check(value)
        except exceptions.ValidationError as failure:
            return list(map(self._in_own_words, failure.error_list))
        return []

    def _in_own_words(self, complaint):
        # The field may word a validator's complaint its own way: by the
        # message it has for the complaint's code.
        wording = self.error_messages.get(getattr(complaint, "code", None))
        if wording is not None:
            complaint.message = wording
        return complaint

    def _is_a_choice(self, value):
        return any(value == key for key, _label in self.flatchoices)

    def validate(self, value, model_instance):
        """Check choices, null and blank; raise ValidationError."""
        if not self.editable:
            return  # not user input: nothing to hold against the user
        is_empty = value in self.empty_values
        if self.choices is not None and not is_empty and not self._is_a_choice(value):
            raise _invalid(self, value, "invalid_choice")
        if value is None and not self.null:
            raise exceptions.ValidationError(self.error_messages["null"], code="null")
        if is_empty and not self.blank:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def clean(self, value, model_instance):
        """The value converted by to_python(), once validate() and the
        validators accept it (ValidationError otherwise)."""
        return self._accepted(self.to_python(value), model_instance)

    def _accepted(self, converted, model_instance):
        self.validate(converted, model_instance)
        self.run_validators(converted)
        return converted

    # -- choices ---------------------------------------------------------
    def get_choices(self, include_blank=True, blank_choice=BLANK_CHOICE_DASH):
        choices = list(self.choices or ())
        has_blank_already = any(key in ("", None) for key, _label in self.flatchoices)
        if include_blank and not has_blank_already:
            return list(blank_choice) + choices
        return choices

    @property
    def flatchoices(self):
        """Choices with option groups expanded into their members."""
        flat = []
        for key, label in self.choices or ():
            flat += label if isinstance(label, (list, tuple)) else [(key, label)]
        return flat

    # -- expressions -----------------------------------------------------
    def get_col(self, alias, output_field=None):
        """A column reference to this field through table alias ``alias``."""
        plain = alias == self.model._meta.db_table and output_field in (None, self)
        return self.cached_col if plain else _column(alias, self, output_field)

    def select_format(self, compiler, sql, params):
        return sql, params  # selected as it is; some fields wrap it

    @cached_property
    def cached_col(self):
        # The common reference (own table, own type), built once.
        return _column(self.model._meta.db_table, self)

    # -- deconstruction --------------------------------------------------
    def deconstruct(self):
        """Return ``(name, path, args, kwargs)`` enough to recreate the field."""
        kwargs = {}
        for option, (attribute, default) in _FIELD_OPTIONS.items():
            value = getattr(self, attribute)
            if option == "choices" and value is not None:
                value = list(value)
            # NOT_PROVIDED is a class: compare it by identity.
            differs = value is not default if isinstance(default, type) else value != default
            if differs:
                kwargs[option] = value
        path = _qualified_name(type(self))
        module = type(self).__module__
        if module in _SHORT_PATH_MODULES:
            path = "django.db.models." + type(self).__qualname__
        return self.name, path, [], kwargs

    def clone(self):
        args, kwargs = self.deconstruct()[2:]
        return type(self)(*args, **kwargs)


# --------------------------------------------------------------------------
# Integers
# --------------------------------------------------------------------------
class _CheckedSaveMixin:
    """get_db_prep_save() with the storage checks (see storage_checks): a
    value is refused before conversion when converting it would lose data
    (_refuse_lossy_conversion()), and after it when the field does not
    store it (save_guard(), made by _new_save_guard())."""

    def _refuse_lossy_conversion(self, value):
        pass

    def _new_save_guard(self, connection):
        return None

    def save_guard(self, connection):
        # Kept per operations class: a guard only depends on the backend.
        guards = self.__dict__.get("_save_guards")
        if guards is None:
            guards = self._save_guards = {}
        vendor_ops = type(connection.ops)
        if vendor_ops not in guards:
            guards[vendor_ops] = self._new_save_guard(connection)
        return guards[vendor_ops]

    def get_db_prep_save(self, value, connection):
        if hasattr(value, "as_sql"):
            return value  # an expression: the compiler renders it
        self._refuse_lossy_conversion(value)
        value = self.get_db_prep_value(value, connection=connection, prepared=False)
        if isinstance(value, self._prep_passthrough_type):
            guard = self.save_guard(connection)
            if guard is not None:
                guard.value(value)
        return value


def _is_whole(number):
    try:
        return number == int(number)
    except (OverflowError, ValueError):  # infinities, NaN
        return False


def _portable_range(field):
    """(lowest, highest) value of an integer field's type on every backend,
    as documented (Positive* from 0), or None for a type of its own."""
    return BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type())


class _CastingNumberMixin(_CheckedSaveMixin):
    """to_python()/get_prep_value() for numbers built by calling ``_cast``."""

    _cast = None

    @property
    def _prep_passthrough_type(self):
        return self._cast  # get_prep_value() returns it untouched

    def to_python(self, value):
        if value is None:
            return None
        try:
            return self._cast(value)
        except (TypeError, ValueError):
            raise _invalid(self, value) from None

    def get_prep_value(self, value):
        if type(value) is self._cast or value is None:
            return value  # already canonical (the common case), or no value
        return self._cast_for_query(Field.get_prep_value(self, value))

    def _cast_for_query(self, value):
        try:
            return self._cast(value)
        except (TypeError, ValueError) as failure:
            # The same class: callers tell non-numbers (TypeError) from
            # malformed text (ValueError).
            raise type(failure)(_expected(self, value, "a number")) from failure


class IntegerField(_CastingNumberMixin, Field):
    _internal_type = "IntegerField"
    _cast = int
    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be an integer."}
    description = "Integer"

    @cached_property
    def validators(self):
        # full_clean() reports what saving would refuse: a value outside
        # the type's range, unless a validator given is at least as strict.
        chosen = super().validators
        bounds = _portable_range(self)
        if bounds is None:
            return chosen
        low, high = bounds
        if not any(isinstance(v, validators.MinValueValidator) and v.limit_value >= low for v in chosen):
            chosen.append(validators.MinValueValidator(low))
        if not any(isinstance(v, validators.MaxValueValidator) and v.limit_value <= high for v in chosen):
            chosen.append(validators.MaxValueValidator(high))
        return chosen

    def _refuse_lossy_conversion(self, value):
        if isinstance(value, (float, decimal.Decimal)) and not _is_whole(value):
            raise FieldValueError(self, value, "is not a whole number", "fraction")

    def _new_save_guard(self, connection):
        bounds = _portable_range(self)
        if bounds is None:
            return None
        return RangeGuard(self, *bounds, kind=self.get_internal_type())

    def _plain_integer_class(self, connection):
        """The integer field whose column type a foreign key to this one
        uses, or None to use this field's own type."""
        return None

    def rel_db_type(self, connection):
        plain = self._plain_integer_class(connection)
        if plain is None:
            return self.db_type(connection)
        return plain().db_type(connection=connection)


class BigIntegerField(IntegerField):
    _internal_type = "BigIntegerField"
    description = "Big (8 byte) integer"


class SmallIntegerField(IntegerField):
    _internal_type = "SmallIntegerField"
    description = "Small integer"


class _PositiveMixin:
    """Positive integers reference as their signed counterpart, except on
    backends whose foreign keys must match the target type exactly."""

    _signed = IntegerField

    def _plain_integer_class(self, connection):
        if getattr(connection.features, "related_fields_match_type", False):
            return None
        return self._signed


class PositiveIntegerField(_PositiveMixin, IntegerField):
    _internal_type = "PositiveIntegerField"
    description = "Positive integer"


class PositiveSmallIntegerField(_PositiveMixin, SmallIntegerField):
    _internal_type = "PositiveSmallIntegerField"
    _signed = SmallIntegerField
    description = "Positive small integer"


class PositiveBigIntegerField(_PositiveMixin, BigIntegerField):
    _internal_type = "PositiveBigIntegerField"
    _signed = BigIntegerField
    description = "Positive big integer"


class AutoFieldMixin:
    """An integer primary key whose value the database assigns."""

    db_returning = True
    _signed = IntegerField

    def __init__(self, *args, **kwargs):
        # Never required from the user: the database fills it in.
        super().__init__(*args, **{**kwargs, "blank": True})

    def validate(self, value, model_instance):
        pass

    def get_db_prep_value(self, value, connection, prepared=False):
        if prepared:
            return value
        value = self.get_prep_value(value)
        # Some backends reject particular key values (MySQL: 0).
        check = getattr(connection.ops, "validate_autopk_value", None)
        return value if check is None else check(value)

    def save_passthrough_type(self, connection):
        """Field's, where the backend accepts every key value."""
        check = getattr(type(connection.ops), "validate_autopk_value", None)
        if check not in (None, BaseDatabaseOperations.validate_autopk_value):
            return None
        return super().save_passthrough_type(connection)

    def contribute_to_class(self, cls, name, **kwargs):
        if cls._meta.auto_field is not None:
            raise ValueError(
                "Model %s can't have more than one auto-generated field." % cls._meta.label
            )
        super().contribute_to_class(cls, name, **kwargs)
        cls._meta.auto_field = self

    def _plain_integer_class(self, connection):
        return self._signed


class AutoFieldMeta(type):
    """Lets ``isinstance(x, AutoField)`` hold for every auto-increment key
    (Big/Small included), although they do not derive from AutoField."""

    def _counts_as_auto_field(cls, klass):
        if cls is AutoField and issubclass(klass, (BigAutoField, SmallAutoField)):
            return True
        return type.__subclasscheck__(cls, klass)

    def __instancecheck__(cls, instance):
        return cls._counts_as_auto_field(type(instance))

    def __subclasscheck__(cls, subclass):
        return cls._counts_as_auto_field(subclass)


class AutoField(AutoFieldMixin, IntegerField, metaclass=AutoFieldMeta):
    _internal_type = "AutoField"


class BigAutoField(AutoFieldMixin, BigIntegerField):
    _internal_type = "BigAutoField"
    _signed = BigIntegerField


class SmallAutoField(AutoFieldMixin, SmallIntegerField):
    _internal_type = "SmallAutoField"
    _signed = SmallIntegerField


# --------------------------------------------------------------------------
# Booleans, floats, decimals
# --------------------------------------------------------------------------
# Every value a boolean column accepts, and what it means (1 and 1.0 hash
# like True, so they are in too).
_BOOLEANS = {
    True: True, "t": True, "True": True, "1": True,
    False: False, "f": False, "False": False, "0": False,
}


class BooleanField(Field):
    _internal_type = "BooleanField"
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value must be either True or False.",
        "invalid_nullable": "“%(value)s” value must be either True, False, or None.",
    }
    description = "Boolean (Either True or False)"
    _prep_passthrough_type = bool

    def to_python(self, value):
        if self.null and value in self.empty_values:
            return None
        try:
            return _BOOLEANS[value]
        except (KeyError, TypeError):  # unknown, or unhashable
            pass
        message = self.error_messages["invalid_nullable" if self.null else "invalid"]
        raise exceptions.ValidationError(message, code="invalid", params={"value": value})

    def get_prep_value(self, value):
        if value is True or value is False:
            return value
        value = super().get_prep_value(value)
        if value is None:
            return None
        return _to_python_for_query(self, value, "a boolean")


class NullBooleanField(BooleanField):
    """Old spelling of ``BooleanField(null=True)``."""

    def __init__(self, *args, **kwargs):
        kwargs.update(null=True, blank=True)
        super().__init__(*args, **kwargs)


class FloatField(_CastingNumberMixin, Field):
    _internal_type = "FloatField"
    _cast = float
    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be a float."}
    description = "Floating point number"

    def _new_save_guard(self, connection):
        # Only where the database would store NaN or infinities as
        # something else (SQLite: NaN as NULL).
        nan_ok = getattr(connection.ops, "stores_float_nan", True)
        infinity_ok = getattr(connection.ops, "stores_float_infinity", True)
        if nan_ok and infinity_ok:
            return None
        return FloatGuard(self, nan_ok, infinity_ok, connection.display_name)


def _require_non_negative_int(option, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError(
            "DecimalField requires '%s' to be a non-negative integer, got %r." % (option, value)
        )


class DecimalField(Field):
    _internal_type = "DecimalField"
    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be a decimal number."}
    description = "Decimal number"

    def __init__(self, verbose_name=None, name=None, max_digits=None, decimal_places=None, **kwargs):
        _require_non_negative_int("max_digits", max_digits)
        _require_non_negative_int("decimal_places", decimal_places)
        if decimal_places > max_digits:
            raise TypeError(
                "DecimalField's 'max_digits' (%d) must be greater or equal to "
                "'decimal_places' (%d)." % (max_digits, decimal_places)
            )
        super().__init__(verbose_name, name, **kwargs)
        self.max_digits, self.decimal_places = max_digits, decimal_places

    def deconstruct(self):
        *identity, kwargs = super().deconstruct()
        precision = {"max_digits": self.max_digits, "decimal_places": self.decimal_places}
        return (*identity, {**kwargs, **precision})

    @cached_property
    def validators(self):
        digits_check = validators.DecimalValidator(self.max_digits, self.decimal_places)
        return super().validators + [digits_check]

    @cached_property
    def context(self):
        # Floats convert with exactly as many significant digits as fit.
        return decimal.Context(prec=self.max_digits)

    def _make_decimal(self, value):
        if isinstance(value, float):
            return self.context.create_decimal_from_float(value)
        return decimal.Decimal(value)

    def to_python(self, value):
        if value is None:
            return None
        try:
            return self._make_decimal(value)
        except (decimal.InvalidOperation, TypeError, ValueError):
            raise _invalid(self, value) from None

    def get_prep_value(self, value):
        value = Field.get_prep_value(self, value)
        return None if value is None else _to_python_for_query(self, value, "a decimal number")

    def _quantize(self, value):
        """Round to ``decimal_places``; NaN/infinity pass through."""
        if value is None or not value.is_finite():
            return value
        step = decimal.Decimal(1).scaleb(-self.decimal_places)
        return value.quantize(step, context=self.context)

    def _adapt(self, value, connection):
        return connection.ops.adapt_decimalfield_value(value, self.max_digits, self.decimal_places)

    def get_db_prep_save(self, value, connection):
        if hasattr(value, "as_sql"):
            return value  # an expression: the compiler renders it
        return self._adapt(self._storable(self.get_prep_value(value)), connection)

    def _storable(self, number):
        """``number`` rounded to decimal_places, if the column holds it."""
        if number is None:
            return None
        if not number.is_finite():
            # A NUMERIC(p, s) column holds neither infinities nor NaN.
            raise FieldValueError(self, number, "is not a finite number", "not_finite")
        try:
            return self._quantize(number)
        except decimal.InvalidOperation:
            reason = "does not fit max_digits=%d, decimal_places=%d" % (self.max_digits, self.decimal_places)
            raise FieldValueError(self, number, reason, "max_digits") from None

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return self._adapt(value, connection)

    def from_db_value(self, value, expression, connection):
        # Drivers that store decimals loosely (SQLite) may hand back floats.
        if value is None or isinstance(value, decimal.Decimal):
            return value
        return self._quantize(self._make_decimal(value))


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------
def _enforce_max_length(field):
    """An explicit max_length becomes a validator of the field."""
    if field.max_length is not None:
        field.validators.append(validators.MaxLengthValidator(field.max_length))


# Values whose str() is their repr(), never the text a user meant.
_NOT_TEXT = (bytes, bytearray, memoryview, dict, list, tuple, set, frozenset)


class _StringMixin(_CheckedSaveMixin):
    """Text columns: other values are stored as their ``str()``, except
    those whose text would be a repr (_NOT_TEXT)."""

    _prep_passthrough_type = str

    def _refuse_lossy_conversion(self, value):
        if isinstance(value, _NOT_TEXT):
            raise FieldValueError(self, value, "is a %s value, not text" % type(value).__name__, "not_text")

    def _new_save_guard(self, connection):
        return None if self.max_length is None else LengthGuard(self, self.max_length)

    def to_python(self, value):
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def get_prep_value(self, value):
        if type(value) is str:
            return value
        return self.to_python(super().get_prep_value(value))


class CharField(_StringMixin, Field):
    _internal_type = "CharField"
    description = "String (up to %(max_length)s)"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        length = self.max_length
        if length is not None and (isinstance(length, bool) or not isinstance(length, int) or length <= 0):
            raise TypeError("CharField 'max_length' must be a positive integer, got %r." % (length,))
        _enforce_max_length(self)

    def contribute_to_class(self, cls, name, **kwargs):
        # Checked here rather than in __init__ so the message can name the
        # model and attribute.
        if self.max_length is None:
            raise TypeError(
                "%s.%s: %s requires a 'max_length' argument."
                % (cls.__name__, self.name or name, type(self).__name__)
            )
        super().contribute_to_class(cls, name, **kwargs)


class SlugField(CharField):
    _internal_type = "SlugField"
    default_validators = [validators.validate_slug]
    description = "Slug (up to %(max_length)s)"

    def __init__(self, *args, max_length=50, db_index=True, allow_unicode=False, **kwargs):
        self.allow_unicode = allow_unicode
        # Per instance: the slug alphabet depends on allow_unicode.
        self.default_validators = [
            validators.validate_unicode_slug if allow_unicode else validators.validate_slug
        ]
        super().__init__(*args, max_length=max_length, db_index=db_index, **kwargs)


class EmailField(CharField):
    default_validators = [validators.validate_email]
    description = "Email address"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{"max_length": 254, **kwargs})


class URLField(CharField):
    default_validators = [validators.URLValidator()]
    description = "URL"

    def __init__(self, verbose_name=None, name=None, **kwargs):
        super().__init__(verbose_name, name, **{"max_length": 200, **kwargs})


class TextField(_StringMixin, Field):
    _internal_type = "TextField"
    description = "Text"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _enforce_max_length(self)


# --------------------------------------------------------------------------
# Dates and times
# --------------------------------------------------------------------------
def _parse_text(field, value, parser):
    """Parse a string with ``parser`` (one of django.utils.dateparse's, which
    return None for text they do not recognise); anything else, or a string
    the parser rejects, is the field's "invalid" ValidationError."""
    if isinstance(value, str):
        try:
            parsed = parser(value.strip())
        except ValueError:  # well-formed but impossible, e.g. 2009-02-30
            parsed = None
        if parsed is not None:
            return parsed
    raise _invalid(field, value)


def _datetime_from_text(text):
    # A bare date means midnight, in the default time zone when time zones
    # are on.
    moment = parse_datetime(text)
    if moment is not None:
        return moment
    day = parse_date(text)
    if day is None:
        return None
    moment = datetime.datetime.combine(day, datetime.time())
    if settings.USE_TZ:
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _calendar_date(moment):
    # An aware moment names a date only once placed in a zone: the default
    # one when time zones are on.
    if settings.USE_TZ and timezone.is_aware(moment):
        moment = timezone.make_naive(moment, timezone.get_default_timezone())
    return moment.date()


class _AutoNowMixin:
    """``auto_now`` (stamp on every save) and ``auto_now_add`` (stamp on
    creation) for the date and time fields; ``_stamp()`` says what to stamp."""

    def __init__(self, verbose_name=None, name=None, auto_now=False, auto_now_add=False, **kwargs):
        self.auto_now = auto_now
        self.auto_now_add = auto_now_add
        if auto_now or auto_now_add:
            # Stamped automatically, so never typed in by a user.
            kwargs.update(editable=False, blank=True)
        super().__init__(verbose_name, name, **kwargs)
        if sum(map(bool, (auto_now, auto_now_add, self.has_default()))) > 1:
            raise TypeError(
                "The options auto_now, auto_now_add, and default are mutually "
                "exclusive. Only one of these options may be present."
            )

    def _stamp(self):
        raise NotImplementedError

    def get_db_prep_value(self, value, connection, prepared=False):
        prepared_value = value if prepared else self.get_prep_value(value)
        adapt = getattr(connection.ops, self._ops_adapter)
        return adapt(prepared_value)

    def pre_save(self, model_instance, add):
        if not (self.auto_now or (add and self.auto_now_add)):
            return super().pre_save(model_instance, add)
        stamp = self._stamp()
        setattr(model_instance, self.attname, stamp)
        return stamp

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        stamped = False
        for option in ("auto_now", "auto_now_add"):
            if getattr(self, option):
                kwargs[option] = True
                stamped = True
        if stamped:
            # Implied by the auto options; not something to pass back.
            kwargs.pop("editable", None)
            kwargs.pop("blank", None)
        return name, path, args, kwargs


class DateField(_AutoNowMixin, Field):
    _ops_adapter = "adapt_datefield_value"
    _internal_type = "DateField"
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format.",
        "invalid_date": "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date.",
    }
    description = "Date (without time)"
    _query_type_label = "a date"

    def _stamp(self):
        return datetime.date.today()

    def to_python(self, value):
        if isinstance(value, datetime.datetime):
            return _calendar_date(value)
        if value is None or isinstance(value, datetime.date):
            return value
        return _parse_text(self, value, parse_date)

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if self.null:
            return  # NULLs have no neighbours to step to
        for prefix, is_next in (("get_next_by_", True), ("get_previous_by_", False)):
            stepper = partialmethod(cls._adjacent_by_field, field=self, is_next=is_next)
            setattr(cls, prefix + self.name, stepper)

    def get_prep_value(self, value):
        return _to_python_for_query(self, Field.get_prep_value(self, value), self._query_type_label)


    def value_to_string(self, obj):
        current = self.value_from_object(obj)
        return "" if current is None else current.isoformat()


class DateTimeField(DateField):
    _ops_adapter = "adapt_datetimefield_value"
    _internal_type = "DateTimeField"
    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid format. It must be in "
                   "YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.",
    }
    description = "Date (with time)"
    _query_type_label = "a datetime"

    def _stamp(self):
        return timezone.now()

    def to_python(self, value):
        if value is None or isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            midnight = datetime.datetime.combine(value, datetime.time())
            if settings.USE_TZ:
                midnight = timezone.make_aware(midnight, timezone.get_default_timezone())
            return midnight
        return _parse_text(self, value, _datetime_from_text)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        with_zones = bool(settings.USE_TZ)
        if value is None or timezone.is_aware(value) is with_zones:
            return value  # aware with time zones, naive without
        if not with_zones:
            # Without time zones the offset would have to be dropped or
            # guessed at; every backend refuses instead.
            raise FieldValueError(self, value, "is timezone-aware, which needs USE_TZ = True", "aware")
        # Time zones are on but this moment has none: assume the default
        # zone, and say so, since the result may not be what was meant.
        warnings.warn(
            "DateTimeField %s received a naive datetime (%s) while time zone "
            "support is active." % (field_label(self), value),
            RuntimeWarning,
        )
        return timezone.make_aware(value, timezone.get_default_timezone())



class TimeField(_AutoNowMixin, Field):
    _ops_adapter = "adapt_timefield_value"
    _internal_type = "TimeField"
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format.",
    }
    description = "Time"

    def _stamp(self):
        return datetime.datetime.now().time()

    def to_python(self, value):
        if value is None or isinstance(value, datetime.time):
            return value
        if isinstance(value, datetime.datetime):
            return value.time()
        return _parse_text(self, value, parse_time)

    def get_prep_value(self, value):
        return _to_python_for_query(self, super().get_prep_value(value), "a time")



_MICROSECONDS_PER_DAY = 24 * 60 * 60 * 10**6


class DurationField(Field):
    """A ``timedelta``; stored as an interval where the database has one,
    otherwise as a bigint of microseconds."""

    _internal_type = "DurationField"
    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value has an invalid format. It must be in [DD] [[HH:]MM:]ss[.uuuuuu] format."}
    description = "Duration"

    def to_python(self, value):
        if value is None or isinstance(value, datetime.timedelta):
            return value
        parsed = parse_duration(value) if isinstance(value, str) else None
        if parsed is None:
            raise _invalid(self, value)
        return parsed

    def get_prep_value(self, value):
        return _to_python_for_query(self, super().get_prep_value(value), "a duration")

    def value_to_string(self, obj):
        # The text form that to_python() (parse_duration) reads back.
        value = self.value_from_object(obj)
        return "" if value is None else duration_string(value)

    @staticmethod
    def _native(connection):
        return getattr(connection.features, "has_native_duration_field", False)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or self._native(connection):
            return value
        return value.days * _MICROSECONDS_PER_DAY + value.seconds * 10**6 + value.microseconds

    def get_db_converters(self, connection):
        own = [] if self._native(connection) else [self._from_microseconds]
        return own + super().get_db_converters(connection)

    @staticmethod
    def _from_microseconds(value, expression, connection):
        if value is None or isinstance(value, datetime.timedelta):
            return value
        return datetime.timedelta(microseconds=int(value))


# --------------------------------------------------------------------------
# Other scalar types
# --------------------------------------------------------------------------
class BinaryField(Field):
    _internal_type = "BinaryField"
    description = "Raw binary data"
    empty_values = [None, b""]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{"editable": False, **kwargs})
        _enforce_max_length(self)

    def get_default(self):
        if self.has_default() and not callable(self.default):
            return self.default
        value = super().get_default()
        return b"" if value == "" else value  # bytes, not str, when empty

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is not None and not isinstance(value, (bytes, bytearray, memoryview)):
            raise TypeError(_expected(self, value, "bytes"))
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None:
            return None
        # Drivers may want their own binary wrapper type.
        wrap = getattr(getattr(connection, "Database", None), "Binary", bytes)
        return wrap(value)

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, bytes):
            return value
        return bytes(value)

    def value_to_string(self, obj):
        # Serialized data carries binary values as base64 text (to_python
        # decodes it).
        value = self.value_from_object(obj)
        return "" if value is None else base64.b64encode(bytes(value)).decode("ascii")

    def to_python(self, value):
        if not isinstance(value, str):
            return value
        return memoryview(base64.b64decode(value.encode("ascii")))


class UUIDField(Field):
    _internal_type = "UUIDField"
    default_error_messages = {"invalid": "“%(value)s” is not a valid UUID."}
    description = "Universally unique identifier"
    empty_strings_allowed = False

    def __init__(self, verbose_name=None, **kwargs):
        # 32: the hex form, stored where the database has no uuid type.
        super().__init__(verbose_name, **{**kwargs, "max_length": 32})

    def to_python(self, value):
        if value is None or isinstance(value, uuid.UUID):
            return value
        try:
            if isinstance(value, int):
                return uuid.UUID(int=value)
            return uuid.UUID(hex=value)
        except (AttributeError, TypeError, ValueError):
            raise _invalid(self, value) from None

    def get_prep_value(self, value):
        return _to_python_for_query(self, super().get_prep_value(value), "a UUID")

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        as_uuid = value if isinstance(value, uuid.UUID) else self.get_prep_value(value)
        # Without a uuid column type the 32 hex digits are stored.
        native = getattr(connection.features, "has_native_uuid_field", False)
        return as_uuid if native else as_uuid.hex

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(str(value))


_IP_PROTOCOLS = {
    # protocol -> (accepted IP versions, how to name them in messages)
    "both": ((4, 6), "IPv4 or IPv6"),
    "ipv4": ((4,), "IPv4"),
    "ipv6": ((6,), "IPv6"),
}


class _IPAddressValidator:
    """Accept addresses of the versions ``protocol`` allows."""

    def __init__(self, protocol):
        self.versions, self.label = _IP_PROTOCOLS[protocol.lower()]

    def __call__(self, value):
        try:
            version = ipaddress.ip_address(value).version
        except ValueError:
            version = None
        if version not in self.versions:
            raise exceptions.ValidationError(
                "Enter a valid %s address." % self.label, code="invalid", params={"value": value}
            )


class _AddressColumnMixin:
    """Addresses are text in Python; a column type that is not text (inet
    on PostgreSQL) is the backend's business, on the way in and out."""

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        adapt = getattr(connection.ops, "adapt_ipaddressfield_value", None)
        return value if adapt is None else adapt(value)

    def from_db_value(self, value, expression, connection):
        # psycopg may hand back ipaddress objects.
        return value if value is None or isinstance(value, str) else str(value)


class IPAddressField(_AddressColumnMixin, Field):
    """Django 1.2's address field: IPv4 only, in dotted-quad text of at most
    15 characters. The column is char(15), except on PostgreSQL where it is
    inet, as Django 1.2 created it (see docs/ref/models/fields.txt)."""

    _internal_type = "IPAddressField"
    empty_strings_allowed = False
    description = "IPv4 address"
    default_validators = [_IPAddressValidator("ipv4")]

    def __init__(self, *args, **kwargs):
        # Fixed, not an option: room for "255.255.255.255".
        super().__init__(*args, **{**kwargs, "max_length": 15})

    def deconstruct(self):
        name, path, args, options = super().deconstruct()
        return name, path, args, {key: value for key, value in options.items()
                                  if key != "max_length"}

    def to_python(self, value):
        if value is None:
            return None
        return str(value).strip()

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return None  # no address is stored as NULL
        return str(value).strip()

    def get_db_prep_save(self, value, connection):
        # Refused on every database, as PostgreSQL's inet column would
        # (aborting the transaction) and char(15) elsewhere would not.
        prepared = super().get_db_prep_save(value, connection)
        if isinstance(prepared, str) and not _is_ipv4(prepared):
            raise FieldValueError(self, value, "is not an IPv4 address", "not_ipv4")
        return prepared


def _is_ipv4(text):
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


class GenericIPAddressField(_AddressColumnMixin, Field):
    _internal_type = "GenericIPAddressField"
    empty_strings_allowed = False
    description = "IP address"
    default_error_messages = {}

    def __init__(self, verbose_name=None, name=None, protocol="both", unpack_ipv4=False, *args, **kwargs):
        if protocol.lower() not in _IP_PROTOCOLS:
            raise ValueError("The protocol '%s' is unknown. Supported: both, ipv4, ipv6." % protocol)
        if unpack_ipv4 and protocol.lower() != "both":
            raise ValueError("You can only use `unpack_ipv4` if `protocol` is set to 'both'")
        self.protocol = protocol
        self.unpack_ipv4 = unpack_ipv4
        self.default_validators = [_IPAddressValidator(protocol)]
        kwargs["max_length"] = 39  # longest IPv6 text form
        super().__init__(verbose_name, name, *args, **kwargs)

    def _canonical(self, text):
        """Compressed IPv6 form (IPv4 when unpacking a mapped address);
        IPv4 and unparsable text are left for the validators."""
        if ":" not in text:
            return text
        try:
            address = ipaddress.IPv6Address(text)
        except ValueError:
            return text
        if self.unpack_ipv4 and address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return address.compressed

    def to_python(self, value):
        if value is None:
            return None
        return self._canonical(str(value).strip())

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return None  # no address is stored as NULL
        return str(self._canonical(value) if isinstance(value, str) else value)
