"""Files: django.core.files, FileSystemStorage (and its refusal of unsafe
names), FileField/ImageField and their FieldFile on model instances."""
import copy
import datetime
import io
import os
import pickle
import shutil
import sys
import tempfile
from unittest import mock, skipUnless

from django.core import serializers
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.core.files import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.test import SimpleTestCase, TestCase, override_settings

from .models import Dossier, OwnedFile, Photo

try:
    from PIL import Image
except ImportError:
    Image = None


def png_bytes(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(buffer, "PNG")
    return buffer.getvalue()


class MediaRootMixin:
    """Each test gets an empty MEDIA_ROOT of its own (removed afterwards)."""

    def setUp(self):
        super().setUp()
        self.media_root = tempfile.mkdtemp(prefix="model_files_")
        self.addCleanup(shutil.rmtree, self.media_root, ignore_errors=True)
        overriding = override_settings(MEDIA_ROOT=self.media_root, MEDIA_URL="/media/")
        overriding.enable()
        self.addCleanup(overriding.disable)

    def stored(self, *parts):
        return os.path.join(self.media_root, *parts)

    def files_on_disk(self):
        found = []
        for directory, _dirs, files in os.walk(self.media_root):
            found += [os.path.relpath(os.path.join(directory, f), self.media_root) for f in files]
        return sorted(found)


class FileObjectTests(SimpleTestCase):
    def test_content_file_from_bytes_and_text(self):
        self.assertEqual(ContentFile(b"abc").read(), b"abc")
        text = ContentFile("été", name="t.txt")
        self.assertEqual((text.read(), text.name, text.size), ("été", "t.txt", 3))

    def test_content_file_is_true_even_empty(self):
        self.assertTrue(ContentFile(b""))

    def test_file_size_keeps_position(self):
        wrapped = File(io.BytesIO(b"0123456789"), name="n.bin")
        wrapped.read(3)
        self.assertEqual(wrapped.size, 10)
        self.assertEqual(wrapped.read(2), b"34")

    def test_chunks_and_lines(self):
        wrapped = File(io.BytesIO(b"one\ntwo\r\nthree"), name="lines.txt")
        self.assertEqual(b"".join(wrapped.chunks(chunk_size=4)), b"one\ntwo\r\nthree")
        self.assertEqual(list(wrapped), [b"one\n", b"two\r\n", b"three"])
        self.assertTrue(wrapped.multiple_chunks(chunk_size=4))

    def test_a_file_is_true_even_unnamed_or_empty(self):
        self.assertTrue(File(io.BytesIO(b"")))
        self.assertTrue(File(None))
        self.assertEqual(len(File(io.BytesIO(b""))), 0)

    def test_simple_uploaded_file_keeps_only_the_base_name(self):
        upload = SimpleUploadedFile("../../etc/passwd", b"data", content_type="text/plain")
        self.assertEqual(upload.name, "passwd")
        self.assertEqual((upload.size, upload.content_type, upload.read()), (4, "text/plain", b"data"))
        self.assertEqual(SimpleUploadedFile("C:\\x\\y.txt", None).name, "y.txt")

    def test_simple_uploaded_file_name_is_cut_to_255_keeping_extension(self):
        upload = SimpleUploadedFile("a" * 300 + ".txt", b"")
        self.assertEqual(len(upload.name), 255)
        self.assertTrue(upload.name.endswith("a.txt"))


class StorageTests(MediaRootMixin, SimpleTestCase):
    def test_save_open_exists_size_url_path_delete(self):
        storage = FileSystemStorage()
        name = storage.save("reports/q1.txt", ContentFile(b"numbers"))
        self.assertEqual(name, "reports/q1.txt")
        self.assertTrue(storage.exists(name))
        self.assertEqual(storage.size(name), 7)
        self.assertEqual(storage.path(name), self.stored("reports", "q1.txt"))
        self.assertEqual(storage.url(name), "/media/reports/q1.txt")
        with storage.open(name) as handle:
            self.assertEqual(handle.read(), b"numbers")
        self.assertEqual(storage.listdir(""), (["reports"], []))
        self.assertEqual(storage.listdir("reports"), ([], ["q1.txt"]))
        storage.delete(name)
        self.assertFalse(storage.exists(name))
        storage.delete(name)  # deleting a missing file is not an error

    def test_text_content_is_stored_as_utf8(self):
        name = default_storage.save("t.txt", ContentFile("été"))
        with open(self.stored(name), "rb") as handle:
            self.assertEqual(handle.read(), "été".encode())

    def test_a_taken_name_gets_a_suffix_and_nothing_is_overwritten(self):
        first = default_storage.save("a.txt", ContentFile(b"1"))
        second = default_storage.save("a.txt", ContentFile(b"2"))
        self.assertEqual(first, "a.txt")
        self.assertRegex(second, r"^a_[A-Za-z0-9]{7}\.txt$")
        with open(self.stored("a.txt"), "rb") as handle:
            self.assertEqual(handle.read(), b"1")

    def test_unsafe_names_are_refused_and_nothing_is_written(self):
        outside = os.path.join(tempfile.gettempdir(), "model_files_escape.txt")
        unsafe = [
            "../escape.txt", "a/../../escape.txt", "..", outside, "/etc/passwd",
            "a/\x00b.txt", "\x00", "", "C:\\windows\\x.txt", "..\\escape.txt",
        ]
        for name in unsafe:
            with self.subTest(name=name), self.assertRaises(SuspiciousFileOperation) as raised:
                default_storage.save(name, ContentFile(b"x"))
            if name:
                self.assertIn(repr(name), str(raised.exception))
        self.assertEqual(self.files_on_disk(), [])
        self.assertFalse(os.path.exists(outside))

    def test_unsafe_names_are_refused_by_every_method(self):
        for method in ("open", "exists", "size", "delete", "path", "url"):
            with self.subTest(method=method), self.assertRaises(SuspiciousFileOperation):
                getattr(default_storage, method)("../../etc/passwd")

    def test_a_symbolic_link_cannot_lead_outside(self):
        outside = tempfile.mkdtemp(prefix="model_files_outside_")
        self.addCleanup(shutil.rmtree, outside, ignore_errors=True)
        os.symlink(outside, self.stored("link"))
        with self.assertRaisesRegex(SuspiciousFileOperation, "outside the storage location"):
            default_storage.save("link/x.txt", ContentFile(b"x"))
        self.assertEqual(os.listdir(outside), [])

    def test_a_name_over_255_characters_is_shortened_keeping_extension(self):
        name = default_storage.save("dir/" + "n" * 300 + ".txt", ContentFile(b"x"))
        base = name.split("/")[-1]
        self.assertEqual(len(base), 255)
        self.assertTrue(base.endswith(".txt"))
        self.assertTrue(os.path.exists(self.stored("dir", base)))

    def test_max_length_shortens_the_name_or_refuses(self):
        name = default_storage.save("dir/abcdefghij.txt", ContentFile(b"x"), max_length=10)
        self.assertEqual(name, "dir/ab.txt")
        again = default_storage.save("dir/abcdefghij.txt", ContentFile(b"x"), max_length=15)
        self.assertEqual(len(again), 15)
        with self.assertRaisesRegex(SuspiciousFileOperation, "cannot be shortened to 5"):
            default_storage.save("dir/abcdefghij.txt", ContentFile(b"x"), max_length=5)

    def test_an_extension_over_255_characters_is_refused(self):
        with self.assertRaises(SuspiciousFileOperation):
            default_storage.save("a." + "x" * 300, ContentFile(b"x"))

    def test_missing_media_root_is_improperly_configured_naming_it(self):
        with override_settings(MEDIA_ROOT=""):
            with self.assertRaisesRegex(ImproperlyConfigured, "MEDIA_ROOT"):
                default_storage.save("a.txt", ContentFile(b"x"))

    def test_missing_media_url_is_a_clear_error(self):
        with override_settings(MEDIA_URL=""), self.assertRaisesRegex(ValueError, "MEDIA_URL"):
            default_storage.url("a.txt")

    def test_url_quotes_the_name(self):
        self.assertEqual(default_storage.url("a b/c#d.txt"), "/media/a%20b/c%23d.txt")

    def test_default_storage_follows_override_settings(self):
        other_root = tempfile.mkdtemp(prefix="model_files_other_")
        self.addCleanup(shutil.rmtree, other_root, ignore_errors=True)
        with override_settings(MEDIA_ROOT=other_root, MEDIA_URL="https://cdn.example/"):
            self.assertEqual(default_storage.path("x"), os.path.join(other_root, "x"))
            self.assertEqual(default_storage.url("x"), "https://cdn.example/x")
        self.assertEqual(default_storage.path("x"), self.stored("x"))

    def test_explicit_location_and_base_url(self):
        storage = FileSystemStorage(location=self.stored("sub"), base_url="/files")
        self.assertEqual(storage.url(storage.save("a.txt", ContentFile(b"x"))), "/files/a.txt")
        self.assertEqual(self.files_on_disk(), [os.path.join("sub", "a.txt")])

    def test_permissions_modes(self):
        storage = FileSystemStorage(file_permissions_mode=0o640, directory_permissions_mode=0o750)
        name = storage.save("d/a.txt", ContentFile(b"x"))
        self.assertEqual(os.stat(storage.path(name)).st_mode & 0o777, 0o640)
        self.assertEqual(os.stat(self.stored("d")).st_mode & 0o777, 0o750)

    def test_generate_filename_cleans_the_base_name(self):
        self.assertEqual(default_storage.generate_filename("up/my file!?.txt"), "up/my_file.txt")
        with self.assertRaises(SuspiciousFileOperation):
            default_storage.generate_filename("up/?!")

    def test_storage_base_class_methods_must_be_provided(self):
        with self.assertRaises(NotImplementedError):
            Storage().exists("a")
        with self.assertRaisesRegex(NotImplementedError, "absolute paths"):
            Storage().path("a")


class FieldFileTests(MediaRootMixin, TestCase):
    def test_file_field_is_exported_and_stored_as_varchar(self):
        self.assertIs(models.FileField, type(Dossier._meta.get_field("attachment")))
        field = Dossier._meta.get_field("attachment")
        self.assertEqual(field.max_length, 100)
        self.assertEqual(field.db_type(connection), models.CharField(max_length=100).db_type(connection))
        self.assertEqual(
            OwnedFile._meta.get_field("data").db_type(connection),
            models.CharField(max_length=40).db_type(connection),
        )

    def test_assigning_a_file_and_saving_stores_it_under_upload_to(self):
        doc = Dossier(title="a")
        doc.attachment = ContentFile(b"hello", name="greeting.txt")
        doc.save()
        expected = "docs/%d/greeting.txt" % datetime.date.today().year
        self.assertEqual(doc.attachment.name, expected)
        self.assertEqual(Dossier.objects.get(pk=doc.pk).attachment, expected)
        self.assertEqual(self.files_on_disk(), [expected])

    def test_field_file_api(self):
        doc = Dossier.objects.create(title="a")
        self.assertFalse(doc.attachment)
        doc.attachment.save("report 1.txt", ContentFile(b"12345"))
        loaded = Dossier.objects.get(pk=doc.pk)
        name = "docs/%d/report_1.txt" % datetime.date.today().year
        attachment = loaded.attachment
        self.assertTrue(attachment)
        self.assertEqual(attachment, name)
        self.assertEqual(attachment.name, name)
        self.assertEqual(str(attachment), name)
        self.assertEqual(attachment.size, 5)
        self.assertEqual(attachment.path, self.stored(*name.split("/")))
        self.assertEqual(attachment.url, "/media/" + name)
        with attachment.open() as handle:
            self.assertEqual(handle.read(), b"12345")
        attachment.open()
        self.assertEqual(attachment.read(2), b"12")
        attachment.close()
        self.assertTrue(attachment.closed)

    def test_save_false_does_not_save_the_instance(self):
        doc = Dossier.objects.create(title="a")
        doc.attachment.save("x.txt", ContentFile(b"x"), save=False)
        self.assertTrue(doc.attachment)
        self.assertFalse(Dossier.objects.get(pk=doc.pk).attachment)

    def test_empty_field_file_api_errors_name_the_field(self):
        doc = Dossier(title="a")
        for attribute in ("path", "url", "size"):
            with self.subTest(attribute=attribute):
                with self.assertRaisesRegex(ValueError, "'attachment' attribute has no file"):
                    getattr(doc.attachment, attribute)
        with self.assertRaisesRegex(ValueError, "'attachment'"):
            doc.attachment.open()
        doc.attachment.delete()  # nothing to delete: no error

    def test_empty_file_field_stores_empty_string(self):
        doc = Dossier.objects.create(title="a")
        self.assertEqual(Dossier.objects.filter(attachment="").count(), 1)
        self.assertEqual(Dossier.objects.get(pk=doc.pk).attachment.name, "")

    def test_filter_by_field_file(self):
        doc = Dossier.objects.create(title="a", attachment=ContentFile(b"x", name="f.txt"))
        self.assertEqual(Dossier.objects.get(attachment=doc.attachment).pk, doc.pk)

    def test_assigning_a_name_refers_to_an_existing_file(self):
        default_storage.save("kept/a.txt", ContentFile(b"abc"))
        doc = Dossier.objects.create(title="a", attachment="kept/a.txt")
        self.assertEqual(Dossier.objects.get(pk=doc.pk).attachment.read(), b"abc")
        self.assertEqual(self.files_on_disk(), [os.path.join("kept", "a.txt")])

    def test_a_name_assigned_longer_than_max_length_is_refused(self):
        with self.assertRaisesRegex(models.FieldValueError, "max_length=100"), transaction.atomic():
            Dossier.objects.create(attachment="n" * 101)
        self.assertEqual(Dossier.objects.count(), 0)

    def test_uploaded_file_with_directories_is_stored_under_upload_to_only(self):
        doc = Dossier(title="a")
        doc.attachment = File(io.BytesIO(b"x"), name="../../../etc/passwd")
        doc.save()
        self.assertEqual(doc.attachment.name, "docs/%d/passwd" % datetime.date.today().year)
        self.assertEqual(len(self.files_on_disk()), 1)

    def test_upload_to_callable(self):
        owned = OwnedFile(owner="ann")
        owned.data.save("notes.txt", ContentFile(b"x"))
        self.assertEqual(OwnedFile.objects.get().data.name, "owners/ann/notes.txt")

    def test_upload_to_callable_cannot_escape(self):
        owned = OwnedFile(owner="..")
        with self.assertRaises(SuspiciousFileOperation):
            owned.data.save("notes.txt", ContentFile(b"x"))
        self.assertEqual(self.files_on_disk(), [])
        self.assertEqual(OwnedFile.objects.count(), 0)

    def test_names_are_shortened_to_max_length(self):
        owned = OwnedFile(owner="bob")
        owned.data.save("a-very-long-file-name-indeed-yes.txt", ContentFile(b"x"))
        self.assertEqual(len(owned.data.name), 40)
        self.assertTrue(owned.data.name.startswith("owners/bob/a-very"))
        owned.refresh_from_db()
        self.assertEqual(len(owned.data.name), 40)
        other = OwnedFile(owner="bob")
        other.data.save("a-very-long-file-name-indeed-yes.txt", ContentFile(b"y"))
        self.assertEqual(len(other.data.name), 40)
        self.assertNotEqual(other.data.name, owned.data.name)

    def test_same_name_twice_keeps_both_files(self):
        first = Dossier.objects.create(attachment=ContentFile(b"1", name="same.txt"))
        second = Dossier.objects.create(attachment=ContentFile(b"2", name="same.txt"))
        self.assertNotEqual(first.attachment.name, second.attachment.name)
        self.assertEqual(second.attachment.read(), b"2")
        self.assertEqual(first.attachment.read(), b"1")

    def test_assigning_another_instances_file_shares_the_stored_file(self):
        first = Dossier.objects.create(attachment=ContentFile(b"1", name="shared.txt"))
        second = Dossier.objects.create(title="second")
        kept = first.attachment
        second.attachment = kept
        second.save()
        self.assertIs(kept.instance, first)
        self.assertIs(second.attachment.instance, second)
        self.assertEqual(Dossier.objects.get(pk=second.pk).attachment, first.attachment.name)
        self.assertEqual(len(self.files_on_disk()), 1)

    def test_a_copied_instance_gets_its_own_field_file(self):
        first = Dossier.objects.create(attachment=ContentFile(b"1", name="c.txt"))
        kept = first.attachment
        clone = copy.copy(first)
        self.assertIs(clone.attachment.instance, clone)
        self.assertIs(kept.instance, first)
        self.assertIs(first.attachment, kept)

    def test_field_file_delete_removes_the_file_and_clears_the_field(self):
        doc = Dossier.objects.create(attachment=ContentFile(b"1", name="gone.txt"))
        doc.attachment.delete()
        self.assertFalse(doc.attachment)
        self.assertEqual(self.files_on_disk(), [])
        self.assertEqual(Dossier.objects.get(pk=doc.pk).attachment.name, "")

    def test_deleting_rows_keeps_their_files(self):
        doc = Dossier.objects.create(attachment=ContentFile(b"1", name="kept.txt"))
        other = Dossier.objects.create(attachment=ContentFile(b"2", name="kept2.txt"))
        doc.delete()
        Dossier.objects.filter(pk=other.pk).delete()
        self.assertEqual(len(self.files_on_disk()), 2)

    def test_saving_again_does_not_store_the_file_again(self):
        doc = Dossier.objects.create(attachment=ContentFile(b"1", name="once.txt"))
        doc.title = "changed"
        doc.save()
        Dossier.objects.get(pk=doc.pk).save()
        self.assertEqual(len(self.files_on_disk()), 1)

    def test_deferred_file_field_loads_as_field_file(self):
        Dossier.objects.create(title="t", attachment=ContentFile(b"1", name="d.txt"))
        doc = Dossier.objects.defer("attachment").get()
        self.assertTrue(doc.attachment.name.endswith("d.txt"))

    def test_serializes_as_its_name_and_loads_back(self):
        doc = Dossier.objects.create(title="s", attachment=ContentFile(b"1", name="s.txt"))
        data = serializers.serialize("json", Dossier.objects.all())
        self.assertIn('"attachment": "%s"' % doc.attachment.name, data)
        Dossier.objects.all().delete()
        for obj in serializers.deserialize("json", data):
            obj.save()
        self.assertEqual(Dossier.objects.get().attachment, doc.attachment.name)

    def test_pickled_instance_keeps_the_name(self):
        doc = Dossier.objects.create(attachment=ContentFile(b"1", name="p.txt"))
        doc.attachment.open()
        restored = pickle.loads(pickle.dumps(doc))
        self.assertEqual(restored.attachment, doc.attachment.name)
        self.assertIs(restored.attachment.instance, restored)
        self.assertEqual(restored.attachment.read(), b"1")
        doc.attachment.close()

    def test_storage_argument_instance_or_callable(self):
        location = self.stored("custom")
        storage = FileSystemStorage(location=location)
        self.assertIs(models.FileField(storage=storage).storage, storage)
        self.assertEqual(models.FileField(storage=lambda: storage).storage, storage)
        self.assertIs(models.FileField().storage, default_storage)
        with self.assertRaisesRegex(TypeError, "'storage'"):
            models.FileField(storage="not a storage")

    def test_deconstruct(self):
        field = OwnedFile._meta.get_field("data")
        kwargs = field.deconstruct()[3]
        self.assertEqual(kwargs["max_length"], 40)
        self.assertIn("upload_to", kwargs)
        self.assertNotIn("max_length", Dossier._meta.get_field("attachment").deconstruct()[3])

    def test_checks(self):
        field = models.FileField(primary_key=True, upload_to="/abs")
        ids = [error.id for error in field.check()]
        self.assertEqual(ids, ["fields.E201", "fields.E202"])


class ImageFieldTests(MediaRootMixin, TestCase):
    def test_image_field_is_exported_and_stored_as_varchar(self):
        field = Photo._meta.get_field("image")
        self.assertIsInstance(field, models.ImageField)
        self.assertEqual(field.db_type(connection), models.CharField(max_length=100).db_type(connection))

    def test_without_pillow_the_check_names_the_field(self):
        with mock.patch.dict(sys.modules, {"PIL": None, "PIL.Image": None}):
            errors = Photo._meta.get_field("image").check()
        self.assertEqual([e.id for e in errors], ["fields.E210"])
        self.assertIn("'model_files.Photo.image'", errors[0].msg)
        self.assertIn("Pillow", errors[0].msg)

    def test_without_pillow_reading_dimensions_names_the_field(self):
        photo = Photo(image="photos/p.png")
        default_storage.save("photos/p.png", ContentFile(b"not really"))
        with mock.patch.dict(sys.modules, {"PIL": None, "PIL.Image": None}):
            with self.assertRaisesRegex(ImproperlyConfigured, r"Pillow .*'model_files\.Photo\.image'"):
                photo.image.width

    @skipUnless(Image, "Pillow is not installed")
    def test_with_pillow_the_check_passes(self):
        self.assertEqual(Photo._meta.get_field("image").check(), [])

    @skipUnless(Image, "Pillow is not installed")
    def test_dimension_fields_are_filled_on_save(self):
        photo = Photo(image=SimpleUploadedFile("p.png", png_bytes(3, 2), "image/png"))
        photo.save()
        loaded = Photo.objects.get(pk=photo.pk)
        self.assertEqual((loaded.width, loaded.height), (3, 2))
        self.assertEqual((loaded.image.width, loaded.image.height), (3, 2))
        self.assertEqual(loaded.image.name, "photos/p.png")

    @skipUnless(Image, "Pillow is not installed")
    def test_assigning_a_new_image_updates_dimensions(self):
        photo = Photo.objects.create(image=ContentFile(png_bytes(3, 2), name="a.png"))
        photo.image = ContentFile(png_bytes(5, 7), name="b.png")
        self.assertEqual((photo.width, photo.height), (5, 7))
        photo.save()
        self.assertEqual(Photo.objects.values_list("width", "height").get(), (5, 7))
        photo.image.save("c.png", ContentFile(png_bytes(1, 4)))
        self.assertEqual(Photo.objects.values_list("width", "height").get(), (1, 4))
        photo.image.delete()
        self.assertEqual(Photo.objects.values_list("width", "height", "image").get(), (None, None, ""))

    @skipUnless(Image, "Pillow is not installed")
    def test_a_file_that_is_not_an_image_has_no_dimensions(self):
        photo = Photo.objects.create(image=ContentFile(b"plain text", name="t.png"))
        self.assertEqual((photo.width, photo.height), (None, None))


@skipUnless(Image, "the page's ImageField examples need Pillow")
class FilesPageTests(MediaRootMixin, TestCase):
    def test_examples_of_the_files_page_run(self):
        from doc_examples import run_doc_examples

        run_doc_examples(self, "topics/files.txt", {
            "Dossier": Dossier, "OwnedFile": OwnedFile, "Photo": Photo,
            "os": os, "image_bytes": png_bytes,
        }, more_than=20)


class FileProtocolTests(SimpleTestCase):
    """What a File, an upload and a Storage subclass may rely on, whatever
    the chunking or the storage."""

    def test_lines_split_across_chunks_are_joined(self):
        wrapped = File(io.BytesIO(b"ab\ncd\r\nef"))
        wrapped.DEFAULT_CHUNK_SIZE = 2  # "ab", "\nc", "d\r", "\ne", "f"
        self.assertEqual(list(wrapped), [b"ab\n", b"cd\r\n", b"ef"])
        self.assertEqual(list(File(io.StringIO("x\ny\rz"))), ["x\n", "y\r", "z"])

    def test_an_upload_without_a_name_has_none(self):
        upload = SimpleUploadedFile("a.txt", b"x")
        upload.name = None
        self.assertIsNone(upload.name)

    def test_a_storage_subclass_implements_open_and_save_hooks(self):
        class MemoryStorage(Storage):
            def __init__(self):
                self.held = {}

            def _open(self, name, mode="rb"):
                return ContentFile(self.held[name], name=name)

            def _save(self, name, content):
                self.held[name] = b"".join(content.chunks())
                return name

            def exists(self, name):
                return name in self.held

        storage = MemoryStorage()
        self.assertEqual(storage.save("a.txt", io.BytesIO(b"first")), "a.txt")
        other = storage.save("a.txt", ContentFile(b"second"))
        self.assertRegex(other, r"^a_\w{7}\.txt$")
        self.assertEqual(storage.open("a.txt").read(), b"first")
        self.assertEqual(storage.open(other).read(), b"second")
