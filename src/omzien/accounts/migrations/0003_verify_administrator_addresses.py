"""Every account was made by an administrator (nobody signs up), so its address is verified.

Without a verified address allauth refuses to set up a second factor, and case workers in
production could not enrol.
"""

from django.db import migrations


def verify_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user in User.objects.all().iterator():
        address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
        if address is None:
            EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        elif not address.verified or not address.primary:
            EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(
                primary=False
            )
            address.verified = True
            address.primary = True
            address.save(update_fields=["verified", "primary"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_invitation"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(verify_addresses, migrations.RunPython.noop)]
