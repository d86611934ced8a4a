from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_payment_received'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('account_state_changed', 'Account state changed'), ('failed_logins_cleared', 'Failed sign-ins cleared'), ('payment_received', 'Payment received'), ('api_password_created', 'API password created'), ('api_password_revoked', 'API password revoked'), ('basic_sign_in_password_set', 'Sign-in password in HTTP Basic turned on or off'), ('client_registered', 'Client registered'), ('client_updated', 'Client details changed'), ('client_secret_rotated', 'Client secret rotated'), ('client_revoked', 'Client revoked'), ('client_reinstated', 'Client reinstated'), ('client_reviewed', 'Client reviewed'), ('token_approved', 'OAuth access approved'), ('token_revoked', 'OAuth access token revoked')], db_index=True, max_length=40),
        ),
    ]
