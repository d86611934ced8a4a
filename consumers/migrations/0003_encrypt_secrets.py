"""Client and token secrets encrypted at rest (`consumers.secret_box`): the columns widen to hold
Fernet tokens, then every existing secret is sealed in place. Reversible: unsealing needs the keys."""
from django.db import migrations

import consumers.models
import consumers.secret_box
from consumers.secret_box import PREFIX, seal, store_as_is, stored_values, unseal

SECRET_FIELDS = [("Consumer", "client_secret"), ("RequestToken", "secret"), ("AccessToken", "secret")]


def seal_existing(apps, schema_editor):
    for model_name, field_name in SECRET_FIELDS:
        model = apps.get_model("consumers", model_name)
        for pk, stored in list(stored_values(model.objects.all(), field_name)):
            if stored and not stored.startswith(PREFIX):
                store_as_is(model.objects.filter(pk=pk), field_name, seal(stored))


def unseal_existing(apps, schema_editor):
    for model_name, field_name in SECRET_FIELDS:
        model = apps.get_model("consumers", model_name)
        for pk, stored in list(stored_values(model.objects.all(), field_name)):
            if stored and stored.startswith(PREFIX):
                store_as_is(model.objects.filter(pk=pk), field_name, unseal(stored))


class Migration(migrations.Migration):

    dependencies = [
        ('consumers', '0002_oauth1_tokens'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesstoken',
            name='secret',
            field=consumers.secret_box.EncryptedSecretField(max_length=255),
        ),
        migrations.AlterField(
            model_name='consumer',
            name='client_secret',
            field=consumers.secret_box.EncryptedSecretField(
                default=consumers.models.generate_client_secret, max_length=255
            ),
        ),
        migrations.AlterField(
            model_name='requesttoken',
            name='secret',
            field=consumers.secret_box.EncryptedSecretField(max_length=255),
        ),
        migrations.RunPython(seal_existing, unseal_existing),
    ]
