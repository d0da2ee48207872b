"""ANSI terminal colours for command output."""

color_names = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
foreground = {color_names[x]: "3%s" % x for x in range(8)}
background = {color_names[x]: "4%s" % x for x in range(8)}

RESET = "0"
opt_dict = {
    "bold": "1",
    "underscore": "4",
    "blink": "5",
    "reverse": "7",
    "conceal": "8",
}


def colorize(text="", opts=(), **kwargs):
    """Wrap ``text`` in ANSI codes.

    ``fg``/``bg`` name colours, ``opts`` lists options such as 'bold'.
    ``opts=('reset',)`` returns only the reset code; 'noreset' leaves the
    codes open.
    """
    code_list = []
    if text == "" and len(opts) == 1 and opts[0] == "reset":
        return "\x1b[%sm" % RESET
    for key, value in kwargs.items():
        if key == "fg":
            code_list.append(foreground[value])
        elif key == "bg":
            code_list.append(background[value])
    for option in opts:
        if option in opt_dict:
            code_list.append(opt_dict[option])
    if "noreset" not in opts:
        text = "%s\x1b[%sm" % (text or "", RESET)
    return "%s%s" % (("\x1b[%sm" % ";".join(code_list)), text or "")


def make_style(opts=(), **kwargs):
    """Return a function that colorizes its argument with these options."""
    return lambda text: colorize(text, opts, **kwargs)


NOCOLOR_PALETTE = "nocolor"
DARK_PALETTE = "dark"
LIGHT_PALETTE = "light"

# Roles used by management commands, mapped to colour options.
PALETTES = {
    NOCOLOR_PALETTE: {
        "ERROR": {}, "SUCCESS": {}, "WARNING": {}, "NOTICE": {}, "SQL_FIELD": {},
        "SQL_COLTYPE": {}, "SQL_KEYWORD": {}, "SQL_TABLE": {}, "MIGRATE_HEADING": {},
        "MIGRATE_LABEL": {},
    },
    DARK_PALETTE: {
        "ERROR": {"fg": "red", "opts": ("bold",)},
        "SUCCESS": {"fg": "green", "opts": ("bold",)},
        "WARNING": {"fg": "yellow", "opts": ("bold",)},
        "NOTICE": {"fg": "red"},
        "SQL_FIELD": {"fg": "green", "opts": ("bold",)},
        "SQL_COLTYPE": {"fg": "green"},
        "SQL_KEYWORD": {"fg": "yellow"},
        "SQL_TABLE": {"opts": ("bold",)},
        "MIGRATE_HEADING": {"fg": "cyan", "opts": ("bold",)},
        "MIGRATE_LABEL": {"opts": ("bold",)},
    },
}
PALETTES[LIGHT_PALETTE] = dict(PALETTES[DARK_PALETTE])
PALETTES[LIGHT_PALETTE].update({"SQL_COLTYPE": {"fg": "green"}, "NOTICE": {"fg": "red"}})
DEFAULT_PALETTE = DARK_PALETTE


def parse_color_setting(config_string):
    """Parse a DJANGO_COLORS-like value: a palette name, or None for no colour."""
    if not config_string:
        return PALETTES[DEFAULT_PALETTE]
    name = config_string.strip().lower()
    if name == NOCOLOR_PALETTE:
        return None
    return PALETTES.get(name, PALETTES[DEFAULT_PALETTE])
