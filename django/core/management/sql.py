"""SQL helpers shared by the schema commands (syncdb, sqlall, flush)."""
from django.apps import apps
from django.db import router
from django.db.models import signals


def installed_models(include_auto_created=False):
    """Installed models in app order, then definition order."""
    models = []
    for app_config in apps.get_app_configs():
        models.extend(app_config.get_models(include_auto_created=include_auto_created))
    return models


def should_create(model, connection):
    """Whether syncdb creates ``model``'s table on ``connection`` (and
    flush empties it): managed, concrete, not proxied, and allowed on the
    connection's alias by the routers (``allow_migrate``)."""
    return model._meta.can_migrate(connection) and router.allow_migrate_model(
        connection.alias, model
    )


def creation_models(models):
    """``models`` without the auto-created many-to-many intermediary models:
    the schema editor creates those with the model declaring the field."""
    return [m for m in models if not m._meta.auto_created]


def auto_created_m2m_tables(model):
    """``[(field, table)]`` of ``model``'s auto-created many-to-many
    intermediary tables: the schema editor creates them with the model."""
    return [(field, through._meta.db_table) for field, through in auto_created_throughs(model)]


def auto_created_throughs(model):
    """``[(field, through model)]`` of ``model``'s auto-created many-to-many
    intermediary models."""
    found = []
    for field in model._meta.local_many_to_many:
        through = getattr(field.remote_field, "through", None)
        if through is not None and not isinstance(through, str) and through._meta.auto_created:
            found.append((field, through))
    return found


def tables_to_create(connection):
    """``[(model, field)]`` whose tables syncdb creates on ``connection``,
    in creation order: each model's own table, then its auto-created
    many-to-many tables (``field`` is the many-to-many field then, else
    None). Each table is judged on its own model (a through model for an
    intermediary table), and only missing tables are listed."""
    existing = set(connection.introspection.table_names())
    planned = []

    def consider(model, field):
        table = model._meta.db_table
        if table not in existing and should_create(model, connection):
            existing.add(table)
            planned.append((model, field))

    for model in creation_models(installed_models(include_auto_created=True)):
        consider(model, None)
        for field, through in auto_created_throughs(model):
            consider(through, field)
    return planned


def with_referencing_tables(tables, connection):
    """``tables`` plus every (existing) table whose foreign keys reference
    one of them, transitively: emptying a table must empty those too (and
    PostgreSQL's TRUNCATE requires them in the same statement)."""
    tables = list(tables)
    wanted = set(tables)
    models = [m for m in installed_models(include_auto_created=True) if should_create(m, connection)]
    changed = True
    while changed:
        changed = False
        for model in models:
            table = model._meta.db_table
            if table in wanted:
                continue
            for field in model._meta.local_fields:
                rel = getattr(field, "remote_field", None)
                if rel is None or isinstance(rel.model, str) or not getattr(field, "db_constraint", False):
                    continue
                if rel.model._meta.db_table in wanted:
                    wanted.add(table)
                    tables.append(table)
                    changed = True
                    break
    return tables


def sql_create_models(models, connection, style=None):
    """The DDL (CREATE TABLE + indexes) for ``models``, as strings."""
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        for model in creation_models(models):
            editor.create_model(model)
    return editor.collected_sql


def sql_flush(style, connection, reset_sequences=True, allow_cascade=False, only_existing=True):
    """Statements emptying every table of the installed, managed models
    (those that exist, unless ``only_existing`` is False).

    Without ``reset_sequences`` only the tables holding rows are emptied:
    one query finds them, which is much cheaper than truncating dozens of
    empty tables after every TransactionTestCase test."""
    tables = []
    seen = set()
    for model in installed_models(include_auto_created=True):
        table = model._meta.db_table
        if should_create(model, connection) and table not in seen:
            seen.add(table)
            tables.append(table)
    if only_existing and tables:
        existing = set(connection.introspection.table_names())
        tables = [t for t in tables if t in existing]
    if only_existing and tables and not reset_sequences:
        existing_tables = tables
        tables = _non_empty_tables(connection, tables)
        tables = [t for t in with_referencing_tables(tables, connection) if t in existing_tables]
    if not tables:
        return []
    return connection.ops.sql_flush(
        style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
    )


def _non_empty_tables(connection, tables):
    qn = connection.ops.quote_name
    # Parameters carry the names; identifiers are quoted.
    sql = " UNION ALL ".join(
        "SELECT %%s WHERE EXISTS (SELECT 1 FROM %s)" % qn(table) for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(tables))
        found = {row[0] for row in cursor.fetchall()}
    return [table for table in tables if table in found]


def execute_statements(connection, statements):
    """Run SQL ``statements`` (strings without parameters) one after another."""
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def emit_pre_migrate_signal(verbosity, interactive, **kwargs):
    """Send ``pre_migrate`` once per installed app with a models module
    (``using``, the alias being synced, among the ``kwargs``)."""
    for app_config in apps.get_app_configs():
        if app_config.models_module is None:
            continue
        signals.pre_migrate.send(
            sender=app_config, app_config=app_config, verbosity=verbosity,
            interactive=interactive, **kwargs,
        )


def emit_post_migrate_signal(verbosity, interactive, **kwargs):
    """Send ``post_migrate`` once per installed app with a models module
    (``using``, the alias synced or flushed, among the ``kwargs``)."""
    for app_config in apps.get_app_configs():
        if getattr(app_config, "models_module", None) is None:
            continue
        if verbosity >= 2:
            print("Running post-migrate handlers for application %s" % app_config.label)
        signals.post_migrate.send(
            sender=app_config, app_config=app_config, verbosity=verbosity,
            interactive=interactive, **kwargs,
        )
