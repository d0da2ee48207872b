"""``test``: run tests with the runner named by settings.TEST_RUNNER."""
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


def get_runner(settings, test_runner_class=None):
    # The test layer sits above management: import it only when the
    # command actually runs, so loading the command list never pulls it in.
    from django.test.utils import get_runner as runner_for_settings

    return runner_for_settings(settings, test_runner_class)


class Command(BaseCommand):
    help = "Discover and run tests for the specified modules or the current directory."

    requires_system_checks = []

    def run_from_argv(self, argv):
        # --testrunner decides which options exist, so read it first.
        self.test_runner = None
        for index, arg in enumerate(argv[2:], start=2):
            if arg.startswith("--testrunner="):
                self.test_runner = arg.partition("=")[2]
            elif arg == "--testrunner" and index + 1 < len(argv):
                self.test_runner = argv[index + 1]
        super().run_from_argv(argv)

    def add_arguments(self, parser):
        parser.add_argument(
            "args", metavar="test_label", nargs="*",
            help="Module paths, app labels or directories to test.",
        )
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Tells Django to NOT prompt the user for input of any kind.",
        )
        parser.add_argument("--failfast", action="store_true",
                            help="Stop at the first failed test.")
        parser.add_argument("--testrunner",
                            help="Use this test runner class instead of settings.TEST_RUNNER.")
        runner_class = get_runner(settings, getattr(self, "test_runner", None))
        if hasattr(runner_class, "add_arguments"):
            runner_class.add_arguments(parser)

    def handle(self, *test_labels, **options):
        runner_class = get_runner(settings, options["testrunner"])
        known = {"verbosity", "interactive", "failfast", "keepdb", "reverse", "debug_sql",
                 "tags", "exclude_tags", "test_name_patterns", "buffer"}
        runner = runner_class(**{k: v for k, v in options.items() if k in known})
        failures = runner.run_tests(list(test_labels))
        if failures:
            sys.exit(1)
