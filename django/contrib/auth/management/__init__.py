"""post_migrate receiver creating the default permissions (add, change,
delete, view) and the Meta.permissions of every model of an app."""
import getpass

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections


def _permission_specs(opts):
    """``[(codename, name)]`` for a model: the defaults, then Meta.permissions."""
    perms = [
        ("%s_%s" % (action, opts.model_name), "Can %s %s" % (action, opts.verbose_name_raw))
        for action in opts.default_permissions
    ]
    return perms + list(opts.permissions)


def _permission_models():
    try:
        global_apps.get_model("contenttypes", "ContentType")
        return global_apps.get_model("auth", "Permission")
    except LookupError:
        return None


def _create_missing(Permission, models, verbosity, using=DEFAULT_DB_ALIAS):
    """Insert the permissions of ``models`` that do not exist on the
    database ``using``: one read, one bulk insert."""
    from django.contrib.contenttypes.management import raw_bulk_insert
    from django.contrib.contenttypes.models import ContentType

    if not models:
        return
    # The content type ids of ``using``: each database numbers its own.
    cts = ContentType.objects.db_manager(using).get_for_models(*models, for_concrete_models=False)
    wanted = []
    for model in models:
        ct = cts[model]
        for codename, name in _permission_specs(model._meta):
            wanted.append((ct, codename, name))
    existing = set(
        Permission.objects.db_manager(using)
        .filter(content_type_id__in={ct.pk for ct, _, _ in wanted})
        .values_list("content_type_id", "codename")
    )
    new = []
    for ct, codename, name in wanted:
        key = (ct.pk, codename)
        if key in existing:
            continue
        existing.add(key)
        new.append((ct, codename, name))
    raw_bulk_insert(Permission, ["name", "content_type", "codename"],
                    [(name, ct.pk, codename) for ct, codename, name in new],
                    connections[using])
    if verbosity >= 2:
        for ct, codename, _ in new:
            print("Adding permission '%s | %s'" % (ct, codename))


def create_permissions(app_config, verbosity=2, interactive=True, apps=global_apps,
                       using=DEFAULT_DB_ALIAS, **kwargs):
    """Create the missing permissions of ``app_config``'s models on the
    database ``using``, if the routers allow Permission and ContentType
    there. Content types come first (created here for the app if needed),
    so the order of the post_migrate receivers does not matter."""
    if not getattr(app_config, "models_module", None):
        return
    Permission = _permission_models()
    using = using or DEFAULT_DB_ALIAS
    if Permission is None or not _permissions_belong_on(using):
        return
    from django.contrib.contenttypes.management import create_contenttypes

    create_contenttypes(app_config, verbosity=verbosity, interactive=interactive, apps=apps,
                        using=using, **kwargs)
    _create_missing(Permission, list(app_config.get_models()), verbosity, using)


def _permissions_belong_on(using):
    """Whether the routers allow both Permission's and ContentType's tables
    on ``using`` (a permission row names a content type row there)."""
    from django.contrib.contenttypes.management import rows_belong_on

    Permission = global_apps.get_model("auth", "Permission")
    ContentType = global_apps.get_model("contenttypes", "ContentType")
    return rows_belong_on(using, Permission) and rows_belong_on(using, ContentType)


# Applications whose permissions the current post_migrate emission already
# created (see post_migrate_create_permissions).
_done_labels = set()


def post_migrate_create_permissions(app_config, verbosity=2, interactive=True, apps=global_apps,
                                    using=None, **kwargs):
    """The post_migrate receiver: at the first application of an emission,
    the permissions of every application are created at once (flush sends
    post_migrate after each TransactionTestCase test: one query per
    application would add up); the later applications are then done.
    Permissions (and the content types they need) go to the alias synced,
    whichever it is, if the routers allow both tables there."""
    from django.contrib.contenttypes.management import begin_post_migrate

    Permission = _permission_models()
    if Permission is None or not getattr(app_config, "models_module", None):
        return
    using = using or DEFAULT_DB_ALIAS
    if not _permissions_belong_on(using):
        return
    if begin_post_migrate("auth", app_config, apps, using=using):
        _done_labels.clear()
        configs = [c for c in apps.get_app_configs() if getattr(c, "models_module", None) is not None]
        _create_missing(Permission, [m for c in configs for m in c.get_models()], verbosity, using)
        _done_labels.update(c.label for c in configs)
    if app_config.label in _done_labels:
        _done_labels.discard(app_config.label)
        return
    create_permissions(app_config, verbosity=verbosity, interactive=interactive, apps=apps,
                       using=using, **kwargs)


def get_system_username():
    """The operating system's name of the current user ('' if unknown)."""
    try:
        return getpass.getuser()
    except Exception:
        return ""


def get_default_username(check_db=True, database=None):
    """A suggested username for createsuperuser: the system user name,
    lowercased ASCII, if it is valid and (``check_db``) not taken on the
    database ``database`` (None: where the routers send User's reads)."""
    import unicodedata

    from django.contrib.auth import get_user_model

    name = unicodedata.normalize("NFKD", get_system_username()).encode("ascii", "ignore").decode()
    name = name.replace(" ", "").lower()
    if not name:
        return ""
    User = get_user_model()
    field = User._meta.get_field(User.USERNAME_FIELD)
    try:
        name = field.clean(name, None)
    except Exception:
        return ""
    users = User._default_manager.db_manager(database)
    if check_db and users.filter(**{User.USERNAME_FIELD: name}).exists():
        return ""
    return name
