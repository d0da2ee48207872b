"""``shell``: an interactive Python interpreter, or run code with ``-c``."""
import os
import select
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Opens Python with Django set up: IPython or bpython when installed, "
        "else the standard prompt. Code given with -c, or piped on standard "
        "input, is run instead."
    )
    # An interactive session should start even when checks would fail.
    requires_system_checks = []
    # Interfaces tried in this order when --interface is not given.
    shells = ["ipython", "bpython", "python"]

    def add_arguments(self, parser):
        parser.add_argument("--no-startup", action="store_true",
                            help="Plain Python only: skip $PYTHONSTARTUP and ~/.pythonrc.py.")
        parser.add_argument(
            "-i", "--interface", choices=self.shells,
            help="The interpreter to open (by default the first of %s that can be "
            "imported)." % ", ".join(self.shells),
        )
        parser.add_argument(
            "-c", "--command", help="Run this code with Django set up, instead of a prompt.",
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
            for script in startup_scripts():
                run_startup_script(script, namespace)
        enable_tab_completion(namespace)
        code.interact(local=namespace)

    def handle(self, **options):
        # -c wins; then code piped on stdin is run rather than read at a prompt.
        source = options["command"] or piped_source()
        if source is None:
            return self.open_prompt(options["interface"], options)
        exec(source, self.get_namespace())

    def open_prompt(self, interface, options):
        """Start ``interface``, or else the first of ``shells`` whose
        package imports (each method raises ImportError when it cannot)."""
        candidates = [interface] if interface else self.shells
        for candidate in candidates:
            try:
                return getattr(self, candidate)(options)
            except ImportError:
                continue
        raise CommandError("Couldn't import {} interface.".format(", ".join(candidates)))


def startup_scripts():
    """The files the plain Python shell runs first, as Python's own
    interactive mode would: $PYTHONSTARTUP, then ~/.pythonrc.py."""
    paths = (os.environ.get("PYTHONSTARTUP"), os.path.expanduser("~/.pythonrc.py"))
    return [path for path in paths if path and os.path.isfile(path)]


def run_startup_script(path, namespace):
    """Run one startup file in ``namespace``; a failing one prints its
    traceback, and the shell starts all the same."""
    import traceback

    with open(path) as handle:
        source = handle.read()
    try:
        exec(compile(source, path, "exec"), namespace)
    except Exception:  # noqa: BLE001 - a broken rc must not stop the shell
        traceback.print_exc()


def enable_tab_completion(namespace):
    """Complete the names of ``namespace`` on Tab, where readline exists."""
    try:
        import readline
        import rlcompleter
    except ImportError:
        return
    readline.set_completer(rlcompleter.Completer(namespace).complete)
    readline.parse_and_bind("tab: complete")


def piped_source():
    """The code piped on standard input, or None when stdin is a terminal
    or nothing waits there."""
    if sys.stdin.isatty():
        return None
    try:
        waiting = select.select([sys.stdin], [], [], 0)[0]
    except (OSError, ValueError, TypeError):
        return None
    return sys.stdin.read() if waiting else None
