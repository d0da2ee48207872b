"""Settings: lazy configuration, configure(), DJANGO_SETTINGS_MODULE errors."""
import os
import subprocess
import sys
import tempfile
import textwrap
from unittest import mock

import django
from django.conf import (
    ENVIRONMENT_VARIABLE,
    LazySettings,
    Settings,
    UserSettingsHolder,
    global_settings,
    settings,
)
from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

# The checkout these tests belong to (tests/regressiontests/<app>/tests.py).
REPO_ROOT = os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
)


def run_python(code, extra_path=None, **env):
    """Run ``code`` in a fresh interpreter with a clean environment."""
    environ = {k: v for k, v in os.environ.items() if k != ENVIRONMENT_VARIABLE}
    paths = [REPO_ROOT] + ([extra_path] if extra_path else [])
    environ["PYTHONPATH"] = os.pathsep.join(paths)
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, env=environ, cwd=REPO_ROOT, timeout=60,
    )


class UnconfiguredTests(SimpleTestCase):
    def test_fresh_process_error_names_setting_and_remedies(self):
        result = run_python(
            """
            from django.conf import settings
            from django.core.exceptions import ImproperlyConfigured
            assert not settings.configured
            try:
                settings.TIME_ZONE
            except ImproperlyConfigured as err:
                print(err)
            """
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Requested setting TIME_ZONE", result.stdout)
        self.assertIn("DJANGO_SETTINGS_MODULE", result.stdout)
        self.assertIn("settings.configure()", result.stdout)

    def test_lazy_instance_is_not_configured_until_used(self):
        with mock.patch.dict(os.environ, clear=False) as env:
            env.pop(ENVIRONMENT_VARIABLE, None)
            lazy = LazySettings()
            self.assertFalse(lazy.configured)
            self.assertEqual(repr(lazy), "<LazySettings [Unevaluated]>")
            with self.assertRaisesMessage(ImproperlyConfigured, "Requested setting DEBUG"):
                lazy.DEBUG
            self.assertFalse(lazy.configured)


class ConfigureTests(SimpleTestCase):
    def test_configure_defaults_and_overrides(self):
        lazy = LazySettings()
        lazy.configure(DEBUG=True, DATABASES={"default": {"ENGINE": "sqlite3"}})
        self.assertTrue(lazy.configured)
        self.assertIs(lazy.DEBUG, True)
        # Completed when configured: the short engine name resolved, the
        # other keys filled in.
        default = lazy.DATABASES["default"]
        self.assertEqual(default["ENGINE"], "django.db.backends.sqlite3")
        self.assertEqual(default["OPTIONS"], {})
        self.assertIsNone(default["TEST"]["NAME"])
        # Untouched settings come from global_settings.
        self.assertEqual(lazy.TIME_ZONE, "America/Chicago")
        self.assertEqual(lazy.INSTALLED_APPS, [])
        self.assertEqual(lazy.DATABASE_OPTIONS, {})
        self.assertEqual(lazy.DEFAULT_AUTO_FIELD, "django.db.models.AutoField")

    def test_configure_twice_raises(self):
        lazy = LazySettings()
        lazy.configure()
        with self.assertRaisesMessage(RuntimeError, "Settings already configured."):
            lazy.configure(DEBUG=True)

    def test_configure_after_settings_module_raises(self):
        with mock.patch.dict(os.environ, {ENVIRONMENT_VARIABLE: "django.conf.global_settings"}):
            lazy = LazySettings()
            self.assertFalse(lazy.DEBUG)  # Configured from the environment now.
            self.assertEqual(repr(lazy), '<LazySettings "django.conf.global_settings">')
            self.assertEqual(repr(lazy._wrapped), '<Settings "django.conf.global_settings">')
            self.assertTrue(lazy.is_overridden("DEBUG"))
            with self.assertRaises(RuntimeError):
                lazy.configure(DEBUG=True)

    def test_lower_case_setting_refused(self):
        lazy = LazySettings()
        with self.assertRaisesMessage(TypeError, "'debug'"):
            lazy.configure(debug=True)

    def test_only_upper_case_names_are_settings(self):
        lazy = LazySettings()
        lazy.configure()
        with self.assertRaises(AttributeError):
            lazy.not_a_setting

    def test_installed_apps_type_checked(self):
        lazy = LazySettings()
        with self.assertRaisesMessage(ImproperlyConfigured, "INSTALLED_APPS"):
            lazy.configure(INSTALLED_APPS="myapp")

    def test_database_options_type_checked(self):
        lazy = LazySettings()
        with self.assertRaisesMessage(ImproperlyConfigured, "DATABASE_OPTIONS"):
            lazy.configure(DATABASE_OPTIONS=["x"])
        lazy = LazySettings()
        with self.assertRaisesMessage(ImproperlyConfigured, "DATABASES['default']['OPTIONS']"):
            lazy.configure(DATABASES={"default": {"ENGINE": "sqlite3", "OPTIONS": ["x"]}})

    def test_custom_default_settings(self):
        class Defaults:
            DEBUG = True
            FOO = "bar"

        lazy = LazySettings()
        lazy.configure(default_settings=Defaults, BAZ=1)
        self.assertEqual((lazy.DEBUG, lazy.FOO, lazy.BAZ), (True, "bar", 1))
        with self.assertRaises(AttributeError):
            lazy.TIME_ZONE

    def test_set_and_delete_through_proxy(self):
        lazy = LazySettings()
        lazy.configure()
        self.assertEqual(lazy.SECRET_KEY, "")
        lazy.SECRET_KEY = "s3cret"
        self.assertEqual(lazy.SECRET_KEY, "s3cret")
        del lazy.SECRET_KEY
        with self.assertRaises(AttributeError):
            lazy.SECRET_KEY


class WrappedSwapTests(SimpleTestCase):
    """The documented override_settings protocol: swap settings._wrapped."""

    def test_swap_and_restore(self):
        lazy = LazySettings()
        lazy.configure(DEBUG=False, SECRET_KEY="a")
        lazy.SECRET_KEY  # Populate the proxy's cache.
        saved = lazy._wrapped
        holder = UserSettingsHolder(saved)
        holder.SECRET_KEY = "b"
        lazy._wrapped = holder
        self.assertEqual(lazy.SECRET_KEY, "b")
        self.assertIs(lazy.DEBUG, False)  # Falls through to the saved holder.
        self.assertTrue(holder.is_overridden("SECRET_KEY"))
        lazy._wrapped = saved
        self.assertEqual(lazy.SECRET_KEY, "a")

    def test_holder_delete_hides_default(self):
        holder = UserSettingsHolder(global_settings)
        self.assertEqual(repr(holder), "<UserSettingsHolder>")
        self.assertFalse(holder.is_overridden("DEBUG"))
        del holder.DEBUG
        self.assertFalse(hasattr(holder, "DEBUG"))
        self.assertNotIn("DEBUG", dir(holder))
        self.assertTrue(holder.is_overridden("DEBUG"))
        holder.DEBUG = True
        self.assertTrue(holder.DEBUG)

    def test_global_settings_are_configured_in_tests(self):
        self.assertTrue(settings.configured)
        self.assertIsInstance(settings.INSTALLED_APPS, (list, tuple))


class SettingsModuleTests(SimpleTestCase):
    def test_missing_settings_module_names_it(self):
        with mock.patch.dict(os.environ, {ENVIRONMENT_VARIABLE: "no_such_settings_xyz"}):
            lazy = LazySettings()
            with self.assertRaises(ImproperlyConfigured) as ctx:
                lazy.DEBUG
        err = ctx.exception
        self.assertIn("no_such_settings_xyz", str(err))
        self.assertIn(ENVIRONMENT_VARIABLE, str(err))
        self.assertIsInstance(err, ImportError)  # Catchable as either.
        self.assertIsInstance(err.__cause__, ModuleNotFoundError)

    def test_settings_module_in_subprocess(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "fnd_settings_ok.py"), "w") as fh:
                fh.write("DEBUG = True\nINSTALLED_APPS = ('django.conf',)\nlower = 1\n")
            result = run_python(
                """
                from django.conf import settings
                print(settings.DEBUG, settings.INSTALLED_APPS, hasattr(settings, 'lower'))
                print(settings.is_overridden('DEBUG'), settings.is_overridden('TIME_ZONE'))
                print(repr(settings))
                """,
                extra_path=tmp,
                DJANGO_SETTINGS_MODULE="fnd_settings_ok",
            )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.splitlines(),
            ["True ('django.conf',) False", "True False", '<LazySettings "fnd_settings_ok">'],
        )

    def test_settings_module_with_bad_installed_apps(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "fnd_settings_bad.py"), "w") as fh:
                fh.write("INSTALLED_APPS = 'django.conf'\n")
            with mock.patch.dict(os.environ, {ENVIRONMENT_VARIABLE: "fnd_settings_bad"}):
                sys.path.insert(0, tmp)
                try:
                    with self.assertRaisesMessage(ImproperlyConfigured, "INSTALLED_APPS"):
                        Settings("fnd_settings_bad")
                finally:
                    sys.path.remove(tmp)
                    sys.modules.pop("fnd_settings_bad", None)

    def test_setup_populates_registry_from_settings(self):
        result = run_python(
            """
            import django
            from django.conf import settings
            from django.apps import apps
            settings.configure(INSTALLED_APPS=['django.conf'])
            django.setup()
            django.setup()  # Idempotent.
            print(apps.ready, [c.label for c in apps.get_app_configs()])
            """
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "True ['conf']")


class VersionTests(SimpleTestCase):
    def test_version(self):
        self.assertEqual(django.VERSION, (1, 2, 0, "alpha", 0))
        self.assertEqual(django.get_version(), "1.2.0a0")
        self.assertEqual(django.__version__, "1.2.0a0")

    def test_version_rendering(self):
        from django.utils.version import get_main_version, get_version

        self.assertEqual(get_version((2, 0, 1, "final", 0)), "2.0.1")
        self.assertEqual(get_version((1, 3, 0, "rc", 2)), "1.3.0rc2")
        self.assertEqual(get_version((1, 3, 0, "beta", 1)), "1.3.0b1")
        self.assertEqual(get_main_version((1, 3, 0, "beta", 1)), "1.3.0")
        with self.assertRaises(ValueError):
            get_version((1, 2))

    def test_setup_py_regex_matches(self):
        import re

        with open(os.path.join(REPO_ROOT, "django", "__init__.py"), encoding="utf-8") as fh:
            source = fh.read()
        self.assertRegex(source, re.compile(r'^VERSION = \(\d+, \d+, \d+, "\w+", \d+\)', re.M))


class DocsExamplesTests(SimpleTestCase):
    """The examples in H1's documentation pages really run (fresh interpreter each)."""

    def test_docs_doctests(self):
        for page in ("topics/settings.txt", "ref/applications.txt", "topics/signals.txt"):
            with self.subTest(page=page):
                path = os.path.join(REPO_ROOT, "docs", *page.split("/"))
                result = run_python(
                    """
                    import doctest, sys
                    outcome = doctest.testfile(
                        %r, module_relative=False, optionflags=doctest.ELLIPSIS
                    )
                    sys.exit(1 if outcome.failed or not outcome.attempted else 0)
                    """ % path
                )
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
