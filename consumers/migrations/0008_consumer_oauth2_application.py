"""Registered clients become django-oauth-toolkit's application model (OAUTH2_PROVIDER_APPLICATION_MODEL).

No column changes: the model already named its fields as the toolkit does, and the toolkit's
per-application settings are constants of the model (`consumers.models`). Every client keeps its key
and secret. It runs before the toolkit's first migration, whose token tables point at this model.
"""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("consumers", "0007_consumer_signature_debug"),
    ]

    run_before = [
        ("oauth2_provider", "0001_initial"),
    ]

    operations = []
