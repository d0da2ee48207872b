"""``changepassword [username]``: give an existing user a new password.

The password is read twice without echo; after MAX_TRIES mismatching
pairs, or as soon as an empty answer is given, the command gives up and
leaves the old password in place. The user is looked up, and saved, on
one database (``--database``, default 'default').
"""
import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, add_database_argument

MAX_TRIES = 3


class Command(BaseCommand):
    help = "Sets a new password for a user of django.contrib.auth, asking for it twice."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "username", nargs="?",
            help="Whose password to change (by default the system account running the command).",
        )
        add_database_argument(parser, "The database alias the user is on.")

    def handle(self, *args, **options):
        # Without an argument, the account running the command is meant.
        username = options["username"] or getpass.getuser()
        database = options["database"]
        user = self._find_user(username, database)
        self.stdout.write("Changing password for user '%s'" % user)
        user.set_password(self._new_password(username, user))
        # Written back where it was read, whatever the routers would choose.
        user.save(using=database)
        done = "Password changed successfully for user '%s'" % user
        self.stdout.write(done)
        return done

    def _find_user(self, username, database):
        manager = get_user_model()._default_manager.db_manager(database)
        try:
            return manager.get_by_natural_key(username)
        except manager.model.DoesNotExist:
            raise CommandError("user '%s' does not exist" % username) from None

    def _new_password(self, username, user):
        """A password typed identically twice, within MAX_TRIES attempts."""
        for _attempt in range(MAX_TRIES):
            first, second = (self._read_secret(username, prompt)
                             for prompt in ("Password: ", "Password (again): "))
            if first == second:
                return first
            self.stdout.write("Passwords do not match. Please try again.")
        raise CommandError(
            "Aborting password change for user '%s' after %s attempts" % (user, MAX_TRIES)
        )

    @staticmethod
    def _read_secret(username, prompt):
        secret = getpass.getpass(prompt=prompt)
        if not secret:  # an empty answer means "never mind"
            raise CommandError("Aborting password change for user '%s'." % username)
        return secret
