"""Introspection of callables' signatures."""
import inspect


def _parameters(func):
    # Not cached: a cache would hold strong references to signal receivers
    # and other callables that are meant to be garbage collected.
    return list(inspect.signature(func).parameters.values())


def get_func_args(func):
    """Names of the positional-or-keyword parameters (excluding self for bound methods)."""
    return [p.name for p in _parameters(func) if p.kind == p.POSITIONAL_OR_KEYWORD]


def get_func_full_args(func):
    """``[(name, default), ...]`` or ``[(name,), ...]``, with ``*args``/``**kwargs`` entries."""
    result = []
    for param in _parameters(func):
        if param.kind == param.VAR_POSITIONAL:
            name = "*" + param.name
        elif param.kind == param.VAR_KEYWORD:
            name = "**" + param.name
        else:
            name = param.name
        if param.default is not param.empty:
            result.append((name, param.default))
        else:
            result.append((name,))
    return result


def func_accepts_kwargs(func):
    """True if ``func`` takes ``**kwargs``."""
    return any(p.kind == p.VAR_KEYWORD for p in _parameters(func))


def func_accepts_var_args(func):
    """True if ``func`` takes ``*args``."""
    return any(p.kind == p.VAR_POSITIONAL for p in _parameters(func))


def method_has_no_args(meth):
    """True if the bound method ``meth`` takes no arguments besides self."""
    return not any(p.kind == p.POSITIONAL_OR_KEYWORD for p in _parameters(meth))


def func_supports_parameter(func, name):
    """True if ``func`` has a parameter called ``name``."""
    return any(p.name == name for p in _parameters(func))
