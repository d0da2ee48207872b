"""Management commands: discovery, ``call_command`` and the command line.

Commands live in ``django/core/management/commands/<name>.py`` and in each
installed application's ``management/commands/<name>.py``.  When two define
the same name, the application listed first in INSTALLED_APPS wins, and any
application wins over Django's own command.
"""
import argparse
import difflib
import importlib
import os
import pkgutil
import sys

import django

from .base import BaseCommand, CommandError, CommandParser, handle_default_options
from .color import color_style

__all__ = [
    "BaseCommand", "CommandError", "ManagementUtility", "call_command",
    "execute_from_command_line", "find_commands", "get_commands", "load_command_class",
]


def find_commands(management_dir):
    """Names of the command modules in ``<management_dir>/commands``."""
    modules = pkgutil.iter_modules([os.path.join(management_dir, "commands")])
    # Sub-packages and _private modules are helpers, not commands.
    return [info.name for info in modules if not (info.ispkg or info.name.startswith("_"))]


def load_command_class(app_name, name):
    """Import ``<app_name>.management.commands.<name>`` and return a Command()."""
    module = importlib.import_module("%s.management.commands.%s" % (app_name, name))
    command_class = getattr(module, "Command", None)
    if command_class is None:
        raise CommandError("The module %s does not define a Command class." % module.__name__)
    return command_class()


def _ready_app_registry():
    """The app registry once settings are configured and apps loaded, else None."""
    if not _settings_configured():
        return None
    from django.apps import apps

    return apps if apps.ready else None


_commands_cache = {}


def get_commands():
    """Map every available command name to the package that provides it.

    The values are package names such as ``'django.core'`` or an app's
    module path; ``load_command_class(value, name)`` imports the command.
    Once the app registry is ready the result is cached;
    ``override_settings(INSTALLED_APPS=...)`` clears the cache through the
    ``setting_changed`` signal (``get_commands.cache_clear()``).
    """
    cached = _commands_cache.get("commands")
    if cached is not None:
        return cached
    commands = dict.fromkeys(find_commands(__path__[0]), "django.core")
    registry = _ready_app_registry()
    if registry is None:
        # Not cached: the apps' commands appear once django.setup() ran.
        return commands
    # Later assignments win, so walking the apps from last to first lets
    # the first app listed in INSTALLED_APPS have the final say.
    for config in reversed(list(registry.get_app_configs())):
        for name in find_commands(os.path.join(config.path, "management")):
            commands[name] = config.name
    _commands_cache["commands"] = commands
    return commands


get_commands.cache_clear = _commands_cache.clear


def _load(command_name):
    """The command instance for a name get_commands() knows, else CommandError."""
    try:
        app_name = get_commands()[command_name]
    except KeyError:
        raise CommandError("Unknown command: %r" % command_name) from None
    if isinstance(app_name, BaseCommand):
        return app_name
    return load_command_class(app_name, command_name)


def _every_action(parser):
    """The argparse actions of ``parser`` and of its subcommands' parsers."""
    found, parsers = [], [parser]
    while parsers:
        for action in parsers.pop()._actions:
            found.append(action)
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(action.choices.values())
    return found


def _keyword_names(actions, command):
    """``{keyword call_command() accepts: destination}``.

    Every destination is its own keyword; an option is also accepted under
    its longest spelling with the dashes dropped or made underscores
    (``--no-color`` as ``no_color``), and that spelling wins a clash.
    """
    names = {action.dest: action.dest for action in actions}
    names.update((stealth, stealth) for stealth in command.base_stealth_options)
    names.update((stealth, stealth) for stealth in command.stealth_options)
    for action in actions:
        if action.option_strings:
            spelling = max(action.option_strings, key=len)
            names[spelling.lstrip("-").replace("-", "_")] = action.dest
    return names


def _accept_keyword_values(parser, actions, given):
    """Let ``parser`` parse without the options whose values came as keywords.

    argparse insists on required options (and on one member of a required
    mutually exclusive group) being on the command line; a value given to
    call_command() satisfies them as well, so they stop being required. Two
    members of one exclusive group given that way are refused, as argparse
    refuses them on the command line.
    """
    for group in parser._mutually_exclusive_groups:
        chosen = [action for action in group._group_actions if action.dest in given]
        if len(chosen) > 1:
            raise CommandError(
                "Error: argument %s: not allowed with argument %s"
                % ("/".join(chosen[1].option_strings), "/".join(chosen[0].option_strings))
            )
        if chosen:
            group.required = False
    for action in actions:
        if action.option_strings and action.dest in given:
            action.required = False


def _command_line_words(args):
    """Positional ``args`` as command-line words: lists are spread out and
    every value becomes a string."""
    words = []
    for arg in args:
        words.extend(map(str, arg) if isinstance(arg, (list, tuple)) else [str(arg)])
    return words


def call_command(command_name, *args, **options):
    """Run a management command from Python code.

    ``command_name`` is a command's name or a command instance.  Positional
    ``args`` are passed as on the command line (converted to strings);
    ``options`` are given by destination name (``verbosity=0``) or by option
    name with dashes turned into underscores (``no_color=True``), and are
    not parsed as strings.  ``stdout=``/``stderr=`` redirect the output.
    System checks are skipped unless ``skip_checks=False`` is passed.

    Returns whatever the command's ``execute()`` returns.
    """
    if isinstance(command_name, BaseCommand):
        command = command_name
        command_name = type(command).__module__.rpartition(".")[2]
    else:
        command = _load(command_name)
    # A fresh parser per call: relaxing its required options affects no one else.
    parser = command.create_parser("", command_name)
    actions = _every_action(parser)
    keywords = _keyword_names(actions, command)
    unknown = sorted(set(options).difference(keywords))
    if unknown:
        raise TypeError(
            "Unknown option(s) for %s command: %s. Valid options are: %s."
            % (command_name, ", ".join(unknown), ", ".join(sorted(keywords)))
        )
    given = {keywords[keyword]: value for keyword, value in options.items()}
    _accept_keyword_values(parser, actions, given)
    values = vars(parser.parse_args(_command_line_words(args)))
    values.update(given)
    if "skip_checks" not in options:
        values["skip_checks"] = True
    return command.execute(*values.pop("args", ()), **values)


# Read before the settings are: they say which settings to read.
EARLY_OPTIONS = ("--settings", "--pythonpath")


def _split_early_options(words):
    """``({'settings': ..., 'pythonpath': ...}, other words)`` for the words
    after the subcommand; ``--settings=x`` and ``--settings x`` both count."""
    early, others = {}, []
    remaining = iter(words)
    for word in remaining:
        option, equals, value = word.partition("=")
        if option not in EARLY_OPTIONS:
            others.append(word)
        else:
            early[option.lstrip("-")] = value if equals else next(remaining, None)
    return early, others


def _help_section(provider):
    """The heading ``django-admin help`` lists a command under: ``django``
    for the built-in commands, else the providing application's last name."""
    if not isinstance(provider, str):
        provider = type(provider).__module__
    return "django" if provider == "django.core" else provider.rpartition(".")[2]


class ManagementUtility:
    """The ``django-admin``/``manage.py`` command line."""

    def __init__(self, argv=None):
        self.argv = list(sys.argv if argv is None else argv)
        program = os.path.basename(self.argv[0]) if self.argv else "django-admin"
        # ``python -m django`` runs django/__main__.py; name it as typed.
        self.prog_name = "python -m django" if program == "__main__.py" else program
        # Why settings could not be read, if they could not (shown in help).
        self.settings_exception = None

    def main_help_text(self, commands_only=False):
        """The text of ``django-admin help``: usage and commands by app."""
        commands = get_commands()
        if commands_only:
            return "".join("%s\n" % name for name in sorted(commands))
        style = color_style()
        text = [
            "",
            "Type '%s help <subcommand>' for help on a specific subcommand." % self.prog_name,
            "",
            "Available subcommands:",
        ]
        sections = {}
        for name in sorted(commands):
            sections.setdefault(_help_section(commands[name]), []).append("    " + name)
        for heading in sorted(sections):
            text += ["", style.NOTICE("[%s]" % heading), *sections[heading]]
        if self.settings_exception is not None:
            text.append(style.NOTICE(
                "Note that only Django core commands are listed as settings are "
                "not properly configured (error: %s)." % self.settings_exception
            ))
        return "\n".join(text) + "\n"

    def fetch_command(self, subcommand):
        """Return the command instance for ``subcommand`` or exit(1) with help."""
        commands = get_commands()
        if subcommand not in commands:
            self.exit_unknown_command(subcommand, commands)
        return _load(subcommand)

    def exit_unknown_command(self, subcommand, commands):
        """Say on stderr why ``subcommand`` is unknown, then exit with status 1."""
        report = []
        if os.environ.get("DJANGO_SETTINGS_MODULE"):
            # A broken settings module hides the apps' commands: its own
            # error says more than "unknown command".
            problem = _settings_error()
            if problem is not None:
                raise problem
        elif not _settings_configured():
            report.append("No Django settings specified.")
        guesses = difflib.get_close_matches(subcommand, commands, n=1)
        suggestion = ". Did you mean %s?" % guesses[0] if guesses else ""
        report.append("Unknown command: %r%s" % (subcommand, suggestion))
        report.append("Type '%s help' for usage." % self.prog_name)
        sys.stderr.write("\n".join(report) + "\n")
        sys.exit(1)

    def show_help(self, words):
        """``help``: every command, only their names (``--commands``), or
        the usage of the command named in ``words``."""
        if "--commands" in words:
            sys.stdout.write(self.main_help_text(commands_only=True))
            return
        named = [word for word in words if not word.startswith("-")]
        if named:
            self.fetch_command(named[0]).print_help(self.prog_name, named[0])
        else:
            sys.stdout.write(self.main_help_text())

    def execute(self):
        """Read the subcommand from argv, set up Django and run the command."""
        words = self.argv[1:] or ["help"]
        early, rest = _split_early_options(words[1:])
        # --settings and --pythonpath act before the settings are read.
        handle_default_options(argparse.Namespace(**early))
        self.settings_exception = _settings_error()
        if _settings_configured():
            django.setup()
            # Commands listed before setup() lacked the apps' ones.
            get_commands.cache_clear()
        # The bare options are spellings of two commands.
        words = {"--help": ["help"], "-h": ["help"], "--version": ["version"]}.get(
            " ".join(words), words
        )
        if words[0] == "help":
            self.show_help(rest)
        else:
            program = self.argv[0] if self.argv else self.prog_name
            self.fetch_command(words[0]).run_from_argv([program, *words])


def _settings_configured():
    from django.conf import settings

    return settings.configured


def _settings_error():
    """The exception reading the settings raises, or None if they load."""
    import django.conf
    import django.core.exceptions

    try:
        django.conf.settings.INSTALLED_APPS
    except (django.core.exceptions.ImproperlyConfigured, ImportError) as exc:
        return exc
    return None


def execute_from_command_line(argv=None):
    """Run a command line such as ``['django-admin', 'check']`` (sys.argv by default)."""
    ManagementUtility(argv).execute()
