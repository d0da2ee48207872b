"""FileField and ImageField: a varchar column holding a file's name in a
storage (``storage=``, default ``default_storage``), and on the instance a
``FieldFile`` giving access to that file.

* Reading the attribute gives a FieldFile (``FileDescriptor``) built from
  whatever is stored: the name loaded from the row, a File assigned by the
  user (not yet in the storage: "uncommitted"), or a FieldFile already.
* Saving the model (``pre_save``) first stores an uncommitted file, under
  ``upload_to`` (a strftime() pattern for the directory, or a callable
  ``(instance, filename) -> name``) made safe and free by the storage; the
  column gets the name the storage chose.
* Deleting a row never deletes its file (another row, or a transaction
  rolled back, may still need it); ``FieldFile.delete()`` does.

ImageField adds ``width``/``height`` on its FieldFile and fills the model's
``width_field``/``height_field`` when a file is given to the field
(assigned, passed to the constructor, saved or deleted through it). It needs Pillow,
imported on first use: without it the system check reports fields.E210
naming the field, and reading dimensions raises ImproperlyConfigured.
"""
import datetime
import posixpath

from django.core import checks
from django.core.files.base import File
from django.core.files.images import ImageFile, get_image_dimensions
from django.core.files.storage import Storage, default_storage, validate_file_name
from django.db.models import signals
from django.db.models.fields import CharField, Field, _CheckedSaveMixin
from django.db.models.fields.storage_checks import LengthGuard

__all__ = ["FieldFile", "FileDescriptor", "FileField", "ImageFieldFile", "ImageField"]


class FieldFile(File):
    """The file named by a FileField on one instance. False when no file
    is set; equal to its name (``instance.doc == "docs/a.txt"``).

    ``file`` is the underlying file object, opened from the storage on
    first use -- except for a file the user assigned and no save has
    stored yet (``_in_storage`` False), which ``file`` holds until then.
    """

    def __init__(self, instance, field, name):
        # Not File.__init__: there is no file object until one is needed.
        self.name = name
        self.instance, self.field, self.storage = instance, field, field.storage
        self._handle = None
        self._in_storage = True

    def __eq__(self, other):
        return self.name == getattr(other, "name", other)

    def __hash__(self):
        return hash(self.name)

    def __bool__(self):
        return bool(self.name)

    def _name_or_error(self):
        """The name, or ValueError when the field holds no file."""
        if self:
            return self.name
        raise ValueError("The '%s' attribute has no file associated with it." % self.field.name)

    @property
    def file(self):
        if self._handle is None:
            self._handle = self.storage.open(self._name_or_error(), "rb")
        return self._handle

    @file.setter
    def file(self, file_object):
        self._handle = file_object

    @file.deleter
    def file(self):
        self._handle = None

    @property
    def path(self):
        """Absolute path in the storage (FileSystemStorage)."""
        return self.storage.path(self._name_or_error())

    @property
    def url(self):
        return self.storage.url(self._name_or_error())

    @property
    def size(self):
        name = self._name_or_error()
        return self.storage.size(name) if self._in_storage else self.file.size

    def open(self, mode="rb"):
        """Open (or rewind) the file; returns the FieldFile, usable in ``with``."""
        name = self._name_or_error()
        if self.closed:
            self._handle = self.storage.open(name, mode)
        else:
            self._handle.open(mode)
        return self

    @property
    def closed(self):
        return self._handle is None or self._handle.closed

    def close(self):
        if self._handle is not None:
            self._handle.close()

    def _rebind(self, name, in_storage):
        """Point at ``name`` (nothing opened yet) and become the instance's
        value of the field again."""
        self.name, self._in_storage, self._handle = name, in_storage, None
        self.instance.__dict__[self.field.attname] = self

    def _store_if_assigned(self):
        """Store a file the user assigned (called when the model is saved)."""
        if self and not self._in_storage:
            self.save(self.name, self._handle, save=False)

    def save(self, name, content, save=True):
        """Store ``content`` under a name made from ``name`` by the field's
        upload_to and the storage, set it on the instance, and save the
        instance unless ``save=False``."""
        field = self.field
        wanted = field.generate_filename(self.instance, name)
        # Reads now come from the stored file, not the content just copied.
        self._rebind(self.storage.save(wanted, content, max_length=field.max_length), True)
        if save:
            self.instance.save()

    def delete(self, save=True):
        """Delete the file from the storage, clear the field, and save the
        instance unless ``save=False``. Nothing happens without a file."""
        if self:
            self.close()
            self.storage.delete(self.name)
            self._rebind(None, False)
            if save:
                self.instance.save()

    def __getstate__(self):
        # The open file does not travel; the name, field and storage do.
        return dict(self.__dict__, _handle=None)


class FileDescriptor:
    """The model attribute of a FileField: always reads as a FieldFile.
    Assigning stores the value as given; reading wraps it (once)."""

    # Model.__init__ may store straight into the instance dict: reading
    # wraps that value exactly as one assigned later.
    plain_store_on_new_instance = True

    def __init__(self, field):
        self.field = field

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance, cls=None):
        field, held = self.field, getattr(instance, "__dict__", None)
        if held is None:  # read on the model class
            return self
        if field.attname not in held:  # deferred
            instance.refresh_from_db(using=instance._state.db, fields=[field.attname])
        value = held[field.attname]
        if not (isinstance(value, FieldFile) and value.instance is instance and value.field is field):
            held[field.attname] = value = self._as_field_file(instance, value)
        return value

    def _as_field_file(self, instance, value):
        """A FieldFile of ``instance`` for what was stored: a name, a File
        assigned (kept until saved), or another instance's FieldFile (one
        assigned, or of a copied instance: it stays untouched)."""
        field = self.field
        if not isinstance(value, File):
            return field.attr_class(instance, field, value)
        wrapped = field.attr_class(instance, field, value.name)
        if isinstance(value, FieldFile):
            if not value._in_storage:
                wrapped._in_storage, wrapped._handle = False, value._handle
        else:
            wrapped._in_storage, wrapped._handle = False, value
        return wrapped


def _storage_from(given):
    """The storage a FileField's ``storage=`` argument stands for: the
    default storage for None, else a Storage, or a callable (e.g. a
    Storage class) returning one."""
    if given is None:
        return default_storage
    made = given() if callable(given) and not isinstance(given, Storage) else given
    if isinstance(made, Storage):
        return made
    raise TypeError(
        "FileField 'storage' must be a Storage instance or a callable "
        "returning one, got %r." % (given,)
    )


class FileField(_CheckedSaveMixin, Field):
    """A file in a storage, its name in a varchar column (max_length 100)."""

    _internal_type = "FileField"
    # A name longer than max_length is refused alike on every database
    # (a name assigned by hand: the storage shortens the names it makes).
    _prep_passthrough_type = str
    attr_class = FieldFile
    descriptor_class = FileDescriptor
    description = "File"

    def __init__(self, verbose_name=None, name=None, upload_to="", storage=None, **kwargs):
        if not (isinstance(upload_to, str) or callable(upload_to)):
            raise TypeError(
                "FileField 'upload_to' must be a string or a callable, got %r." % (upload_to,)
            )
        # As given (for deconstruct()), and as used.
        self._storage_given, self.storage = storage, _storage_from(storage)
        self.upload_to = upload_to
        super().__init__(verbose_name, name, **{"max_length": 100, **kwargs})

    def check(self, **kwargs):
        problems = super().check(**kwargs)
        if self.primary_key:
            problems.append(self._error(
                "'primary_key' is not a valid argument for a %s." % type(self).__name__,
                "fields.E201",
            ))
        if isinstance(self.upload_to, str) and self.upload_to.startswith("/"):
            problems.append(self._error(
                "%s's 'upload_to' argument must be a relative path, not an "
                "absolute path." % type(self).__name__, "fields.E202",
            ))
        return problems

    def deconstruct(self):
        deconstructed = super().deconstruct()
        options = deconstructed[3]
        # 100 is this field's default length: said only when it differs.
        options.pop("max_length", None)
        extra = {"max_length": self.max_length if self.max_length != 100 else None,
                 "upload_to": self.upload_to or None, "storage": self._storage_given}
        options.update((key, value) for key, value in extra.items() if value is not None)
        return deconstructed

    def db_type(self, connection):
        # The column of a CharField of the same length on every backend.
        return CharField(max_length=self.max_length).db_type(connection)

    def _new_save_guard(self, connection):
        return LengthGuard(self, self.max_length)

    def save_passthrough_type(self, connection):
        # The attribute holds a FieldFile, never a str to store as it is:
        # every value goes through get_db_prep_save() (and its guard).
        return None

    def get_prep_value(self, value):
        prepared = super().get_prep_value(value)
        # A FieldFile or File is stored as its name ("" if none).
        return prepared if prepared is None else str(prepared)

    def pre_save(self, model_instance, add):
        """Store a newly assigned file first; the column gets its name."""
        field_file = super().pre_save(model_instance, add)
        if field_file is not None:
            field_file._store_if_assigned()
        return field_file

    def generate_filename(self, instance, filename):
        """The name to store ``filename`` under: from ``upload_to`` if it
        is a callable, else the base name of ``filename`` (directories a
        client sent are dropped) in the directory ``upload_to`` formats
        with strftime(). Validated and made storable by the storage."""
        upload_to = self.upload_to
        if callable(upload_to):
            wanted = upload_to(instance, filename)
        else:
            client_base = posixpath.basename(str(filename).replace("\\", "/"))
            wanted = posixpath.join(datetime.datetime.now().strftime(str(upload_to)), client_base)
        return self.storage.generate_filename(validate_file_name(wanted))

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else str(value)


class ImageFieldFile(ImageFile, FieldFile):
    """A FieldFile with ``width`` and ``height`` (read with Pillow)."""

    def _measure(self):
        self._name_or_error()
        return get_image_dimensions(self.open().file, for_what="ImageField %s" % _label(self.field))

    def _rebind(self, name, in_storage):
        # A new file (or none): forget the old one's dimensions, and give
        # the model's dimension fields the new ones before it is saved.
        self._forget_pixel_size()
        super()._rebind(name, in_storage)
        self.field.update_dimension_fields(self.instance, force=True)


class ImageFileDescriptor(FileDescriptor):
    """Assigning a file (or clearing the field) also sets the dimension
    fields at once, so they are right whatever their column order. A plain
    name assigned is not opened: its dimensions are filled when a file is
    saved through the field."""

    plain_store_on_new_instance = True

    def __set__(self, instance, value):
        super().__set__(instance, value)
        if value is None or value == "" or isinstance(value, File):
            self.field.update_dimension_fields(instance, force=True)


def _label(field):
    model = getattr(field, "model", None)
    if model is None:
        return repr(field.name)
    return "'%s.%s.%s'" % (model._meta.app_label, model.__name__, field.name)


class ImageField(FileField):
    """A FileField for images; ``width_field``/``height_field`` name
    integer fields of the model that get the image's dimensions whenever a
    new file is stored through the field (or cleared with it)."""

    _internal_type = "ImageField"
    attr_class = ImageFieldFile
    descriptor_class = ImageFileDescriptor
    description = "Image"

    def __init__(self, verbose_name=None, name=None, width_field=None, height_field=None, **kwargs):
        self.width_field, self.height_field = width_field, height_field
        super().__init__(verbose_name, name, **kwargs)

    def check(self, **kwargs):
        problems = super().check(**kwargs)
        try:
            from PIL import Image  # noqa: F401
        except ImportError:
            problems.append(self._error(
                "Cannot use ImageField %s because Pillow is not installed "
                "(python -m pip install Pillow)." % _label(self), "fields.E210",
            ))
        return problems

    def deconstruct(self):
        deconstructed = super().deconstruct()
        named = {"width_field": self.width_field, "height_field": self.height_field}
        deconstructed[3].update((key, value) for key, value in named.items() if value)
        return deconstructed

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        # A file given to the constructor has not passed through the
        # descriptor's __set__: its dimensions are read once the instance
        # is built. (Models without dimension fields, and instances loaded
        # from rows, whose value is a name, pay nothing more.)
        if (self.width_field or self.height_field) and not cls._meta.abstract:
            signals.post_init.connect(self._dimensions_after_init, sender=cls, weak=False)

    def _dimensions_after_init(self, instance, **kwargs):
        value = instance.__dict__.get(self.attname)
        if isinstance(value, File) and not isinstance(value, FieldFile):
            self.update_dimension_fields(instance, force=True)

    def update_dimension_fields(self, instance, force=False):
        """Set ``width_field``/``height_field`` on ``instance`` from its file
        (None without one). Without ``force``, only when they are empty."""
        targets = [(attr, axis) for axis, attr in enumerate((self.width_field, self.height_field)) if attr]
        if not targets:
            return
        if not force and all(getattr(instance, attr) not in (None, "") for attr, _ in targets):
            return
        image = getattr(instance, self.attname)
        measured = (image.width, image.height) if image else (None, None)
        for attr, axis in targets:
            setattr(instance, attr, measured[axis])
