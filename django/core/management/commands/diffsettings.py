"""``diffsettings``: show how the current settings differ from the defaults.

``hash`` output (the default) prints every setting whose value differs from
the default; those the defaults do not have at all are followed by ``###``;
with ``--all``, settings left at their default are printed too, prefixed
with ``###``.  ``unified`` output is a diff: ``- default`` / ``+ current``.
"""
from django.core.management.base import BaseCommand


def _omittable(name):
    # SETTINGS_MODULE records where the settings came from; it is no setting.
    return name.startswith("_") or not name.isupper() or name == "SETTINGS_MODULE"


def module_to_dict(module, omittable=_omittable):
    """``{SETTING: repr(value)}`` for the upper-case names of a settings object."""
    return {name: repr(getattr(module, name)) for name in dir(module) if not omittable(name)}


def compare(current, defaults):
    """``(name, current repr, default repr or None)`` for each current
    setting, in name order; the default is None when there is none."""
    for name in sorted(current):
        yield name, current[name], defaults.get(name)


class Command(BaseCommand):
    help = "Show the settings that differ from Django's defaults (or from --default)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true",
            help="Also show the settings left at their default ('### ' in front, in hash output).",
        )
        parser.add_argument(
            "--default", metavar="MODULE",
            help="Compare with this settings module instead of Django's defaults.",
        )
        parser.add_argument(
            "--output", default="hash", choices=("hash", "unified"),
            help="'hash': changed settings, '###' after those without a default; "
            "'unified': '- default' and '+ current' lines.",
        )

    def handle(self, **options):
        from django.conf import Settings, global_settings, settings

        settings.INSTALLED_APPS  # loads the settings module if nothing did yet
        current = module_to_dict(settings._wrapped)
        reference = Settings(options["default"]) if options["default"] else global_settings
        rows = compare(current, module_to_dict(reference))
        render = self.output_unified if options["output"] == "unified" else self.output_hash
        return "\n".join(render(rows, options["all"]))

    def output_hash(self, rows, show_all):
        for name, value, default in rows:
            if default is None:
                yield "%s = %s  ###" % (name, value)
            elif value != default:
                yield "%s = %s" % (name, value)
            elif show_all:
                yield "### %s = %s" % (name, value)

    def output_unified(self, rows, show_all):
        for name, value, default in rows:
            if default is not None and value == default:
                if show_all:
                    yield "  %s = %s" % (name, value)
                continue
            if default is not None:
                yield self.style.ERROR("- %s = %s" % (name, default))
            yield self.style.SUCCESS("+ %s = %s" % (name, value))
