"""``dumpdata``: write the database's contents as a fixture.

Rows are read with ``QuerySet.iterator()`` and written one object at a time,
so dumping a large table needs memory for one chunk of rows, not the table.
They are read from one database (``--database``, default 'default'), and
only the models the routers' ``allow_migrate`` places there are dumped: a
model whose table belongs elsewhere contributes nothing.
"""
import io
import os
import warnings
import zipfile

from django.apps import apps
from django.core import serializers
from django.core.management import BaseCommand, CommandError
from django.core.management.base import add_database_argument
from django.core.management.commands.loaddata import parse_apps_and_model_labels
from django.db import connections, router

PKS_NEED_ONE_MODEL = "You can only use --pks option with one model"


class ProxyModelWarning(Warning):
    """A proxy model was named on its own: its rows belong to its concrete model."""


class _RawOutput:
    """Writes to the command's stdout wrapper without its automatic line
    endings (the serializer writes many fragments of one document)."""

    def __init__(self, wrapper):
        self.wrapper = wrapper
        self.last = "\n"

    def write(self, text):
        if text:
            self.wrapper.write(text, ending="")
            self.last = text[-1]

    def flush(self):
        self.wrapper.flush()

    def close(self):
        # End the document with a newline, as a terminal expects.
        if self.last != "\n":
            self.write("\n")
        self.flush()


class _ZipTextWriter:
    """A text stream writing one member (named after the archive) of a zip file."""

    def __init__(self, path):
        self.archive = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
        member = os.path.basename(os.path.splitext(path)[0])
        self.text = io.TextIOWrapper(self.archive.open(member, "w"), encoding="utf-8")

    def write(self, text):
        return self.text.write(text)

    def flush(self):
        self.text.flush()

    def close(self):
        self.text.close()
        self.archive.close()


def open_output(path):
    """A text stream writing to ``path``, compressed by its extension."""
    import bz2
    import gzip
    import lzma

    extension = os.path.splitext(path)[1]
    compressed = {".bz2": bz2.open, ".gz": gzip.open, ".xz": lzma.open}
    if extension == ".zip":
        return _ZipTextWriter(path)
    opener = compressed.get(extension)
    if opener is not None:
        return opener(path, "wt", encoding="utf-8")
    return open(path, "w", encoding="utf-8")


class Command(BaseCommand):
    help = (
        "Print the rows of the given applications or models (all by default) as "
        "a fixture that loaddata can read back."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "args", metavar="app_label[.ModelName]", nargs="*",
            help="Dump only these applications or models.",
        )
        parser.add_argument("--format", default="json", help="Serialization format (json by default).")
        parser.add_argument("--indent", type=int, help="Pretty-print with this indentation.")
        parser.add_argument(
            "-e", "--exclude", action="append", default=[],
            help="Leave out this application or app_label.ModelName (repeatable).",
        )
        parser.add_argument(
            "--natural-foreign", action="store_true", dest="use_natural_foreign_keys",
            help="Write references to models with a natural_key() as natural keys.",
        )
        parser.add_argument(
            "--natural-primary", action="store_true", dest="use_natural_primary_keys",
            help="Leave out the primary key of models with a natural_key().",
        )
        parser.add_argument(
            "-a", "--all", action="store_true", dest="use_base_manager",
            help="Read through each model's base manager, so custom default managers "
            "filter nothing out.",
        )
        parser.add_argument(
            "--pks", dest="primary_keys",
            help="Comma-separated primary keys to dump (with exactly one model label).",
        )
        parser.add_argument(
            "-o", "--output",
            help="Write to this file instead of stdout; .gz, .bz2, .xz and .zip names "
            "are compressed.",
        )
        add_database_argument(
            parser, "The database alias to dump (only the models the routers' "
                    "allow_migrate places there).",
        )

    def handle(self, *labels, **options):
        fmt = options["format"]
        # The "python" format produces lists, not text: it cannot be written.
        if fmt not in serializers.get_public_serializer_formats():
            raise CommandError("Unknown serialization format: %s" % fmt)
        pks = [pk.strip() for pk in (options["primary_keys"] or "").split(",") if pk.strip()]
        excluded_models, excluded_apps = parse_apps_and_model_labels(options["exclude"])
        selection = self.select(labels, excluded_apps, pks)
        rows = self.rows(
            selection, excluded_models, pks, options["use_base_manager"], options["database"]
        )
        out = open_output(options["output"]) if options["output"] else _RawOutput(self.stdout)
        try:
            serializers.serialize(
                fmt, rows, stream=out, indent=options["indent"],
                use_natural_foreign_keys=options["use_natural_foreign_keys"],
                use_natural_primary_keys=options["use_natural_primary_keys"],
            )
        except Exception as e:
            if options["traceback"]:
                raise
            raise CommandError("Unable to serialize database: %s" % e) from e
        finally:
            out.close()

    @staticmethod
    def rows(selection, excluded_models, pks, use_base_manager, alias):
        """Every object to dump from the database ``alias``, read lazily,
        model after model (models that natural keys refer to first), each in
        primary key order."""
        connection = connections[alias]
        models = serializers.sort_dependencies(selection.items(), allow_cycles=True)
        for model in models:
            opts = model._meta
            if model in excluded_models:
                continue
            if opts.proxy and opts.proxy_for_model not in models:
                warnings.warn(
                    "%s is a proxy model and won't be serialized." % opts.label,
                    category=ProxyModelWarning,
                )
            # Proxy and unmanaged models have no table of their own to dump,
            # and a model the routers keep off this database has no rows
            # here (the same decisions syncdb makes).
            if not (opts.can_migrate(connection) and router.allow_migrate_model(alias, model)):
                continue
            manager = opts.base_manager if use_base_manager else opts.default_manager
            queryset = manager.using(alias).order_by(opts.pk.name)
            if pks:
                queryset = queryset.filter(pk__in=pks)
            yield from queryset.iterator()

    @staticmethod
    def select(labels, excluded_apps, pks):
        """``{app_config: [models] or None (the whole app)}`` for the labels."""
        def wanted(config):
            return config.models_module is not None and config not in excluded_apps

        if not labels:
            if pks:
                raise CommandError(PKS_NEED_ONE_MODEL)
            return {config: None for config in apps.get_app_configs() if wanted(config)}
        if pks and (len(labels) != 1 or "." not in labels[0]):
            raise CommandError(PKS_NEED_ONE_MODEL)
        selection = {}
        for label in labels:
            app_label, dot, model_name = label.partition(".")
            try:
                config = apps.get_app_config(app_label)
            except LookupError as e:
                raise CommandError(str(e)) from None
            if not wanted(config):
                continue
            if not dot:
                selection[config] = None  # the whole app, whatever was named before
                continue
            try:
                model = config.get_model(model_name)
            except LookupError:
                raise CommandError("Unknown model: %s" % label) from None
            chosen = selection.setdefault(config, [])
            if chosen is not None and model not in chosen:
                chosen.append(model)
        return selection
