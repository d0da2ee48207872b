"""Model fields: how a Python attribute maps to a database column.

A field converts values in both directions: ``get_prep_value()`` turns a
Python value into something the database layer understands (raising a clear
error naming the field when it cannot), ``get_db_prep_value()`` applies the
backend's adaptation, and ``from_db_value()`` (defined only where needed) or
the backend's converters turn column values back into Python objects.
"""
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
from django.utils.dateparse import parse_duration
from django.utils.functional import Promise, cached_property

from django.db.models.query_utils import DeferredAttribute, RegisterLookupMixin

__all__ = [
    "AutoField", "BLANK_CHOICE_DASH", "BigAutoField", "BigIntegerField",
    "BinaryField", "BooleanField", "CharField", "DateField", "DateTimeField",
    "DecimalField", "DurationField", "EmailField", "Empty", "Field",
    "FloatField", "GenericIPAddressField", "IntegerField", "NOT_PROVIDED",
    "NullBooleanField", "PositiveBigIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SlugField", "SmallAutoField",
    "SmallIntegerField", "TextField", "TimeField", "URLField", "UUIDField",
]


class Empty:
    pass


class NOT_PROVIDED:
    pass


BLANK_CHOICE_DASH = [("", "---------")]


def _load_field(app_label, model_name, field_name):
    from django.apps import apps

    return apps.get_model(app_label, model_name)._meta.get_field(field_name)


def return_None():
    return None


class DictWrapper(dict):
    """A dict whose keys prefixed with ``qn_`` return quoted values, so
    ``data_types`` strings can say ``%(qn_column)s``."""

    def __init__(self, data, func, prefix):
        super().__init__(data)
        self.func = func
        self.prefix = prefix

    def __getitem__(self, key):
        use_func = key.startswith(self.prefix)
        key = key[len(self.prefix):] if use_func else key
        value = super().__getitem__(key)
        return self.func(value) if use_func else value


def _to_python_error(field, value, expected):
    return "Field '%s' expected %s but got %r." % (field.name, expected, value)


@total_ordering
class Field(RegisterLookupMixin):
    """Base class for every model field."""

    empty_strings_allowed = True
    empty_values = list(validators.EMPTY_VALUES)

    # Class-wide counters keep fields in definition order; auto-created
    # fields count downwards so they sort before user-defined ones.
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

    # Relation attributes: relations arrive in a later issue.
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
        self.name = name
        self.verbose_name = verbose_name
        self._verbose_name = verbose_name
        self.primary_key = primary_key
        self.max_length, self._unique = max_length, unique
        self.blank, self.null = blank, null
        self.remote_field = rel
        self.is_relation = self.remote_field is not None
        self.default = default
        self.editable = editable
        self.serialize = serialize
        self.unique_for_date = unique_for_date
        self.unique_for_month = unique_for_month
        self.unique_for_year = unique_for_year
        if choices is not None:
            if hasattr(choices, "choices") and isinstance(choices, type):
                choices = choices.choices  # an enum Choices class
            if not isinstance(choices, (list, tuple)):
                choices = list(choices)
        self.choices = choices
        self.help_text = help_text
        self.db_index = db_index
        self.db_column = db_column
        self.db_tablespace = db_tablespace
        self.db_comment = db_comment
        self.auto_created = auto_created
        if auto_created:
            self.creation_counter = Field.auto_creation_counter
            Field.auto_creation_counter -= 1
        else:
            self.creation_counter = Field.creation_counter
            Field.creation_counter += 1
        self._validators = list(validators)
        messages = {}
        for c in reversed(self.__class__.__mro__):
            messages.update(getattr(c, "default_error_messages", {}))
        messages.update(error_messages or {})
        self._error_messages = error_messages
        self.error_messages = messages
        self.model = None
        self.attname = self.column = None
        self.concrete = False

    # -- identity -------------------------------------------------------
    def __str__(self):
        if not hasattr(self, "model") or self.model is None:
            return super().__str__()
        return "%s.%s" % (self.model._meta.label, self.name)

    def __repr__(self):
        path = "%s.%s" % (self.__class__.__module__, self.__class__.__qualname__)
        name = getattr(self, "name", None)
        if name is not None:
            return "<%s: %s>" % (path, name)
        return "<%s>" % path

    def __eq__(self, other):
        if isinstance(other, Field):
            return self.creation_counter == other.creation_counter and getattr(
                self, "model", None
            ) == getattr(other, "model", None)
        return NotImplemented

    def __lt__(self, other):
        if isinstance(other, Field):
            if self.creation_counter != other.creation_counter:
                return self.creation_counter < other.creation_counter
            if self.model is not None and other.model is not None:
                return (self.model._meta.app_label, self.model._meta.model_name) < (
                    other.model._meta.app_label, other.model._meta.model_name
                )
            return False
        return NotImplemented

    def __hash__(self):
        return hash(self.creation_counter)

    def __deepcopy__(self, memodict):
        # Fields are copied (for abstract inheritance) shallowly: validators
        # and choices are shared, which is what we want.
        obj = copy.copy(self)
        if self.remote_field:
            obj.remote_field = copy.copy(self.remote_field)
        memodict[id(self)] = obj
        return obj

    def __copy__(self):
        obj = Empty()
        obj.__class__ = self.__class__
        obj.__dict__ = self.__dict__.copy()
        return obj

    def __reduce__(self):
        if self.model is None:
            state = self.__dict__.copy()
            state.pop("_get_default", None)
            return _empty, (self.__class__,), state
        return _load_field, (self.model._meta.app_label, self.model._meta.object_name, self.name)

    # -- checks -----------------------------------------------------------
    def check(self, **kwargs):
        """Return a list of configuration problems (as strings wrapped in
        ``django.core.checks`` messages when that module is available)."""
        return [*self._check_field_name(), *self._check_choices()]

    def _error(self, msg, id):
        try:
            from django.core import checks

            return checks.Error(msg, obj=self, id=id)
        except (ImportError, AttributeError):  # pragma: no cover
            return msg

    def _check_field_name(self):
        if self.name and self.name.endswith("_"):
            return [self._error("Field names must not end with an underscore.", "fields.E001")]
        if self.name and "__" in self.name:
            return [self._error('Field names must not contain "__".', "fields.E002")]
        if self.name == "pk":
            return [self._error("'pk' is a reserved word that cannot be used as a field name.", "fields.E003")]
        return []

    def _check_choices(self):
        if self.choices is None:
            return []
        for choice in self.choices:
            if not isinstance(choice, (list, tuple)) or len(choice) != 2:
                return [self._error("'choices' must be an iterable containing (actual value, human readable name) tuples.", "fields.E005")]
        return []

    # -- attributes ------------------------------------------------------
    @property
    def unique(self):
        return self._unique or self.primary_key

    @cached_property
    def validators(self):
        return [*self.default_validators, *self._validators]

    def get_attname(self):
        return self.name

    def get_attname_column(self):
        attname = self.get_attname()
        column = self.db_column or attname
        return attname, column

    def set_attributes_from_name(self, name):
        self.name = self.name or name
        self.attname, self.column = self.get_attname_column()
        self.concrete = self.column is not None
        if self.verbose_name is None and self.name:
            self.verbose_name = self.name.replace("_", " ")

    def contribute_to_class(self, cls, name, private_only=False):
        """Register the field with the model class and install its descriptor."""
        self.set_attributes_from_name(name)
        self.model = cls
        cls._meta.add_field(self, private=private_only)
        if self.column:
            setattr(cls, self.attname, self.descriptor_class(self))
        if self.choices is not None:
            display = "get_%s_display" % self.name
            if display not in cls.__dict__:
                setattr(cls, display, partialmethod(cls._get_FIELD_display, field=self))

    def get_filter_kwargs_for_object(self, obj):
        return {self.name: getattr(obj, self.attname)}

    def get_internal_type(self):
        return self.__class__.__name__

    # -- database types --------------------------------------------------
    def db_type_parameters(self, connection):
        return DictWrapper(self.__dict__, connection.ops.quote_name, "qn_")

    def db_check(self, connection):
        data = self.db_type_parameters(connection)
        try:
            return connection.data_type_check_constraints[self.get_internal_type()] % data
        except KeyError:
            return None

    def db_type(self, connection):
        """The column type for this field on ``connection`` (None: no column)."""
        data = self.db_type_parameters(connection)
        try:
            column_type = connection.data_types[self.get_internal_type()]
        except KeyError:
            return None
        if callable(column_type):
            return column_type(data)
        return column_type % data

    def rel_db_type(self, connection):
        """The column type of a foreign key pointing at this field."""
        return self.db_type(connection)

    def cast_db_type(self, connection):
        cast_types = getattr(connection.ops, "cast_data_types", {})
        db_type = cast_types.get(self.get_internal_type())
        if db_type:
            return db_type % self.db_type_parameters(connection)
        return self.db_type(connection)

    def db_parameters(self, connection):
        return {"type": self.db_type(connection), "check": self.db_check(connection)}

    def db_type_suffix(self, connection):
        return getattr(connection, "data_types_suffix", {}).get(self.get_internal_type())

    def get_db_converters(self, connection):
        if hasattr(self, "from_db_value"):
            return [self.from_db_value]
        return []

    @property
    def db_tablespace_name(self):
        return self.db_tablespace

    def select_format(self, compiler, sql, params):
        return sql, params

    # -- values ----------------------------------------------------------
    def get_prep_value(self, value):
        """Turn a Python value into the field's canonical query value."""
        if isinstance(value, Promise):
            value = value._proxy____cast()
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def get_db_prep_save(self, value, connection):
        if hasattr(value, "as_sql"):
            return value
        return self.get_db_prep_value(value, connection=connection, prepared=False)

    def has_default(self):
        return self.default is not NOT_PROVIDED

    def get_default(self):
        return self._get_default()

    @cached_property
    def _get_default(self):
        if self.has_default():
            if callable(self.default):
                return self.default
            return lambda: self.default
        if not self.empty_strings_allowed or self.null:
            return return_None
        return str  # "" for fields storing strings

    def pre_save(self, model_instance, add):
        return getattr(model_instance, self.attname)

    def value_from_object(self, obj):
        return getattr(obj, self.attname)

    def value_to_string(self, obj):
        return str(self.value_from_object(obj))

    def to_python(self, value):
        return value

    # -- validation ------------------------------------------------------
    def run_validators(self, value):
        if value in self.empty_values:
            return
        errors = []
        for v in self.validators:
            try:
                v(value)
            except exceptions.ValidationError as e:
                if hasattr(e, "code") and e.code in self.error_messages:
                    e.message = self.error_messages[e.code]
                errors.extend(e.error_list)
        if errors:
            raise exceptions.ValidationError(errors)

    def validate(self, value, model_instance):
        """Check choices, null and blank; raise ValidationError."""
        if not self.editable:
            return
        if self.choices is not None and value not in self.empty_values:
            for key, label in self.choices:
                if isinstance(label, (list, tuple)):
                    if any(value == k for k, _ in label):
                        return
                elif value == key:
                    return
            raise exceptions.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        if value is None and not self.null:
            raise exceptions.ValidationError(self.error_messages["null"], code="null")
        if not self.blank and value in self.empty_values:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def clean(self, value, model_instance):
        value = self.to_python(value)
        self.validate(value, model_instance)
        self.run_validators(value)
        return value

    # -- choices ---------------------------------------------------------
    def get_choices(self, include_blank=True, blank_choice=BLANK_CHOICE_DASH):
        choices = list(self.choices or [])
        if include_blank:
            if not any(k in ("", None) for k, _ in self.flatchoices):
                choices = list(blank_choice) + choices
        return choices

    @property
    def flatchoices(self):
        if self.choices is None:
            return []
        flat = []
        for key, label in self.choices:
            if isinstance(label, (list, tuple)):
                flat.extend(label)
            else:
                flat.append((key, label))
        return flat

    _get_flatchoices = flatchoices

    # -- expressions -----------------------------------------------------
    def get_col(self, alias, output_field=None):
        if alias == self.model._meta.db_table and (output_field is None or output_field is self):
            return self.cached_col
        from django.db.models.expressions import Col

        return Col(alias, self, output_field)

    @cached_property
    def cached_col(self):
        from django.db.models.expressions import Col

        return Col(self.model._meta.db_table, self)

    # -- deconstruction --------------------------------------------------
    _deconstruct_defaults = {
        "verbose_name": None, "primary_key": False, "max_length": None,
        "unique": False, "blank": False, "null": False, "db_index": False,
        "default": NOT_PROVIDED, "editable": True, "serialize": True,
        "choices": None, "help_text": "", "db_column": None,
        "db_tablespace": None, "auto_created": False, "validators": [],
        "error_messages": None, "db_comment": None,
    }
    _deconstruct_attrs = {"unique": "_unique", "error_messages": "_error_messages",
                          "validators": "_validators", "verbose_name": "_verbose_name"}

    def deconstruct(self):
        """Return ``(name, path, args, kwargs)`` enough to recreate the field."""
        kwargs = {}
        for key, default in self._deconstruct_defaults.items():
            value = getattr(self, self._deconstruct_attrs.get(key, key))
            if key == "choices" and value is not None:
                value = list(value)
            # NOT_PROVIDED is a class: compare it by identity.
            changed = value is not default if isinstance(default, type) else value != default
            if changed:
                kwargs[key] = value
        path = "%s.%s" % (self.__class__.__module__, self.__class__.__qualname__)
        for prefix in ("django.db.models.fields.json", "django.db.models.fields"):
            if path.startswith(prefix + "."):
                path = "django.db.models." + path.rsplit(".", 1)[1]
                break
        return self.name, path, [], kwargs

    def clone(self):
        name, path, args, kwargs = self.deconstruct()
        return self.__class__(*args, **kwargs)


def _empty(of_cls):
    new = Empty()
    new.__class__ = of_cls
    return new


# --------------------------------------------------------------------------
# Integers
# --------------------------------------------------------------------------
class IntegerField(Field):
    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be an integer."}
    description = "Integer"

    def get_internal_type(self):
        return "IntegerField"

    @cached_property
    def validators(self):
        # Range validators come from the backend's integer_field_range().
        from django.db import get_connection

        validators_ = super().validators
        internal_type = self.get_internal_type()
        try:
            min_value, max_value = get_connection().ops.integer_field_range(internal_type)
        except Exception:  # no backend configured: no range checks
            min_value = max_value = None
        if min_value is not None and not any(
            isinstance(v, validators.MinValueValidator) and v.limit_value >= min_value
            for v in validators_
        ):
            validators_.append(validators.MinValueValidator(min_value))
        if max_value is not None and not any(
            isinstance(v, validators.MaxValueValidator) and v.limit_value <= max_value
            for v in validators_
        ):
            validators_.append(validators.MaxValueValidator(max_value))
        return validators_

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        try:
            return int(value)
        except (TypeError, ValueError) as e:
            raise e.__class__(_to_python_error(self, value, "a number")) from e

    def to_python(self, value):
        if value is None:
            return value
        try:
            return int(value)
        except (TypeError, ValueError):
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )


class BigIntegerField(IntegerField):
    description = "Big (8 byte) integer"

    def get_internal_type(self):
        return "BigIntegerField"


class SmallIntegerField(IntegerField):
    description = "Small integer"

    def get_internal_type(self):
        return "SmallIntegerField"


class PositiveIntegerRelDbTypeMixin:
    def rel_db_type(self, connection):
        if getattr(connection.features, "related_fields_match_type", False):
            return self.db_type(connection)
        return IntegerField().db_type(connection=connection)


class PositiveIntegerField(PositiveIntegerRelDbTypeMixin, IntegerField):
    description = "Positive integer"

    def get_internal_type(self):
        return "PositiveIntegerField"


class PositiveSmallIntegerField(PositiveIntegerRelDbTypeMixin, SmallIntegerField):
    description = "Positive small integer"

    def get_internal_type(self):
        return "PositiveSmallIntegerField"


class PositiveBigIntegerField(PositiveIntegerRelDbTypeMixin, BigIntegerField):
    description = "Positive big integer"

    def get_internal_type(self):
        return "PositiveBigIntegerField"


class AutoFieldMixin:
    """An integer primary key filled in by the database."""

    db_returning = True

    def __init__(self, *args, **kwargs):
        kwargs["blank"] = True
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance):
        pass

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
            validate = getattr(connection.ops, "validate_autopk_value", None)
            if validate is not None:
                value = validate(value)
        return value

    def contribute_to_class(self, cls, name, **kwargs):
        if cls._meta.auto_field:
            raise ValueError(
                "Model %s can't have more than one auto-generated field." % cls._meta.label
            )
        super().contribute_to_class(cls, name, **kwargs)
        cls._meta.auto_field = self


class AutoFieldMeta(type):
    """Make ``isinstance(BigAutoField(), AutoField)`` true, as in Django."""

    @property
    def _subclasses(cls):
        return (BigAutoField, SmallAutoField)

    def __instancecheck__(cls, instance):
        return isinstance(instance, cls._subclasses) or super().__instancecheck__(instance)

    def __subclasscheck__(cls, subclass):
        return issubclass(subclass, cls._subclasses) or super().__subclasscheck__(subclass)


class AutoField(AutoFieldMixin, IntegerField, metaclass=AutoFieldMeta):
    def get_internal_type(self):
        return "AutoField"

    def rel_db_type(self, connection):
        return IntegerField().db_type(connection=connection)


class BigAutoField(AutoFieldMixin, BigIntegerField):
    def get_internal_type(self):
        return "BigAutoField"

    def rel_db_type(self, connection):
        return BigIntegerField().db_type(connection=connection)


class SmallAutoField(AutoFieldMixin, SmallIntegerField):
    def get_internal_type(self):
        return "SmallAutoField"

    def rel_db_type(self, connection):
        return SmallIntegerField().db_type(connection=connection)


# --------------------------------------------------------------------------
# Booleans, floats, decimals
# --------------------------------------------------------------------------
class BooleanField(Field):
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value must be either True or False.",
        "invalid_nullable": "“%(value)s” value must be either True, False, or None.",
    }
    description = "Boolean (Either True or False)"

    def get_internal_type(self):
        return "BooleanField"
    _true = ("t", "True", "1")
    _false = ("f", "False", "0")

    def to_python(self, value):
        if self.null and value in self.empty_values:
            return None
        if value in (True, False):
            return bool(value)
        if value in self._true:
            return True
        if value in self._false:
            return False
        raise exceptions.ValidationError(
            self.error_messages["invalid_nullable" if self.null else "invalid"],
            code="invalid", params={"value": value},
        )

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        try:
            return self.to_python(value)
        except exceptions.ValidationError as e:
            raise ValueError(_to_python_error(self, value, "a boolean")) from e

    def from_db_value(self, value, expression, connection):
        # SQLite and MySQL hand back 0/1.
        if value is None or isinstance(value, bool):
            return value
        return bool(value)


class NullBooleanField(BooleanField):
    def __init__(self, *args, **kwargs):
        kwargs["null"] = True
        kwargs["blank"] = True
        super().__init__(*args, **kwargs)

    def get_internal_type(self):
        return "BooleanField"


class FloatField(Field):
    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be a float."}
    description = "Floating point number"

    def get_internal_type(self):
        return "FloatField"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        try:
            return float(value)
        except (TypeError, ValueError) as e:
            raise e.__class__(_to_python_error(self, value, "a number")) from e

    def to_python(self, value):
        if value is None:
            return value
        try:
            return float(value)
        except (TypeError, ValueError):
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )


class DecimalField(Field):
    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be a decimal number."}
    description = "Decimal number"

    def get_internal_type(self):
        return "DecimalField"

    def __init__(self, verbose_name=None, name=None, max_digits=None, decimal_places=None, **kwargs):
        self.max_digits, self.decimal_places = max_digits, decimal_places
        for attr in ("max_digits", "decimal_places"):
            value = getattr(self, attr)
            if value is None or isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise TypeError(
                    "DecimalField requires '%s' to be a non-negative integer, got %r." % (attr, value)
                )
        if max_digits < decimal_places:
            raise TypeError(
                "DecimalField's 'max_digits' (%d) must be greater or equal to "
                "'decimal_places' (%d)." % (max_digits, decimal_places)
            )
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_digits"] = self.max_digits
        kwargs["decimal_places"] = self.decimal_places
        return name, path, args, kwargs

    @cached_property
    def validators(self):
        return super().validators + [validators.DecimalValidator(self.max_digits, self.decimal_places)]

    @cached_property
    def context(self):
        return decimal.Context(prec=self.max_digits)

    def to_python(self, value):
        if value is None:
            return value
        try:
            if isinstance(value, float):
                return self.context.create_decimal_from_float(value)
            return decimal.Decimal(value)
        except (decimal.InvalidOperation, TypeError, ValueError):
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        try:
            return self.to_python(value)
        except exceptions.ValidationError as e:
            raise ValueError(_to_python_error(self, value, "a decimal number")) from e

    def _quantize(self, value):
        if value is None or not value.is_finite():
            return value
        return value.quantize(decimal.Decimal(1).scaleb(-self.decimal_places), context=self.context)

    def get_db_prep_save(self, value, connection):
        if hasattr(value, "as_sql"):
            return value
        value = self.get_prep_value(value)
        try:
            value = self._quantize(value)
        except decimal.InvalidOperation as e:
            raise ValueError(
                "Field '%s': %r does not fit max_digits=%d, decimal_places=%d."
                % (self.name, value, self.max_digits, self.decimal_places)
            ) from e
        return connection.ops.adapt_decimalfield_value(value, self.max_digits, self.decimal_places)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_decimalfield_value(value, self.max_digits, self.decimal_places)

    def from_db_value(self, value, expression, connection):
        # Drivers that store decimals loosely (SQLite) may hand back floats.
        if value is None or isinstance(value, decimal.Decimal):
            return value
        if isinstance(value, float):
            value = self.context.create_decimal_from_float(value)
        else:
            value = decimal.Decimal(value)
        return self._quantize(value)


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------
class CharField(Field):
    description = "String (up to %(max_length)s)"

    def get_internal_type(self):
        return "CharField"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            if isinstance(self.max_length, bool) or not isinstance(self.max_length, int) or self.max_length <= 0:
                raise TypeError("CharField 'max_length' must be a positive integer, got %r." % (self.max_length,))
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def contribute_to_class(self, cls, name, **kwargs):
        if self.max_length is None:
            raise TypeError(
                "%s.%s: %s requires a 'max_length' argument."
                % (cls.__name__, self.name or name, self.__class__.__name__)
            )
        super().contribute_to_class(cls, name, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) or value is None:
            return value
        return str(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return self.to_python(value)


class SlugField(CharField):
    default_validators = [validators.validate_slug]
    description = "Slug (up to %(max_length)s)"

    def get_internal_type(self):
        return "SlugField"

    def __init__(self, *args, max_length=50, db_index=True, allow_unicode=False, **kwargs):
        self.allow_unicode = allow_unicode
        if allow_unicode:
            self.default_validators = [validators.validate_unicode_slug]
        super().__init__(*args, max_length=max_length, db_index=db_index, **kwargs)


class EmailField(CharField):
    default_validators = [validators.validate_email]
    description = "Email address"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(*args, **kwargs)


class URLField(CharField):
    default_validators = [validators.URLValidator()]
    description = "URL"

    def __init__(self, verbose_name=None, name=None, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(verbose_name, name, **kwargs)


class TextField(Field):
    description = "Text"

    def get_internal_type(self):
        return "TextField"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def to_python(self, value):
        if isinstance(value, str) or value is None:
            return value
        return str(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return self.to_python(value)


# --------------------------------------------------------------------------
# Dates and times
# --------------------------------------------------------------------------
class DateTimeCheckMixin:
    def _check_mutually_exclusive(self):
        options = [self.auto_now_add, self.auto_now, self.has_default()]
        if sum(bool(o) for o in options) > 1:
            raise TypeError(
                "The options auto_now, auto_now_add, and default are mutually "
                "exclusive. Only one of these options may be present."
            )


class DateField(DateTimeCheckMixin, Field):
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format.",
        "invalid_date": "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date.",
    }
    description = "Date (without time)"

    def get_internal_type(self):
        return "DateField"

    def __init__(self, verbose_name=None, name=None, auto_now=False, auto_now_add=False, **kwargs):
        self.auto_now, self.auto_now_add = auto_now, auto_now_add
        if auto_now or auto_now_add:
            kwargs["editable"] = False
            kwargs["blank"] = True
        super().__init__(verbose_name, name, **kwargs)
        self._check_mutually_exclusive()

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.auto_now:
            kwargs["auto_now"] = True
        if self.auto_now_add:
            kwargs["auto_now_add"] = True
        if self.auto_now or self.auto_now_add:
            kwargs.pop("editable", None)
            kwargs.pop("blank", None)
        return name, path, args, kwargs

    def to_python(self, value):
        if value is None:
            return value
        if isinstance(value, datetime.datetime):
            if settings.USE_TZ and timezone.is_aware(value):
                value = timezone.make_naive(value, timezone.get_default_timezone())
            return value.date()
        if isinstance(value, datetime.date):
            return value
        return self._parse(value, datetime.date.fromisoformat)

    def _parse(self, value, parser):
        if not isinstance(value, str):
            raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        try:
            return parser(value.strip())
        except ValueError:
            raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = self._now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def _now(self):
        return datetime.date.today()

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not self.null:
            setattr(cls, "get_next_by_%s" % self.name,
                    partialmethod(cls._get_next_or_previous_by_FIELD, field=self, is_next=True))
            setattr(cls, "get_previous_by_%s" % self.name,
                    partialmethod(cls._get_next_or_previous_by_FIELD, field=self, is_next=False))

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        try:
            return self.to_python(value)
        except exceptions.ValidationError as e:
            raise ValueError(_to_python_error(self, value, "a date")) from e

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_datefield_value(value)

    def value_to_string(self, obj):
        val = self.value_from_object(obj)
        return "" if val is None else val.isoformat()


class DateTimeField(DateField):
    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid format. It must be in "
                   "YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.",
    }
    description = "Date (with time)"

    def get_internal_type(self):
        return "DateTimeField"

    def to_python(self, value):
        if value is None:
            return value
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            value = datetime.datetime(value.year, value.month, value.day)
            if settings.USE_TZ:
                value = timezone.make_aware(value, timezone.get_default_timezone())
            return value
        return self._parse(value, _parse_datetime)

    def _now(self):
        return timezone.now()

    def get_prep_value(self, value):
        value = Field.get_prep_value(self, value)
        try:
            value = self.to_python(value)
        except exceptions.ValidationError as e:
            raise ValueError(_to_python_error(self, value, "a datetime")) from e
        if value is not None and settings.USE_TZ and timezone.is_naive(value):
            # A naive datetime while time zone support is on: interpret it
            # in the default time zone, loudly.
            name = "%s.%s" % (self.model.__name__, self.name) if self.model else self.name
            warnings.warn(
                "DateTimeField %s received a naive datetime (%s) while time zone "
                "support is active." % (name, value),
                RuntimeWarning,
            )
            value = timezone.make_aware(value, timezone.get_default_timezone())
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_datetimefield_value(value)


def _parse_datetime(value):
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        result = datetime.datetime.fromisoformat(value)
    except ValueError:
        result = datetime.datetime.combine(datetime.date.fromisoformat(value), datetime.time())
    if settings.USE_TZ and timezone.is_naive(result) and len(value) <= 10:
        result = timezone.make_aware(result, timezone.get_default_timezone())
    return result


class TimeField(DateTimeCheckMixin, Field):
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format.",
    }
    description = "Time"

    def get_internal_type(self):
        return "TimeField"

    def __init__(self, verbose_name=None, name=None, auto_now=False, auto_now_add=False, **kwargs):
        self.auto_now, self.auto_now_add = auto_now, auto_now_add
        if auto_now or auto_now_add:
            kwargs["editable"] = False
            kwargs["blank"] = True
        super().__init__(verbose_name, name, **kwargs)
        self._check_mutually_exclusive()

    def to_python(self, value):
        if value is None:
            return None
        if isinstance(value, datetime.time):
            return value
        if isinstance(value, datetime.datetime):
            return value.time()
        if not isinstance(value, str):
            raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        try:
            return datetime.time.fromisoformat(value.strip())
        except ValueError:
            raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = datetime.datetime.now().time()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        try:
            return self.to_python(value)
        except exceptions.ValidationError as e:
            raise ValueError(_to_python_error(self, value, "a time")) from e

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_timefield_value(value)


class DurationField(Field):
    """A ``timedelta``; stored as an interval where the database has one,
    otherwise as a bigint of microseconds."""

    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value has an invalid format. It must be in [DD] [[HH:]MM:]ss[.uuuuuu] format."}
    description = "Duration"

    def get_internal_type(self):
        return "DurationField"

    def to_python(self, value):
        if value is None or isinstance(value, datetime.timedelta):
            return value
        parsed = parse_duration(value) if isinstance(value, str) else None
        if parsed is None:
            raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        return parsed

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        try:
            return self.to_python(value)
        except exceptions.ValidationError as e:
            raise ValueError(_to_python_error(self, value, "a duration")) from e

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if getattr(connection.features, "has_native_duration_field", False) or value is None:
            return value
        return (value.days * 86400 + value.seconds) * 1000000 + value.microseconds

    def get_db_converters(self, connection):
        converters = []
        if not getattr(connection.features, "has_native_duration_field", False):
            converters.append(self._from_microseconds)
        return converters + super().get_db_converters(connection)

    @staticmethod
    def _from_microseconds(value, expression, connection):
        if value is None or isinstance(value, datetime.timedelta):
            return value
        return datetime.timedelta(0, 0, int(value))


# --------------------------------------------------------------------------
# Other scalar types
# --------------------------------------------------------------------------
class BinaryField(Field):
    description = "Raw binary data"

    def get_internal_type(self):
        return "BinaryField"
    empty_values = [None, b""]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def get_default(self):
        if self.has_default() and not callable(self.default):
            return self.default
        default = super().get_default()
        return b"" if default == "" else default

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or isinstance(value, (bytes, bytearray, memoryview)):
            return value
        raise TypeError(_to_python_error(self, value, "bytes"))

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        if value is not None:
            binary = getattr(getattr(connection, "Database", None), "Binary", bytes)
            return binary(value)
        return value

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, bytes):
            return value
        return bytes(value)

    def to_python(self, value):
        if isinstance(value, str):
            import base64

            return memoryview(base64.b64decode(value.encode("ascii")))
        return value


class UUIDField(Field):
    default_error_messages = {"invalid": "“%(value)s” is not a valid UUID."}
    description = "Universally unique identifier"
    empty_strings_allowed = False

    def __init__(self, verbose_name=None, **kwargs):
        kwargs["max_length"] = 32
        super().__init__(verbose_name, **kwargs)

    def get_internal_type(self):
        return "UUIDField"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        try:
            return self.to_python(value)
        except exceptions.ValidationError as e:
            raise ValueError(_to_python_error(self, value, "a UUID")) from e

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        if not isinstance(value, uuid.UUID):
            value = self.get_prep_value(value)
        if getattr(connection.features, "has_native_uuid_field", False):
            return value
        return value.hex

    def to_python(self, value):
        if value is not None and not isinstance(value, uuid.UUID):
            input_form = "int" if isinstance(value, int) else "hex"
            try:
                return uuid.UUID(**{input_form: value})
            except (AttributeError, ValueError, TypeError):
                raise exceptions.ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": value}
                )
        return value

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(value if isinstance(value, str) else str(value))


class GenericIPAddressField(Field):
    empty_strings_allowed = False
    description = "IP address"
    default_error_messages = {}

    def __init__(self, verbose_name=None, name=None, protocol="both", unpack_ipv4=False, *args, **kwargs):
        self.unpack_ipv4 = unpack_ipv4
        self.protocol = protocol
        if protocol.lower() not in ("both", "ipv4", "ipv6"):
            raise ValueError("The protocol '%s' is unknown. Supported: both, ipv4, ipv6." % protocol)
        if unpack_ipv4 and protocol.lower() != "both":
            raise ValueError("You can only use `unpack_ipv4` if `protocol` is set to 'both'")
        self.default_validators = _ip_validators(protocol)
        kwargs["max_length"] = 39
        super().__init__(verbose_name, name, *args, **kwargs)

    def get_internal_type(self):
        return "GenericIPAddressField"

    def _normalize(self, value):
        if ":" in value:
            try:
                address = ipaddress.IPv6Address(value)
            except ValueError:
                return value  # left for the validators to reject
            if self.unpack_ipv4 and address.ipv4_mapped:
                return str(address.ipv4_mapped)
            return address.compressed
        return value

    def to_python(self, value):
        if value is None:
            return None
        if not isinstance(value, str):
            value = str(value)
        value = value.strip()
        return self._normalize(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        if value and ":" in value:
            value = self._normalize(value)
        if value == "":
            return None
        return str(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        adapt = getattr(connection.ops, "adapt_ipaddressfield_value", None)
        return adapt(value) if adapt else value

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, str):
            return value
        return str(value)  # psycopg may hand back ipaddress objects


def _ip_validators(protocol):
    def validate(value):
        kinds = {"both": (4, 6), "ipv4": (4,), "ipv6": (6,)}[protocol.lower()]
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            address = None
        if address is None or address.version not in kinds:
            label = {"both": "IPv4 or IPv6", "ipv4": "IPv4", "ipv6": "IPv6"}[protocol.lower()]
            raise exceptions.ValidationError(
                "Enter a valid %s address." % label, code="invalid", params={"value": value}
            )

    return [validate]
