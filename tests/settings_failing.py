"""The test settings with `tests.failing_urls`, for a server a test starts to see a 500 on."""
from apiproject.settings_test import *  # noqa: F401,F403

ROOT_URLCONF = "tests.failing_urls"
