"""No models; registers a system check the tests switch on with a setting."""
from django.conf import settings
from django.core import checks


@checks.register("h4_mgmt")
def deliberate_check(app_configs=None, **kwargs):
    """Reports an error when settings.H4_FAIL_CHECK is true, a warning with H4_WARN_CHECK."""
    if getattr(settings, "H4_FAIL_CHECK", False):
        return [checks.Error("H4 deliberate failure", hint="Unset H4_FAIL_CHECK.",
                             id="mgmt_commands.E001")]
    if getattr(settings, "H4_WARN_CHECK", False):
        return [checks.Warning("H4 deliberate warning", id="mgmt_commands.W001")]
    return []
