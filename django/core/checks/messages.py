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

    def __init__(self, level, msg, hint=None, obj=None, id=None):
        if not isinstance(level, int):
            raise TypeError("The first argument should be level, got %r." % (level,))
        self.level = level
        self.msg = msg
        self.hint = hint
        self.obj = obj
        self.id = id

    def __eq__(self, other):
        return isinstance(other, self.__class__) and all(
            getattr(self, attr) == getattr(other, attr)
            for attr in ("level", "msg", "hint", "obj", "id")
        )

    def __hash__(self):
        return hash((self.level, self.msg, self.hint, self.id))

    def __str__(self):
        if self.obj is None:
            obj = "?"
        elif isinstance(self.obj, type) and hasattr(self.obj, "_meta"):
            # A model class: labelled app_label.ModelName. (Duck-typed so
            # this module does not import the model layer.)
            obj = self.obj._meta.label
        else:
            obj = str(self.obj)
        id_part = "(%s) " % self.id if self.id else ""
        hint = "\n\tHINT: %s" % self.hint if self.hint else ""
        return "%s: %s%s%s" % (obj, id_part, self.msg, hint)

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


class Debug(CheckMessage):
    def __init__(self, *args, **kwargs):
        super().__init__(DEBUG, *args, **kwargs)


class Info(CheckMessage):
    def __init__(self, *args, **kwargs):
        super().__init__(INFO, *args, **kwargs)


class Warning(CheckMessage):
    def __init__(self, *args, **kwargs):
        super().__init__(WARNING, *args, **kwargs)


class Error(CheckMessage):
    def __init__(self, *args, **kwargs):
        super().__init__(ERROR, *args, **kwargs)


class Critical(CheckMessage):
    def __init__(self, *args, **kwargs):
        super().__init__(CRITICAL, *args, **kwargs)
