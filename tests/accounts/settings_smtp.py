"""The test settings with mail sent over SMTP (to EMAIL_HOST:EMAIL_PORT), as in production, for a server
a test starts in front of its own SMTP listener."""
from apiproject.settings_test import *  # noqa: F401,F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
