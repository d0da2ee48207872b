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


class PermissionDenied(Exception):
    """The user lacks permission for the requested action."""


NON_FIELD_ERRORS = "__all__"


class ValidationError(Exception):
    """One or more validation errors.

    ``message`` may be:

    * a string (optionally with ``code`` and ``params``): a single error;
    * a list of strings or ValidationErrors: ``error_list``;
    * a dict mapping field names to any of the above: ``error_dict``.
    """

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code, params)

        if isinstance(message, ValidationError):
            # Re-wrap: keep the inner shape, let our code/params fill gaps.
            if hasattr(message, "error_dict"):
                message = message.error_dict
            elif not hasattr(message, "message"):
                message = message.error_list
            else:
                message, code, params = message.message, message.code, message.params

        if isinstance(message, dict):
            self.error_dict = {}
            for field, messages in message.items():
                if not isinstance(messages, ValidationError):
                    messages = ValidationError(messages)
                self.error_dict[field] = messages.error_list
        elif isinstance(message, list):
            self.error_list = []
            for item in message:
                if not isinstance(item, ValidationError):
                    item = ValidationError(item)
                if hasattr(item, "error_dict"):
                    self.error_list.extend(sum(item.error_dict.values(), []))
                else:
                    self.error_list.extend(item.error_list)
        else:
            self.message = message
            self.code = code
            self.params = params
            self.error_list = [self]

    @property
    def message_dict(self):
        """The errors as ``{field: [messages]}``; only for dict-shaped errors."""
        # Raises AttributeError for list/single errors, as callers expect.
        getattr(self, "error_dict")
        return dict(self)

    @property
    def messages(self):
        """All messages as a flat list of strings."""
        if hasattr(self, "error_dict"):
            return sum(dict(self).values(), [])
        return list(self)

    def update_error_dict(self, error_dict):
        """Merge these errors into ``error_dict`` ({field: [ValidationError]})."""
        if hasattr(self, "error_dict"):
            for field, error_list in self.error_dict.items():
                error_dict.setdefault(field, []).extend(error_list)
        else:
            error_dict.setdefault(NON_FIELD_ERRORS, []).extend(self.error_list)
        return error_dict

    def _render(self):
        message = self.message
        if self.params:
            message = message % self.params
        return str(message)

    def __iter__(self):
        if hasattr(self, "error_dict"):
            for field, errors in self.error_dict.items():
                yield field, list(ValidationError(errors))
        else:
            for error in self.error_list:
                yield error._render()

    def __str__(self):
        if hasattr(self, "error_dict"):
            return repr(dict(self))
        return repr(list(self))

    def __repr__(self):
        return "ValidationError(%s)" % self

    def __eq__(self, other):
        if not isinstance(other, ValidationError):
            return NotImplemented
        return hash(self) == hash(other)

    def __hash__(self):
        if hasattr(self, "message"):
            return hash((self.message, self.code, make_hashable(self.params)))
        if hasattr(self, "error_dict"):
            return hash(make_hashable(self.error_dict))
        return hash(tuple(sorted(self.error_list, key=operator.attrgetter("message"))))
