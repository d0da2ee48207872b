"""Exceptions shared by every layer of the ORM."""
import operator

from django.utils.hashable import make_hashable


class ImproperlyConfigured(Exception):
    """The project's settings or installed apps are wrong or incomplete."""


class AppRegistryNotReady(Exception):
    """The app registry was used before ``django.setup()`` populated it."""


class ObjectDoesNotExist(Exception):
    """The requested object does not exist (base of ``Model.DoesNotExist``)."""

    silent_variable_failure = True


class MultipleObjectsReturned(Exception):
    """A query expected one object but matched several."""


class FieldDoesNotExist(Exception):
    """A model has no field of the requested name."""


class FieldError(Exception):
    """A problem with a model field or a lookup on it."""


class EmptyResultSet(Exception):
    """A WHERE condition can never match, so the query returns no rows."""


class FullResultSet(Exception):
    """A WHERE condition matches every row, so it can be left out."""


class SuspiciousOperation(Exception):
    """The user did something suspicious (e.g. a crafted lookup)."""


class SuspiciousFileOperation(SuspiciousOperation):
    """A file name that would leave its storage or cannot be stored safely."""


class PermissionDenied(Exception):
    """The user lacks permission for the requested action."""


class SynchronousOnlyOperation(Exception):
    """Blocking database work was attempted from inside a running event loop
    (set DJANGO_ALLOW_ASYNC_UNSAFE to allow it anyway)."""


NON_FIELD_ERRORS = "__all__"


def _as_error(value):
    return value if isinstance(value, ValidationError) else ValidationError(value)


def _single_errors(error):
    """The single-message errors inside ``error``, whatever its shape."""
    if hasattr(error, "error_dict"):
        return [single for errors in error.error_dict.values() for single in errors]
    return list(error.error_list)


def _unwrap(error, code, params):
    """The (message, code, params) to build a copy of another ValidationError."""
    if hasattr(error, "error_dict"):
        return error.error_dict, code, params
    if hasattr(error, "message"):
        return error.message, error.code, error.params
    return error.error_list, code, params


class ValidationError(Exception):
    """One or more validation errors.

    ``message`` may be:

    * a string (optionally with ``code`` and ``params``): a single error;
    * a list of strings or ValidationErrors: ``error_list``;
    * a dict mapping field names to any of the above: ``error_dict``.

    Whatever the input, an instance ends up in exactly one of three shapes:
    a single error (``message``/``code``/``params``, and ``error_list`` is
    ``[self]``), a flat ``error_list`` of single errors, or an
    ``error_dict`` mapping each field to such a list.
    """

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code, params)
        if isinstance(message, ValidationError):
            message, code, params = _unwrap(message, code, params)

        if isinstance(message, dict):
            self.error_dict = {
                field: _as_error(messages).error_list for field, messages in message.items()
            }
        elif isinstance(message, list):
            # Nested lists and dicts are flattened: a list holds single errors.
            self.error_list = [
                single for item in message for single in _single_errors(_as_error(item))
            ]
        else:
            self.message, self.code, self.params = message, code, params
            self.error_list = [self]

    @property
    def message_dict(self):
        """The errors as ``{field: [messages]}``; only for dict-shaped errors."""
        # Reading error_dict raises AttributeError for list/single errors,
        # which is what callers rely on.
        by_field = self.error_dict
        return {field: list(ValidationError(errors)) for field, errors in by_field.items()}

    @property
    def messages(self):
        """All messages as a flat list of strings."""
        if hasattr(self, "error_dict"):
            return [text for texts in self.message_dict.values() for text in texts]
        return list(self)

    def update_error_dict(self, error_dict):
        """Merge these errors into ``error_dict`` ({field: [ValidationError]})."""
        if hasattr(self, "error_dict"):
            additions = self.error_dict.items()
        else:
            additions = [(NON_FIELD_ERRORS, self.error_list)]
        for field, errors in additions:
            error_dict.setdefault(field, []).extend(errors)
        return error_dict

    def _text(self):
        """This single error's text, with its params interpolated."""
        text = self.message % self.params if self.params else self.message
        return str(text)

    def __iter__(self):
        # Dict-shaped errors iterate as (field, [messages]) pairs, the others
        # as rendered message strings.
        if hasattr(self, "error_dict"):
            return iter(self.message_dict.items())
        return (error._text() for error in self.error_list)

    def __str__(self):
        return repr(self.message_dict if hasattr(self, "error_dict") else list(self))

    def __repr__(self):
        return "ValidationError(%s)" % self

    def _compared(self):
        """What equality and hashing compare, per shape."""
        if hasattr(self, "message"):
            return ("single", self.message, self.code, make_hashable(self.params))
        if hasattr(self, "error_dict"):
            return ("dict", make_hashable(self.error_dict))
        # The order in which errors were collected does not matter.
        return ("list", tuple(sorted(self.error_list, key=operator.attrgetter("message"))))

    def __eq__(self, other):
        if not isinstance(other, ValidationError):
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self):
        return hash(self._compared())
