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
    try:
        app_name = get_commands()[command_name]
    except KeyError:
        raise CommandError("Unknown command: %r" % command_name) from None
    if isinstance(app_name, BaseCommand):
        return app_name
    return load_command_class(app_name, command_name)


def _parser_actions(parser):
    """Every argparse action of ``parser``, including those in subparsers."""
    for action in parser._actions:
        yield action
        if isinstance(action, argparse._SubParsersAction):
            for sub_parser in action.choices.values():
                yield from _parser_actions(sub_parser)


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

    parser = command.create_parser("", command_name)
    actions = list(_parser_actions(parser))
    # "--no-color" may be given as no_color=..., its dest (also no_color).
    by_option_name = {}
    for action in actions:
        if action.option_strings:
            longest = max(action.option_strings, key=len)
            by_option_name[longest.lstrip("-").replace("-", "_")] = action.dest
    dest_names = {action.dest for action in actions}
    stealth = set(command.base_stealth_options) | set(command.stealth_options)
    valid = dest_names | stealth | set(by_option_name)
    unknown = set(options) - valid
    if unknown:
        raise TypeError(
            "Unknown option(s) for %s command: %s. Valid options are: %s."
            % (command_name, ", ".join(sorted(unknown)), ", ".join(sorted(valid)))
        )
    arg_options = {by_option_name.get(key, key): value for key, value in options.items()}

    parse_args = []
    for arg in args:
        if isinstance(arg, (list, tuple)):
            parse_args.extend(str(item) for item in arg)
        else:
            parse_args.append(str(arg))

    # Required options (and required mutually exclusive groups) must reach
    # argparse or it refuses to parse; pass those given as keywords.
    def needed_on_command_line(action):
        if not action.option_strings or action.dest not in arg_options:
            return False
        if action.required:
            return True
        return any(
            group.required and action in group._group_actions
            for group in parser._mutually_exclusive_groups
        )

    for action in actions:
        if not needed_on_command_line(action):
            continue
        value = arg_options[action.dest]
        option = min(action.option_strings)
        if isinstance(value, bool) or action.nargs == 0:
            parse_args.append(option)
        elif isinstance(value, (list, tuple)):
            parse_args.append(option)
            parse_args.extend(str(item) for item in value)
        else:
            parse_args.append("%s=%s" % (option, value))

    defaults = vars(parser.parse_args(args=parse_args))
    defaults.update(arg_options)
    positional = defaults.pop("args", ())
    if "skip_checks" not in options:
        defaults["skip_checks"] = True
    return command.execute(*positional, **defaults)


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
        if commands_only:
            return "\n".join(sorted(get_commands())) + "\n"
        style = color_style()
        lines = [
            "",
            "Type '%s help <subcommand>' for help on a specific subcommand." % self.prog_name,
            "",
            "Available subcommands:",
        ]
        by_app = {}
        for name, app in get_commands().items():
            app = "django" if app == "django.core" else app.rpartition(".")[2]
            by_app.setdefault(app, []).append(name)
        for app in sorted(by_app):
            lines.append("")
            lines.append(style.NOTICE("[%s]" % app))
            lines.extend("    %s" % name for name in sorted(by_app[app]))
        if self.settings_exception is not None:
            lines.append(
                style.NOTICE(
                    "Note that only Django core commands are listed as settings are "
                    "not properly configured (error: %s)." % self.settings_exception
                )
            )
        return "\n".join(lines) + "\n"

    def fetch_command(self, subcommand):
        """Return the command instance for ``subcommand`` or exit(1) with help."""
        commands = get_commands()
        if subcommand not in commands:
            self._exit_unknown(subcommand, commands)
        provider = commands[subcommand]
        if isinstance(provider, BaseCommand):
            return provider
        return load_command_class(provider, subcommand)

    def _exit_unknown(self, subcommand, commands):
        from django.conf import settings

        if os.environ.get("DJANGO_SETTINGS_MODULE"):
            # A broken settings module hides the apps' commands: report
            # that error rather than a misleading "unknown command".
            settings.INSTALLED_APPS
        elif not settings.configured:
            sys.stderr.write("No Django settings specified.\n")
        text = "Unknown command: %r" % subcommand
        guesses = difflib.get_close_matches(subcommand, commands)
        if guesses:
            text += ". Did you mean %s?" % guesses[0]
        sys.stderr.write("%s\nType '%s help' for usage.\n" % (text, self.prog_name))
        sys.exit(1)

    def execute(self):
        """Read the subcommand from argv, set up Django and run the command."""
        try:
            subcommand = self.argv[1]
        except IndexError:
            subcommand = "help"

        # --settings and --pythonpath must act before settings are read, so
        # they are picked out here; everything else is the command's.
        parser = CommandParser(
            prog=self.prog_name, usage="%(prog)s subcommand [options] [args]",
            add_help=False, allow_abbrev=False,
        )
        parser.add_argument("--settings")
        parser.add_argument("--pythonpath")
        parser.add_argument("args", nargs="*")
        try:
            options, _ = parser.parse_known_args(self.argv[2:])
            handle_default_options(options)
        except CommandError:
            options = parser.parse_known_args([])[0]

        self.settings_exception = _settings_error()
        if _settings_configured():
            django.setup()
            # Commands listed before setup() lacked the apps' ones.
            get_commands.cache_clear()

        if subcommand == "help":
            if "--commands" in self.argv[2:]:
                sys.stdout.write(self.main_help_text(commands_only=True))
            elif not options.args:
                sys.stdout.write(self.main_help_text())
            else:
                self.fetch_command(options.args[0]).print_help(self.prog_name, options.args[0])
        elif subcommand == "version" or self.argv[1:] == ["--version"]:
            sys.stdout.write(django.get_version() + "\n")
        elif self.argv[1:] in (["--help"], ["-h"]):
            sys.stdout.write(self.main_help_text())
        else:
            self.fetch_command(subcommand).run_from_argv(self.argv)


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
