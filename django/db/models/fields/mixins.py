"""Small mixins shared by relation fields and their reverse objects."""

NOT_PROVIDED = object()


class FieldCacheMixin:
    """Cache a related object on an instance, in ``instance._state.fields_cache``
    under ``get_cache_name()`` (the field name for forward relations, the
    accessor name for reverse ones)."""

    def get_cache_name(self):
        raise NotImplementedError

    def get_cached_value(self, instance, default=NOT_PROVIDED):
        """The cached object; KeyError when absent unless ``default`` given."""
        cache = instance._state.fields_cache
        key = self.get_cache_name()
        if key in cache or default is NOT_PROVIDED:
            return cache[key]
        return default

    def is_cached(self, instance):
        return self.get_cache_name() in instance._state.fields_cache

    def set_cached_value(self, instance, value):
        instance._state.fields_cache[self.get_cache_name()] = value

    def delete_cached_value(self, instance):
        instance._state.fields_cache.pop(self.get_cache_name(), None)
