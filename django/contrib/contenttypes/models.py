"""``ContentType``: one row per installed model, and its cached manager."""
from django.apps import apps
from django.db import connections, models, transaction


class ContentTypeManager(models.Manager):
    """Looks content types up through a per-database cache.

    Each database numbers its content types itself (rows are created in
    whatever order models were first used there), so a row cached for one
    database is never served for another. The cache is keyed by
    ``(alias, NAME)``: the alias, so that two aliases (two servers) never
    share an id, and the database's NAME, so that rows of the development
    database are never served once the test database is in use. The
    manager of ``ContentType.objects.db_manager(alias)`` reads that alias's
    part; a row is filed under the database it was read from or saved to
    (its ``_state.db``). Besides:

    * ``syncdb``/``flush`` (``pre_migrate``/``post_migrate``) and a change of
      INSTALLED_APPS by the test framework clear it;
    * a row created inside a transaction is cached only once that
      transaction commits (a rolled-back row is never served);
    * deleting a content type through the ORM drops it from every alias's
      part (two aliases may name one database);
    * ``clear_cache()`` forgets every alias.
    """

    use_in_migrations = True

    def __init__(self):
        super().__init__()
        # Shared by the copies Options and db_manager() make of this
        # manager: always mutate, never rebind, these two attributes.
        self._rows_by_database = {}  # (alias, NAME) -> {(app_label, model): ct, id: ct}
        self._uncommitted = {}  # (alias, NAME) -> ids created in an open transaction

    # -- cache bookkeeping ---------------------------------------------------
    def _db_key(self, alias=None):
        """The cache key of ``alias`` (default: where this manager reads)."""
        alias = alias or self.db
        return alias, connections[alias].settings_dict.get("NAME")

    def clear_cache(self):
        """Forget every cached content type (all databases)."""
        self._rows_by_database.clear()
        self._uncommitted.clear()

    def _remember_content_type(self, ct, alias=None):
        """Cache ``ct`` for ``alias`` (default: the database it came from)
        unless it may still be rolled back."""
        alias = alias or ct._state.db or self.db
        key = self._db_key(alias)
        pending = self._uncommitted.get(key, set())
        if ct.pk in pending:
            if connections[alias].in_atomic_block:
                return
            pending.discard(ct.pk)  # autocommit now: it is committed.
        cache = self._rows_by_database.setdefault(key, {})
        cache[(ct.app_label, ct.model)] = ct
        cache[ct.pk] = ct

    def _note_created(self, ct, alias=None):
        """A row was just inserted on ``alias`` (default: the database it
        was saved to): cache it now, or at commit time."""
        alias = alias or ct._state.db or self.db
        if not connections[alias].in_atomic_block:
            self._remember_content_type(ct, alias)
            return
        key = self._db_key(alias)
        self._uncommitted.setdefault(key, set()).add(ct.pk)

        def committed():
            self._uncommitted.get(key, set()).discard(ct.pk)
            self._remember_content_type(ct, alias)

        transaction.on_commit(committed, using=alias)

    def _forget(self, ct):
        for cache in self._rows_by_database.values():
            cache.pop(ct.pk, None)
            cache.pop((ct.app_label, ct.model), None)

    def _remembered_content_type(self, key):
        return self._rows_by_database.get(self._db_key(), {}).get(key)

    # -- lookups ---------------------------------------------------------------
    def get_by_natural_key(self, app_label, model):
        ct = self._remembered_content_type((app_label, model))
        if ct is None:
            ct = self.get(app_label=app_label, model=model)
            self._remember_content_type(ct)
        return ct

    @staticmethod
    def _row_key(model, for_concrete_model):
        """The ``(app_label, model_name)`` a content type row uses for
        ``model``: a proxy shares its concrete model's row unless asked
        for its own."""
        meta = model._meta.concrete_model._meta if for_concrete_model else model._meta
        return meta.app_label, meta.model_name

    def get_for_model(self, model, for_concrete_model=True):
        """The ContentType of ``model`` (a class or an instance), created if
        missing. A proxy model gets its concrete model's content type unless
        ``for_concrete_model`` is False."""
        key = self._row_key(model, for_concrete_model)
        return self._remembered_content_type(key) or self._fetch_or_create(key)

    def get_for_models(self, *models, for_concrete_models=True):
        """``{model: ContentType}`` for ``models``: one query for the ones
        not cached, one insert per missing row."""
        keys = {model: self._row_key(model, for_concrete_models) for model in models}
        known = self._cached_or_fetched(set(keys.values()))
        for key, ct in known.items():
            if ct is None:
                known[key] = self._fetch_or_create(key)
        return {model: known[key] for model, key in keys.items()}

    def _cached_or_fetched(self, keys):
        """``{(app_label, model): ContentType}`` for the ``keys`` that have a
        row: cached ones, then one query for the others (cached in turn)."""
        found = {key: self._remembered_content_type(key) for key in keys}
        missing = [key for key, ct in found.items() if ct is None]
        if missing:
            app_labels, names = zip(*missing)
            for ct in self.filter(app_label__in=set(app_labels), model__in=set(names)):
                if (ct.app_label, ct.model) in found:
                    self._remember_content_type(ct)
                    found[ct.app_label, ct.model] = ct
        return found

    def _fetch_or_create(self, key):
        app_label, model_name = key
        ct, created = self.get_or_create(app_label=app_label, model=model_name)
        if created:
            self._note_created(ct)
        else:
            self._remember_content_type(ct)
        return ct

    def get_for_id(self, id):
        """The ContentType with primary key ``id`` (cached; a cached id that
        is missing goes to the database, which raises DoesNotExist)."""
        ct = self._remembered_content_type(id)
        if ct is None:
            ct = self.get(pk=id)
            self._remember_content_type(ct)
        return ct

    def _get_for_ids(self, ids):
        """``{id: ContentType}`` in at most one query (prefetching)."""
        found = {}
        missing = []
        for ct_id in ids:
            ct = self._remembered_content_type(ct_id)
            if ct is None:
                missing.append(ct_id)
            else:
                found[ct_id] = ct
        if missing:
            for ct in self.filter(pk__in=missing):
                self._remember_content_type(ct)
                found[ct.pk] = ct
        return found


class ContentType(models.Model):
    app_label = models.CharField(max_length=100)
    model = models.CharField("python model class name", max_length=100)

    objects = ContentTypeManager()

    class Meta:
        verbose_name = "content type"
        verbose_name_plural = "content types"
        db_table = "django_content_type"
        unique_together = [["app_label", "model"]]
        ordering = ["app_label", "model"]

    def __str__(self):
        return self.app_labeled_name

    def _describe(self, with_app_label):
        # A stale row (model uninstalled) can only show its stored name.
        model = self.model_class()
        if model is None:
            return self.model
        label = str(model._meta.verbose_name)
        return "%s | %s" % (model._meta.app_label, label) if with_app_label else label

    @property
    def name(self):
        """The model's verbose name (the model name if it is not installed)."""
        return self._describe(with_app_label=False)

    @property
    def app_labeled_name(self):
        """``"<app_label> | <verbose name>"``, as shown by ``str()``."""
        return self._describe(with_app_label=True)

    def model_class(self):
        """The model class of this content type, or None if its application
        is not installed or has no such model any more."""
        config = apps.app_configs.get(self.app_label)
        return (config.models or {}).get(self.model.lower()) if config is not None else None

    def _model_or_error(self):
        model = self.model_class()
        if model is None:
            raise LookupError(
                "Content type %s.%s has no installed model (a stale content type?)."
                % (self.app_label, self.model)
            )
        return model

    # The objects of a type are read where the routers send reads of its
    # model, not where this row was read from (as in Django 6.1): a model
    # is the same on every database, and the objects' database is the
    # routers' question, asked without hints.
    def get_object_for_this_type(self, using=None, **kwargs):
        """``Model._base_manager.using(using).get(**kwargs)`` for this
        type's model; no ``using``: where the routers send its reads."""
        return self._model_or_error()._base_manager.using(using).get(**kwargs)

    def get_all_objects_for_this_type(self, **kwargs):
        """``Model._base_manager.filter(**kwargs)`` for this type's model,
        routed as any query of that model."""
        return self._model_or_error()._base_manager.filter(**kwargs)

    def natural_key(self):
        return (self.app_label, self.model)
