"""Reusable validators: callables that raise ValidationError for bad values.

Every error carries a ``code`` and ``params`` (including ``value``) so callers
can customise messages.

Design: each validator class declares its tunable attributes and the attributes
that make two instances interchangeable; a small base class turns those two
declarations into ``__init__`` overrides, ``__eq__`` and ``__hash__`` so the
concrete classes only contain the actual checking logic.
"""
import ipaddress as _ip
import re
from math import isclose, remainder
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible


def _hashable(value):
    # Limits may be lists or other unhashable objects; fall back to repr so
    # hashing never fails while staying consistent with __eq__.
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


class _Validator:
    """Plumbing shared by the class-based validators below."""

    # Attributes compared by __eq__ and folded into __hash__.
    _compared_attributes = ("message", "code")

    def _apply(self, **overrides):
        # ``None`` means "keep the class default", so subclasses can be
        # configured either by subclassing or by keyword arguments.
        for attr, supplied in overrides.items():
            if supplied is not None:
                setattr(self, attr, supplied)

    def _key(self):
        return tuple(getattr(self, attr) for attr in self._compared_attributes)

    def __eq__(self, other):
        if not isinstance(other, type(self)):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self):
        return hash((type(self).__name__,) + tuple(_hashable(v) for v in self._key()))

    def _raise_invalid(self, value, **extra):
        raise ValidationError(self.message, code=self.code, params={"value": value, **extra})


@deconstructible
class RegexValidator(_Validator):
    """Valid if ``regex`` matches (``re.search``), or does not when ``inverse_match``."""

    regex = ""
    message = "Enter a valid value."
    code = "invalid"
    inverse_match = False
    flags = 0
    # Compiled patterns compare equal when pattern text and flags agree.
    _compared_attributes = ("regex", "message", "code", "inverse_match")

    def __init__(self, regex=None, message=None, code=None, inverse_match=None, flags=None):
        self._apply(
            regex=regex, message=message, code=code, inverse_match=inverse_match, flags=flags
        )
        if isinstance(self.regex, str):
            self.regex = re.compile(self.regex, self.flags)
        elif self.flags:
            # Flags cannot be added to an already compiled pattern.
            raise TypeError("If the flags are set, regex must be a regular expression string.")

    def __call__(self, value):
        found = self.regex.search(str(value)) is not None
        # Valid when "found" differs from "inverse": found xor inverse_match.
        if found is bool(self.inverse_match):
            self._raise_invalid(value)


def _parses_as(address_class, text):
    try:
        address_class(text)
    except ValueError:
        return False
    return True


def _is_ipv4(value):
    return _parses_as(_ip.IPv4Address, value)


def _is_ipv6(value):
    return _parses_as(_ip.IPv6Address, value)


def _ip_checker(description, *predicates):
    """Build a module-level IP validator accepting any of ``predicates``."""
    message = "Enter a valid %s address." % description

    def check(value):
        if isinstance(value, str) and any(accepts(value) for accepts in predicates):
            return
        raise ValidationError(message, code="invalid", params={"value": value})

    return check


validate_ipv4_address = _ip_checker("IPv4", _is_ipv4)
validate_ipv6_address = _ip_checker("IPv6", _is_ipv6)
validate_ipv46_address = _ip_checker("IPv4 or IPv6", _is_ipv4, _is_ipv6)
validate_ipv4_address.__name__ = "validate_ipv4_address"
validate_ipv6_address.__name__ = "validate_ipv6_address"
validate_ipv46_address.__name__ = "validate_ipv46_address"


# A DNS label: letters/digits/hyphens, not starting or ending with a hyphen.
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOSTNAME_RE = re.compile(r"^(%s\.)*%s\.?$" % (_LABEL, _LABEL), re.IGNORECASE)
_TLD_RE = re.compile(r"\.(?:[a-z]{2,63}|xn--[a-z0-9]{1,59})\.?$", re.IGNORECASE)


def _valid_domain(domain, require_tld):
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    if len(domain) > 253 or not _HOSTNAME_RE.match(domain):
        return False
    return not require_tld or bool(_TLD_RE.search(domain))


def _valid_url_host(netloc, host):
    if "[" in netloc:
        # Brackets are only allowed around an IPv6 literal.
        return _is_ipv6(host)
    return _is_ipv4(host) or host.lower() == "localhost" or _valid_domain(host, True)


@deconstructible
class URLValidator(_Validator):
    """An http(s)/ftp(s) URL with a valid host (name, IPv4 or [IPv6]) and optional port."""

    message = "Enter a valid URL."
    code = "invalid"
    schemes = ["http", "https", "ftp", "ftps"]
    max_length = 2048
    _compared_attributes = ("schemes", "message", "code")

    def __init__(self, schemes=None, message=None, code=None):
        self._apply(schemes=schemes, message=message, code=code)

    def __call__(self, value):
        if not self._acceptable(value):
            self._raise_invalid(value)

    def _acceptable(self, value):
        if not isinstance(value, str) or len(value) > self.max_length:
            return False
        if set(value) & set(" \t\r\n"):
            return False
        try:
            parts = urlsplit(value)
            port = parts.port  # urlsplit defers port parsing; this may raise.
        except ValueError:
            return False
        if parts.scheme.lower() not in self.schemes or not parts.netloc:
            return False
        if port is not None and not 0 < port < 65536:
            return False
        return _valid_url_host(parts.netloc, parts.hostname or "")


integer_validator = RegexValidator(
    re.compile(r"^-?\d+\Z"), message="Enter a valid integer.", code="invalid"
)


def validate_integer(value):
    """Function form of ``integer_validator`` (kept for API compatibility)."""
    return integer_validator(value)


@deconstructible
class EmailValidator(_Validator):
    """``user@domain`` with a dot-atom or quoted user part and a valid domain."""

    message = "Enter a valid email address."
    code = "invalid"
    # Either an RFC 5322 dot-atom or a quoted string with escapes.
    user_regex = re.compile(
        r"(^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*\Z"
        r'|^"([\001-\010\013\014\016-\037!#-\[\]-\177]|\\[\001-\011\013\014\016-\177])*"\Z)',
        re.IGNORECASE,
    )
    domain_allowlist = ["localhost"]
    _compared_attributes = ("domain_allowlist", "message", "code")

    def __init__(self, message=None, code=None, allowlist=None):
        self._apply(message=message, code=code, domain_allowlist=allowlist)

    def __call__(self, value):
        if not self._acceptable(value):
            self._raise_invalid(value)

    def _acceptable(self, value):
        # 320 = 64 (local part) + 1 (@) + 255 (domain), the RFC ceiling.
        if not isinstance(value, str) or "@" not in value or len(value) > 320:
            return False
        user_part, domain_part = value.rpartition("@")[::2]
        if not self.user_regex.match(user_part):
            return False
        if domain_part in self.domain_allowlist:
            return True
        if domain_part[:1] == "[" and domain_part[-1:] == "]":
            literal = domain_part[1:-1]
            if literal[:5].lower() == "ipv6:":
                literal = literal[5:]
            return _is_ipv4(literal) or _is_ipv6(literal)
        return _valid_domain(domain_part, require_tld=True)


validate_email = EmailValidator()

# The values fields treat as "no value given" (blank=True decides if allowed).
EMPTY_VALUES = (None, "", [], (), {})

slug_re = re.compile(r"^[-a-zA-Z0-9_]+\Z")
validate_slug = RegexValidator(
    slug_re,
    "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
    "invalid",
)

slug_unicode_re = re.compile(r"^[-\w]+\Z")
validate_unicode_slug = RegexValidator(
    slug_unicode_re,
    "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.",
    "invalid",
)


@deconstructible
class BaseValidator(_Validator):
    """Compares the cleaned value with ``limit_value`` (which may be a callable).

    Subclasses override ``compare(cleaned, limit)`` (True means *invalid*) and
    optionally ``clean(value)`` to derive the compared quantity.
    """

    message = "Ensure this value is %(limit_value)s (it is %(show_value)s)."
    code = "limit_value"
    _compared_attributes = ("limit_value", "message", "code")

    def __init__(self, limit_value, message=None):
        self.limit_value = limit_value
        self._apply(message=message)

    def __call__(self, value):
        measured = self.clean(value)
        limit = self.limit_value
        if callable(limit):
            # Callable limits are evaluated at validation time (e.g. "now").
            limit = limit()
        if self.compare(measured, limit):
            self._raise_invalid(value, limit_value=limit, show_value=measured)

    def compare(self, a, b):
        return a is not b

    def clean(self, x):
        return x


def _limit_validator(name, message, code, compare, measure=None):
    """Create a BaseValidator subclass from a comparison (and a measure)."""
    namespace = {"message": message, "code": code, "compare": staticmethod(compare)}
    if measure is not None:
        namespace["clean"] = staticmethod(measure)
    namespace["__module__"] = __name__
    namespace["__qualname__"] = name
    return deconstructible(type(name, (BaseValidator,), namespace))


def _exceeds(measured, limit):
    return measured > limit


def _falls_short(measured, limit):
    return measured < limit


MaxValueValidator = _limit_validator(
    "MaxValueValidator",
    "Ensure this value is less than or equal to %(limit_value)s.",
    "max_value",
    _exceeds,
)
MinValueValidator = _limit_validator(
    "MinValueValidator",
    "Ensure this value is greater than or equal to %(limit_value)s.",
    "min_value",
    _falls_short,
)
MinLengthValidator = _limit_validator(
    "MinLengthValidator",
    "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
    "min_length",
    _falls_short,
    len,
)
MaxLengthValidator = _limit_validator(
    "MaxLengthValidator",
    "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    "max_length",
    _exceeds,
    len,
)
StepValueValidator = _limit_validator(
    "StepValueValidator",
    "Ensure this value is a multiple of step size %(limit_value)s.",
    "step_size",
    # Floats rarely divide exactly, so allow a tiny tolerance.
    lambda measured, step: not isclose(remainder(measured, step), 0, abs_tol=1e-9),
)


def _digit_counts(value):
    """Return (total digits, digits after the point) of a finite Decimal."""
    _sign, digits, exponent = value.as_tuple()
    significant = len(digits)
    if exponent >= 0:
        # 12E+3 is 12000: the exponent adds trailing zeros, except for zero itself.
        return (significant if digits == (0,) else significant + exponent), 0
    places = -exponent
    # 1E-4 is 0.0001: the leading zeros after the point are digits too.
    return max(significant, places), places


@deconstructible
class DecimalValidator(_Validator):
    """A Decimal with at most ``max_digits`` digits, ``decimal_places`` of them after the point."""

    messages = {
        "invalid": "Enter a number.",
        "max_digits": "Ensure that there are no more than %(max)s digits in total.",
        "max_decimal_places": "Ensure that there are no more than %(max)s decimal places.",
        "max_whole_digits": (
            "Ensure that there are no more than %(max)s digits before the decimal point."
        ),
    }
    _compared_attributes = ("max_digits", "decimal_places")

    def __init__(self, max_digits, decimal_places):
        # Either limit may be None, meaning "unlimited".
        self.max_digits, self.decimal_places = max_digits, decimal_places

    def __call__(self, value):
        if not value.is_finite():
            self._fail("invalid", None, value)
        total, places = _digit_counts(value)
        whole_limit = None
        if self.max_digits is not None and self.decimal_places is not None:
            whole_limit = self.max_digits - self.decimal_places
        # Checked in this order so the most general complaint wins.
        for code, measured, limit in (
            ("max_digits", total, self.max_digits),
            ("max_decimal_places", places, self.decimal_places),
            ("max_whole_digits", total - places, whole_limit),
        ):
            if limit is not None and measured > limit:
                self._fail(code, limit, value)

    def _fail(self, code, limit, value):
        params = {"value": value}
        if limit is not None:
            params["max"] = limit
        raise ValidationError(self.messages[code], code=code, params=params)


@deconstructible
class ProhibitNullCharactersValidator(_Validator):
    """Rejects strings containing NUL (most databases cannot store it)."""

    message = "Null characters are not allowed."
    code = "null_characters_not_allowed"

    def __init__(self, message=None, code=None):
        self._apply(message=message, code=code)

    def __call__(self, value):
        if "\x00" in str(value):
            self._raise_invalid(value)
