"""Reusable validators: callables that raise ValidationError for bad values.

Every error carries a ``code`` and ``params`` (including ``value``) so callers
can customise messages.
"""
import ipaddress
import math
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

EMPTY_VALUES = (None, "", [], (), {})


def _compile(regex, flags):
    if isinstance(regex, str):
        return re.compile(regex, flags)
    if flags:
        raise TypeError("If the flags are set, regex must be a regular expression string.")
    return regex


@deconstructible
class RegexValidator:
    """Valid if ``regex`` matches (``re.search``), or does not when ``inverse_match``."""

    regex = ""
    message = "Enter a valid value."
    code = "invalid"
    inverse_match = False
    flags = 0

    def __init__(self, regex=None, message=None, code=None, inverse_match=None, flags=None):
        if regex is not None:
            self.regex = regex
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if inverse_match is not None:
            self.inverse_match = inverse_match
        if flags is not None:
            self.flags = flags
        self.regex = _compile(self.regex, self.flags)

    def __call__(self, value):
        matched = bool(self.regex.search(str(value)))
        if matched == self.inverse_match:
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other):
        return (
            isinstance(other, RegexValidator)
            and self.regex.pattern == other.regex.pattern
            and self.regex.flags == other.regex.flags
            and self.message == other.message
            and self.code == other.code
            and self.inverse_match == other.inverse_match
        )

    def __hash__(self):
        return hash((self.regex.pattern, self.regex.flags, self.code, self.inverse_match))


def _is_ipv4(value):
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def _is_ipv6(value):
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def validate_ipv4_address(value):
    if not isinstance(value, str) or not _is_ipv4(value):
        raise ValidationError(
            "Enter a valid IPv4 address.", code="invalid", params={"value": value}
        )


def validate_ipv6_address(value):
    if not isinstance(value, str) or not _is_ipv6(value):
        raise ValidationError(
            "Enter a valid IPv6 address.", code="invalid", params={"value": value}
        )


def validate_ipv46_address(value):
    if not isinstance(value, str) or not (_is_ipv4(value) or _is_ipv6(value)):
        raise ValidationError(
            "Enter a valid IPv4 or IPv6 address.", code="invalid", params={"value": value}
        )


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


@deconstructible
class URLValidator:
    """An http(s)/ftp(s) URL with a valid host (name, IPv4 or [IPv6]) and optional port."""

    message = "Enter a valid URL."
    code = "invalid"
    schemes = ["http", "https", "ftp", "ftps"]
    max_length = 2048

    def __init__(self, schemes=None, message=None, code=None):
        if schemes is not None:
            self.schemes = schemes
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code

    def __call__(self, value):
        if not isinstance(value, str) or len(value) > self.max_length:
            self._fail(value)
        if any(char in value for char in " \t\r\n"):
            self._fail(value)
        try:
            parts = urlsplit(value)
            port = parts.port  # Raises ValueError for a bad port.
        except ValueError:
            self._fail(value)
        if parts.scheme.lower() not in self.schemes or not parts.netloc:
            self._fail(value)
        host = parts.hostname or ""
        if port is not None and not (0 < port <= 65535):
            self._fail(value)
        if "[" in parts.netloc:
            if not _is_ipv6(host):
                self._fail(value)
        elif not (
            _is_ipv4(host) or host.lower() == "localhost" or _valid_domain(host, require_tld=True)
        ):
            self._fail(value)

    def _fail(self, value):
        raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other):
        return (
            isinstance(other, URLValidator)
            and self.schemes == other.schemes
            and self.message == other.message
            and self.code == other.code
        )

    def __hash__(self):
        return hash((tuple(self.schemes), self.code))


integer_validator = RegexValidator(
    re.compile(r"^-?\d+\Z"), message="Enter a valid integer.", code="invalid"
)


def validate_integer(value):
    return integer_validator(value)


@deconstructible
class EmailValidator:
    """``user@domain`` with a dot-atom or quoted user part and a valid domain."""

    message = "Enter a valid email address."
    code = "invalid"
    user_regex = re.compile(
        r"(^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*\Z"
        r'|^"([\001-\010\013\014\016-\037!#-\[\]-\177]|\\[\001-\011\013\014\016-\177])*"\Z)',
        re.IGNORECASE,
    )
    domain_allowlist = ["localhost"]

    def __init__(self, message=None, code=None, allowlist=None):
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if allowlist is not None:
            self.domain_allowlist = allowlist

    def __call__(self, value):
        if not value or not isinstance(value, str) or "@" not in value or len(value) > 320:
            self._fail(value)
        user_part, domain_part = value.rsplit("@", 1)
        if not self.user_regex.match(user_part):
            self._fail(value)
        if domain_part in self.domain_allowlist:
            return
        if domain_part.startswith("[") and domain_part.endswith("]"):
            literal = domain_part[1:-1]
            if literal.lower().startswith("ipv6:"):
                literal = literal[5:]
            if _is_ipv4(literal) or _is_ipv6(literal):
                return
            self._fail(value)
        if not _valid_domain(domain_part, require_tld=True):
            self._fail(value)

    def _fail(self, value):
        raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other):
        return (
            isinstance(other, EmailValidator)
            and self.domain_allowlist == other.domain_allowlist
            and self.message == other.message
            and self.code == other.code
        )

    def __hash__(self):
        return hash((self.code, tuple(self.domain_allowlist)))


validate_email = EmailValidator()

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
class BaseValidator:
    """Compares the cleaned value with ``limit_value`` (which may be a callable)."""

    message = "Ensure this value is %(limit_value)s (it is %(show_value)s)."
    code = "limit_value"

    def __init__(self, limit_value, message=None):
        self.limit_value = limit_value
        if message is not None:
            self.message = message

    def __call__(self, value):
        cleaned = self.clean(value)
        limit_value = self.limit_value() if callable(self.limit_value) else self.limit_value
        params = {"limit_value": limit_value, "show_value": cleaned, "value": value}
        if self.compare(cleaned, limit_value):
            raise ValidationError(self.message, code=self.code, params=params)

    def compare(self, a, b):
        return a is not b

    def clean(self, x):
        return x

    def __eq__(self, other):
        return (
            isinstance(other, self.__class__)
            and self.limit_value == other.limit_value
            and self.message == other.message
            and self.code == other.code
        )

    def __hash__(self):
        return hash((self.__class__, self.code, repr(self.limit_value)))


@deconstructible
class MaxValueValidator(BaseValidator):
    message = "Ensure this value is less than or equal to %(limit_value)s."
    code = "max_value"

    def compare(self, a, b):
        return a > b


@deconstructible
class MinValueValidator(BaseValidator):
    message = "Ensure this value is greater than or equal to %(limit_value)s."
    code = "min_value"

    def compare(self, a, b):
        return a < b


@deconstructible
class MinLengthValidator(BaseValidator):
    message = (
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d)."
    )
    code = "min_length"

    def compare(self, a, b):
        return a < b

    def clean(self, x):
        return len(x)


@deconstructible
class MaxLengthValidator(BaseValidator):
    message = (
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d)."
    )
    code = "max_length"

    def compare(self, a, b):
        return a > b

    def clean(self, x):
        return len(x)


@deconstructible
class DecimalValidator:
    """A Decimal with at most ``max_digits`` digits, ``decimal_places`` of them after the point."""

    messages = {
        "invalid": "Enter a number.",
        "max_digits": "Ensure that there are no more than %(max)s digits in total.",
        "max_decimal_places": "Ensure that there are no more than %(max)s decimal places.",
        "max_whole_digits": (
            "Ensure that there are no more than %(max)s digits before the decimal point."
        ),
    }

    def __init__(self, max_digits, decimal_places):
        self.max_digits = max_digits
        self.decimal_places = decimal_places

    def __call__(self, value):
        digit_tuple, exponent = value.as_tuple()[1:]
        if exponent in {"F", "n", "N"}:
            raise ValidationError(
                self.messages["invalid"], code="invalid", params={"value": value}
            )
        if exponent >= 0:
            digits = len(digit_tuple)
            if digit_tuple != (0,):
                # Trailing zeros of a positive exponent count as digits.
                digits += exponent
            decimals = 0
        elif abs(exponent) > len(digit_tuple):
            # 0.0001 -> digits (1,), exponent -4: leading zeros are decimals.
            digits = decimals = abs(exponent)
        else:
            digits = len(digit_tuple)
            decimals = abs(exponent)
        whole_digits = digits - decimals

        if self.max_digits is not None and digits > self.max_digits:
            self._fail("max_digits", self.max_digits, value)
        if self.decimal_places is not None and decimals > self.decimal_places:
            self._fail("max_decimal_places", self.decimal_places, value)
        if (
            self.max_digits is not None
            and self.decimal_places is not None
            and whole_digits > self.max_digits - self.decimal_places
        ):
            self._fail("max_whole_digits", self.max_digits - self.decimal_places, value)

    def _fail(self, code, limit, value):
        raise ValidationError(
            self.messages[code], code=code, params={"max": limit, "value": value}
        )

    def __eq__(self, other):
        return (
            isinstance(other, self.__class__)
            and self.max_digits == other.max_digits
            and self.decimal_places == other.decimal_places
        )

    def __hash__(self):
        return hash((self.max_digits, self.decimal_places))


@deconstructible
class ProhibitNullCharactersValidator:
    """Rejects strings containing NUL (most databases cannot store it)."""

    message = "Null characters are not allowed."
    code = "null_characters_not_allowed"

    def __init__(self, message=None, code=None):
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code

    def __call__(self, value):
        if "\x00" in str(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other):
        return (
            isinstance(other, self.__class__)
            and self.message == other.message
            and self.code == other.code
        )

    def __hash__(self):
        return hash((self.message, self.code))


@deconstructible
class StepValueValidator(BaseValidator):
    message = "Ensure this value is a multiple of step size %(limit_value)s."
    code = "step_size"

    def compare(self, a, b):
        return not math.isclose(math.remainder(a, b), 0, abs_tol=1e-9)
