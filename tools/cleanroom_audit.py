#!/usr/bin/env python3
"""Clean-room audit: find code of ours that follows Django's source.

The project is a clean-room reimplementation: Django's public API is the
spec, its source is never copied. Writing from memory can still reproduce
it, line by line or, worse, with the locals renamed and the comments
reworded. This tool measures both, against Django 5.2.x and 6.1.x, whose
wheels it downloads into a cache directory (never installed, never
imported, never printed). Only our file names, line ranges and function
names are reported, so whoever rewrites a function never reads Django's.

Three measures:

* **Shape alignment** (the strict one). Each function of ours is compared
  with every function of the same name in Django. Both bodies are reduced
  to their token shape, one logical line at a time: every name becomes N,
  every string S, every number 0; keywords and operators stay; comments
  and docstrings are dropped. The two sequences of shapes are aligned in
  order, and every run of 3 or more aligned lines counts. Renaming locals,
  rewording comments or inserting a line does not break a shape run. A
  function reports its best candidate's aligned lines, and how many of
  them are also identical as text ("exact"). Functions whose body has 3
  code lines or fewer are exempt: the API forces their shape.
* **Verbatim runs** (the first audit): runs of 4 or more consecutive lines
  of ours that stand as they are in Django's source, comments ignored.
* **Internal names**: underscore names we define (functions, methods,
  attributes assigned on self or a class, module globals) that Django also
  defines, except the ones third-party code commonly touches (_meta,
  _state, ...). Our private names should describe our design.

    python tools/cleanroom_audit.py                  # totals, worst functions
    python tools/cleanroom_audit.py --functions      # every aligned function
    python tools/cleanroom_audit.py --runs FILE...   # verbatim line ranges
    python tools/cleanroom_audit.py --names          # shared internal names
    python tools/cleanroom_audit.py --check          # fail above the ceilings

The ceilings (tools/cleanroom_ceiling.txt) are what is tolerated today;
lower them whenever a rewrite lands, never raise them.
"""
import argparse
import ast
import difflib
import io
import keyword
import os
import re
import subprocess
import sys
import tempfile
import tokenize
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CEILING_FILE = ROOT / "tools" / "cleanroom_ceiling.txt"
REFERENCE_VERSIONS = ("5.2.19", "6.1.3")

# Shape alignment.
MIN_SHAPE_RUN = 3
EXEMPT_BODY_LINES = 3

# Verbatim runs: lines this short or this generic match by coincidence.
MIN_VERBATIM_RUN = 4
MIN_LINE = 12
GENERIC = {"else:", "try:", "return", "pass", "finally:", '"""', ")", "]", "}", "),", "],", "},",
           "return None", "return False", "return True", "raise", "continue", "break"}

# Underscore names that are part of the API third-party code relies on.
PUBLIC_UNDERSCORE = {
    # Model and queryset state that applications and libraries read or set.
    "_meta", "_state", "_db", "_default_manager", "_base_manager", "_result_cache",
    "_prefetch_related_lookups", "_prefetched_objects_cache", "_hints", "_for_write",
    "_iterable_class", "_clone", "_fetch_all", "_fields", "_order",
    # LazyObject's subclassing contract.
    "_wrapped", "_setup",
    # The backend contract third-party backends implement.
    "_cursor", "_commit", "_rollback", "_close", "_savepoint", "_savepoint_rollback",
    "_savepoint_commit", "_set_autocommit", "_nodb_cursor", "_create_test_db",
    "_destroy_test_db", "_get_test_db_name", "_execute_create_test_db", "_clone_test_db",
    "_get_database_display_str",
    # The test-case hooks that test runners (pytest-django) call.
    "_pre_setup", "_post_teardown", "_fixture_setup", "_fixture_teardown",
    # How Model.save() reaches a custom QuerySet: libraries override these.
    "_insert", "_update",
    # Extension points of custom expressions and lookups.
    "_resolve_output_field", "_unregister_lookup",
    # Called directly by templates and libraries (get_FOO_display's worker).
    "_get_FIELD_display",
    # The schema editor's contract with Index/Constraint classes and backends.
    "_create_index_sql", "_delete_index_sql", "_check_sql", "_unique_sql",
    "_create_check_sql", "_delete_check_sql", "_create_unique_sql", "_delete_unique_sql",
    # Protocols of others: Python's Enum, a registry object's attribute, a view flag.
    "_generate_next_value_", "_registry", "_non_atomic_requests",
}


# --- the reference -------------------------------------------------------------------

def reference_sources(cache):
    """Yield (version, name, text) for every django/*.py of each reference wheel."""
    for version in REFERENCE_VERSIONS:
        wheel_dir = Path(cache) / f"django-{version}"
        wheel_dir.mkdir(parents=True, exist_ok=True)
        wheels = list(wheel_dir.glob("*.whl"))
        if not wheels:
            # Django 6 requires Python 3.12; the wheel is pure Python, so ask
            # pip for it as a 3.12 interpreter would, whatever runs this.
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                 "--python-version", "3.12", "-d", str(wheel_dir), f"Django=={version}"],
                check=True,
            )
            wheels = list(wheel_dir.glob("*.whl"))
        with zipfile.ZipFile(wheels[0]) as wheel:
            for name in wheel.namelist():
                if name.startswith("django/") and name.endswith(".py"):
                    yield version, name, wheel.read(name).decode("utf-8", "ignore")


# --- shapes --------------------------------------------------------------------------

_STRING_PARTS = {name for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
                 if hasattr(tokenize, name)}
_KEEP_NAMES = set(keyword.kwlist) | set(getattr(keyword, "softkwlist", ()))


def logical_lines(source):
    """[(first_line, last_line, shape, text)] for each logical line of source.

    Comments and blank lines are dropped; text is the line's tokens joined
    by single spaces, so layout does not matter but every name does.
    """
    result = []
    shape, text, first = [], [], None
    in_string = 0
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return result
    for tok in tokens:
        kind = tokenize.tok_name[tok.type]
        if kind in ("COMMENT", "NL", "INDENT", "DEDENT", "ENCODING", "ENDMARKER"):
            continue
        if kind == "NEWLINE":
            if shape:
                result.append((first, tok.start[0], " ".join(shape), " ".join(text)))
            shape, text, first = [], [], None
            continue
        if first is None:
            first = tok.start[0]
        if kind in _STRING_PARTS:
            # An f-string arrives in parts on Python 3.12+: one S for all of it.
            if kind == "FSTRING_START":
                in_string += 1
                if in_string == 1:
                    shape.append("S")
            elif kind == "FSTRING_END":
                in_string -= 1
            text.append(tok.string)
            continue
        if in_string:
            text.append(tok.string)
            continue
        if kind == "NAME":
            shape.append(tok.string if tok.string in _KEEP_NAMES else "N")
        elif kind == "STRING":
            shape.append("S")
        elif kind == "NUMBER":
            shape.append("0")
        else:
            shape.append(tok.string)
        text.append(tok.string)
    return result


_LONE_PUNCTUATION = re.compile(r"^[()\[\]{},:]+$")


def physical_lines(source):
    """[(line, line, shape, text)] for each physical line, as logical_lines does.

    Measured beside logical lines so that neither joining nor splitting
    lines changes the verdict; lines of lone brackets are dropped.
    """
    result = {}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []
    for tok in tokens:
        kind = tokenize.tok_name[tok.type]
        if kind in ("COMMENT", "NL", "NEWLINE", "INDENT", "DEDENT", "ENCODING", "ENDMARKER"):
            continue
        shape, text = result.setdefault(tok.start[0], ([], []))
        if kind == "NAME":
            shape.append(tok.string if tok.string in _KEEP_NAMES else "N")
        elif kind == "STRING" or kind in _STRING_PARTS:
            if not shape or shape[-1] != "S" or kind == "STRING":
                shape.append("S")
        elif kind == "NUMBER":
            shape.append("0")
        else:
            shape.append(tok.string)
        text.append(tok.string)
    return [(number, number, " ".join(shape), " ".join(text))
            for number, (shape, text) in sorted(result.items())
            if not _LONE_PUNCTUATION.match("".join(shape))]


class Function:
    """One function's body as sequences of (shape, text) lines.

    `lines` holds the logical lines, `physical` the physical ones; a
    function is measured both ways and keeps the larger alignment.
    """

    __slots__ = ("name", "qualname", "path", "first", "last", "lines", "physical")

    def __init__(self, name, qualname, path, first, last, lines, physical):
        self.name, self.qualname, self.path = name, qualname, path
        self.first, self.last, self.lines, self.physical = first, last, lines, physical


def functions_in(source, path):
    """Every function and method of a module, nested ones on their own.

    A body excludes its signature, decorators and docstring, and the lines
    of functions nested in it (those are compared as functions of their own).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    views = (logical_lines(source), physical_lines(source))
    excluded = set()      # source line numbers of signatures and docstrings
    spans = []            # (node, qualname)

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                qualname = f"{prefix}{child.name}"
                spans.append((child, qualname))
                body_start = child.body[0].lineno
                for number in range(child.lineno, body_start):
                    excluded.add(number)
                for decorator in child.decorator_list:
                    excluded.update(range(decorator.lineno, decorator.end_lineno + 1))
                first = child.body[0]
                if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                        and isinstance(first.value.value, str)):
                    excluded.update(range(first.lineno, first.end_lineno + 1))
                visit(child, qualname + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    functions = []
    for node, qualname in spans:
        inner = [(n.lineno, n.end_lineno) for n in ast.walk(node)
                 if n is not node and isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        bodies = []
        for view in views:
            body = []
            for first, last, shape, text in view:
                if first < node.lineno or last > node.end_lineno or first in excluded:
                    continue
                if any(lo <= first <= hi for lo, hi in inner):
                    continue
                body.append((shape, text))
            bodies.append(body)
        functions.append(Function(node.name, qualname, path, node.lineno, node.end_lineno, *bodies))
    return functions


def align(ours, theirs):
    """(aligned, exact, longest) over runs of MIN_SHAPE_RUN+ shape-equal lines."""
    matcher = difflib.SequenceMatcher(None, [s for s, _ in ours], [s for s, _ in theirs], autojunk=False)
    aligned = exact = longest = 0
    for a, b, size in matcher.get_matching_blocks():
        if size >= MIN_SHAPE_RUN:
            aligned += size
            longest = max(longest, size)
            exact += sum(1 for k in range(size) if ours[a + k][1] == theirs[b + k][1])
    return aligned, exact, longest


def shape_report(our_functions, reference_functions):
    """[(function, aligned, exact, longest)] for every function with an aligned run."""
    by_name = defaultdict(dict)
    for function in reference_functions:
        if len(function.lines) > EXEMPT_BODY_LINES:
            by_name[function.name][tuple(function.lines)] = function
    report = []
    for function in our_functions:
        if len(function.lines) <= EXEMPT_BODY_LINES:
            continue
        best = (0, 0, 0)
        for candidate in by_name.get(function.name, {}).values():
            for ours, theirs in ((function.lines, candidate.lines), (function.physical, candidate.physical)):
                result = align(ours, theirs)
                if result > best:
                    best = result
        if best[0]:
            report.append((function,) + best)
    return report


# --- verbatim runs -------------------------------------------------------------------

def strip_comment(line):
    """The line without a trailing comment (a '#' inside a string stays)."""
    if "#" not in line:
        return line.strip()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return line.strip()
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            return line.strip()[:tok.start[1]].rstrip()
    return line.strip()


_DATA_TOKENS = {"S", "0", "True", "False", "None", ":", ",", "(", ")", "[", "]", "{", "}", "-"}


def api_forced_lines(source):
    """Line numbers whose text the API forces on any implementation.

    Imports, signatures and decorators, docstrings, assignments of literal
    values (feature flags, type maps, documented constants), a hook's
    literal answer (`return "%s"`) and class-level wiring of a contract
    (`ops_class = DatabaseOperations`): these may stand as Django has them.
    Everything else is an implementation.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    forced = set()

    def span(node):
        forced.update(range(node.lineno, node.end_lineno + 1))

    def literal(node):
        try:
            ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return False
        return True

    # A line of nothing but literals ("TextField": "text",) is data, not code.
    for first, _last, shape, _text in physical_lines(source):
        if set(shape.split()) <= _DATA_TOKENS:
            forced.add(first)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            span(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            forced.update(range(node.lineno, node.body[0].lineno))
            for decorator in node.decorator_list:
                span(decorator)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            span(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None and literal(node.value):
            span(node)
        elif isinstance(node, ast.Return) and node.value is not None and literal(node.value):
            span(node)      # a default hook's documented answer: return "%s", return []
        if isinstance(node, ast.ClassDef):
            # Class-level wiring of a contract: ops_class = DatabaseOperations.
            for statement in node.body:
                if (isinstance(statement, ast.Assign)
                        and isinstance(statement.value, (ast.Name, ast.Attribute))):
                    span(statement)
    return forced


def verbatim_runs(path, reference):
    """Yield (first_line, last_line, length, unforced) of each verbatim run in path.

    unforced counts the run's lines that api_forced_lines() does not excuse.
    """
    source = path.read_text(encoding="utf-8", errors="ignore")
    lines = source.splitlines()
    forced = api_forced_lines(source)
    current = []

    def close():
        substantial = [n for n in current
                       if len(strip_comment(lines[n - 1])) >= 20 and strip_comment(lines[n - 1]) not in GENERIC]
        if len(current) >= MIN_VERBATIM_RUN and len(substantial) >= MIN_VERBATIM_RUN - 1:
            yield current[0], current[-1], len(current), sum(1 for n in current if n not in forced)

    for number, raw in enumerate(lines, 1):
        line = strip_comment(raw)
        if not line:
            continue       # blank and comment-only lines neither count nor break a run
        if line in reference and (len(line) >= MIN_LINE or current):
            current.append(number)
        else:
            yield from close()
            current = []
    yield from close()


# --- internal names ------------------------------------------------------------------

def defined_underscore_names(source):
    """{name: first line} of the single-underscore names a module defines."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    names = {}

    def note(name, line):
        if name.startswith("_") and not name.startswith("__"):
            names.setdefault(name, line)

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            note(node.name, node.lineno)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Name):
                        note(leaf.id, node.lineno)
                    elif isinstance(leaf, ast.Attribute):
                        note(leaf.attr, node.lineno)
    return names


# --- the report ----------------------------------------------------------------------

def load_ceilings():
    ceilings = {}
    for line in CEILING_FILE.read_text().splitlines():
        match = re.match(r"\s*([a-z_]+)\s*=\s*(\d+)", line)
        if match:
            ceilings[match.group(1)] = int(match.group(2))
    return ceilings


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="files or directories (default: django/)")
    parser.add_argument("--functions", action="store_true", help="list every function with an aligned run")
    parser.add_argument("--runs", action="store_true", help="list every verbatim run's line range")
    parser.add_argument("--names", action="store_true", help="list our internal names Django also defines")
    parser.add_argument("--worst", type=int, default=15, help="how many of the worst functions to list")
    parser.add_argument("--check", action="store_true", help="exit 1 if a total exceeds its ceiling")
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "cleanroom-audit"))
    args = parser.parse_args()

    reference_lines = set()
    reference_functions = []
    reference_names = set()
    for _version, name, text in reference_sources(args.cache):
        for line in text.splitlines():
            reference_lines.add(strip_comment(line))
        reference_functions.extend(functions_in(text, name))
        reference_names.update(defined_underscore_names(text))

    targets = [Path(p).resolve() for p in args.paths] or [ROOT / "django"]
    files = sorted(f for t in targets for f in ([t] if t.is_file() else t.rglob("*.py")))

    our_functions = []
    verbatim = []
    shared_names = []
    for path in files:
        rel = os.path.relpath(path, ROOT)
        source = path.read_text(encoding="utf-8", errors="ignore")
        our_functions.extend(functions_in(source, rel))
        runs = list(verbatim_runs(path, reference_lines))
        if runs:
            verbatim.append((rel, runs))
        for name, line in sorted(defined_underscore_names(source).items(), key=lambda item: item[1]):
            if name in reference_names and name not in PUBLIC_UNDERSCORE:
                shared_names.append((rel, line, name))

    shapes = shape_report(our_functions, reference_functions)
    shapes.sort(key=lambda row: (-row[1], row[0].path, row[0].first))
    aligned_total = sum(row[1] for row in shapes)
    exact_total = sum(row[2] for row in shapes)
    worst = shapes[0][1] if shapes else 0
    verbatim_total = sum(r[2] for _, runs in verbatim for r in runs)
    verbatim_unforced = sum(r[3] for _, runs in verbatim for r in runs)

    listed = shapes if args.functions else shapes[:args.worst]
    if listed:
        print("Functions with shape-aligned runs (ours: file:lines name  aligned/exact, longest run):")
    for function, aligned, exact, longest in listed:
        print(f"  {function.path}:{function.first}-{function.last} {function.qualname}"
              f"  {aligned}/{exact}, longest {longest}")
    if args.runs:
        print("Verbatim runs (ours: file:lines):")
        for rel, runs in verbatim:
            for first, last, length, unforced in runs:
                print(f"  {rel}:{first}-{last} ({length} lines, {unforced} not API-forced)")
    if args.names:
        print("Internal names Django also defines (ours: file:line name):")
        for rel, line, name in shared_names:
            print(f"  {rel}:{line} {name}")

    totals = {
        "shape_aligned_lines": aligned_total,
        "shape_worst_function": worst,
        "verbatim_lines": verbatim_total,
        "verbatim_unforced_lines": verbatim_unforced,
        "internal_names": len({name for _, _, name in shared_names}),
    }
    print(f"shape: {len(shapes)} functions with aligned runs of >= {MIN_SHAPE_RUN} lines, "
          f"{aligned_total} aligned lines, {exact_total} exact, worst function {worst} "
          f"(against Django {' and '.join(REFERENCE_VERSIONS)})")
    print(f"verbatim: {verbatim_total} lines in runs of >= {MIN_VERBATIM_RUN} lines, "
          f"{verbatim_unforced} of them not API-forced; "
          f"internal names shared: {totals['internal_names']}")
    if args.check:
        ceilings = load_ceilings()
        failed = False
        for key, value in totals.items():
            ceiling = ceilings.get(key)
            if ceiling is not None and value > ceiling:
                print(f"clean-room audit: {key} = {value} exceeds the ceiling of {ceiling}; "
                      f"rewrite it in our own words")
                failed = True
        if failed:
            return 1
        print("clean-room audit: within the ceilings "
              + ", ".join(f"{k} <= {ceilings[k]}" for k in totals if k in ceilings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
