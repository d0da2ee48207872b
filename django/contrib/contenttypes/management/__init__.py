"""post_migrate receivers: create the content types of the installed
models, report the stale ones, and keep the manager's cache honest."""
from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections, router


def clear_contenttype_cache(**kwargs):
    """Rows may have been created or deleted (syncdb, flush): forget them."""
    ContentType = _content_type_model()
    if ContentType is not None:
        ContentType.objects.clear_cache()


def contenttype_saved(sender, instance, created, raw=False, using=None, **kwargs):
    """A ContentType saved through the ORM: a new row is cached, for the
    database it was saved to, only once its transaction commits."""
    if created:
        sender.objects._note_created(instance, using)
    else:
        sender.objects._forget(instance)


def contenttype_deleted(sender, instance, **kwargs):
    sender.objects._forget(instance)


def _content_type_model(apps=global_apps):
    try:
        return apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return None


def get_contenttypes_and_models(app_config, ContentType, using=DEFAULT_DB_ALIAS):
    """``({model_name: ContentType}, {model_name: model})`` for one app,
    the content types read from the database ``using``."""
    content_types = {
        ct.model: ct
        for ct in ContentType.objects.db_manager(using).filter(app_label=app_config.label)
    }
    app_models = {model._meta.model_name: model for model in app_config.get_models()}
    return content_types, app_models


def _cached(manager, app_config):
    """True when every model of the app has a content type cached for the
    database of ``manager``."""
    get = manager._remembered_content_type
    return all(
        get((app_config.label, model._meta.model_name)) is not None
        for model in app_config.get_models()
    )


def raw_bulk_insert(model, field_names, rows, connection):
    """INSERT ``rows`` (tuples of ``field_names`` values) in one executemany:
    post_migrate after each flush inserts hundreds of rows, and building a
    model instance per row would dominate the cost of a TransactionTestCase
    test. The values are plain strings and integers (parameters, quoted
    identifiers)."""
    if not rows:
        return
    from django.db import transaction

    opts = model._meta
    qn = connection.ops.quote_name
    columns = [opts.get_field(name).column for name in field_names]
    head = "INSERT INTO %s (%s) VALUES " % (qn(opts.db_table), ", ".join(qn(c) for c in columns))
    placeholder = "(%s)" % ", ".join(["%s"] * len(columns))
    rows = [tuple(row) for row in rows]
    with transaction.atomic(using=connection.alias, savepoint=False):
        with connection.cursor() as cursor:
            if not getattr(connection.features, "has_bulk_insert", False):
                cursor.executemany(head + placeholder, rows)
                return
            # Multi-row VALUES: one round trip per batch the backend accepts.
            fields = [opts.get_field(name) for name in field_names]
            size = max(1, min(connection.ops.bulk_batch_size(fields, rows), 500))
            for start in range(0, len(rows), size):
                batch = rows[start:start + size]
                cursor.execute(
                    head + ", ".join([placeholder] * len(batch)),
                    [value for row in batch for value in row],
                )


def _insert_and_cache(manager, missing, connection):
    """Bulk-insert ``missing`` through ``manager`` (bound to the alias of
    ``connection``) and cache the new rows (at commit time when a
    transaction is open)."""
    manager.bulk_create(missing)
    if connection.in_atomic_block or any(ct.pk is None for ct in missing):
        labels = {ct.app_label for ct in missing}
        names = {(ct.app_label, ct.model) for ct in missing}
        missing = [
            ct for ct in manager.filter(app_label__in=labels)
            if (ct.app_label, ct.model) in names
        ]
    for ct in missing:
        manager._note_created(ct, connection.alias)


def create_contenttypes(app_config, verbosity=2, interactive=True, apps=global_apps,
                        using=DEFAULT_DB_ALIAS, **kwargs):
    """Create the missing content types of ``app_config``'s models on the
    database ``using`` (one query to read, one bulk insert) and report
    stale ones (never deleted here: ``remove_stale_contenttypes`` does
    that). Nothing happens where the routers keep ContentType off ``using``."""
    if not getattr(app_config, "models_module", None):
        return
    ContentType = _content_type_model(apps)
    if ContentType is None or not rows_belong_on(using, ContentType):
        return
    using = using or DEFAULT_DB_ALIAS
    manager = ContentType.objects.db_manager(using)
    if verbosity < 1 and _cached(manager, app_config):
        return  # nothing to create, nothing to report
    # syncdb created every table before sending post_migrate.
    connection = connections[using]
    content_types, app_models = get_contenttypes_and_models(app_config, ContentType, using)
    for ct in content_types.values():
        manager._remember_content_type(ct, using)
    missing = [
        ContentType(app_label=app_config.label, model=name)
        for name in app_models if name not in content_types
    ]
    if missing:
        _insert_and_cache(manager, missing, connection)
        if verbosity >= 2:
            for ct in missing:
                print("Adding content type '%s | %s'" % (ct.app_label, ct.model))
    stale = sorted(name for name in content_types if name not in app_models)
    if stale and verbosity >= 1:
        print(
            "Stale content types: %s (on the database '%s'; not deleted: remove them "
            "with 'django-admin remove_stale_contenttypes --database %s')."
            % (", ".join("%s.%s" % (app_config.label, name) for name in stale), using, using)
        )


# -- post_migrate: the whole project at once --------------------------------------
#
# post_migrate is sent once per application, and flush (thus every
# TransactionTestCase test) sends it too: doing the work app by app would
# cost several queries per application. At the first application of an
# emission, the cache is cleared (the rows may be gone) and every content
# type is created with one read and one insert; the per-application calls
# that follow then find everything cached.

# The current emission: the alias it is sent for, and the receivers that
# have seen its first application.
_emission = {"using": None, "receivers": set()}


def first_app_config(apps=global_apps):
    """The first application post_migrate is sent for."""
    for config in apps.get_app_configs():
        if getattr(config, "models_module", None) is not None:
            return config
    return None


def begin_post_migrate(receiver_name, app_config, apps=global_apps, using=DEFAULT_DB_ALIAS):
    """Called by each post_migrate receiver (``receiver_name`` identifies
    it) of an emission for the database ``using``. At the first
    application of an emission, the first receiver to run clears the cache
    and creates every missing content type there. Return True at the first
    application of an emission."""
    if app_config is not first_app_config(apps):
        return False
    using = using or DEFAULT_DB_ALIAS
    receivers = _emission["receivers"]
    if not receivers or receiver_name in receivers or _emission["using"] != using:
        # A new emission (this receiver saw the first app already, or the
        # previous emission was for another database).
        receivers.clear()
        receivers.add(receiver_name)
        _emission["using"] = using
        clear_contenttype_cache()
        create_all_contenttypes(apps, using=using)
    else:
        receivers.add(receiver_name)
    return True


def create_all_contenttypes(apps=global_apps, using=DEFAULT_DB_ALIAS):
    """The missing content types of every installed model on the database
    ``using``: one read, one insert."""
    ContentType = _content_type_model(apps)
    if ContentType is None:
        return
    using = using or DEFAULT_DB_ALIAS
    manager = ContentType.objects.db_manager(using)
    connection = connections[using]
    existing = {}
    for ct in manager.all():
        existing[(ct.app_label, ct.model)] = ct
        manager._remember_content_type(ct, using)
    missing = []
    for config in apps.get_app_configs():
        if getattr(config, "models_module", None) is None:
            continue
        for model in config.get_models():
            key = (config.label, model._meta.model_name)
            if key not in existing:
                existing[key] = None
                missing.append(ContentType(app_label=key[0], model=key[1]))
    if missing:
        raw_bulk_insert(ContentType, ["app_label", "model"],
                        [(ct.app_label, ct.model) for ct in missing], connection)
        wanted = {(ct.app_label, ct.model) for ct in missing}
        for ct in manager.filter(app_label__in={label for label, _ in wanted}):
            if (ct.app_label, ct.model) in wanted:
                manager._note_created(ct, using)


def rows_belong_on(using, model):
    """Whether post_migrate's receivers write ``model``'s rows (content
    types, permissions) on ``using``, the alias synced or flushed: whenever
    the routers allow the model's table there (``allow_migrate``), on any
    alias. Nothing is ever written on an alias other than the one synced."""
    return router.allow_migrate_model(using or DEFAULT_DB_ALIAS, model)


def post_migrate_create_contenttypes(app_config, verbosity=2, interactive=True, apps=global_apps,
                                     using=None, **kwargs):
    """The post_migrate receiver: content types go to the alias synced."""
    ContentType = _content_type_model(apps)
    if ContentType is None or not rows_belong_on(using, ContentType):
        return
    using = using or DEFAULT_DB_ALIAS
    begin_post_migrate("contenttypes", app_config, apps, using=using)
    create_contenttypes(app_config, verbosity=verbosity, interactive=interactive, apps=apps,
                        using=using, **kwargs)


def stale_contenttypes(apps=global_apps, include_removed_apps=False, using=DEFAULT_DB_ALIAS):
    """Content types on the database ``using`` whose model is not
    installed: those of installed apps, and (``include_removed_apps``)
    those of apps no longer installed."""
    ContentType = _content_type_model(apps)
    labels = {config.label: config for config in apps.get_app_configs()}
    stale = []
    for ct in ContentType.objects.db_manager(using or DEFAULT_DB_ALIAS).order_by("app_label", "model"):
        config = labels.get(ct.app_label)
        if config is None:
            if include_removed_apps:
                stale.append(ct)
            continue
        try:
            config.get_model(ct.model)
        except LookupError:
            stale.append(ct)
    return stale
