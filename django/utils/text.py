"""Text helpers for messages and names."""
import re

from django.utils.functional import keep_lazy


@keep_lazy(str)
def capfirst(x):
    """Capitalize the first character, leaving the rest alone."""
    if not x:
        return x
    x = str(x)
    return x[0].upper() + x[1:]


@keep_lazy(str)
def get_text_list(list_, last_word="or"):
    """Join ``['a', 'b', 'c']`` as "a, b or c"."""
    words = [str(item) for item in list_]
    if len(words) < 2:
        return "".join(words)
    return "%s %s %s" % (", ".join(words[:-1]), last_word, words[-1])


_camel_boundary = re.compile(r"(((?<=[a-z])[A-Z])|([A-Z](?![A-Z]|$)))")


def camel_case_to_spaces(value):
    """'CamelCaseName' -> 'camel case name' (used for verbose names)."""
    return _camel_boundary.sub(r" \1", value).strip().lower()


def slugify(value):
    """Lower-case ASCII letters, digits, hyphens and underscores; spaces become hyphens."""
    import unicodedata

    value = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value.lower())
    return re.sub(r"[-\s]+", "-", value).strip("-_")

