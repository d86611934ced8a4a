import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_payment_notice'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='apiaccount',
            name='basic_sign_in_password',
            field=models.BooleanField(default=True, verbose_name='sign-in password works in HTTP Basic'),
        ),
        migrations.CreateModel(
            name='ApiPassword',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100)),
                ('lookup', models.CharField(db_index=True, help_text="The first hex digits of the password's SHA-256: finds the row, proves nothing.", max_length=16)),
                ('password_hash', models.CharField(max_length=128)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('last_used', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_passwords', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'API password',
                'ordering': ['-created', '-id'],
                'constraints': [models.UniqueConstraint(fields=('user', 'name'), name='api_password_name_unique_per_account')],
            },
        ),
    ]
