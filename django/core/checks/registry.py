"""The registry of check functions."""
import itertools

from django.utils.inspect import func_accepts_kwargs


class Tags:
    """Built-in tags for grouping checks; each attribute's value is its name."""


for _tag in ("commands", "compatibility", "database", "models", "signals"):
    setattr(Tags, _tag, _tag)
del _tag


class CheckRegistry:
    """Check functions, each tagged; ``run_checks()`` calls them.

    Deployment checks are kept apart: they only run on request
    (``check --deploy``).
    """

    def __init__(self):
        # Sets, so registering the same function twice is harmless.
        self.registered_checks, self.deployment_checks = set(), set()

    def register(self, check=None, *tags, **kwargs):
        """Register ``check`` with ``tags``; usable as a decorator.

        ``@register``, ``@register('tag')``, ``@register(Tags.models)`` and
        ``register(func, 'tag')`` all work. ``deploy=True`` registers a
        deployment-only check. Check functions take ``app_configs`` and
        ``**kwargs`` and return a list of CheckMessages.
        """
        if not callable(check):
            # Used as @register(...) with tags: any first "check" is a tag.
            leading = (check,) if check else ()
            return lambda func: self._add(func, leading + tags, kwargs.get("deploy", False))
        return self._add(check, tags, kwargs.get("deploy", False))

    def _add(self, check, tags, deploy):
        # Checks may be given new arguments in later versions.
        if not func_accepts_kwargs(check):
            raise TypeError("Check functions must accept keyword arguments (**kwargs).")
        check.tags = tags
        (self.deployment_checks if deploy else self.registered_checks).add(check)
        return check

    def run_checks(
        self, app_configs=None, tags=None, include_deployment_checks=False, databases=None
    ):
        """Run checks (only those with one of ``tags`` if given); return the messages.

        Messages whose id is in settings.SILENCED_SYSTEM_CHECKS are dropped.
        """
        from django.conf import settings

        selected = self.get_checks(include_deployment_checks)
        if tags is not None:
            wanted = set(tags)
            selected = [check for check in selected if wanted.intersection(check.tags)]
        silenced = set(settings.SILENCED_SYSTEM_CHECKS)
        messages = []
        for check in selected:
            found = check(app_configs=app_configs, databases=databases)
            # A generator or None would silently lose problems.
            if not isinstance(found, (list, tuple)):
                raise TypeError(
                    "The function %r did not return a list. All functions registered "
                    "with the checks registry must return a list." % (check,)
                )
            messages.extend(message for message in found if message.id not in silenced)
        return messages

    def get_checks(self, include_deployment_checks=False):
        """The registered check functions (deployment ones too on request)."""
        groups = [self.registered_checks]
        if include_deployment_checks:
            groups.append(self.deployment_checks)
        return list(itertools.chain.from_iterable(groups))

    def tags_available(self, deployment_checks=False):
        """Every tag used by a registered check."""
        return {tag for check in self.get_checks(deployment_checks) for tag in check.tags}

    def tag_exists(self, tag, include_deployment_checks=False):
        return tag in self.tags_available(include_deployment_checks)


registry = CheckRegistry()
# Module-level shortcuts to the default registry.
register, run_checks, tag_exists = registry.register, registry.run_checks, registry.tag_exists
