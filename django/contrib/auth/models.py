"""The authorization models: ``Permission``, ``Group``, the concrete
``User`` (built from ``AbstractUser``) and the request-less ``AnonymousUser``.

Permission questions are answered by the configured authentication
backends; the helpers at the top of this module are the single place
where backends are consulted, for real users and anonymous ones alike.
"""
from django.apps import apps as installed_apps
from django.conf import settings
from django.contrib.auth import SiteProfileNotAvailable  # noqa: F401 (re-exported)
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone


# -- consulting the authentication backends --------------------------------------

def _configured_backends():
    # Imported late: django.contrib.auth imports this module's package.
    from django.contrib.auth import get_backends

    return get_backends()


def _any_backend_grants(method_name, *args):
    """True as soon as one backend's ``method_name(*args)`` says yes.

    A backend that raises PermissionDenied vetoes the question outright,
    even if a later backend would have granted it; backends without the
    method are simply not asked."""
    for backend in _configured_backends():
        check = getattr(backend, method_name, None)
        if check is None:
            continue
        try:
            granted = check(*args)
        except PermissionDenied:
            return False
        if granted:
            return True
    return False


def _union_of_backend_permissions(user, obj, scope):
    """Every permission string that any backend reports for ``scope``
    ('user', 'group' or 'all')."""
    method_name = "get_%s_permissions" % scope
    found = set()
    for backend in _configured_backends():
        if hasattr(backend, method_name):
            found |= set(getattr(backend, method_name)(user, obj))
    return found


def _require_permission_iterable(perm_list):
    # A string is iterable too, and would silently be checked letter by letter.
    if isinstance(perm_list, str):
        raise ValueError("perm_list must be an iterable of permissions, not a string.")


# -- Permission and Group ---------------------------------------------------------

class PermissionManager(models.Manager):
    use_in_migrations = True

    def get_by_natural_key(self, codename, app_label, model):
        # The content type of this manager's database: each database
        # numbers its own (fixtures loaded with --database come here).
        owner = ContentType.objects.db_manager(self.db).get_by_natural_key(app_label, model)
        return self.get(content_type=owner, codename=codename)


class Permission(models.Model):
    """The right to do ``codename`` on one model, known to user code as
    ``"<app_label>.<codename>"`` (for example ``"library.add_book"``)."""

    name = models.CharField("name", max_length=255)
    content_type = models.ForeignKey(ContentType, models.CASCADE, verbose_name="content type")
    codename = models.CharField("codename", max_length=100)

    objects = PermissionManager()

    class Meta:
        ordering = ["content_type__app_label", "content_type__model", "codename"]
        unique_together = [["content_type", "codename"]]
        verbose_name, verbose_name_plural = "permission", "permissions"

    def __str__(self):
        return "{} | {}".format(self.content_type, self.name)

    def natural_key(self):
        app_label, model = self.content_type.natural_key()
        return (self.codename, app_label, model)

    # Fixtures must load the content types before the permissions naming them.
    natural_key.dependencies = ["contenttypes.contenttype"]


class GroupManager(models.Manager):
    use_in_migrations = True

    def get_by_natural_key(self, name):
        # A group is identified by its (unique) name in fixtures.
        return self.get(name=name)


class Group(models.Model):
    """A named bundle of permissions; members get all of them."""

    name = models.CharField("name", max_length=150, unique=True)
    permissions = models.ManyToManyField(Permission, verbose_name="permissions", blank=True)

    objects = GroupManager()

    class Meta:
        verbose_name, verbose_name_plural = "group", "groups"

    def natural_key(self):
        return (self.name,)

    def __str__(self):
        return self.name


# -- users --------------------------------------------------------------------------

class UserManager(BaseUserManager):
    use_in_migrations = True

    # Flag values each factory enforces: create_user() only supplies
    # defaults, create_superuser() also refuses contradicting arguments.
    _REGULAR_FLAGS = {"is_staff": False, "is_superuser": False}
    _SUPERUSER_FLAGS = {"is_staff": True, "is_superuser": True}

    def _build_and_save(self, username, email, password, fields):
        if not username:
            raise ValueError("The given username must be set")
        user = self.model(
            username=self.model.normalize_username(username),
            email=self.normalize_email(email),
            **fields,
        )
        user.set_password(password)  # None gives an unusable password
        user.save(using=self._db)
        return user

    def create_user(self, username, email=None, password=None, **extra_fields):
        """Save and return a regular (non-staff) user."""
        fields = {**self._REGULAR_FLAGS, **extra_fields}
        return self._build_and_save(username, email, password, fields)

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """Save and return a user with staff and superuser status."""
        fields = {**self._SUPERUSER_FLAGS, **extra_fields}
        for flag in ("is_staff", "is_superuser"):
            if fields[flag] is not True:
                raise ValueError("Superuser must have %s=True." % flag)
        return self._build_and_save(username, email, password, fields)


# Whatever the user model is called, ``group.user_set`` and
# ``Permission.objects.filter(user=...)`` keep working: both relations of
# PermissionsMixin expose the same reverse names.
_REVERSE_TO_USER = {"related_name": "user_set", "related_query_name": "user"}


class PermissionsMixin(models.Model):
    """Superuser status, groups and individual permissions, plus the
    ``has_perm`` family that answers questions about them."""

    is_superuser = models.BooleanField(
        "superuser status", default=False,
        help_text="Designates that this user has all permissions without explicitly assigning them.",
    )
    groups = models.ManyToManyField(Group, blank=True, verbose_name="groups", **_REVERSE_TO_USER)
    user_permissions = models.ManyToManyField(
        Permission, blank=True, verbose_name="user permissions", **_REVERSE_TO_USER
    )

    class Meta:
        abstract = True

    def _bypasses_checks(self):
        # An inactive superuser is locked out like anyone else.
        return self.is_active and self.is_superuser

    def get_user_permissions(self, obj=None):
        return _union_of_backend_permissions(self, obj, "user")

    def get_group_permissions(self, obj=None):
        return _union_of_backend_permissions(self, obj, "group")

    def get_all_permissions(self, obj=None):
        return _union_of_backend_permissions(self, obj, "all")

    def has_perm(self, perm, obj=None):
        return self._bypasses_checks() or _any_backend_grants("has_perm", self, perm, obj)

    def has_perms(self, perm_list, obj=None):
        _require_permission_iterable(perm_list)
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label):
        return self._bypasses_checks() or _any_backend_grants("has_module_perms", self, app_label)


class AbstractUser(AbstractBaseUser, PermissionsMixin):
    """Username/password user with names, e-mail and status flags; subclass
    it to add fields while keeping the built-in behaviour."""

    username = models.CharField(
        "username",
        max_length=150,
        unique=True,
        help_text="Required. 150 characters or fewer.",
        error_messages={"unique": "A user with that username already exists."},
    )
    first_name = models.CharField("first name", max_length=150, blank=True)
    last_name = models.CharField("last name", max_length=150, blank=True)
    email = models.EmailField("email address", blank=True)
    is_staff = models.BooleanField("staff status", default=False)
    is_active = models.BooleanField("active", default=True)
    date_joined = models.DateTimeField("date joined", default=timezone.now)

    USERNAME_FIELD, EMAIL_FIELD = "username", "email"
    REQUIRED_FIELDS = ["email"]

    objects = UserManager()

    class Meta:
        abstract = True
        verbose_name, verbose_name_plural = "user", "users"

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    def get_full_name(self):
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def get_short_name(self):
        return self.first_name

    def get_profile(self):
        """The AUTH_PROFILE_MODULE ('app_label.ModelName') row whose ``user``
        is this user, read from this user's database (a user of 'other'
        has its profile there); looked up once, then kept on the instance."""
        cached = getattr(self, "_profile_cache", None)
        if cached is None:
            profiles = _profile_model()._default_manager.using(self._state.db)
            cached = profiles.get(user=self)
            cached.user = self
            self._profile_cache = cached
        return cached


def _profile_model():
    """The model AUTH_PROFILE_MODULE names, or SiteProfileNotAvailable
    explaining what is wrong with the setting."""
    label = getattr(settings, "AUTH_PROFILE_MODULE", None)
    if not label:
        raise SiteProfileNotAvailable("You need to set AUTH_PROFILE_MODULE in your project settings.")
    parts = label.split(".")
    if len(parts) != 2:
        raise SiteProfileNotAvailable(
            "AUTH_PROFILE_MODULE must be of the form 'app_label.ModelName', got %r." % label
        )
    try:
        return installed_apps.get_model(*parts)
    except LookupError:
        raise SiteProfileNotAvailable(
            "AUTH_PROFILE_MODULE refers to the model %r, which is not installed." % label
        ) from None


class User(AbstractUser):
    """The default user model (AUTH_USER_MODEL = 'auth.User')."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        db_table = "auth_user"


# -- the user of a request nobody logged in to ------------------------------------

_NO_ANONYMOUS_ROW = "Django doesn't provide a DB representation for AnonymousUser."


def _no_anonymous_row(self, *args, **kwargs):
    raise NotImplementedError(_NO_ANONYMOUS_ROW)


class AnonymousUser:
    """Quacks like a user for permission checks, but is never stored: the
    methods that would touch the database raise NotImplementedError."""

    id = pk = None
    username = ""
    is_staff = is_active = is_superuser = False
    is_anonymous, is_authenticated = property(lambda self: True), property(lambda self: False)

    save = delete = _no_anonymous_row
    set_password = check_password = _no_anonymous_row

    def __str__(self):
        return "AnonymousUser"

    # Every anonymous user is the same user.
    def __eq__(self, other):
        return isinstance(other, type(self))

    def __hash__(self):
        return 1  # equal objects, equal hashes

    def __int__(self):
        raise TypeError("Cannot cast AnonymousUser to int. Are you trying to use it in place of User?")

    def get_username(self):
        return self.username

    @property
    def groups(self):
        return Group.objects.none()

    @property
    def user_permissions(self):
        return Permission.objects.none()

    def get_user_permissions(self, obj=None):
        return _union_of_backend_permissions(self, obj, "user")

    def get_group_permissions(self, obj=None):
        return set()  # belongs to no group

    def get_all_permissions(self, obj=None):
        return _union_of_backend_permissions(self, obj, "all")

    def has_perm(self, perm, obj=None):
        return _any_backend_grants("has_perm", self, perm, obj)

    def has_perms(self, perm_list, obj=None):
        _require_permission_iterable(perm_list)
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, module):
        return _any_backend_grants("has_module_perms", self, module)
