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
    is set; equal to its name (``instance.doc == "docs/a.txt"``)."""

    def __init__(self, instance, field, name):
        super().__init__(None, name)
        self.instance = instance
        self.field = field
        self.storage = field.storage
        self._committed = True

    def __eq__(self, other):
        if hasattr(other, "name"):
            return self.name == other.name
        return self.name == other

    def __hash__(self):
        return hash(self.name)

    def __bool__(self):
        return bool(self.name)

    def _require_file(self):
        if not self:
            raise ValueError(
                "The '%s' attribute has no file associated with it." % self.field.name
            )

    # The underlying file object: opened from the storage on first use.
    def _get_file(self):
        self._require_file()
        if getattr(self, "_file", None) is None:
            self._file = self.storage.open(self.name, "rb")
        return self._file

    def _set_file(self, file):
        self._file = file

    def _del_file(self):
        del self._file

    file = property(_get_file, _set_file, _del_file)

    @property
    def path(self):
        """Absolute path in the storage (FileSystemStorage)."""
        self._require_file()
        return self.storage.path(self.name)

    @property
    def url(self):
        self._require_file()
        return self.storage.url(self.name)

    @property
    def size(self):
        self._require_file()
        if not self._committed:
            return self.file.size
        return self.storage.size(self.name)

    def open(self, mode="rb"):
        """Open (or rewind) the file; returns the FieldFile, usable in ``with``."""
        self._require_file()
        if getattr(self, "_file", None) is None or self._file.closed:
            self.file = self.storage.open(self.name, mode)
        else:
            self.file.open(mode)
        return self

    @property
    def closed(self):
        file = getattr(self, "_file", None)
        return file is None or file.closed

    def close(self):
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()

    def save(self, name, content, save=True):
        """Store ``content`` under a name made from ``name`` by the field's
        upload_to and the storage, set it on the instance, and save the
        instance unless ``save=False``."""
        name = self.field.generate_filename(self.instance, name)
        self.name = self.storage.save(name, content, max_length=self.field.max_length)
        self.instance.__dict__[self.field.attname] = self
        self._committed = True
        # Reads now come from the stored file, not the content just copied.
        self._file = None
        if save:
            self.instance.save()

    def delete(self, save=True):
        """Delete the file from the storage, clear the field, and save the
        instance unless ``save=False``. Nothing happens without a file."""
        if not self:
            return
        self.close()
        if hasattr(self, "_file"):
            del self.file
        self.storage.delete(self.name)
        self.name = None
        self.instance.__dict__[self.field.attname] = self
        self._committed = False
        if save:
            self.instance.save()

    def __getstate__(self):
        # The open file does not travel; the name, field and storage do.
        state = {key: value for key, value in self.__dict__.items() if key != "_file"}
        state["_file"] = None
        return state


class FileDescriptor:
    """The model attribute of a FileField: always reads as a FieldFile.
    Assigning stores the value as given; reading wraps it (once)."""

    # Model.__init__ may store straight into the instance dict: reading
    # wraps that value exactly as one assigned later.
    plain_store_on_new_instance = True

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        field = self.field
        attname = field.attname
        held = instance.__dict__
        if attname not in held:  # deferred
            instance.refresh_from_db(using=instance._state.db, fields=[attname])
        value = held[attname]
        if isinstance(value, FieldFile) and value.instance is instance and value.field is field:
            return value
        if isinstance(value, FieldFile):
            # Another instance's (assigned, or a copied instance): a FieldFile
            # of this one naming the same file, leaving the other untouched.
            wrapped = field.attr_class(instance, field, value.name)
            wrapped._committed = value._committed
            if not value._committed:
                wrapped.file = value.file
        elif isinstance(value, File):
            wrapped = field.attr_class(instance, field, value.name)
            wrapped.file = value
            wrapped._committed = False
        else:
            wrapped = field.attr_class(instance, field, value)
        held[attname] = wrapped
        return wrapped

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


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
        self._storage_given = storage
        if storage is None:
            storage = default_storage
        else:
            if callable(storage) and not isinstance(storage, Storage):
                storage = storage()  # a callable (e.g. a class) returning the storage
            if not isinstance(storage, Storage):
                raise TypeError(
                    "FileField 'storage' must be a Storage instance or a callable "
                    "returning one, got %r." % (storage,)
                )
        self.storage = storage
        if not isinstance(upload_to, str) and not callable(upload_to):
            raise TypeError(
                "FileField 'upload_to' must be a string or a callable, got %r." % (upload_to,)
            )
        self.upload_to = upload_to
        kwargs.setdefault("max_length", 100)
        super().__init__(verbose_name, name, **kwargs)

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
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 100:
            del kwargs["max_length"]
        else:
            kwargs.setdefault("max_length", self.max_length)
        if self.upload_to:
            kwargs["upload_to"] = self.upload_to
        if self._storage_given is not None:
            kwargs["storage"] = self._storage_given
        return name, path, args, kwargs

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
        value = super().get_prep_value(value)
        if value is None:
            return None
        return str(value)  # a FieldFile or File: its name ("" if none)

    def pre_save(self, model_instance, add):
        """Store a newly assigned file first; the column gets its name."""
        file = super().pre_save(model_instance, add)
        if file and not file._committed:
            file.save(file.name, file.file, save=False)
        return file

    def generate_filename(self, instance, filename):
        """The name to store ``filename`` under: from ``upload_to`` if it
        is a callable, else the base name of ``filename`` (directories a
        client sent are dropped) in the directory ``upload_to`` formats
        with strftime(). Validated and made storable by the storage."""
        if callable(self.upload_to):
            filename = self.upload_to(instance, filename)
        else:
            directory = datetime.datetime.now().strftime(str(self.upload_to))
            base = posixpath.basename(str(filename).replace("\\", "/"))
            filename = posixpath.join(directory, base) if directory else base
        return self.storage.generate_filename(validate_file_name(filename))

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else str(value)


class ImageFieldFile(ImageFile, FieldFile):
    """A FieldFile with ``width`` and ``height`` (read with Pillow)."""

    def _get_image_dimensions(self):
        if "_dimensions_cache" not in self.__dict__:
            self._require_file()
            self.open()
            self._dimensions_cache = get_image_dimensions(
                self.file, for_what="ImageField %s" % _label(self.field)
            )
        return self._dimensions_cache

    def save(self, name, content, save=True):
        self.__dict__.pop("_dimensions_cache", None)
        super().save(name, content, save=False)
        self.field.update_dimension_fields(self.instance, force=True)
        if save:
            self.instance.save()

    def delete(self, save=True):
        self.__dict__.pop("_dimensions_cache", None)
        super().delete(save=False)
        self.field.update_dimension_fields(self.instance, force=True)
        if save:
            self.instance.save()


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
        name, path, args, kwargs = super().deconstruct()
        if self.width_field:
            kwargs["width_field"] = self.width_field
        if self.height_field:
            kwargs["height_field"] = self.height_field
        return name, path, args, kwargs

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
        if not (self.width_field or self.height_field):
            return
        file = getattr(instance, self.attname)
        if not force and not any(
            getattr(instance, name) in (None, "") for name in (self.width_field, self.height_field) if name
        ):
            return
        width, height = (file.width, file.height) if file else (None, None)
        if self.width_field:
            setattr(instance, self.width_field, width)
        if self.height_field:
            setattr(instance, self.height_field, height)
