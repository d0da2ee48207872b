"""Fast hashers for the tests (the real default runs 600000 iterations)."""
from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000


FAST_HASHERS = [
    "regressiontests.contrib_auth.hashers.FastPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
