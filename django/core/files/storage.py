"""Where FileField keeps its files: ``Storage`` (the interface) and
``FileSystemStorage`` (a directory, MEDIA_ROOT unless told otherwise).

Names are relative, ``/``-separated paths inside the storage. A name is
checked before anything touches the disk (``validate_file_name``): an
absolute path, a ``..`` component, a NUL character or an empty name raises
SuspiciousFileOperation naming it; ``FileSystemStorage.path()`` then checks
that the resolved path (symbolic links followed) is inside the location,
so no name, whatever it is, reads or writes outside it. Saving never
overwrites: a name already taken gets a random suffix
(``get_available_name``), and a name too long (over ``max_length``, or a
last component over 255 characters, the common file system limit) is
shortened, keeping its directory and extension.

``default_storage`` is a FileSystemStorage built on first use; since a
FileSystemStorage without an explicit location reads MEDIA_ROOT and
MEDIA_URL each time it needs them, it follows ``override_settings``.
"""
import contextlib
import os
import posixpath
import secrets
import string
from urllib.parse import quote, urljoin

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.core.files.base import File
from django.utils.functional import LazyObject

__all__ = [
    "Storage", "FileSystemStorage", "DefaultStorage", "default_storage",
    "validate_file_name", "get_valid_filename",
]

# The longest file name (one path component) the common file systems take.
MAX_COMPONENT_LENGTH = 255

_SUFFIX_ALPHABET = string.ascii_letters + string.digits


def validate_file_name(name):
    """``name`` as a relative ``/``-separated path, or SuspiciousFileOperation
    if it is empty, absolute, has a ``..`` component or a NUL character."""
    if not isinstance(name, str):
        raise SuspiciousFileOperation("File name %r is not a string." % (name,))
    if "\x00" in name:
        raise SuspiciousFileOperation("File name %r contains a NUL character." % (name,))
    unified = name.replace("\\", "/")
    if unified.startswith("/") or os.path.isabs(name) or (len(unified) > 1 and unified[1] == ":"):
        raise SuspiciousFileOperation("File name %r is an absolute path." % (name,))
    parts = [part for part in unified.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise SuspiciousFileOperation("File name %r contains a '..' path component." % (name,))
    if not parts:
        raise SuspiciousFileOperation("File name %r is empty." % (name,))
    return "/".join(parts)


def get_valid_filename(name):
    """A file name (one component) made of letters, digits, ``-``, ``_``
    and ``.`` only: spaces become ``_``, other characters are dropped.
    SuspiciousFileOperation if nothing usable is left."""
    cleaned = str(name).strip().replace(" ", "_")
    cleaned = "".join(ch for ch in cleaned if ch.isalnum() or ch in "-_.")
    if cleaned in ("", ".", ".."):
        raise SuspiciousFileOperation("Could not derive a file name from %r." % (name,))
    return cleaned


def _shorten(name, max_length):
    """``name`` with its file root cut so the last component fits 255
    characters and the whole name ``max_length`` (None: no limit), or
    SuspiciousFileOperation when even an empty root would not fit."""
    excess = _overflow(name, max_length)
    if excess == 0:
        return name
    directory, base = posixpath.split(name)
    root, ext = posixpath.splitext(base)
    if excess >= len(root):
        raise SuspiciousFileOperation(
            "Storage cannot find an available name for %r: it cannot be "
            "shortened to %s characters." % (name, max_length or MAX_COMPONENT_LENGTH)
        )
    return posixpath.join(directory, root[: len(root) - excess] + ext)


class Storage:
    """The storage interface. Subclasses implement ``_open``, ``_save``,
    ``delete``, ``exists``, ``listdir``, ``size`` and ``url`` (``path`` only
    if files have a local path); the rest is written in terms of them."""

    def open(self, name, mode="rb"):
        """The stored file ``name`` as a File."""
        return self._open(validate_file_name(name), mode)

    def save(self, name, content, max_length=None):
        """Store ``content`` (a File, or any object with ``read()``) under
        ``name`` (default: the content's name), or under an available
        variant of it; return the name actually used."""
        return self._save(*self._save_arguments(name, content, max_length))

    def _save_arguments(self, name, content, max_length):
        """``(free name, content as a File)`` for storing ``content``."""
        if name is None:
            name = getattr(content, "name", None)
        as_file = content if hasattr(content, "chunks") else File(content, name)
        return self.get_available_name(name, max_length=max_length), as_file

    def get_valid_name(self, name):
        """A storable version of the file name ``name`` (one component)."""
        return get_valid_filename(name)

    def get_alternative_name(self, file_root, file_ext):
        """Another name for a taken one: a random 7-character suffix."""
        suffix = "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(7))
        return "%s_%s%s" % (file_root, suffix, file_ext)

    def get_available_name(self, name, max_length=None):
        """``name`` (validated, shortened to fit) if free, else a free
        variant of it: the file root with a random suffix, cut if the
        suffix makes the name too long."""
        name = _shorten(validate_file_name(name), max_length)
        directory, base = posixpath.split(name)
        root, ext = posixpath.splitext(base)
        while self.exists(name):
            candidate = posixpath.join(directory, self.get_alternative_name(root, ext))
            excess = _overflow(candidate, max_length)
            if excess:
                if excess >= len(root):
                    raise SuspiciousFileOperation(
                        "Storage cannot find an available name for %r within "
                        "%s characters." % (name, max_length)
                    )
                candidate = posixpath.join(
                    directory, self.get_alternative_name(root[:-excess], ext)
                )
            name = candidate
        return name

    def generate_filename(self, filename):
        """The name to store an upload called ``filename`` under: its
        directories validated, its last component made valid."""
        directory, base = posixpath.split(validate_file_name(filename))
        return posixpath.join(directory, self.get_valid_name(base))

    def path(self, name):
        raise NotImplementedError("This storage does not support absolute paths.")

    def _unimplemented(self, method):
        return NotImplementedError("%s does not implement %s()." % (type(self).__name__, method))

    def delete(self, name):
        raise self._unimplemented("delete")

    def exists(self, name):
        raise self._unimplemented("exists")

    def listdir(self, path):
        raise self._unimplemented("listdir")

    def size(self, name):
        raise self._unimplemented("size")

    def url(self, name):
        raise self._unimplemented("url")


def _overflow(name, max_length):
    """How many characters ``name`` has too many (0: it fits)."""
    over = len(posixpath.basename(name)) - MAX_COMPONENT_LENGTH
    if max_length is not None:
        over = max(over, len(name) - max_length)
    return max(over, 0)


class FileSystemStorage(Storage):
    """Files in the directory ``location`` (default: settings.MEDIA_ROOT),
    served under ``base_url`` (default: settings.MEDIA_URL). The defaults
    are read when used, so they follow settings changes."""

    def __init__(self, location=None, base_url=None, file_permissions_mode=None,
                 directory_permissions_mode=None):
        # What the constructor was given; None: read the setting when used.
        self._given = {
            "location": location, "base_url": base_url,
            "file_permissions_mode": file_permissions_mode,
            "directory_permissions_mode": directory_permissions_mode,
        }

    def _given_or_setting(self, option, setting):
        given = self._given[option]
        return getattr(settings, setting) if given is None else given

    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self):
        return hash((type(self), self._given["location"], self._given["base_url"]))

    def deconstruct(self):
        kwargs = {key: value for key, value in self._given.items() if value is not None}
        return "django.core.files.storage.FileSystemStorage", (), kwargs

    @property
    def base_location(self):
        """The location as given or configured (not yet made absolute)."""
        if self._given["location"] is not None:
            return self._given["location"]
        if not settings.MEDIA_ROOT:
            raise ImproperlyConfigured(
                "The MEDIA_ROOT setting is empty: set it to the directory where "
                "uploaded files are stored (or give FileSystemStorage a location)."
            )
        return settings.MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        url = self._given_or_setting("base_url", "MEDIA_URL")
        if url and not url.endswith("/"):
            url += "/"
        return url

    @property
    def file_permissions_mode(self):
        return self._given_or_setting("file_permissions_mode", "FILE_UPLOAD_PERMISSIONS")

    @property
    def directory_permissions_mode(self):
        return self._given_or_setting(
            "directory_permissions_mode", "FILE_UPLOAD_DIRECTORY_PERMISSIONS"
        )

    def path(self, name):
        """The absolute path of ``name``; SuspiciousFileOperation if the
        name is unsafe or would resolve outside the location."""
        relative = validate_file_name(name)
        location = self.location
        full = os.path.join(location, *relative.split("/"))
        real_root = os.path.realpath(location)
        real_full = os.path.realpath(full)
        if os.path.commonpath([real_root, real_full]) != real_root:
            raise SuspiciousFileOperation(
                "File name %r resolves outside the storage location %r." % (name, location)
            )
        return full

    # open() and save() are overridden whole (the ``_open``/``_save`` hooks
    # are for other storages): a name is validated by path().
    def open(self, name, mode="rb"):
        return File(open(self.path(name), mode), name)

    def save(self, name, content, max_length=None):
        return self._write_new(*self._save_arguments(name, content, max_length))

    def _create_exclusively(self, name):
        """``(name, descriptor)`` of a file created for writing under
        ``name``, or under a free variant if that appears meanwhile:
        O_EXCL never overwrites."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        while True:
            try:
                return name, os.open(self.path(name), flags, 0o666)
            except FileExistsError:
                name = self.get_available_name(name)

    def _write_new(self, name, content):
        self._make_directory(os.path.dirname(self.path(name)))
        name, descriptor = self._create_exclusively(name)
        written = self.path(name)
        try:
            with os.fdopen(descriptor, "wb") as target:
                for chunk in content.chunks():
                    target.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
        except BaseException:
            os.remove(written)  # no half-written file is left behind
            raise
        if self.file_permissions_mode is not None:
            os.chmod(written, self.file_permissions_mode)
        return name

    def _make_directory(self, directory):
        mode = self.directory_permissions_mode
        if mode is None:
            os.makedirs(directory, exist_ok=True)
            return
        # The umask must not narrow the configured mode.
        previous = os.umask(0)
        try:
            os.makedirs(directory, mode, exist_ok=True)
        finally:
            os.umask(previous)

    def delete(self, name):
        """Remove the file (or empty directory) ``name``; a missing one is fine."""
        if not name:
            raise ValueError("The name of the file to delete must not be empty.")
        target = self.path(name)
        is_directory = os.path.isdir(target) and not os.path.islink(target)
        with contextlib.suppress(FileNotFoundError):
            (os.rmdir if is_directory else os.remove)(target)

    def exists(self, name):
        """True for any entry, a broken symbolic link included."""
        return os.path.lexists(self.path(name))

    def listdir(self, path):
        """``(directories, files)`` directly inside ``path`` ("" for the top)."""
        with os.scandir(self.location if path in ("", ".") else self.path(path)) as found:
            kinds = {entry.name: entry.is_dir() for entry in found}
        names = sorted(kinds)
        return [n for n in names if kinds[n]], [n for n in names if not kinds[n]]

    def size(self, name):
        return os.path.getsize(self.path(name))

    def url(self, name):
        """The URL of ``name`` under base_url; ValueError if there is none."""
        base_url = self.base_url
        if not base_url:
            raise ValueError(
                "File %r has no URL: the MEDIA_URL setting (or the storage's "
                "base_url) is empty." % (name,)
            )
        return urljoin(base_url, quote(validate_file_name(name), safe="/~!*()'"))


class DefaultStorage(LazyObject):
    """The project's storage, made on first use (a FileSystemStorage)."""

    def _setup(self):
        self._wrapped = FileSystemStorage()


default_storage = DefaultStorage()
