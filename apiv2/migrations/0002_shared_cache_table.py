"""Creates the database cache table that holds shared state when no Redis is configured.

A migration rather than a separate `createcachetable` step, so `migrate` (and the test database)
always has it.
"""
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("apiv2", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
