"""Authentication backends.

``BaseBackend`` is the do-nothing protocol a backend implements.
``ModelBackend`` checks credentials against the user model and answers
permission questions from the rows of ``Permission`` attached to the
user directly or through its groups.  Answers are cached on the user
instance, so fetch a fresh user after changing its permissions.
"""
from django.contrib.auth import get_user_model, hashers
from django.contrib.auth.models import Permission
from django.db import router


class BaseBackend:
    """Authenticates nobody and grants nothing; subclasses override the
    parts they support."""

    def authenticate(self, request, **kwargs):
        """The user ``kwargs`` identify, or None: this backend knows nobody."""

    def get_user(self, user_id):
        """The user with ``user_id``, or None: this backend knows nobody."""

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    get_group_permissions = get_user_permissions

    def get_all_permissions(self, user_obj, obj=None):
        own = self.get_user_permissions(user_obj, obj)
        return set(own) | set(self.get_group_permissions(user_obj, obj))

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)


def _asks_nothing(user_obj, obj):
    """Questions ModelBackend always answers with "no permissions": it
    knows nothing about inactive or anonymous users, nor about per-object
    permissions."""
    return obj is not None or user_obj.is_anonymous or not user_obj.is_active


def _labels(permission_queryset):
    """``{"app_label.codename", ...}`` for a Permission queryset, reading
    the app labels from the ContentType cache instead of joining (the
    cache of the queryset's database: each database numbers its own
    content types)."""
    from django.contrib.contenttypes.models import ContentType

    pairs = list(permission_queryset.values_list("content_type_id", "codename"))
    owners = ContentType.objects.db_manager(permission_queryset.db)._get_for_ids(
        {ct_id for ct_id, _ in pairs}
    )
    return {
        "%s.%s" % (owners[ct_id].app_label, codename)
        for ct_id, codename in pairs
        if ct_id in owners
    }


def _user_named(user_model, username):
    """The user whose natural key is ``username``, or None."""
    try:
        return user_model._default_manager.get_by_natural_key(username)
    except user_model.DoesNotExist:
        return None


def _group_permissions_through():
    from django.contrib.auth.models import Group

    return Group._meta.get_field("permissions").remote_field.through


class ModelBackend(BaseBackend):
    """Username/password authentication against AUTH_USER_MODEL."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = _user_named(user_model, username)
        if user is None:
            # Spend the hashing time anyway: a fast "no such user" answer
            # would let an attacker enumerate usernames by timing.
            hashers.make_password(password)
            return None
        verified = user.check_password(password) and self.user_can_authenticate(user)
        return user if verified else None

    def get_user(self, user_id):
        user_model = get_user_model()
        user = user_model._default_manager.filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        return user

    def user_can_authenticate(self, user):
        """Inactive users may not log in (models without ``is_active`` may)."""
        return getattr(user, "is_active", True)

    # -- where each kind of permission comes from ------------------------------
    #
    # A user's permissions are read where its related managers read them:
    # where the routers send Permission reads for this user (the hint
    # ``instance=user``), else the user's own database.

    def _user_permission_rows(self, user_obj):
        return user_obj.user_permissions.all()

    @staticmethod
    def _permissions_database(user_obj):
        return router.db_for_read(Permission, instance=user_obj)

    def _group_permission_rows(self, user_obj):
        # Two nested subqueries over the m2m tables, so that a user in many
        # groups does not multiply rows through joins.
        using = self._permissions_database(user_obj)
        groups_field = get_user_model()._meta.get_field("groups")
        membership = groups_field.remote_field.through._default_manager.using(using)
        group_ids = membership.filter(
            **{"%s_id" % groups_field.m2m_field_name(): user_obj.pk}
        ).values("%s_id" % groups_field.m2m_reverse_field_name())
        grants = _group_permissions_through()._default_manager.using(using)
        permission_ids = grants.filter(group_id__in=group_ids).values("permission_id")
        return Permission.objects.using(using).filter(pk__in=permission_ids)

    def _cached_labels(self, user_obj, kind):
        """The labels of ``kind`` ('user' or 'group'), computed once per
        user instance.  A superuser holds every permission of both kinds."""
        attribute = "_%s_permission_labels" % kind
        labels = getattr(user_obj, attribute, None)
        if labels is None:
            if user_obj.is_superuser:
                source = Permission.objects.using(self._permissions_database(user_obj))
            else:
                source = getattr(self, "_%s_permission_rows" % kind)(user_obj)
            labels = _labels(source)
            setattr(user_obj, attribute, labels)
        return labels

    def get_user_permissions(self, user_obj, obj=None):
        if _asks_nothing(user_obj, obj):
            return set()
        return self._cached_labels(user_obj, "user")

    def get_group_permissions(self, user_obj, obj=None):
        if _asks_nothing(user_obj, obj):
            return set()
        return self._cached_labels(user_obj, "group")

    def get_all_permissions(self, user_obj, obj=None):
        if _asks_nothing(user_obj, obj):
            return set()
        combined = getattr(user_obj, "_all_permission_labels", None)
        if combined is None:
            combined = super().get_all_permissions(user_obj)
            user_obj._all_permission_labels = combined
        return combined

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active:
            return False
        return super().has_perm(user_obj, perm, obj=obj)

    def has_module_perms(self, user_obj, app_label):
        """True when the user holds at least one permission of ``app_label``."""
        if not user_obj.is_active:
            return False
        return any(
            label.partition(".")[0] == app_label
            for label in self.get_all_permissions(user_obj)
        )


class AllowAllUsersModelBackend(ModelBackend):
    """ModelBackend that lets inactive users authenticate too."""

    def user_can_authenticate(self, user):
        return True
