import io
import os
import subprocess
import sys
from unittest import mock

from django.contrib import auth
from django.contrib.auth import SiteProfileNotAvailable, authenticate, get_user_model
from django.contrib.auth import hashers
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import (
    check_password, get_hasher, identify_hasher, is_password_usable, make_password,
)
from django.contrib.auth.management import create_permissions, get_default_username
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, override_settings

from .hashers import FAST_HASHERS
from .models import Document, Profile

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPO_DIR = os.path.dirname(TESTS_DIR)


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class HasherTests(SimpleTestCase):
    def test_format(self):
        encoded = make_password("lètmein", salt="seasalt")
        algorithm, iterations, salt, digest = encoded.split("$")
        self.assertEqual((algorithm, iterations, salt), ("pbkdf2_sha256", "1000", "seasalt"))
        self.assertEqual(len(digest), 44)  # base64 of 32 bytes
        self.assertTrue(check_password("lètmein", encoded))
        self.assertFalse(check_password("lètmeout", encoded))
        self.assertEqual(identify_hasher(encoded).algorithm, "pbkdf2_sha256")

    def test_default_hasher(self):
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
            hasher = get_hasher()
            self.assertEqual(hasher.iterations, 600000)
            encoded = hasher.encode("x", "salt", iterations=2)
            self.assertEqual(encoded.split("$")[:3], ["pbkdf2_sha256", "2", "salt"])
            self.assertTrue(check_password("x", encoded))

    def test_known_vector(self):
        # The published PBKDF2-HMAC-SHA256 vector: "password", "salt", 1 iteration.
        import base64

        expected = base64.b64encode(bytes.fromhex(
            "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"
        )).decode()
        encoded = get_hasher().encode("password", "salt", iterations=1)
        self.assertEqual(encoded, "pbkdf2_sha256$1$salt$" + expected)

    def test_random_salt(self):
        one, two = make_password("same"), make_password("same")
        self.assertNotEqual(one, two)
        self.assertNotEqual(one.split("$")[2], two.split("$")[2])
        self.assertGreaterEqual(len(one.split("$")[2]), 22)

    def test_sha1_variant(self):
        encoded = make_password("pw", hasher="pbkdf2_sha1")
        self.assertTrue(encoded.startswith("pbkdf2_sha1$"))
        self.assertTrue(check_password("pw", encoded))

    def test_malformed_hashes_are_false(self):
        for encoded in [
            "", None, "plain", "pbkdf2_sha256$", "pbkdf2_sha256$x$salt$hash",
            "pbkdf2_sha256$1000$salt", "pbkdf2_sha256$1000$$hash", "pbkdf2_sha256$0$salt$hash",
            "pbkdf2_sha256$1000$salt$hash$extra", "unknown_algo$1000$salt$hash", "md5$$abc",
            "!unusable", "$$$",
        ]:
            with self.subTest(encoded=encoded):
                self.assertIs(check_password("pw", encoded), False)
        with self.assertRaises(ValueError):
            identify_hasher("plain")
        with self.assertRaisesMessage(ValueError, "Unknown password hashing algorithm 'nope'"):
            get_hasher("nope")

    def test_unusable(self):
        encoded = make_password(None)
        self.assertTrue(encoded.startswith("!"))
        self.assertFalse(is_password_usable(encoded))
        self.assertFalse(check_password(None, encoded))
        self.assertFalse(check_password("", encoded))
        self.assertTrue(is_password_usable(make_password("")))
        self.assertFalse(check_password(None, make_password("x")))
        with self.assertRaisesMessage(TypeError, "Password must be a string or bytes"):
            make_password(1)

    def test_upgrade_of_lower_iteration_count(self):
        old = get_hasher().encode("pw", "salty", iterations=500)
        calls = []
        self.assertTrue(check_password("pw", old, setter=calls.append))
        self.assertEqual(calls, ["pw"])
        calls.clear()
        self.assertFalse(check_password("bad", old, setter=calls.append))
        current = make_password("pw")
        self.assertTrue(check_password("pw", current, setter=calls.append))
        self.assertEqual(calls, [])
        # Another (non-preferred) algorithm is upgraded too.
        self.assertTrue(check_password("pw", make_password("pw", hasher="pbkdf2_sha1"), setter=calls.append))
        self.assertEqual(calls, ["pw"])

    def test_constant_time_comparison(self):
        with mock.patch("django.contrib.auth.hashers.hmac.compare_digest", return_value=False) as cd:
            self.assertFalse(check_password("pw", make_password("pw")))
        self.assertEqual(cd.call_count, 1)

    def test_safe_summary_and_harden(self):
        hasher = get_hasher()
        encoded = hasher.encode("pw", "abcdefghij", iterations=10)
        summary = hasher.safe_summary(encoded)
        self.assertEqual(summary["salt"], "abcdef****")
        self.assertEqual(summary["iterations"], 10)
        with mock.patch.object(hasher, "encode", wraps=hasher.encode) as encode:
            hasher.harden_runtime("pw", encoded)
            # The iterations an up-to-date hash would have run on top.
            self.assertEqual(encode.call_args[0][2], hasher.iterations - 10)
            encode.reset_mock()
            hasher.harden_runtime("pw", hasher.encode("pw", "salt"))
        self.assertEqual(encode.call_count, 1)  # only the call above: nothing missing

    def test_bad_setting(self):
        with override_settings(PASSWORD_HASHERS=["no.such.Hasher"]):
            with self.assertRaisesMessage(ImproperlyConfigured, "PASSWORD_HASHERS entry 'no.such.Hasher'"):
                make_password("x")


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class UserTests(TestCase):
    def test_create_user(self):
        user = User.objects.create_user("alice", "Alice@EXAMPLE.Com", "secret", first_name="Al")
        self.assertEqual(user.email, "Alice@example.com")
        self.assertTrue(user.password.startswith("pbkdf2_sha256$1000$"))
        self.assertTrue(user.check_password("secret"))
        self.assertFalse(user.check_password("wrong"))
        self.assertFalse(user.is_staff or user.is_superuser)
        self.assertTrue(user.is_active)
        self.assertIsNotNone(user.date_joined)
        self.assertIsNone(user.last_login)
        self.assertEqual(user.get_full_name(), "Al")
        self.assertEqual(user.get_short_name(), "Al")
        self.assertEqual(str(user), "alice")
        self.assertTrue(user.is_authenticated)
        self.assertFalse(user.is_anonymous)
        fetched = User.objects.get(username="alice")
        self.assertTrue(fetched.check_password("secret"))

    def test_username_required(self):
        with self.assertRaisesMessage(ValueError, "The given username must be set"):
            User.objects.create_user("", "a@example.com", "x")
        with self.assertRaisesMessage(ValueError, "The given username must be set"):
            User.objects.create_superuser(None, "a@example.com", "x")

    def test_create_superuser(self):
        user = User.objects.create_superuser("root", "root@example.com", "pw")
        self.assertTrue(user.is_staff and user.is_superuser)
        with self.assertRaisesMessage(ValueError, "Superuser must have is_staff=True."):
            User.objects.create_superuser("r2", "r@example.com", "pw", is_staff=False)
        with self.assertRaisesMessage(ValueError, "Superuser must have is_superuser=True."):
            User.objects.create_superuser("r3", "r@example.com", "pw", is_superuser=False)

    def test_normalize_email(self):
        self.assertEqual(User.objects.normalize_email("John@ExAmple.COM"), "John@example.com")
        self.assertEqual(User.objects.normalize_email(None), "")
        self.assertEqual(User.objects.normalize_email("no-at-sign"), "no-at-sign")

    def test_no_password_is_unusable(self):
        user = User.objects.create_user("nopass")
        self.assertFalse(user.has_usable_password())
        self.assertFalse(user.check_password(""))
        user.set_password("now")
        self.assertTrue(user.has_usable_password())
        user.set_unusable_password()
        self.assertFalse(user.has_usable_password())
        self.assertFalse(user.check_password("now"))

    def test_username_unique_and_max_length(self):
        field = User._meta.get_field("username")
        self.assertEqual(field.max_length, 150)
        self.assertTrue(field.unique)
        User.objects.create_user("dup")
        from django.db import IntegrityError, transaction

        with self.assertRaises(IntegrityError), transaction.atomic():
            User.objects.create_user("dup")

    def test_password_upgraded_on_login(self):
        user = User.objects.create_user("old")
        user.password = get_hasher().encode("pw", "salty", iterations=100)
        user.save()
        self.assertTrue(user.check_password("pw"))
        self.assertEqual(User.objects.get(pk=user.pk).password.split("$")[1], "1000")
        self.assertTrue(User.objects.get(pk=user.pk).check_password("pw"))

    def test_natural_keys(self):
        user = User.objects.create_user("nk")
        self.assertEqual(user.natural_key(), ("nk",))
        self.assertEqual(User.objects.get_by_natural_key("nk"), user)
        group = Group.objects.create(name="editors")
        self.assertEqual(group.natural_key(), ("editors",))
        self.assertEqual(Group.objects.get_by_natural_key("editors"), group)
        perm = Permission.objects.get(codename="add_user")
        self.assertEqual(perm.natural_key(), ("add_user", "auth", "user"))
        self.assertEqual(Permission.objects.get_by_natural_key("add_user", "auth", "user"), perm)
        self.assertEqual(str(group), "editors")
        self.assertEqual(str(perm), "auth | user | Can add user")

    def test_get_user_model(self):
        self.assertIs(get_user_model(), User)
        with override_settings(AUTH_USER_MODEL="auth.Nope"):
            with self.assertRaisesMessage(ImproperlyConfigured, "AUTH_USER_MODEL refers to model 'auth.Nope'"):
                get_user_model()
        with override_settings(AUTH_USER_MODEL="nodot"):
            with self.assertRaisesMessage(ImproperlyConfigured, "AUTH_USER_MODEL must be of the form"):
                get_user_model()
        with override_settings(AUTH_USER_MODEL="noapp.User"):
            with self.assertRaisesMessage(ImproperlyConfigured, "AUTH_USER_MODEL"):
                get_user_model()

    def test_anonymous_user(self):
        anon = AnonymousUser()
        self.assertTrue(anon.is_anonymous)
        self.assertFalse(anon.is_authenticated)
        self.assertIsNone(anon.pk)
        self.assertEqual(str(anon), "AnonymousUser")
        self.assertEqual(anon, AnonymousUser())
        self.assertEqual(hash(anon), 1)
        self.assertEqual(anon.get_username(), "")
        self.assertFalse(anon.has_perm("auth.add_user"))
        self.assertFalse(anon.has_perms(["auth.add_user"]))
        self.assertFalse(anon.has_module_perms("auth"))
        self.assertEqual(anon.get_all_permissions(), set())
        self.assertEqual(anon.get_group_permissions(), set())
        self.assertEqual(list(anon.groups.all()), [])
        self.assertEqual(list(anon.user_permissions.all()), [])
        for method in (anon.save, anon.delete):
            with self.assertRaises(NotImplementedError):
                method()
        with self.assertRaises(NotImplementedError):
            anon.set_password("x")
        with self.assertRaises(NotImplementedError):
            anon.check_password("x")
        with self.assertRaises(TypeError):
            int(anon)


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class ProfileTests(TestCase):
    def test_no_setting(self):
        user = User.objects.create_user("p")
        with override_settings(AUTH_PROFILE_MODULE=None):
            with self.assertRaisesMessage(SiteProfileNotAvailable, "AUTH_PROFILE_MODULE"):
                user.get_profile()

    def test_bad_setting(self):
        user = User.objects.create_user("p")
        with override_settings(AUTH_PROFILE_MODULE="contrib_auth.Nope"):
            with self.assertRaisesMessage(SiteProfileNotAvailable, "AUTH_PROFILE_MODULE refers to the model 'contrib_auth.Nope'"):
                user.get_profile()
        with override_settings(AUTH_PROFILE_MODULE="nodot"):
            with self.assertRaisesMessage(SiteProfileNotAvailable, "AUTH_PROFILE_MODULE must be of the form"):
                user.get_profile()

    @override_settings(AUTH_PROFILE_MODULE="contrib_auth.Profile")
    def test_get_profile(self):
        user = User.objects.create_user("p")
        with self.assertRaises(Profile.DoesNotExist):
            user.get_profile()
        profile = Profile.objects.create(user=user, bio="hi")
        with self.assertNumQueries(1):
            self.assertEqual(user.get_profile(), profile)
        with self.assertNumQueries(0):
            self.assertEqual(user.get_profile().bio, "hi")
            self.assertIs(user.get_profile().user, user)


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class AuthenticateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = User.objects.create_user("bob", "bob@example.com", "pw")

    def test_authenticate(self):
        user = authenticate(username="bob", password="pw")
        self.assertEqual(user, self.user)
        self.assertEqual(user.backend, "django.contrib.auth.backends.ModelBackend")
        self.assertIsNone(authenticate(username="bob", password="bad"))
        self.assertIsNone(authenticate(username="bob"))
        self.assertIsNone(authenticate(request=None, username="nobody", password="pw"))

    def test_inactive_rejected(self):
        User.objects.filter(pk=self.user.pk).update(is_active=False)
        self.assertIsNone(authenticate(username="bob", password="pw"))
        self.assertIsNone(ModelBackend().get_user(self.user.pk))

    def test_unknown_user_runs_hasher(self):
        from django.contrib.auth import hashers

        with mock.patch.object(hashers, "make_password", wraps=hashers.make_password) as make:
            self.assertIsNone(authenticate(username="nobody", password="pw"))
        make.assert_called_once_with("pw")

    def test_get_user(self):
        self.assertEqual(ModelBackend().get_user(self.user.pk), self.user)
        self.assertIsNone(ModelBackend().get_user(987654))

    @override_settings(AUTHENTICATION_BACKENDS=[
        "regressiontests.contrib_auth.backends.TokenBackend",
        "django.contrib.auth.backends.ModelBackend",
    ])
    def test_custom_backends(self):
        token_user = User.objects.create_user("tokenuser")
        user = authenticate(token="magic")
        self.assertEqual(user, token_user)
        self.assertEqual(user.backend, "regressiontests.contrib_auth.backends.TokenBackend")
        self.assertIsNone(authenticate(token="other"))
        # ModelBackend still answers username/password (TokenBackend does not take them).
        self.assertEqual(authenticate(username="bob", password="pw"), self.user)
        self.assertEqual(len(auth.get_backends()), 2)

    @override_settings(AUTHENTICATION_BACKENDS=[
        "regressiontests.contrib_auth.backends.DenyingBackend",
        "django.contrib.auth.backends.ModelBackend",
    ])
    def test_permission_denied_stops(self):
        self.assertIsNone(authenticate(username="bob", password="pw"))
        self.assertFalse(self.user.has_perm("auth.add_user"))

    def test_bad_backend_settings(self):
        with override_settings(AUTHENTICATION_BACKENDS=[]):
            with self.assertRaisesMessage(ImproperlyConfigured, "AUTHENTICATION_BACKENDS"):
                authenticate(username="bob", password="pw")
        with override_settings(AUTHENTICATION_BACKENDS=["no.such.Backend"]):
            with self.assertRaisesMessage(ImproperlyConfigured, "AUTHENTICATION_BACKENDS entry 'no.such.Backend'"):
                authenticate(username="bob", password="pw")


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class PermissionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = User.objects.create_user("perm", password="pw")
        cls.group = Group.objects.create(name="publishers")

    def test_default_permissions_created(self):
        ct = ContentType.objects.get_for_model(Document)
        codenames = set(Permission.objects.filter(content_type=ct).values_list("codename", flat=True))
        self.assertEqual(codenames, {
            "add_document", "change_document", "delete_document", "view_document", "publish_document",
        })
        self.assertEqual(Permission.objects.get(codename="add_document").name, "Can add document")
        # Every installed app's models got theirs.
        self.assertTrue(Permission.objects.filter(codename="view_contenttype").exists())
        self.assertTrue(Permission.objects.filter(codename="change_group").exists())

    def test_create_permissions_is_idempotent_and_creates_content_types(self):
        ContentType.objects.filter(app_label="contrib_auth").delete()  # cascades to permissions
        ContentType.objects.clear_cache()
        self.assertFalse(Permission.objects.filter(codename="add_document").exists())
        out = io.StringIO()
        from contextlib import redirect_stdout

        with redirect_stdout(out):
            create_permissions(apps.get_app_config("contrib_auth"), verbosity=2)
        self.assertIn("Adding permission", out.getvalue())
        count = Permission.objects.count()
        create_permissions(apps.get_app_config("contrib_auth"), verbosity=0)
        self.assertEqual(Permission.objects.count(), count)
        self.assertTrue(Permission.objects.filter(codename="publish_document").exists())

    def test_user_and_group_permissions(self):
        user = self.user
        self.assertFalse(user.has_perm("contrib_auth.add_document"))
        user.user_permissions.add(Permission.objects.get(codename="add_document"))
        self.group.permissions.add(Permission.objects.get(codename="publish_document"))
        user.groups.add(self.group)
        user = User.objects.get(pk=user.pk)  # fresh permission caches
        self.assertEqual(user.get_user_permissions(), {"contrib_auth.add_document"})
        self.assertEqual(user.get_group_permissions(), {"contrib_auth.publish_document"})
        self.assertEqual(user.get_all_permissions(),
                         {"contrib_auth.add_document", "contrib_auth.publish_document"})
        self.assertTrue(user.has_perm("contrib_auth.add_document"))
        self.assertTrue(user.has_perm("contrib_auth.publish_document"))
        self.assertFalse(user.has_perm("contrib_auth.delete_document"))
        self.assertTrue(user.has_perms(["contrib_auth.add_document", "contrib_auth.publish_document"]))
        self.assertFalse(user.has_perms(["contrib_auth.add_document", "auth.add_user"]))
        self.assertTrue(user.has_module_perms("contrib_auth"))
        self.assertFalse(user.has_module_perms("auth"))
        with self.assertRaisesMessage(ValueError, "perm_list must be an iterable"):
            user.has_perms("contrib_auth.add_document")
        # Object permissions are not ModelBackend's business.
        self.assertEqual(user.get_all_permissions(obj=Document(title="x")), set())
        # Cached on the instance.
        with self.assertNumQueries(0):
            user.get_all_permissions()
        user.is_active = False
        self.assertFalse(user.has_perm("contrib_auth.add_document"))
        self.assertFalse(user.has_module_perms("contrib_auth"))

    def test_superuser_has_everything(self):
        root = User.objects.create_superuser("root", "r@example.com", "pw")
        self.assertTrue(root.has_perm("anything.at_all"))
        self.assertTrue(root.has_module_perms("whatever"))
        self.assertIn("contrib_auth.publish_document", root.get_all_permissions())
        root.is_active = False
        self.assertFalse(root.has_perm("anything.at_all"))

    @override_settings(AUTHENTICATION_BACKENDS=[
        "django.contrib.auth.backends.ModelBackend",
        "regressiontests.contrib_auth.backends.ObjectPermBackend",
    ])
    def test_several_backends(self):
        doc = Document(title="d")
        self.assertTrue(self.user.has_perm("contrib_auth.view_document", doc))
        self.assertFalse(self.user.has_perm("contrib_auth.view_document"))
        self.assertTrue(self.user.has_module_perms("objperm_app"))
        anon = AnonymousUser()
        self.assertTrue(anon.has_perm("contrib_auth.view_document", doc))


def run_django_admin(args, extra_env=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_SUPERUSER_PASSWORD")}
    env["PYTHONPATH"] = os.pathsep.join([REPO_DIR, TESTS_DIR])
    env["DJANGO_SETTINGS_MODULE"] = "regressiontests.contrib_auth.subprocess_settings"
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "django", *args], capture_output=True, text=True,
        env=env, cwd=TESTS_DIR, timeout=120,
    )


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class CreateSuperuserTests(TestCase):
    def test_noinput_with_password_from_environment(self):
        out = io.StringIO()
        with mock.patch.dict(os.environ, {"DJANGO_SUPERUSER_PASSWORD": "envpw"}):
            call_command("createsuperuser", interactive=False, username="admin",
                         email="admin@example.com", stdout=out)
        self.assertIn("Superuser created successfully.", out.getvalue())
        user = User.objects.get(username="admin")
        self.assertTrue(user.is_superuser and user.is_staff)
        self.assertEqual(user.email, "admin@example.com")
        self.assertTrue(user.check_password("envpw"))

    def test_noinput_without_password_is_unusable(self):
        with mock.patch.dict(os.environ, {}, clear=False):
            os.environ.pop("DJANGO_SUPERUSER_PASSWORD", None)
            call_command("createsuperuser", interactive=False, username="admin2", verbosity=0)
        self.assertFalse(User.objects.get(username="admin2").has_usable_password())

    def test_noinput_without_username(self):
        with self.assertRaisesMessage(CommandError, "You must use --username with --noinput."):
            call_command("createsuperuser", interactive=False)
        self.assertFalse(User.objects.exists())

    def test_noinput_username_taken_or_invalid(self):
        User.objects.create_user("taken")
        with self.assertRaisesMessage(CommandError, "That username is already taken."):
            call_command("createsuperuser", interactive=False, username="taken")
        with self.assertRaisesMessage(CommandError, "username"):
            call_command("createsuperuser", interactive=False, username="x" * 151)
        with self.assertRaisesMessage(CommandError, "email address"):
            call_command("createsuperuser", interactive=False, username="ok", email="not an email")

    def test_subprocess_exit_code(self):
        proc = run_django_admin(["createsuperuser", "--noinput"])
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("You must use --username with --noinput.", proc.stderr)

    def test_interactive(self):
        stdin = mock.MagicMock()
        stdin.isatty.return_value = True
        stdin.readline.side_effect = ["\n", "taken\n", "newadmin\n", "bad email\n", "new@example.com\n"]
        User.objects.create_user("taken")
        passwords = iter(["one", "two", "", "", "good", "good"])
        out, err = io.StringIO(), io.StringIO()
        with mock.patch("getpass.getpass", side_effect=lambda *a, **k: next(passwords)), \
                mock.patch("django.contrib.auth.management.get_system_username", return_value=""):
            call_command("createsuperuser", stdin=stdin, stdout=out, stderr=err)
        user = User.objects.get(username="newadmin")
        self.assertTrue(user.check_password("good"))
        self.assertEqual(user.email, "new@example.com")
        errors = err.getvalue()
        self.assertIn("Username cannot be blank.", errors)
        self.assertIn("That username is already taken.", errors)
        self.assertIn("Enter a valid email address.", errors)
        self.assertIn("Your passwords didn't match.", errors)
        self.assertIn("Blank passwords aren't allowed.", errors)
        self.assertIn("Superuser created successfully.", out.getvalue())

    def test_interactive_default_username_and_username_option(self):
        stdin = mock.MagicMock()
        stdin.isatty.return_value = True
        stdin.readline.side_effect = ["\n", "\n"]
        with mock.patch("getpass.getpass", return_value="pw"), \
                mock.patch("django.contrib.auth.management.get_system_username", return_value="Sys User"):
            self.assertEqual(get_default_username(), "sysuser")
            out = io.StringIO()
            call_command("createsuperuser", stdin=stdin, stdout=out, stderr=io.StringIO())
        self.assertIn("(leave blank to use 'sysuser')", out.getvalue())
        self.assertTrue(User.objects.filter(username="sysuser").exists())
        with mock.patch("django.contrib.auth.management.get_system_username", return_value="sysuser"):
            self.assertEqual(get_default_username(), "")  # taken
            self.assertEqual(get_default_username(check_db=False), "sysuser")
        stdin.readline.side_effect = ["e@example.com\n"]
        with mock.patch("getpass.getpass", return_value="pw"):
            call_command("createsuperuser", username="given", stdin=stdin, stdout=io.StringIO())
        self.assertTrue(User.objects.filter(username="given").exists())

    def test_interactive_eof_and_no_tty(self):
        stdin = mock.MagicMock()
        stdin.isatty.return_value = False
        out = io.StringIO()
        call_command("createsuperuser", stdin=stdin, stdout=out)
        self.assertIn("Superuser creation skipped", out.getvalue())
        stdin.isatty.return_value = True
        stdin.readline.side_effect = [""]
        with mock.patch("django.contrib.auth.management.get_system_username", return_value=""):
            with self.assertRaises(SystemExit) as cm:
                call_command("createsuperuser", stdin=stdin, stdout=io.StringIO(), stderr=io.StringIO())
        self.assertEqual(cm.exception.code, 1)


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class ChangePasswordTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = User.objects.create_user("joe", password="old")

    def test_change(self):
        out = io.StringIO()
        with mock.patch("getpass.getpass", return_value="new"):
            call_command("changepassword", "joe", stdout=out)
        self.assertIn("Password changed successfully for user 'joe'", out.getvalue())
        self.assertTrue(User.objects.get(username="joe").check_password("new"))

    def test_mismatch_retries_then_fails(self):
        answers = iter(["a", "b", "c", "d", "e", "f"])
        out = io.StringIO()
        with mock.patch("getpass.getpass", side_effect=lambda *a, **k: next(answers)):
            with self.assertRaisesMessage(CommandError, "Aborting password change for user 'joe' after 3 attempts"):
                call_command("changepassword", "joe", stdout=out)
        self.assertEqual(out.getvalue().count("Passwords do not match"), 3)
        self.assertTrue(User.objects.get(username="joe").check_password("old"))

    def test_mismatch_then_match(self):
        answers = iter(["a", "b", "ok", "ok"])
        with mock.patch("getpass.getpass", side_effect=lambda *a, **k: next(answers)):
            call_command("changepassword", "joe", stdout=io.StringIO())
        self.assertTrue(User.objects.get(username="joe").check_password("ok"))

    def test_unknown_user_and_default_user(self):
        with self.assertRaisesMessage(CommandError, "user 'ghost' does not exist"):
            call_command("changepassword", "ghost", stdout=io.StringIO())
        with mock.patch("getpass.getuser", return_value="joe"), \
                mock.patch("getpass.getpass", return_value="viagetuser"):
            call_command("changepassword", stdout=io.StringIO())
        self.assertTrue(User.objects.get(username="joe").check_password("viagetuser"))

    def test_empty_password_aborts(self):
        with mock.patch("getpass.getpass", return_value=""):
            with self.assertRaisesMessage(CommandError, "Aborting password change for user 'joe'."):
                call_command("changepassword", "joe", stdout=io.StringIO())


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class DocumentationExamplesTests(TestCase):
    """The examples of docs/topics/auth.txt and docs/ref/contrib/contenttypes.txt run."""

    def test_docs(self):
        import doctest

        for path in ("docs/ref/contrib/contenttypes.txt", "docs/topics/auth.txt"):
            with self.subTest(path=path):
                result = doctest.testfile(
                    os.path.join(REPO_DIR, path), module_relative=False, verbose=False,
                    optionflags=doctest.ELLIPSIS,
                )
                self.assertGreater(result.attempted, 5)
                self.assertEqual(result.failed, 0)
