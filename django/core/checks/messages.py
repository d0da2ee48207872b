"""Check messages and their levels (same numbers as the logging module)."""

DEBUG = 10
INFO = 20
WARNING = 30
ERROR = 40
CRITICAL = 50


class CheckMessage:
    """One problem found by a check.

    ``obj`` is what the problem is about (a model, a field, anything);
    ``id`` is like 'models.E001'. ``str()`` gives
    "app_label.Model: (models.E001) msg\\n\\tHINT: hint".
    """

    # The attributes that make two messages the same message.
    _FIELDS = ("level", "msg", "hint", "obj", "id")

    def __init__(self, level, msg, hint=None, obj=None, id=None):
        # Catch Error("text") style mistakes on the base class early.
        if not isinstance(level, int):
            raise TypeError("The first argument should be level, got %r." % (level,))
        self.level, self.msg, self.hint, self.obj, self.id = level, msg, hint, obj, id

    def _compared_parts(self):
        return tuple(getattr(self, field) for field in self._FIELDS)

    def __eq__(self, other):
        return isinstance(other, type(self)) and self._compared_parts() == other._compared_parts()

    def __hash__(self):
        # obj is left out: it may be unhashable; equal messages still agree.
        return hash((self.level, self.msg, self.hint, self.id))

    def __str__(self):
        # A model class reads app_label.ModelName (duck-typed, so this
        # module does not import the model layer); no object reads "?".
        about = getattr(getattr(self.obj, "_meta", None), "label", None)
        if about is None or not isinstance(self.obj, type):
            about = "?" if self.obj is None else str(self.obj)
        text = "%s: (%s) %s" % (about, self.id, self.msg) if self.id else "%s: %s" % (about, self.msg)
        return text + ("\n\tHINT: %s" % self.hint if self.hint else "")

    def __repr__(self):
        return "<%s: level=%r, msg=%r, hint=%r, obj=%r, id=%r>" % (
            type(self).__name__, self.level, self.msg, self.hint, self.obj, self.id,
        )

    def is_serious(self, level=ERROR):
        """True for errors and worse (or whatever ``level`` says)."""
        return self.level >= level

    def is_silenced(self):
        """True if this message's id is in settings.SILENCED_SYSTEM_CHECKS."""
        from django.conf import settings

        return self.id in settings.SILENCED_SYSTEM_CHECKS


class _LevelledMessage(CheckMessage):
    """A message class with a fixed level: ``Error(msg, hint=..., ...)``."""

    fixed_level = None

    def __init__(self, *args, **kwargs):
        super().__init__(self.fixed_level, *args, **kwargs)


class Debug(_LevelledMessage):
    fixed_level = DEBUG


class Info(_LevelledMessage):
    fixed_level = INFO


class Warning(_LevelledMessage):  # noqa: A001 - the public name shadows the builtin
    fixed_level = WARNING


class Error(_LevelledMessage):
    fixed_level = ERROR


class Critical(_LevelledMessage):
    fixed_level = CRITICAL
