"""Password hashing.

Stored format: ``<algorithm>$<iterations>$<salt>$<base64 hash>``, e.g.
``pbkdf2_sha256$600000$Vx3...$Lq1...``. A password that starts with
``!`` is unusable (``set_unusable_password``): it never matches.
"""
import hmac  # hmac.compare_digest: tests patch it to observe constant-time checks
import math
from base64 import b64encode
from hashlib import pbkdf2_hmac
from secrets import choice as random_choice

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

UNUSABLE_PASSWORD_PREFIX = "!"
UNUSABLE_PASSWORD_SUFFIX_LENGTH = 40
SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

DEFAULT_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

_hashers_cache = {}


def get_random_string(length, allowed_chars=SALT_CHARS):
    return "".join(random_choice(allowed_chars) for _ in range(length))


def _hasher_paths():
    return tuple(getattr(settings, "PASSWORD_HASHERS", None) or DEFAULT_PASSWORD_HASHERS)


def _instantiate_hasher(path):
    """One PASSWORD_HASHERS entry, imported, instantiated and checked."""
    try:
        hasher_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            "PASSWORD_HASHERS entry %r cannot be imported: %s" % (path, exc)
        ) from exc
    hasher = hasher_class()
    if not getattr(hasher, "algorithm", None):
        raise ImproperlyConfigured("PASSWORD_HASHERS entry %r has no 'algorithm' attribute." % path)
    return hasher


def get_hashers():
    """Instances of the PASSWORD_HASHERS classes, preferred one first.

    Cached per value of the setting, so override_settings needs no
    receiver to invalidate anything."""
    paths = _hasher_paths()
    if paths not in _hashers_cache:
        _hashers_cache[paths] = [_instantiate_hasher(path) for path in paths]
    return _hashers_cache[paths]


def get_hashers_by_algorithm():
    return {hasher.algorithm: hasher for hasher in get_hashers()}


def get_hasher(algorithm="default"):
    """The hasher for ``algorithm`` ("default": the preferred one)."""
    if hasattr(algorithm, "algorithm"):
        return algorithm
    if algorithm == "default":
        return get_hashers()[0]
    try:
        return get_hashers_by_algorithm()[algorithm]
    except KeyError:
        raise ValueError(
            "Unknown password hashing algorithm '%s'. Did you specify it in the "
            "PASSWORD_HASHERS setting?" % algorithm
        )


def identify_hasher(encoded):
    """The hasher that produced ``encoded``; ValueError if none did."""
    if not isinstance(encoded, str) or "$" not in encoded:
        raise ValueError("Not a hashed password.")
    return get_hasher(encoded.split("$", 1)[0])


def is_password_usable(encoded):
    """False for None and for set_unusable_password()'s marker."""
    return encoded is None or not encoded.startswith(UNUSABLE_PASSWORD_PREFIX)


def make_password(password, salt=None, hasher="default"):
    """The stored form of ``password``; None stores an unusable password
    (the prefix plus random noise, so two unusable ones never compare equal)."""
    if password is None:
        noise = get_random_string(UNUSABLE_PASSWORD_SUFFIX_LENGTH)
        return UNUSABLE_PASSWORD_PREFIX + noise
    if not isinstance(password, (str, bytes)):
        raise TypeError("Password must be a string or bytes, got %s." % type(password).__qualname__)
    chosen = get_hasher(hasher)
    return chosen.encode(password, salt or chosen.salt())


def _needs_rehash(hasher, encoded, preferred):
    """An outdated hash: made by another algorithm, or with other settings."""
    target = get_hasher(preferred)
    return hasher.algorithm != target.algorithm or target.must_update(encoded)


def check_password(password, encoded, setter=None, preferred="default"):
    """Whether ``password`` produces ``encoded``.

    Anything that cannot be verified (no password, an unusable, malformed
    or unknown-algorithm hash) is a plain False: login code must never
    crash on a bad row.  After a successful check of an outdated hash,
    ``setter(password)`` gets the chance to store a fresh one."""
    if password is None or not encoded or not is_password_usable(encoded):
        return False
    try:
        hasher = identify_hasher(encoded)
        matches = hasher.verify(password, encoded)
    except (ValueError, TypeError):
        return False
    if matches and setter is not None and _needs_rehash(hasher, encoded, preferred):
        setter(password)
    return matches


def _b64(data):
    return b64encode(data).decode("ascii").strip()


class BasePasswordHasher:
    """What a hasher provides.  Subclasses set ``algorithm`` (the first
    ``$`` field of what they store) and implement the four operations
    listed in ``_REQUIRED``."""

    algorithm = None
    salt_entropy = 128  # bits of randomness in a generated salt

    _REQUIRED = ("encode", "decode", "verify", "safe_summary")

    def _missing(self, operation):
        raise NotImplementedError(
            "%s must implement %s()." % (type(self).__name__, operation)
        )

    def salt(self):
        # Enough characters of SALT_CHARS to carry salt_entropy bits.
        bits_per_char = math.log2(len(SALT_CHARS))
        return get_random_string(math.ceil(self.salt_entropy / bits_per_char))

    def encode(self, password, salt):
        self._missing("encode")

    def decode(self, encoded):
        self._missing("decode")

    def verify(self, password, encoded):
        self._missing("verify")

    def safe_summary(self, encoded):
        self._missing("safe_summary")

    def must_update(self, encoded):
        """Whether ``encoded`` should be re-hashed with current settings."""
        return False

    def harden_runtime(self, password, encoded):
        """Spend as long as verifying a current hash would (timing)."""


class PBKDF2PasswordHasher(BasePasswordHasher):
    """PBKDF2-HMAC-SHA256 (hashlib.pbkdf2_hmac)."""

    algorithm = "pbkdf2_sha256"
    iterations = 600000
    digest = "sha256"

    def encode(self, password, salt, iterations=None):
        if not salt or "$" in salt:
            raise ValueError("The salt must be a non-empty string without '$'.")
        iterations = iterations or self.iterations
        if isinstance(password, str):
            password = password.encode("utf-8")
        dk = pbkdf2_hmac(self.digest, password, salt.encode("utf-8"), int(iterations))
        return "%s$%d$%s$%s" % (self.algorithm, int(iterations), salt, _b64(dk))

    def decode(self, encoded):
        parts = encoded.split("$")
        if len(parts) != 4:
            raise ValueError("A %s hash has 4 '$'-separated parts." % self.algorithm)
        algorithm, iterations, salt, hash_ = parts
        if algorithm != self.algorithm:
            raise ValueError("Not a %s hash." % self.algorithm)
        iterations = int(iterations)
        if iterations < 1 or not salt or not hash_:
            raise ValueError("Malformed %s hash." % self.algorithm)
        return {"algorithm": algorithm, "hash": hash_, "iterations": iterations, "salt": salt}

    def verify(self, password, encoded):
        decoded = self.decode(encoded)
        encoded_2 = self.encode(password, decoded["salt"], decoded["iterations"])
        return hmac.compare_digest(encoded.encode("utf-8"), encoded_2.encode("utf-8"))

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {
            "algorithm": decoded["algorithm"],
            "iterations": decoded["iterations"],
            "salt": decoded["salt"][:6] + "*" * (len(decoded["salt"]) - 6),
            "hash": decoded["hash"][:6] + "*" * (len(decoded["hash"]) - 6),
        }

    def must_update(self, encoded):
        return self.decode(encoded)["iterations"] != self.iterations

    def harden_runtime(self, password, encoded):
        # A hash made with fewer iterations verifies faster: run the missing
        # ones. Only the time they take matters, so any salt will do.
        missing = self.iterations - self.decode(encoded)["iterations"]
        if missing > 0:
            self.encode(password, "hardening", missing)


class PBKDF2SHA1PasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha1"
    digest = "sha1"
