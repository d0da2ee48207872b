"""Like subprocess_settings, with the deliberate system check error switched on."""
from regressiontests.mgmt_commands.subprocess_settings import *  # noqa: F401,F403

H4_FAIL_CHECK = True
