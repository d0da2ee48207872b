"""``shell``: an interactive Python interpreter, or run code with ``-c``."""
import os
import select
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Runs a Python interactive interpreter. Tries to use IPython or bpython, "
        "if one of them is available. Any standard input is executed as code."
    )

    # An interactive session should start even when checks would fail.
    requires_system_checks = []
    # Interfaces tried in this order when --interface is not given.
    shells = ["ipython", "bpython", "python"]

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-startup", action="store_true",
            help="When using plain Python, ignore the PYTHONSTARTUP environment "
            "variable and ~/.pythonrc.py script.",
        )
        parser.add_argument(
            "-i", "--interface", choices=self.shells,
            help='Specify an interactive interpreter interface. Available options: '
            '"ipython", "bpython", and "python"',
        )
        parser.add_argument(
            "-c", "--command",
            help="Instead of opening an interactive shell, run a command as Django and exit.",
        )

    def get_namespace(self):
        """The globals the code or the interactive session starts with."""
        return {"__name__": "__main__", "__builtins__": __builtins__}

    def ipython(self, options):
        from IPython import start_ipython

        start_ipython(argv=[], user_ns=self.get_namespace())

    def bpython(self, options):
        import bpython

        bpython.embed(self.get_namespace())

    def python(self, options):
        import code

        namespace = self.get_namespace()
        if not options["no_startup"]:
            for path in (os.environ.get("PYTHONSTARTUP"), os.path.expanduser("~/.pythonrc.py")):
                if not path or not os.path.isfile(path):
                    continue
                with open(path) as handle:
                    try:
                        exec(compile(handle.read(), path, "exec"), namespace)
                    except Exception:  # noqa: BLE001 - a broken rc must not stop the shell
                        import traceback

                        traceback.print_exc()
        try:
            import readline
            import rlcompleter

            readline.set_completer(rlcompleter.Completer(namespace).complete)
            readline.parse_and_bind("tab: complete")
        except ImportError:
            pass
        code.interact(local=namespace)

    def handle(self, **options):
        if options["command"]:
            exec(options["command"], self.get_namespace())
            return
        # Code piped on stdin (not a terminal) is run, not read interactively.
        if not sys.stdin.isatty() and _stdin_has_data():
            exec(sys.stdin.read(), self.get_namespace())
            return
        available = [options["interface"]] if options["interface"] else self.shells
        for shell in available:
            try:
                return getattr(self, shell)(options)
            except ImportError:
                pass
        raise CommandError("Couldn't import {} interface.".format(", ".join(available)))


def _stdin_has_data():
    try:
        return bool(select.select([sys.stdin], [], [], 0)[0])
    except (OSError, ValueError, TypeError):
        return False
