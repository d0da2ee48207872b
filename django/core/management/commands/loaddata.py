"""``loaddata``: install fixtures (serialized objects) into the database.

Fixtures are looked up by name in each installed application's
``fixtures/`` directory, in ``settings.FIXTURE_DIRS`` and relative to the
current directory (or at an absolute path). They are loaded into one
database, ``--database`` (default 'default'): the objects of models the
routers keep off it are skipped.  A name may omit the format and
compression extensions (``initial``, ``initial.json``, ``initial.json.gz``).
Besides ``initial.json``, the fixture named for the target database,
``initial.<alias>.json`` (compressed or not), is loaded too, and only into
that database: ``initial.default.json`` and ``initial.other.json`` split
one fixture's data between two databases.
Everything is loaded in ONE transaction: if any object fails (an unknown
model or field, a bad value, a foreign key without its target) nothing is
left behind and the error names the fixture file and the object.
"""
import io
import os
import re
import sys
import warnings
import zipfile
from contextlib import ExitStack

from django.apps import apps
from django.conf import settings
from django.core import exceptions, serializers
from django.core.management import color
from django.core.management.base import BaseCommand, CommandError, add_database_argument
from django.core.management.sql import execute_statements
from django.db import DatabaseError, connections, router, transaction

STDIN_LABEL = "-"


def _open_zip(path):
    """The single member of a zip archive, as a binary stream."""
    with zipfile.ZipFile(path) as archive:
        members = archive.namelist()
        if len(members) != 1:
            raise ValueError(
                "Zip-compressed fixtures must contain one file; %s has %d." % (path, len(members))
            )
        return io.BytesIO(archive.read(members[0]))


def _openers():
    import bz2
    import gzip
    import lzma

    return {
        None: lambda path: open(path, "rb"),
        "gz": lambda path: gzip.open(path, "rb"),
        "bz2": lambda path: bz2.open(path, "rb"),
        "xz": lambda path: lzma.open(path, "rb"),
        "zip": _open_zip,
    }


# Compression extension -> function opening such a file for binary reading.
OPENERS = _openers()


def constraint_checks_disabled(connection):
    """A context manager: ``connection.constraint_checks_disabled()``, except
    that turning the checks back on also works after a failed statement
    marked the transaction for rollback (MySQL, SQLite)."""
    restore = ExitStack()
    if connection.disable_constraint_checking():
        restore.callback(_checks_back_on, connection)
    return restore


def _checks_back_on(connection):
    # Turned on despite a pending rollback: otherwise this second error
    # would hide the first, which names the fixture and the object.
    pending_rollback = connection.needs_rollback
    connection.needs_rollback = False
    try:
        connection.enable_constraint_checking()
    finally:
        connection.needs_rollback = pending_rollback


def parse_apps_and_model_labels(labels):
    """``(models, app configs)`` named by ``app_label`` / ``app_label.Model``
    labels; an unknown one is a CommandError."""
    models, app_configs = set(), set()
    for label in labels:
        app_label, dot, model_name = label.partition(".")
        try:
            if dot:
                models.add(apps.get_model(app_label, model_name))
            else:
                app_configs.add(apps.get_app_config(app_label))
        except (LookupError, ValueError) as e:
            raise CommandError("Unknown model: %s" % label if dot else str(e)) from None
    return models, app_configs


def _where(directory):
    return "'%s'" % directory if directory else "absolute path"


class Command(BaseCommand):
    help = "Load fixtures (serialized objects) into the database, all in one transaction."
    missing_args_message = "Name at least one fixture to load (a name, a file name or a path)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("args", metavar="fixture", nargs="+", help="Fixture names or paths.")
        parser.add_argument(
            "--app", dest="app_label",
            help="Search the fixtures directory of this application only.",
        )
        parser.add_argument(
            "--ignorenonexistent", "-i", action="store_true", dest="ignore",
            help="Skip fields of the fixtures that the models no longer have.",
        )
        parser.add_argument(
            "-e", "--exclude", action="append", default=[],
            help="Skip the objects of this application or app_label.ModelName (repeatable).",
        )
        parser.add_argument("--format", help="The serialization format of data read from stdin ('-').")
        add_database_argument(
            parser, "The database alias to load the fixtures into (NAME.ALIAS.FORMAT "
                    "fixtures are loaded only into ALIAS).",
        )

    # -- the run -------------------------------------------------------------
    def handle(self, *labels, **options):
        self.verbosity, self.ignore = options["verbosity"], options["ignore"]
        self.app_label, self.format = options["app_label"], options["format"]
        self.excluded_models, self.excluded_apps = parse_apps_and_model_labels(options["exclude"])
        if labels.count(STDIN_LABEL) > 1:
            raise CommandError("The '-' fixture (stdin) can only be given once.")
        if STDIN_LABEL in labels and not self.format:
            raise CommandError("--format must be specified when reading from stdin.")
        self.using = options["database"]
        self.connection = connections[self.using]
        with transaction.atomic(using=self.using):
            self.load(labels)

    def load(self, labels):
        """Load every label, resolve late references, check foreign keys,
        reset sequences and print the summary."""
        self.files_read = 0
        self.objects_seen = 0
        self.objects_saved = 0
        self.models = set()
        self.writable_models = {}
        self.late = []      # saved objects with natural keys to resolve at the end
        self.waiting = []   # (object, origin) that cannot be saved before those
        # (db_table, str(pk)) -> "fixture 'file', object #n", so that an
        # integrity error found at the very end can name the object.
        self.origins = {}

        # Foreign keys are checked at the end, not per row: objects may come
        # in any order and refer to each other.
        with constraint_checks_disabled(self.connection):
            for label in labels:
                for path, directory, name in self.sources(label):
                    self.load_file(path, directory, name)
            self.save_waiting()
            for deserialized in self.late:
                deserialized.save_deferred_fields(using=self.using)
        self.check_foreign_keys()
        if self.objects_saved:
            self.reset_sequences(self.connection, self.models)
        if self.verbosity >= 1:
            counts = "%d object(s)" % self.objects_saved
            if self.objects_seen != self.objects_saved:
                counts += " (of %d)" % self.objects_seen
            self.stdout.write("Installed %s from %d fixture(s)" % (counts, self.files_read))

    def check_foreign_keys(self):
        tables = sorted({model._meta.db_table for model in self.models})
        try:
            self.connection.check_constraints(table_names=tables)
        except Exception as e:
            e.args = ("Problem installing fixtures: %s%s" % (e, self._origin_of(e)),)
            raise

    def reset_sequences(self, connection, models):
        """Move auto-increment sequences past the loaded primary keys."""
        by_label = sorted(models, key=lambda model: model._meta.label)
        statements = connection.ops.sequence_reset_sql(color.no_style(), by_label)
        if statements:
            self.note("Resetting sequences")
            execute_statements(connection, statements)

    def note(self, message):
        """Print a progress message (verbosity 2 and up)."""
        if self.verbosity >= 2:
            self.stdout.write(message)

    # -- one file ------------------------------------------------------------
    def load_file(self, path, directory, name):
        """Deserialize and save the objects of one fixture file."""
        fmt, compression = self.split_name(os.path.basename(path))[1:]
        self.files_read += 1
        self.note("Installing %s fixture '%s' from %s." % (fmt, name, _where(directory)))
        stream = sys.stdin if path == STDIN_LABEL else OPENERS[compression](path)
        seen = saved = 0
        try:
            objects = serializers.deserialize(
                fmt, stream, ignorenonexistent=self.ignore, handle_forward_references=True,
                using=self.using,
            )
            for deserialized in objects:
                seen += 1
                if self.save(deserialized, path, seen):
                    saved += 1
        except CommandError:
            raise
        except Exception as e:
            e.args = ("Problem installing fixture '%s': %s" % (path, e),)
            raise
        finally:
            if stream is not sys.stdin:
                stream.close()
        self.objects_seen += seen
        self.objects_saved += saved
        if seen == 0:
            warnings.warn(
                "No fixture data found for '%s'. (File format may be invalid.)" % name, RuntimeWarning
            )
        elif self.verbosity >= 2:
            self.stdout.write("Installed %d object(s) from fixture '%s'." % (seen, name))

    def save(self, deserialized, path, index):
        """Save one object (or keep it for later); False if it is skipped."""
        model = type(deserialized.object)
        if model in self.excluded_models or model._meta.app_config in self.excluded_apps:
            return False
        if not self.writable(model):
            return False
        self.models.add(model)
        origin = "fixture '%s', object #%d" % (path, index)
        if deserialized.has_required_deferred_fields():
            # A NOT NULL natural foreign key to a row that comes later.
            self.waiting.append((deserialized, origin))
            return True
        try:
            deserialized.save(using=self.using)
        except (DatabaseError, ValueError, TypeError) as e:
            e.args = (
                "Could not load %s(pk=%s) (object #%d): %s"
                % (model._meta.label, deserialized.object.pk, index, e),
            )
            raise
        self._remember(deserialized.object, origin)
        if deserialized.deferred_fields:
            self.late.append(deserialized)
        return True

    def writable(self, model):
        """Whether objects of ``model`` are loaded into this database: not
        for proxy and unmanaged models, nor models the routers keep off it
        (as for syncdb). Asked once per model and run."""
        known = self.writable_models.get(model)
        if known is None:
            known = self.writable_models[model] = (
                model._meta.can_migrate(self.connection) and router.allow_migrate_model(self.using, model)
            )
        return known

    def _remember(self, obj, origin):
        self.origins[(obj._meta.db_table, str(obj.pk))] = origin

    def save_waiting(self):
        """Save the objects whose NOT NULL natural foreign keys referred to
        rows loaded later; they may refer to each other, so go round until a
        round saves nothing."""
        waiting = self.waiting
        while waiting:
            failed = []
            for deserialized, origin in waiting:
                try:
                    with transaction.atomic(using=self.using):
                        deserialized.save_deferred_fields(using=self.using)
                except serializers.base.DeserializationError as e:
                    failed.append((deserialized, origin, e))
                else:
                    self._remember(deserialized.object, origin)
            if len(failed) == len(waiting):
                stuck, origin, exc = failed[0]
                raise serializers.base.DeserializationError(
                    "Problem installing %s: %s" % (origin, exc)
                ) from exc
            waiting = [(retry, origin) for retry, origin, error in failed]
        self.waiting = []

    def _origin_of(self, exc):
        """Where the row an integrity error names came from: " (from
        fixture 'x', object #n)" when the message gives the table and primary
        key, else the fixture files that loaded rows into the first table
        the message mentions."""
        message = str(exc)
        found = re.search(r"table '([^']+)' with primary key '([^']*)'", message)
        if found and found.groups() in self.origins:
            return " (from %s)" % self.origins[found.groups()]
        files_by_table = {}
        for (table, _), origin in self.origins.items():
            files_by_table.setdefault(table, set()).add(origin.rsplit(", object #", 1)[0])
        hits = []
        for table, files in files_by_table.items():
            hit = re.search(r"\b%s\b" % re.escape(table), message)
            if hit:
                hits.append((hit.start(), table, files))
        if not hits:
            return ""
        position, table, files = min(hits)
        return " (rows of table '%s' came from %s)" % (table, ", ".join(sorted(files)))

    # -- finding fixture files ---------------------------------------------------
    @property
    def serialization_formats(self):
        return serializers.get_public_serializer_formats()

    def split_name(self, name):
        """``(base name, format or None, compression or None)`` of a label.

        ``things.json.gz`` -> ``("things", "json", "gz")``; an extension that
        is neither a known format nor a compression is an error.
        """
        if name == STDIN_LABEL:
            return STDIN_LABEL, self.format, None
        base, compression = name, None
        stem, dot, ext = base.rpartition(".")
        if dot and ext in OPENERS:
            base, compression = stem, ext
        fmt = None
        stem, dot, ext = base.rpartition(".")
        if dot and stem:
            if ext not in self.serialization_formats:
                raise CommandError(
                    "Problem installing fixture '%s': %s is not a known serialization format."
                    % (stem, ext)
                )
            base, fmt = stem, ext
        return base, fmt, compression

    @property
    def fixture_dirs(self):
        """Searched in order: each app's ``fixtures/``, FIXTURE_DIRS, then the
        current directory."""
        configured = [str(d) for d in settings.FIXTURE_DIRS]
        if len(set(configured)) != len(configured):
            raise exceptions.ImproperlyConfigured("settings.FIXTURE_DIRS contains duplicates.")
        found = []
        for app_config in apps.get_app_configs():
            candidate = os.path.join(app_config.path, "fixtures")
            if candidate in configured:
                raise exceptions.ImproperlyConfigured(
                    "'%s' is a default fixture directory for the '%s' app and cannot "
                    "be listed in settings.FIXTURE_DIRS." % (candidate, app_config.label)
                )
            wanted = not self.app_label or self.app_label == app_config.label
            if wanted and os.path.isdir(candidate):
                found.append(candidate)
        return [os.path.realpath(d) for d in found + configured + [""]]

    def sources(self, label):
        """``[(path, directory, name)]`` to read for one label: standard
        input for ``-``, else the fixture files find_fixtures() finds."""
        if label == STDIN_LABEL:
            return [(STDIN_LABEL, None, STDIN_LABEL)]
        return self.find_fixtures(label)

    def find_fixtures(self, label):
        """``(path, directory, name)`` of every file the label designates."""
        base, fmt, compression = self.split_name(label)
        self.note("Loading '%s' fixtures..." % base)
        folder, name = os.path.split(base)
        formats = [fmt] if fmt else self.serialization_formats
        compressions = [compression] if compression else list(OPENERS)
        # The fixture for every database, then the one for this database
        # only: each may exist once per directory.
        variants = [
            fixture_file_names(stem, formats, compressions)
            for stem in (name, "%s.%s" % (name, self.using))
        ]
        found = []
        for directory in self.search_path(label, folder):
            for wanted in variants:
                found += self.fixture_in(directory, name, wanted)
        if not found:
            raise CommandError("No fixture named '%s' found." % name)
        return found

    def search_path(self, label, folder):
        """The directories a label's fixture may be in: the label's own for
        an absolute path, else ``folder`` under each fixture directory."""
        if os.path.isabs(label):
            return [folder]
        return [os.path.join(root, folder) for root in self.fixture_dirs]

    def fixture_in(self, directory, name, wanted):
        """``[(path, directory, name)]`` for the one file of ``directory``
        named as ``wanted``; [] if there is none, CommandError if several."""
        self.note("Checking %s for fixtures..." % _where(directory))
        paths = files_named(directory, wanted)
        if len(paths) > 1:
            # Two formats or compressions of one name: which is meant?
            raise CommandError(
                "Multiple fixtures named '%s' in %s. Aborting." % (name, _where(directory))
            )
        if not paths:
            self.note("No fixture '%s' in %s." % (name, _where(directory)))
        return [(path, directory, name) for path in paths]


def fixture_file_names(name, formats, compressions):
    """The file names a fixture ``name`` may have: ``name.format`` with or
    without a compression extension (``None`` in ``compressions`` means
    uncompressed)."""
    return {
        ".".join(part for part in (name, fmt, compression) if part)
        for fmt in formats for compression in compressions
    }


def files_named(directory, names):
    """The paths of the files of ``directory`` whose name is in ``names``."""
    try:
        entries = os.listdir(directory or os.curdir)
    except OSError:  # missing, or not a directory: no fixtures there
        return []
    return sorted(
        os.path.join(directory, entry) for entry in entries
        if entry in names and os.path.isfile(os.path.join(directory, entry))
    )
