"""post_migrate receivers: create the content types of the installed
models, report the stale ones, and keep the manager's cache honest."""
from django.apps import apps as global_apps
from django.db import connections


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


def get_contenttypes_and_models(app_config, ContentType):
    """``({model_name: ContentType}, {model_name: model})`` for one app."""
    content_types = {
        ct.model: ct for ct in ContentType.objects.filter(app_label=app_config.label)
    }
    app_models = {model._meta.model_name: model for model in app_config.get_models()}
    return content_types, app_models


def _cached(ContentType, app_config):
    """True when every model of the app has a cached content type."""
    get = ContentType.objects._remembered_content_type
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


def _insert_and_cache(ContentType, missing, connection):
    """Bulk-insert ``missing`` and cache the new rows (at commit time when
    a transaction is open)."""
    ContentType.objects.bulk_create(missing)
    if connection.in_atomic_block or any(ct.pk is None for ct in missing):
        labels = {ct.app_label for ct in missing}
        names = {(ct.app_label, ct.model) for ct in missing}
        missing = [
            ct for ct in ContentType.objects.filter(app_label__in=labels)
            if (ct.app_label, ct.model) in names
        ]
    for ct in missing:
        ContentType.objects._note_created(ct, connection.alias)


def create_contenttypes(app_config, verbosity=2, interactive=True, apps=global_apps, **kwargs):
    """Create the missing content types of ``app_config``'s models (one
    query to read, one bulk insert) and report stale ones (never deleted
    here: ``remove_stale_contenttypes`` does that)."""
    if not getattr(app_config, "models_module", None):
        return
    ContentType = _content_type_model(apps)
    if ContentType is None:
        return
    if verbosity < 1 and _cached(ContentType, app_config):
        return  # nothing to create, nothing to report
    # syncdb created every table before sending post_migrate.
    connection = connections[ContentType.objects.db]
    content_types, app_models = get_contenttypes_and_models(app_config, ContentType)
    for ct in content_types.values():
        ContentType.objects._remember_content_type(ct, connection.alias)
    missing = [
        ContentType(app_label=app_config.label, model=name)
        for name in app_models if name not in content_types
    ]
    if missing:
        _insert_and_cache(ContentType, missing, connection)
        if verbosity >= 2:
            for ct in missing:
                print("Adding content type '%s | %s'" % (ct.app_label, ct.model))
    stale = sorted(name for name in content_types if name not in app_models)
    if stale and verbosity >= 1:
        print(
            "Stale content types: %s (not deleted; remove them with "
            "'django-admin remove_stale_contenttypes')."
            % ", ".join("%s.%s" % (app_config.label, name) for name in stale)
        )


# -- post_migrate: the whole project at once --------------------------------------
#
# post_migrate is sent once per application, and flush (thus every
# TransactionTestCase test) sends it too: doing the work app by app would
# cost several queries per application. At the first application of an
# emission, the cache is cleared (the rows may be gone) and every content
# type is created with one read and one insert; the per-application calls
# that follow then find everything cached.

_first_app_receivers = set()


def first_app_config(apps=global_apps):
    """The first application post_migrate is sent for."""
    for config in apps.get_app_configs():
        if getattr(config, "models_module", None) is not None:
            return config
    return None


def begin_post_migrate(receiver_name, app_config, apps=global_apps):
    """Called by each post_migrate receiver (``receiver_name`` identifies
    it). At the first application of an emission, the first receiver to
    run clears the cache and creates every missing content type. Return
    True at the first application of an emission."""
    if app_config is not first_app_config(apps):
        return False
    if not _first_app_receivers or receiver_name in _first_app_receivers:
        # A new emission (this receiver saw the first app already).
        _first_app_receivers.clear()
        _first_app_receivers.add(receiver_name)
        clear_contenttype_cache()
        create_all_contenttypes(apps)
    else:
        _first_app_receivers.add(receiver_name)
    return True


def create_all_contenttypes(apps=global_apps):
    """The missing content types of every installed model: one read, one insert."""
    ContentType = _content_type_model(apps)
    if ContentType is None:
        return
    connection = connections[ContentType.objects.db]
    existing = {}
    for ct in ContentType.objects.all():
        existing[(ct.app_label, ct.model)] = ct
        ContentType.objects._remember_content_type(ct, connection.alias)
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
        for ct in ContentType.objects.filter(app_label__in={label for label, _ in wanted}):
            if (ct.app_label, ct.model) in wanted:
                ContentType.objects._note_created(ct, connection.alias)


def rows_belong_on(using, model):
    """Whether post_migrate's receivers write ``model``'s rows (content
    types, permissions) on ``using``, the alias synced or flushed: only if
    the routers allow the model's table there, and only on the alias the
    ORM writes to ('default', until querysets can be sent to another alias).
    Nothing is ever written on an alias other than the one synced."""
    from django.db import DEFAULT_DB_ALIAS, router

    using = using or DEFAULT_DB_ALIAS
    return using == DEFAULT_DB_ALIAS and router.allow_migrate_model(using, model)


def post_migrate_create_contenttypes(app_config, verbosity=2, interactive=True, apps=global_apps,
                                     using=None, **kwargs):
    """The post_migrate receiver: content types go to the alias synced."""
    ContentType = _content_type_model(apps)
    if ContentType is None or not rows_belong_on(using, ContentType):
        return
    begin_post_migrate("contenttypes", app_config, apps)
    create_contenttypes(app_config, verbosity=verbosity, interactive=interactive, apps=apps, **kwargs)


def stale_contenttypes(apps=global_apps, include_removed_apps=False):
    """Content types whose model is not installed: those of installed apps,
    and (``include_removed_apps``) those of apps no longer installed."""
    ContentType = _content_type_model(apps)
    labels = {config.label: config for config in apps.get_app_configs()}
    stale = []
    for ct in ContentType.objects.order_by("app_label", "model"):
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
