"""The registry of check functions."""
from itertools import chain

from django.utils.inspect import func_accepts_kwargs


class Tags:
    """Built-in tags for grouping checks."""

    models = "models"
    database = "database"
    compatibility = "compatibility"
    signals = "signals"
    commands = "commands"


class CheckRegistry:
    """Check functions, each tagged; ``run_checks()`` calls them."""

    def __init__(self):
        self.registered_checks = set()
        self.deployment_checks = set()

    def register(self, check=None, *tags, **kwargs):
        """Register ``check`` with ``tags``; usable as a decorator.

        ``@register``, ``@register('tag')``, ``@register(Tags.models)`` and
        ``register(func, 'tag')`` all work. ``deploy=True`` registers a
        deployment-only check. Check functions take ``app_configs`` and
        ``**kwargs`` and return a list of CheckMessages.
        """

        def inner(check):
            if not func_accepts_kwargs(check):
                raise TypeError(
                    "Check functions must accept keyword arguments (**kwargs)."
                )
            check.tags = tags
            checks = self.deployment_checks if kwargs.get("deploy") else self.registered_checks
            checks.add(check)
            return check

        if callable(check):
            return inner(check)
        if check:
            # @register("tag", ...): the first tag arrived as ``check``.
            tags = (check, *tags)
        return inner

    def run_checks(
        self, app_configs=None, tags=None, include_deployment_checks=False, databases=None
    ):
        """Run checks (only those with one of ``tags`` if given); return the messages.

        Messages whose id is in settings.SILENCED_SYSTEM_CHECKS are dropped.
        """
        from django.conf import settings

        errors = []
        checks = self.get_checks(include_deployment_checks)
        if tags is not None:
            checks = [check for check in checks if not set(check.tags).isdisjoint(tags)]
        for check in checks:
            new_errors = check(app_configs=app_configs, databases=databases)
            if not isinstance(new_errors, (list, tuple)):
                raise TypeError(
                    "The function %r did not return a list. All functions registered "
                    "with the checks registry must return a list." % (check,)
                )
            errors.extend(new_errors)
        silenced = set(settings.SILENCED_SYSTEM_CHECKS)
        return [error for error in errors if error.id not in silenced]

    def tag_exists(self, tag, include_deployment_checks=False):
        return tag in self.tags_available(include_deployment_checks)

    def tags_available(self, deployment_checks=False):
        return set(
            chain.from_iterable(check.tags for check in self.get_checks(deployment_checks))
        )

    def get_checks(self, include_deployment_checks=False):
        checks = list(self.registered_checks)
        if include_deployment_checks:
            checks.extend(self.deployment_checks)
        return checks


registry = CheckRegistry()
register = registry.register
run_checks = registry.run_checks
tag_exists = registry.tag_exists
