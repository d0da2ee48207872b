"""ANSI colouring for management command output.

A *style* is an object whose attributes are role names (``ERROR``,
``SUCCESS``, ``SQL_KEYWORD`` ...) and whose values are functions taking a
string and returning it, decorated or not.  Commands never write escape codes
themselves: they call ``self.style.ERROR(text)`` and the wrapper decides.
"""
import functools
import os
import sys

# SGR parameters for each role; an empty tuple means "leave the text alone".
_CODES = {
    "reset": "0", "bold": "1", "underscore": "4",
    "black": "30", "red": "31", "green": "32", "yellow": "33",
    "blue": "34", "magenta": "35", "cyan": "36", "white": "37",
}

PALETTE = {
    "ERROR": ("red", "bold"),
    "SUCCESS": ("green", "bold"),
    "WARNING": ("yellow", "bold"),
    "NOTICE": ("red",),
    "ERROR_OUTPUT": ("red", "bold"),
    "SQL_FIELD": ("green", "bold"),
    "SQL_COLTYPE": ("green",),
    "SQL_KEYWORD": ("yellow",),
    "SQL_TABLE": ("bold",),
    "MIGRATE_HEADING": ("cyan", "bold"),
    "MIGRATE_LABEL": ("bold",),
    "HTTP_INFO": ("bold",),
    "HTTP_NOT_FOUND": ("yellow",),
    "HTTP_SERVER_ERROR": ("magenta", "bold"),
}


def colorize(text="", opts=()):
    """Wrap ``text`` in the escape sequences named by ``opts``."""
    if not opts:
        return text
    start = "\x1b[%sm" % ";".join(_CODES[name] for name in opts)
    return "%s%s\x1b[0m" % (start, text)


def supports_color():
    """True when sys.stdout is a terminal that understands ANSI colours."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    stream = sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


class Style:
    """A bag of role -> function attributes; see :func:`make_style`."""

    def __repr__(self):
        return "<Style %s>" % ", ".join(sorted(PALETTE))


def _plain(text):
    return text


def make_style(colored=True):
    style = Style()
    for role, opts in PALETTE.items():
        if colored:
            setattr(style, role, functools.partial(colorize, opts=opts))
        else:
            setattr(style, role, _plain)
    return style


@functools.lru_cache(maxsize=None)
def no_style():
    """A style whose every role returns the text unchanged."""
    return make_style(colored=False)


def color_style(force_color=False):
    """A coloured style when the terminal supports it (or when forced)."""
    if not force_color and not supports_color():
        return no_style()
    return make_style(colored=True)
