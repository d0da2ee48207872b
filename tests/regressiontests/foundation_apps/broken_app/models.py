"""A models module that fails on import: the registry must not hide the error."""


def explode():
    raise ZeroDivisionError("broken_app models exploded")


explode()
