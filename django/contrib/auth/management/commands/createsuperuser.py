"""``createsuperuser``: add a user that holds every permission.

Two modes share one validation path:

* interactive (the default, needs a terminal): asks for the username
  (offering the system account name), the REQUIRED_FIELDS and the password
  twice without echo, re-asking after each invalid answer;
* ``--noinput``: the username and REQUIRED_FIELDS come from options (or
  ``DJANGO_SUPERUSER_<FIELD>`` variables), the password from
  ``DJANGO_SUPERUSER_PASSWORD``; without it the password is unusable.

The user is created on one database (``--database``, default 'default'),
and only a user of that database makes a username taken.
"""
import getpass
import os
import sys
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.contrib.auth.management import get_default_username
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, add_database_argument

PASSWORD_ENV = "DJANGO_SUPERUSER_PASSWORD"


class NotRunningInTTYException(Exception):
    """Interactive mode was requested but stdin is not a terminal (kept for
    code that imports it; the command now checks before asking)."""


class _Rejected(Exception):
    """An answer that cannot be used; ``str()`` is the message to show."""


class _Taken(_Rejected):
    """The username belongs to an existing user."""


def _capitalized(text):
    text = str(text)
    return text[:1].upper() + text[1:]


def _is_terminal(stream):
    """Whether ``stream`` is a terminal (a stream that cannot tell counts as one)."""
    isatty = getattr(stream, "isatty", None)
    return isatty is None or bool(isatty())


@contextmanager
def _cancelled_by_interrupt(stderr):
    """Ctrl-C (or the end of stdin) while asking ends the command with
    status 1 and no traceback."""
    try:
        yield
    except KeyboardInterrupt:
        stderr.write("\nOperation cancelled.")
        sys.exit(1)


def _env_value(field_name):
    return os.environ.get("DJANGO_SUPERUSER_%s" % field_name.upper())


class Command(BaseCommand):
    help = "Creates a user with every permission (a superuser), asking for its details."
    requires_migrations_checks = False
    stealth_options = ("stdin",)

    # Resolved when first needed, so AUTH_USER_MODEL overrides made after
    # the command object was created are still honoured.
    @property
    def user_model(self):
        return get_user_model()

    @property
    def login_field(self):
        model = self.user_model
        return model._meta.get_field(model.USERNAME_FIELD)

    def add_arguments(self, parser):
        login = self.user_model.USERNAME_FIELD
        parser.add_argument("--%s" % login, dest=login,
                            help="Specifies the login for the superuser.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do NOT prompt the user for input of any kind. You must use --%s with "
                 "--noinput; the password comes from %s (unusable if unset)." % (login, PASSWORD_ENV),
        )
        add_database_argument(parser, "The database alias to create the superuser on.")
        for name in self.user_model.REQUIRED_FIELDS:
            parser.add_argument("--%s" % name, dest=name,
                                help="Specifies the %s for the superuser." % name)

    def handle(self, *args, **options):
        # ``stdin`` is a stealth option: call_command(stdin=...) lets tests
        # (and embedding code) script the answers.
        self.stdin = options.get("stdin") or sys.stdin
        self.users = self.user_model._default_manager.db_manager(options["database"])
        interactive = options["interactive"]
        if interactive and not _is_terminal(self.stdin):
            self.stdout.write(
                "Superuser creation skipped: standard input is not a terminal. Run "
                "`manage.py createsuperuser` from a terminal, or pass --noinput "
                "with --%s." % self.user_model.USERNAME_FIELD
            )
            return
        with _cancelled_by_interrupt(self.stderr):
            fields = (self._ask_everything if interactive else self._fields_from_options)(options)
        self._create(fields)
        if options["verbosity"] >= 1:
            self.stdout.write("Superuser created successfully.")

    def _create(self, fields):
        """Save the superuser; the model's own validation errors become a
        CommandError."""
        try:
            self.users.create_superuser(**fields)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None

    # -- validation shared by both modes --------------------------------------------

    def _cleaned(self, field, raw):
        """``raw`` run through the field's validation, or _Rejected."""
        try:
            return field.clean(raw, None)
        except ValidationError as exc:
            raise _Rejected("; ".join(exc.messages)) from None

    def _checked_username(self, raw):
        """A cleaned username that is not blank and not taken yet."""
        if not raw:
            raise _Rejected("%s cannot be blank." % str(self.login_field.verbose_name).capitalize())
        username = self._cleaned(self.login_field, raw)
        if self._taken(username):
            raise _Taken("That %s is already taken." % self.login_field.verbose_name)
        return username

    def _taken(self, username):
        """Whether a user of the target database has this username."""
        return self.users.filter(**{self.user_model.USERNAME_FIELD: username}).exists()

    # -- --noinput -------------------------------------------------------------------

    def _fields_from_options(self, options):
        login = self.user_model.USERNAME_FIELD
        if not options.get(login):
            raise CommandError("You must use --%s with --noinput." % login)
        fields = {}
        try:
            fields[login] = self._checked_username(options[login])
        except _Taken as exc:
            raise CommandError("Error: %s" % exc)
        except _Rejected as exc:
            raise CommandError("%s: %s" % (self.login_field.verbose_name, exc))
        for name in self.user_model.REQUIRED_FIELDS:
            field = self.user_model._meta.get_field(name)
            given = options.get(name)
            if given is None:
                given = _env_value(name)
            if given is None and not field.blank:
                raise CommandError("You must use --%s with --noinput." % name)
            try:
                fields[name] = self._cleaned(field, given or "")
            except _Rejected as exc:
                raise CommandError("%s: %s" % (field.verbose_name, exc))
        fields["password"] = os.environ.get(PASSWORD_ENV) or None
        return fields

    # -- interactive -----------------------------------------------------------------

    def _read_line(self, prompt):
        self.stdout.write(prompt, ending="")
        if hasattr(self.stdout, "flush"):
            self.stdout.flush()
        reader = getattr(self.stdin, "readline", None)
        line = reader() if reader is not None else input()
        if line == "":  # end of file: treat like Ctrl-C
            raise KeyboardInterrupt
        return line.rstrip("\n")

    def _ask_until_valid(self, prompt, validate):
        """Prompt again after every answer ``validate`` rejects."""
        while True:
            try:
                return validate(self._read_line(prompt))
            except _Rejected as exc:
                self.stderr.write("Error: %s" % exc)

    def _ask_everything(self, options):
        login = self.user_model.USERNAME_FIELD
        fields = {}
        if options.get(login):
            # Given on the command line: no second chance.
            try:
                fields[login] = self._checked_username(options[login])
            except _Rejected as exc:
                raise CommandError(str(exc))
        else:
            fields[login] = self._ask_username()
        for name in self.user_model.REQUIRED_FIELDS:
            field = self.user_model._meta.get_field(name)
            if options.get(name) is not None:
                fields[name] = options[name]
                continue
            fields[name] = self._ask_until_valid(
                "%s: " % _capitalized(field.verbose_name),
                lambda raw, field=field: self._cleaned(field, raw),
            )
        fields["password"] = self._ask_password()
        return fields

    def _ask_username(self):
        # Offered only if free on the target database.
        suggestion = get_default_username(check_db=False)
        if suggestion and self._taken(suggestion):
            suggestion = ""
        prompt = _capitalized(self.login_field.verbose_name)
        if suggestion:
            prompt += " (leave blank to use '%s')" % suggestion
        return self._ask_until_valid(
            prompt + ": ", lambda raw: self._checked_username(raw or suggestion)
        )

    def _ask_password(self):
        """Read the password twice (no echo) until both agree and it is not blank."""
        while True:
            first = getpass.getpass()
            if first != getpass.getpass("Password (again): "):
                self.stderr.write("Error: Your passwords didn't match.")
            elif not first.strip():
                self.stderr.write("Error: Blank passwords aren't allowed.")
            else:
                return first
