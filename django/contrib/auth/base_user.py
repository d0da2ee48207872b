"""The storage-independent core of a user model: a hashed password, the
last login time, and the manager helpers every user model wants.

Custom user models subclass ``AbstractBaseUser`` and name their login
field in ``USERNAME_FIELD``.
"""
import unicodedata

from django.contrib.auth import hashers
from django.db import models


class BaseUserManager(models.Manager):
    """Manager helpers for any user model."""

    @classmethod
    def normalize_email(cls, email):
        """``email`` with its domain lowercased (domains are case-insensitive,
        the local part may not be); None becomes ''."""
        if not email:
            return ""
        local, at, domain = email.strip().rpartition("@")
        if not at:
            return email  # not an address: leave it for validation to reject
        return "%s@%s" % (local, domain.lower())

    def make_random_password(self, length=10,
                             allowed_chars="abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"):
        return hashers.get_random_string(length, allowed_chars)

    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: username})


class AbstractBaseUser(models.Model):
    password = models.CharField("password", max_length=128)
    last_login = models.DateTimeField("last login", blank=True, null=True)

    is_active = True
    REQUIRED_FIELDS = []
    # The raw password given to set_password(), kept until save().
    _raw_password_unsaved = None

    class Meta:
        abstract = True

    # -- identity ------------------------------------------------------------------

    def get_username(self):
        """The value of the USERNAME_FIELD, whatever that field is called."""
        return getattr(self, self.USERNAME_FIELD)

    def natural_key(self):
        return (self.get_username(),)

    def __str__(self):
        return self.get_username()

    def clean(self):
        login = self.USERNAME_FIELD
        setattr(self, login, self.normalize_username(getattr(self, login)))

    # A stored user is always a logged-in one; AnonymousUser says otherwise.
    is_anonymous = property(lambda self: False)
    is_authenticated = property(lambda self: True)

    # -- password ------------------------------------------------------------------

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._raw_password_unsaved = None  # the raw password is no longer needed once stored

    def set_password(self, raw_password):
        self.password = hashers.make_password(raw_password)
        self._raw_password_unsaved = raw_password

    def _store_rehashed(self, raw_password):
        """Replace an outdated hash after a successful check; only the
        password column is written, so concurrent edits survive."""
        self.set_password(raw_password)
        self._raw_password_unsaved = None
        if self.pk is not None:
            self.save(update_fields=["password"])

    def check_password(self, raw_password):
        """Whether ``raw_password`` is this user's password (an outdated
        hash is upgraded on success)."""
        return hashers.check_password(raw_password, self.password, self._store_rehashed)

    def set_unusable_password(self):
        self.password = hashers.make_password(None)

    def has_usable_password(self):
        return hashers.is_password_usable(self.password)

    @classmethod
    def get_email_field_name(cls):
        return getattr(cls, "EMAIL_FIELD", "email")

    @classmethod
    def normalize_username(cls, username):
        return unicodedata.normalize("NFKC", username) if isinstance(username, str) else username
