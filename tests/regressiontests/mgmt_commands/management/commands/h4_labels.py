"""A LabelCommand that echoes its labels."""
from django.core.management.base import LabelCommand


class Command(LabelCommand):
    label = "word"
    requires_system_checks = []

    def handle_label(self, label, **options):
        return "label=%s" % label
