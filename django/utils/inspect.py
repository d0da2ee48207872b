"""Introspection of callables' signatures."""
import inspect


def _parameters(func):
    # Not cached: a cache would hold strong references to signal receivers
    # and other callables that are meant to be garbage collected.
    return list(inspect.signature(func).parameters.values())


def get_func_args(func):
    """Names of the positional-or-keyword parameters (excluding self for bound methods)."""
    return [p.name for p in _parameters(func) if p.kind == p.POSITIONAL_OR_KEYWORD]


# How a variadic parameter's name is spelt in get_func_full_args().
_VARIADIC_PREFIX = {
    inspect.Parameter.VAR_POSITIONAL: "*",
    inspect.Parameter.VAR_KEYWORD: "**",
}


def get_func_full_args(func):
    """``[(name, default), ...]`` or ``[(name,), ...]``, with ``*args``/``**kwargs`` entries."""
    return [
        (_VARIADIC_PREFIX.get(param.kind, "") + param.name,)
        + (() if param.default is param.empty else (param.default,))
        for param in _parameters(func)
    ]


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
