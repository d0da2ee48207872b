"""Replaces Django's ``check`` (it still does the same work) to prove apps win."""
from django.core.management.commands.check import Command as CheckCommand


class Command(CheckCommand):
    help = "check, as overridden by mgmtfix_override"
