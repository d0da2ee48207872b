"""ANSI terminal colours for command output.

Text is coloured with SGR escape sequences (``ESC [ codes m``); the tables
below map the names users write (colours, options) to those codes.
"""

color_names = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
# SGR numbers colours 0-7 in the order above: 30-37 foreground, 40-47 background.
foreground = {name: str(30 + number) for number, name in enumerate(color_names)}
background = {name: str(40 + number) for number, name in enumerate(color_names)}

RESET = "0"
opt_dict = {"bold": "1", "underscore": "4", "blink": "5", "reverse": "7", "conceal": "8"}

# colorize() keyword -> the table its value is looked up in.
_COLOUR_KEYWORDS = {"fg": foreground, "bg": background}


def _sgr(codes):
    return "\x1b[%sm" % ";".join(codes)


def colorize(text="", opts=(), **kwargs):
    """Wrap ``text`` in ANSI codes.

    ``fg``/``bg`` name colours, ``opts`` lists options such as 'bold'.
    ``opts=('reset',)`` returns only the reset code; 'noreset' leaves the
    codes open.
    """
    if not text and list(opts) == ["reset"]:
        return _sgr([RESET])
    codes = [
        _COLOUR_KEYWORDS[key][value] for key, value in kwargs.items() if key in _COLOUR_KEYWORDS
    ]
    codes.extend(opt_dict[name] for name in opts if name in opt_dict)
    closing = "" if "noreset" in opts else _sgr([RESET])
    return _sgr(codes) + (text or "") + closing


def make_style(opts=(), **kwargs):
    """Return a function that colorizes its argument with these options."""

    def style(text):
        return colorize(text, opts, **kwargs)

    return style


# The palette names DJANGO_COLORS accepts.
NOCOLOR_PALETTE, DARK_PALETTE, LIGHT_PALETTE = "nocolor", "dark", "light"
DEFAULT_PALETTE = DARK_PALETTE


def _palette_entry(colour=None, *options):
    """A palette entry: the colorize() keywords for one role."""
    entry = {}
    if colour:
        entry["fg"] = colour
    if options:
        entry["opts"] = options
    return entry


# Roles used by management commands and how the (dark) palette shows them.
_DARK_ROLES = {
    "ERROR": _palette_entry("red", "bold"),
    "SUCCESS": _palette_entry("green", "bold"),
    "WARNING": _palette_entry("yellow", "bold"),
    "NOTICE": _palette_entry("red"),
    "SQL_FIELD": _palette_entry("green", "bold"),
    "SQL_COLTYPE": _palette_entry("green"),
    "SQL_KEYWORD": _palette_entry("yellow"),
    "SQL_TABLE": _palette_entry(None, "bold"),
    "MIGRATE_HEADING": _palette_entry("cyan", "bold"),
    "MIGRATE_LABEL": _palette_entry(None, "bold"),
}

PALETTES = {
    NOCOLOR_PALETTE: {role: {} for role in _DARK_ROLES},
    DARK_PALETTE: _DARK_ROLES,
    # Our roles use colours that read well on either background.
    LIGHT_PALETTE: dict(_DARK_ROLES),
}


def parse_color_setting(config_string):
    """Parse a DJANGO_COLORS-like value: a palette name, or None for no colour."""
    name = (config_string or DEFAULT_PALETTE).strip().lower()
    if name == NOCOLOR_PALETTE:
        return None
    return PALETTES.get(name, PALETTES[DEFAULT_PALETTE])
