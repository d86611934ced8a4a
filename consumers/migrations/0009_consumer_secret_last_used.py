from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consumers', '0008_consumer_oauth2_application'),
    ]

    operations = [
        migrations.AddField(
            model_name='consumer',
            name='client_secret_last_used',
            field=models.DateTimeField(blank=True, null=True, verbose_name='current secret last used'),
        ),
        migrations.AddField(
            model_name='consumer',
            name='previous_secret_last_used',
            field=models.DateTimeField(blank=True, null=True, verbose_name='previous secret last used'),
        ),
    ]
