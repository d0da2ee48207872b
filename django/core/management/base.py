"""The base classes every management command is built on.

A command is a module ``<package>.management.commands.<name>`` that defines a
``Command`` class derived from :class:`BaseCommand`.  ``django-admin <name>``
(or ``call_command(name)``) builds an argparse parser from the class, parses
the arguments and calls :meth:`BaseCommand.execute`, which sets up output
streams, runs the system checks when asked to, and finally calls
:meth:`BaseCommand.handle`.
"""
import argparse
import functools
import io
from contextlib import contextmanager
import os
import sys

import django
from django.core.management.color import color_style, no_style


def _plain(text):
    """The identity style: used where text must reach the stream unstyled."""
    return text


class CommandError(Exception):
    """A problem the command wants to report to its user, without traceback.

    From the command line, the message is printed to stderr as
    ``CommandError: <message>`` and the process exits with ``returncode``.
    Through ``call_command()`` the exception simply propagates.
    """

    returncode = 1

    def __init__(self, *args, returncode=1, **kwargs):
        super().__init__(*args, **kwargs)
        # Per-instance, so a command can choose its process exit status.
        self.returncode = returncode


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser that raises CommandError instead of exiting.

    When the command was started from the command line, argparse's usual
    behaviour (usage message and exit status 2) is kept.
    """

    def __init__(self, *, missing_args_message=None, called_from_command_line=None, **kwargs):
        # On the command line a usage error prints the usage and exits (as
        # argparse does); from call_command() it raises CommandError.
        self.exits_on_error = bool(called_from_command_line)
        # Said instead of argparse's own message when no argument is given.
        self.missing_args_message = missing_args_message
        super().__init__(**kwargs)

    def parse_args(self, args=None, namespace=None):
        if self.missing_args_message and not args:
            self.error(self.missing_args_message)
        return super().parse_args(args, namespace)

    def add_subparsers(self, **kwargs):
        # Subcommand parsers must behave like this one (exit vs raise).
        chosen = kwargs.get("parser_class", type(self))
        if isinstance(chosen, type) and issubclass(chosen, CommandParser):
            kwargs["parser_class"] = functools.partial(
                chosen, called_from_command_line=self.exits_on_error
            )
        return super().add_subparsers(**kwargs)

    def error(self, message):
        if self.exits_on_error:
            super().error(message)  # the usage, then exit status 2
        raise CommandError("Error: %s" % message)


def handle_default_options(options):
    """Apply ``--settings`` and ``--pythonpath`` before settings are read."""
    settings_module = getattr(options, "settings", None)
    extra_path = getattr(options, "pythonpath", None)
    if settings_module:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    if extra_path:
        sys.path.insert(0, extra_path)


class DjangoHelpFormatter(argparse.HelpFormatter):
    """List a command's own options before the options every command has."""

    show_last = {
        "--version", "--verbosity", "--traceback", "--settings", "--pythonpath",
        "--no-color", "--force-color", "--skip-checks",
    }

    def _is_common(self, action):
        return not self.show_last.isdisjoint(action.option_strings)

    def _common_options_last(self, actions):
        # sorted() is stable: each group keeps its declaration order.
        return sorted(actions, key=self._is_common)

    def add_arguments(self, actions):
        super().add_arguments(self._common_options_last(actions))

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, self._common_options_last(actions), groups, prefix)


class OutputWrapper(io.TextIOBase):
    """A text stream wrapper that adds line endings and applies a style.

    ``write(msg)`` appends ``ending`` (a newline by default) unless the message
    already ends with it, and passes the message through ``style_func``.  The
    style function is ignored when the underlying stream is not a terminal, so
    files and StringIO buffers receive plain text.
    """

    def __init__(self, out, ending="\n"):
        self._destination = out
        self.ending = ending
        self._styler = _plain

    @property
    def style_func(self):
        return self._styler

    @style_func.setter
    def style_func(self, func):
        # Escape codes only make sense on a terminal.
        self._styler = func if func and self.isatty() else _plain

    def __getattr__(self, name):
        # Everything else (getvalue, encoding, ...) is the stream's.
        return getattr(self._destination, name)

    def isatty(self):
        probe = getattr(self._destination, "isatty", None)
        return bool(probe and probe())

    def flush(self):
        flush = getattr(self._destination, "flush", None)
        if flush is not None:
            flush()

    def write(self, msg="", style_func=None, ending=None):
        if ending is None:
            ending = self.ending
        text = msg if not ending or msg.endswith(ending) else msg + ending
        self._destination.write((style_func or self._styler)(text))


class SystemCheckError(CommandError):
    """The system checks found problems serious enough to stop the command."""


ALL_CHECKS = "__all__"


# Options every command accepts (besides --version and --skip-checks, which
# depend on the command instance), as (flags, add_argument keywords).
_COMMON_OPTIONS = (
    (("-v", "--verbosity"), {
        "default": 1, "type": int, "choices": [0, 1, 2, 3],
        "help": "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, "
                "3=very verbose output",
    }),
    (("--settings",), {
        "help": "The Python path to a settings module, e.g. \"myproject.settings.main\". "
                "If this isn't provided, the DJANGO_SETTINGS_MODULE environment variable "
                "will be used.",
    }),
    (("--pythonpath",), {
        "help": "A directory to add to the Python path, e.g. "
                "\"/home/djangoprojects/myproject\".",
    }),
    (("--traceback",), {"action": "store_true", "help": "Raise on CommandError exceptions."}),
    (("--no-color",), {"action": "store_true", "help": "Don't colorize the command output."}),
    (("--force-color",), {
        "action": "store_true", "help": "Force colorization of the command output.",
    }),
)


class BaseCommand:
    """The class every management command derives from.

    Subclasses set ``help``, implement :meth:`handle` and, to accept
    arguments, :meth:`add_arguments`.  Useful class attributes:

    ``requires_system_checks``
        ``'__all__'`` (the default) runs every system check before
        :meth:`handle`; a list of tags runs only those; ``[]`` runs none.
    ``output_transaction``
        Wrap the SQL returned by :meth:`handle` in BEGIN/COMMIT.
    ``stealth_options``
        Option names accepted by ``call_command()`` though no parser
        argument declares them.
    ``suppressed_base_arguments``
        Default options (e.g. ``'--verbosity'``) to hide from ``--help``.
    """

    help = ""
    output_transaction = False
    requires_system_checks = ALL_CHECKS
    # Accepted for compatibility; there are no migrations to check.
    requires_migrations_checks = False
    base_stealth_options = ("stderr", "stdout", "skip_checks")
    stealth_options = ()
    suppressed_base_arguments = set()
    missing_args_message = None
    # Set by run_from_argv(): usage errors then exit instead of raising.
    _started_from_argv = False

    def __init__(self, stdout=None, stderr=None, no_color=False, force_color=False):
        checks_setting = self.requires_system_checks
        if checks_setting != ALL_CHECKS and not isinstance(checks_setting, (list, tuple)):
            raise TypeError(
                "%s.requires_system_checks must be a list or tuple of check tags "
                "or '__all__', not %r." % (type(self).__name__, checks_setting)
            )
        self.stdout = OutputWrapper(stdout or sys.stdout)
        self.stderr = OutputWrapper(stderr or sys.stderr)
        self._choose_style(
            no_color, force_color, "'no_color' and 'force_color' can't be used together."
        )

    def _choose_style(self, no_color, force_color, conflict_message):
        """Set ``self.style`` and make stderr red unless colour is switched off."""
        if no_color and force_color:
            raise CommandError(conflict_message)
        self.style = no_style() if no_color else color_style(force_color)
        self.stderr.style_func = None if no_color else self.style.ERROR

    def get_version(self):
        """The version shown by ``--version``: Django's."""
        return django.get_version()

    def create_parser(self, prog_name, subcommand, **kwargs):
        """Build the argparse parser for this command."""
        parser = CommandParser(
            prog="%s %s" % (os.path.basename(prog_name), subcommand),
            description=self.help or None,
            missing_args_message=self.missing_args_message,
            called_from_command_line=self._started_from_argv,
            formatter_class=kwargs.pop("formatter_class", DjangoHelpFormatter),
            **kwargs,
        )
        self.add_base_argument(
            parser, "--version", action="version", version=self.get_version(),
            help="Show program's version number and exit.",
        )
        for flags, spec in _COMMON_OPTIONS:
            self.add_base_argument(parser, *flags, **spec)
        if self.requires_system_checks:
            self.add_base_argument(
                parser, "--skip-checks", action="store_true", help="Skip system checks."
            )
        self.add_arguments(parser)
        return parser

    def add_arguments(self, parser):
        """Entry point for subclasses to add their own arguments."""

    def add_base_argument(self, parser, *args, **kwargs):
        """Add a default option, hidden from help if listed in suppressed_base_arguments."""
        if set(args) & set(self.suppressed_base_arguments):
            kwargs["help"] = argparse.SUPPRESS
        parser.add_argument(*args, **kwargs)

    def print_help(self, prog_name, subcommand):
        """Print this command's usage and options to stdout."""
        self.create_parser(prog_name, subcommand).print_help()

    def run_from_argv(self, argv):
        """Run the command as ``django-admin``/``manage.py`` does.

        ``argv`` is ``[prog_name, subcommand, *arguments]``.  A CommandError is
        printed to stderr and turned into ``SystemExit(returncode)``, unless
        ``--traceback`` was given, in which case it propagates.
        """
        self._started_from_argv = True
        program, subcommand, *words = argv
        namespace = self.create_parser(program, subcommand).parse_args(words)
        handle_default_options(namespace)
        options = dict(vars(namespace))
        with self._command_line_ending(show_traceback=namespace.traceback):
            self.execute(*options.pop("args", ()), **options)

    @contextmanager
    def _command_line_ending(self, show_traceback):
        """End the command as the command line does: the database
        connection is closed, and a CommandError becomes its message on
        stderr and its exit status (or, with --traceback, propagates)."""
        try:
            yield
        except CommandError as exc:
            if show_traceback:
                raise
            if isinstance(exc, SystemCheckError):
                # The message is already a formatted, styled report.
                self.stderr.write(str(exc), _plain)
            else:
                self.stderr.write("%s: %s" % (type(exc).__name__, exc))
            sys.exit(exc.returncode)
        finally:
            _close_database_connection()

    def execute(self, *args, **options):
        """Set up output, run the system checks if needed, then :meth:`handle`."""
        no_color, force_color = options.get("no_color"), options.get("force_color")
        if no_color or force_color:
            self._choose_style(
                no_color, force_color,
                "The --no-color and --force-color options can't be used together.",
            )
        # call_command() may hand in its own streams.
        for stream in ("stdout", "stderr"):
            if options.get(stream):
                setattr(self, stream, OutputWrapper(options[stream]))
        if options.get("stderr") and not no_color:
            self.stderr.style_func = self.style.ERROR
        if "database" in options:
            # Refused before any work (and any system check) is done.
            options["database"] = checked_database(options["database"])
        if self.requires_system_checks and not options.get("skip_checks"):
            wanted = self.requires_system_checks
            self.check(tags=None if wanted == ALL_CHECKS else wanted)
        output = self.handle(*args, **options)
        if output:
            if self.output_transaction:
                output = self._wrap_in_transaction(output, options.get("database"))
            self.stdout.write(output)
        return output

    def _wrap_in_transaction(self, output, alias=None):
        from django.db import DEFAULT_DB_ALIAS, connections

        # The statements are the chosen database's: so are BEGIN and COMMIT.
        ops = connections[alias or DEFAULT_DB_ALIAS].ops
        begin = getattr(ops, "start_transaction_sql", lambda: "BEGIN;")()
        end = getattr(ops, "end_transaction_sql", lambda success=True: "COMMIT;")()
        return "%s\n%s\n%s" % (self.style.SQL_KEYWORD(begin), output, self.style.SQL_KEYWORD(end))

    def check(self, app_configs=None, tags=None, display_num_errors=False,
              include_deployment_checks=False, fail_level=None, databases=None):
        """Run the system checks and report what they found.

        Issues at ``fail_level`` (ERROR by default) or above, and not
        silenced, raise :class:`SystemCheckError`; lesser ones are printed
        to stderr and the command goes on.
        """
        from django.core import checks

        if fail_level is None:
            fail_level = checks.ERROR
        issues = checks.run_checks(
            app_configs=app_configs, tags=tags,
            include_deployment_checks=include_deployment_checks,
            databases=databases,
        )
        report, serious, visible = format_check_messages(
            issues, self.style, fail_level, display_num_errors
        )
        if serious:
            raise SystemCheckError(report)
        if report:
            if visible:
                self.stderr.write(report, _plain)
            else:
                self.stdout.write(report)

    def handle(self, *args, **options):
        """Do the command's work; return a string to print it, or None."""
        raise NotImplementedError(
            "subclasses of BaseCommand must provide a handle() method"
        )


def add_database_argument(parser, help_text):
    """``--database ALIAS`` (default 'default'): the option of every command
    that works on one database. :meth:`BaseCommand.execute` checks the
    alias (:func:`checked_database`) before the command runs."""
    from django.db import DEFAULT_DB_ALIAS

    parser.add_argument(
        "--database", default=DEFAULT_DB_ALIAS, metavar="ALIAS",
        help="%s Defaults to the %r database." % (help_text, DEFAULT_DB_ALIAS),
    )


def checked_database(alias):
    """The ``database`` option of a command: ``alias`` if DATABASES
    configures it (None means 'default'), else a CommandError naming it and
    the configured aliases, so the command line says so on stderr and exits
    with status 1. Every command's ``--database`` (and ``call_command(...,
    database=...)``) goes through this one check."""
    import django.db

    try:
        checked = django.db.connections.checked_alias(alias)
    except django.db.ConnectionDoesNotExist as exc:
        # The handler's message already names the alias and the choices.
        raise CommandError(str(exc)) from None
    return django.db.DEFAULT_DB_ALIAS if checked is None else checked


def format_check_messages(issues, style, fail_level, display_num_errors=False):
    """Return ``(report, has_serious_issue, visible_count)`` for check messages."""
    from django.core import checks

    visible = [e for e in issues if not e.is_silenced()]
    silenced_count = len(issues) - len(visible)
    sections = [
        ("ERRORS", lambda e: e.level >= checks.ERROR),
        ("WARNINGS", lambda e: checks.WARNING <= e.level < checks.ERROR),
        ("INFOS", lambda e: checks.INFO <= e.level < checks.WARNING),
        ("DEBUGS", lambda e: e.level < checks.INFO),
    ]
    body = ""
    for title, belongs in sections:
        group = sorted((e for e in visible if belongs(e)), key=lambda e: str(e))
        if not group:
            continue
        lines = []
        for issue in group:
            text = str(issue)
            text = style.ERROR(text) if issue.is_serious() else style.WARNING(text)
            lines.append(text)
        body += "\n%s:\n%s\n" % (title, "\n".join(lines))
    header = ""
    if visible:
        header = "System check identified some issues:\n"
    footer = ""
    if display_num_errors:
        if visible:
            body += "\n"
        count = len(visible)
        footer = "System check identified %s (%s silenced)." % (
            "no issues" if count == 0 else "1 issue" if count == 1 else "%d issues" % count,
            silenced_count,
        )
    serious = any(e.is_serious(fail_level) and not e.is_silenced() for e in issues)
    if serious:
        report = style.ERROR("SystemCheckError: %s" % header) + body + footer
    else:
        report = header + body + footer
    return report, serious, len(visible)


def _close_database_connection():
    """Close the database connection a command may have opened."""
    try:
        from django.db import connection

        connection.close()
    except Exception:  # noqa: BLE001 - no settings, no backend: nothing to close
        pass


def _join_outputs(outputs):
    """Join the non-empty results of per-item handlers, one per line."""
    return "\n".join(text for text in outputs if text)


def installed_app_config(label):
    """The AppConfig of an installed application, or a CommandError that
    suggests checking INSTALLED_APPS."""
    from django.apps import apps

    try:
        return apps.get_app_config(label)
    except (LookupError, ImportError) as exc:
        raise CommandError(
            "%s. Are you sure your INSTALLED_APPS setting is correct?" % exc
        ) from None


class AppCommand(BaseCommand):
    """A command that takes one or more installed application labels.

    Subclasses implement :meth:`handle_app_config`, called once per app.
    """

    missing_args_message = "Enter at least one application label."

    def add_arguments(self, parser):
        parser.add_argument(
            "args", metavar="app_label", nargs="+", help="One or more application label."
        )

    def handle(self, *app_labels, **options):
        # Every label is resolved first, so a typo fails before any work is done.
        configs = [installed_app_config(label) for label in app_labels]
        return _join_outputs(self.handle_app_config(config, **options) for config in configs)

    def handle_app_config(self, app_config, **options):
        """Do the work for one application; return text to print or None."""
        message = "Subclasses of AppCommand must provide a handle_app_config() method."
        raise NotImplementedError(message)


class LabelCommand(BaseCommand):
    """A command that takes one or more arbitrary labels.

    Subclasses implement :meth:`handle_label`; set ``label`` to name the
    argument in the help text.
    """

    label = "label"

    @property
    def missing_args_message(self):
        return "Enter at least one %s." % self.label

    def add_arguments(self, parser):
        parser.add_argument("args", metavar=self.label, nargs="+")

    def handle(self, *labels, **options):
        return _join_outputs(self.handle_label(label, **options) for label in labels)

    def handle_label(self, label, **options):
        """Do the work for one label; return text to print or None."""
        raise NotImplementedError(
            "subclasses of LabelCommand must provide a handle_label() method"
        )
