"""The app registry: AppConfig creation, population, lookups and errors."""
import os
import traceback
from unittest import mock

from django.apps import AppConfig, apps
from django.apps.registry import Apps
from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django.test import SimpleTestCase

HERE = __name__.rpartition(".")[0]  # This test app's package path.


def fake_model(app_label, name, auto_created=False):
    """A stand-in model class: the registry only needs ``_meta`` names."""

    class Meta:
        pass

    meta = Meta()
    meta.app_label = app_label
    meta.object_name = name
    meta.model_name = name.lower()
    meta.label = "%s.%s" % (app_label, name)
    meta.auto_created = auto_created
    meta.swapped = None
    return type(name, (), {"_meta": meta, "__module__": HERE + ".fake"})


class AppConfigCreateTests(SimpleTestCase):
    def test_module_entry_defaults(self):
        config = AppConfig.create(HERE + ".plain_app")
        self.assertIs(type(config), AppConfig)
        self.assertEqual(config.name, HERE + ".plain_app")
        self.assertEqual(config.label, "plain_app")
        self.assertEqual(config.verbose_name, "Plain_App")
        self.assertEqual(config.path, os.path.join(os.path.dirname(__file__), "plain_app"))
        self.assertEqual(repr(config), "<AppConfig: plain_app>")

    def test_apps_py_single_subclass_is_discovered(self):
        from .configured_app.apps import ConfiguredAppConfig

        config = AppConfig.create(HERE + ".configured_app")
        self.assertIs(type(config), ConfiguredAppConfig)
        self.assertEqual(config.label, "fnd_configured")
        self.assertEqual(config.default_auto_field, "django.db.models.BigAutoField")
        self.assertTrue(config._auto_field_declared)

    def test_apps_py_default_true_wins(self):
        config = AppConfig.create(HERE + ".two_configs_app")
        self.assertEqual(config.label, "fnd_two_default")

    def test_dotted_path_to_config_class(self):
        config = AppConfig.create(HERE + ".two_configs_app.apps.FirstConfig")
        self.assertEqual(config.label, "fnd_two_first")
        self.assertEqual(config.name, HERE + ".two_configs_app")

    def test_default_auto_field_from_settings(self):
        config = AppConfig.create(HERE + ".plain_app")
        self.assertEqual(config.default_auto_field, "django.db.models.AutoField")
        self.assertFalse(config._auto_field_declared)

    def test_unknown_app_module(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "foundation_nonexistent_app"):
            AppConfig.create("foundation_nonexistent_app")
        # Also an ImportError, as Django raises for unknown apps.
        with self.assertRaises(ImportError):
            AppConfig.create("foundation_nonexistent_pkg.sub")

    def test_unknown_class_in_existing_module(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "has no attribute 'Nope'"):
            AppConfig.create(HERE + ".configured_app.apps.Nope")

    def test_not_an_app_config(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "isn't a subclass of AppConfig"):
            AppConfig.create(HERE + ".configured_app.apps.NotAConfig")

    def test_config_without_name(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "must supply a name attribute"):
            AppConfig.create(HERE + ".configured_app.apps.NamelessConfig")

    def test_config_with_unimportable_name(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "foundation_no_such_app_module_xyz"):
            AppConfig.create(HERE + ".configured_app.apps.BadNameConfig")

    def test_missing_import_inside_app_package_propagates(self):
        for entry in (HERE + ".init_error_app", HERE + ".init_error_app.apps.Config"):
            with self.subTest(entry=entry):
                with self.assertRaises(ModuleNotFoundError) as ctx:
                    AppConfig.create(entry)
                self.assertEqual(ctx.exception.name, "foundation_missing_dependency_of_init")
                self.assertNotIsInstance(ctx.exception, ImproperlyConfigured)

    def test_two_default_configs(self):
        with self.assertRaisesMessage(RuntimeError, "more than one default AppConfig"):
            AppConfig.create(HERE + ".multi_default_app")

    def test_several_configs_without_default_uses_plain_config(self):
        config = AppConfig.create(HERE + ".ambiguous_app")
        self.assertIs(type(config), AppConfig)
        self.assertEqual(config.label, "ambiguous_app")

    def test_path_of_module_without_location(self):
        import types

        class PathlessConfig(AppConfig):
            pass

        module = types.ModuleType("pathless")
        with self.assertRaisesMessage(ImproperlyConfigured, "has no filesystem location"):
            PathlessConfig("pathless", module)
        module.__path__ = ["/one", "/two"]
        with self.assertRaisesMessage(ImproperlyConfigured, "multiple filesystem locations"):
            PathlessConfig("pathless", module)
        module.__path__ = ["/one", "/one"]  # Namespace package listed twice.
        self.assertEqual(PathlessConfig("pathless", module).path, "/one")

        class ExplicitPathConfig(AppConfig):
            path = "/explicit"

        self.assertEqual(ExplicitPathConfig("pathless", module).path, "/explicit")

    def test_invalid_label(self):
        class DashConfig(AppConfig):
            label = "not-valid"

        with self.assertRaisesMessage(ImproperlyConfigured, "'not-valid'"):
            DashConfig(HERE + ".plain_app", None)


class PopulateTests(SimpleTestCase):
    def test_populate_and_ready_hooks(self):
        from .configured_app.apps import READY_CALLS

        before = len(READY_CALLS)
        registry = Apps([HERE + ".plain_app", HERE + ".configured_app"])
        self.assertTrue(registry.ready and registry.apps_ready and registry.models_ready)
        self.assertEqual(len(READY_CALLS), before + 1)
        self.assertEqual(
            [c.label for c in registry.get_app_configs()], ["plain_app", "fnd_configured"]
        )
        self.assertIs(registry.get_app_config("plain_app").apps, registry)
        self.assertIsNotNone(registry.get_app_config("plain_app").models_module)
        registry.populate([HERE + ".two_configs_app"])  # No-op once ready.
        self.assertEqual(len(registry.app_configs), 2)
        self.assertEqual(len(READY_CALLS), before + 1)

    def test_app_config_instances_accepted(self):
        config = AppConfig.create(HERE + ".plain_app")
        registry = Apps([config])
        self.assertIs(registry.get_app_config("plain_app"), config)

    def test_installed_apps_must_be_a_sequence(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "INSTALLED_APPS"):
            Apps(HERE + ".plain_app")

    def test_duplicate_label(self):
        with self.assertRaises(ImproperlyConfigured) as ctx:
            Apps([HERE + ".configured_app", HERE + ".configured_app.apps.ClashingLabelConfig"])
        message = str(ctx.exception)
        self.assertIn("fnd_configured", message)
        self.assertIn(HERE + ".configured_app'", message)
        self.assertIn("ClashingLabelConfig", message)

    def test_duplicate_name(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "Application names aren't unique"):
            Apps([HERE + ".two_configs_app", HERE + ".two_configs_app.apps.FirstConfig"])

    def test_error_in_models_module_propagates_unchanged(self):
        # Not assertRaises(): it strips the traceback we want to inspect.
        try:
            Apps([HERE + ".plain_app", HERE + ".broken_app"])
        except ZeroDivisionError as err:
            error = err
        else:
            self.fail("ZeroDivisionError not raised")
        self.assertEqual(str(error), "broken_app models exploded")
        frames = traceback.extract_tb(error.__traceback__)
        self.assertTrue(
            any(frame.filename.endswith(os.path.join("broken_app", "models.py")) for frame in frames),
            [frame.filename for frame in frames],
        )
        self.assertEqual(frames[-1].name, "explode")

    def test_retry_after_failure_reports_the_same_error(self):
        registry = Apps(installed_apps=())
        registry.ready = False
        for attempt in range(2):
            with self.subTest(attempt=attempt):
                with self.assertRaises(ZeroDivisionError):
                    registry.populate([HERE + ".plain_app", HERE + ".broken_app"])
                self.assertFalse(registry.apps_ready)
                self.assertEqual(registry.app_configs, {})

    def test_missing_import_inside_models_is_not_reported_as_unknown_app(self):
        with self.assertRaises(ModuleNotFoundError) as ctx:
            Apps([HERE + ".import_error_app"])
        self.assertEqual(ctx.exception.name, "foundation_no_such_dependency_xyz")
        self.assertNotIsInstance(ctx.exception, ImproperlyConfigured)

    def test_populate_is_not_reentrant(self):
        registry = Apps(installed_apps=())
        registry.ready = False
        seen_loading = []

        def import_models_again():
            seen_loading.append(registry.loading)
            registry.populate([])

        with mock.patch.object(registry, "_import_models_modules", import_models_again):
            with self.assertRaisesMessage(RuntimeError, "populate() isn't reentrant"):
                registry.populate([])
        self.assertEqual(seen_loading, [True])
        self.assertFalse(registry.loading)
        # The failed attempt left nothing behind: a retry works.
        registry.populate([])
        self.assertTrue(registry.ready)

    def test_populate_waits_for_another_thread(self):
        import threading

        registry = Apps(installed_apps=())
        registry.ready = False
        started, release, results = threading.Event(), threading.Event(), []
        original = registry._import_models_modules

        def slow_import():
            started.set()
            release.wait(5)
            original()

        with mock.patch.object(registry, "_import_models_modules", slow_import):
            first = threading.Thread(target=registry.populate, args=([],))
            first.start()
            started.wait(5)
            second = threading.Thread(target=lambda: results.append(registry.populate([])))
            second.start()
            release.set()
            first.join(5)
            second.join(5)
        self.assertEqual(results, [None])
        self.assertTrue(registry.ready)

    def test_populate_none(self):
        registry = Apps(installed_apps=())
        registry.ready = False
        registry.populate(None)
        self.assertEqual(list(registry.get_app_configs()), [])

    def test_second_global_registry_refused(self):
        with self.assertRaisesMessage(RuntimeError, "installed_apps"):
            Apps(installed_apps=None)


class NotReadyTests(SimpleTestCase):
    def test_unpopulated_registry(self):
        registry = Apps.__new__(Apps)
        Apps.__init__(registry, installed_apps=())
        registry.apps_ready = registry.models_ready = registry.ready = False
        with self.assertRaisesMessage(AppRegistryNotReady, "Apps aren't loaded yet"):
            registry.get_app_configs()
        with self.assertRaisesMessage(AppRegistryNotReady, "Models aren't loaded yet"):
            registry.get_model("a", "b")
        with self.assertRaisesMessage(AppRegistryNotReady, "Models aren't loaded yet"):
            registry.get_models()


class LookupTests(SimpleTestCase):
    def setUp(self):
        self.registry = Apps([HERE + ".plain_app", HERE + ".nested_app", HERE + ".nested_app.inner"])
        self.Book = fake_model("plain_app", "Book")
        self.Author = fake_model("plain_app", "Author")
        self.Through = fake_model("plain_app", "Book_authors", auto_created=True)
        for model in (self.Book, self.Author, self.Through):
            self.registry.register_model("plain_app", model)

    def test_get_model_both_forms_case_insensitive(self):
        self.assertIs(self.registry.get_model("plain_app", "Book"), self.Book)
        self.assertIs(self.registry.get_model("plain_app", "book"), self.Book)
        self.assertIs(self.registry.get_model("plain_app.BOOK"), self.Book)
        self.assertIs(self.registry.get_app_config("plain_app").get_model("author"), self.Author)

    def test_get_model_malformed(self):
        with self.assertRaisesMessage(ValueError, "app_label.ModelName"):
            self.registry.get_model("plain_app")

    def test_unknown_app_lists_labels(self):
        with self.assertRaises(LookupError) as ctx:
            self.registry.get_model("nope", "Book")
        message = str(ctx.exception)
        self.assertIn("'nope'", message)
        self.assertIn("plain_app, nested_app, inner", message)

    def test_unknown_app_by_full_name_suggests_label(self):
        with self.assertRaisesMessage(LookupError, "Did you mean 'plain_app'?"):
            self.registry.get_app_config(HERE + ".plain_app")

    def test_unknown_model_lists_models(self):
        with self.assertRaises(LookupError) as ctx:
            self.registry.get_model("plain_app.Publisher")
        message = str(ctx.exception)
        self.assertIn("'plain_app'", message)
        self.assertIn("'Publisher'", message)
        self.assertIn("Author, Book, Book_authors", message)

    def test_get_models(self):
        self.assertEqual(self.registry.get_models(), [self.Book, self.Author])
        self.assertEqual(
            self.registry.get_models(include_auto_created=True),
            [self.Book, self.Author, self.Through],
        )
        later = fake_model("plain_app", "Later")
        self.registry.register_model("plain_app", later)  # Clears the cache.
        self.assertIn(later, self.registry.get_models())

    def test_get_model_without_ready_models(self):
        self.registry.models_ready = False
        try:
            self.assertIs(self.registry.get_model("plain_app.Book", require_ready=False), self.Book)
            config = self.registry.get_app_config("plain_app")
            config.models = None  # As if its models module was not imported yet.
            self.assertIs(self.registry.get_model("plain_app", "Book", require_ready=False), self.Book)
        finally:
            self.registry.models_ready = True

    def test_swapped_models_hidden(self):
        swapped = fake_model("plain_app", "OldUser")
        swapped._meta.swapped = "plain_app.NewUser"
        self.registry.register_model("plain_app", swapped)
        self.assertNotIn(swapped, self.registry.get_models())
        self.assertIn(swapped, self.registry.get_models(include_swapped=True))

    def test_clear_cache_expires_meta_caches(self):
        expired = []
        self.Book._meta._forget_derived = lambda: expired.append("book")
        self.registry.clear_cache()
        self.assertEqual(expired, ["book"])

    def test_register_conflicting_model(self):
        other = fake_model("plain_app", "Book")
        other.__module__ = "somewhere.else"
        with self.assertRaises(RuntimeError) as ctx:
            self.registry.register_model("plain_app", other)
        message = str(ctx.exception)
        self.assertIn("Conflicting 'book' models in application 'plain_app'", message)
        self.assertIn(repr(self.Book), message)
        self.assertIn(repr(other), message)

    def test_register_same_model_twice(self):
        with self.assertRaisesMessage(RuntimeError, "imported twice"):
            self.registry.register_model("plain_app", fake_model("plain_app", "Book"))

    def test_registered_before_population(self):
        registry = Apps(installed_apps=())
        early = fake_model("later_app", "Early")
        registry.register_model("later_app", early)
        self.assertIs(registry.all_models["later_app"]["early"], early)
        self.assertIs(registry.get_registered_model("later_app", "EARLY"), early)
        with self.assertRaises(LookupError):
            registry.get_registered_model("later_app", "Missing")

    def test_is_installed_and_containing_config(self):
        self.assertTrue(self.registry.is_installed(HERE + ".plain_app"))
        self.assertFalse(self.registry.is_installed("plain_app"))
        inner = self.registry.get_containing_app_config(HERE + ".nested_app.inner.models")
        self.assertEqual(inner.label, "inner")
        outer = self.registry.get_containing_app_config(HERE + ".nested_app.views")
        self.assertEqual(outer.label, "nested_app")
        self.assertIsNone(self.registry.get_containing_app_config("elsewhere.models"))


class LazyOperationTests(SimpleTestCase):
    def test_waits_for_every_model(self):
        registry = Apps(installed_apps=())
        calls = []
        registry.lazy_model_operation(lambda *models: calls.append(models), ("a", "One"), ("b", "two"))
        one, two = fake_model("a", "One"), fake_model("b", "Two")
        registry.register_model("a", one)
        self.assertEqual(calls, [])
        registry.register_model("b", two)
        self.assertEqual(calls, [(one, two)])
        self.assertEqual(dict(registry._waiting_for_model), {})

    def test_runs_immediately_when_registered(self):
        registry = Apps(installed_apps=())
        model = fake_model("a", "One")
        registry.register_model("a", model)
        calls = []
        registry.lazy_model_operation(calls.append, ("a", "one"))
        self.assertEqual(calls, [model])
        registry.lazy_model_operation(lambda: calls.append("none"))
        self.assertEqual(calls, [model, "none"])


class InstalledAppsSwapTests(SimpleTestCase):
    def test_set_and_unset_installed_apps(self):
        registry = Apps([HERE + ".plain_app"])
        registry.set_installed_apps([HERE + ".two_configs_app"])
        self.assertEqual([c.label for c in registry.get_app_configs()], ["fnd_two_default"])
        self.assertFalse(registry.is_installed(HERE + ".plain_app"))
        registry.unset_installed_apps()
        self.assertEqual([c.label for c in registry.get_app_configs()], ["plain_app"])
        self.assertTrue(registry.ready)

    def test_failed_set_installed_apps_restores(self):
        registry = Apps([HERE + ".plain_app"])
        with self.assertRaises(ZeroDivisionError):
            registry.set_installed_apps([HERE + ".broken_app"])
        self.assertTrue(registry.ready)
        self.assertEqual([c.label for c in registry.get_app_configs()], ["plain_app"])

    def test_set_installed_apps_requires_ready(self):
        registry = Apps(installed_apps=())
        registry.ready = False
        with self.assertRaises(AppRegistryNotReady):
            registry.set_installed_apps([])

    def test_available_apps(self):
        registry = Apps([HERE + ".plain_app", HERE + ".two_configs_app"])
        registry.set_available_apps([HERE + ".plain_app"])
        self.assertEqual([c.label for c in registry.get_app_configs()], ["plain_app"])
        registry.unset_available_apps()
        self.assertEqual(len(registry.get_app_configs()), 2)
        with self.assertRaisesMessage(ValueError, "extra apps: nope"):
            registry.set_available_apps(["nope"])


class GlobalRegistryTests(SimpleTestCase):
    def test_this_app_is_installed(self):
        self.assertTrue(apps.ready)
        self.assertTrue(apps.is_installed(HERE))
        config = apps.get_app_config("foundation_apps")
        self.assertEqual(config.name, HERE)
        self.assertEqual(config.get_models and list(config.get_models()), [])
