import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prepare a working site: migrate, create an admin login (printed), load the demo "
        "content into an empty site. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Where the site will be served, for the links.")

    def handle(self, *args, **options):
        base = f"http://{options['addr']}"
        self.stdout.write(self.style.MIGRATE_HEADING("1/3 Migrating the database"))
        call_command("migrate", interactive=False, verbosity=0)

        self.stdout.write(self.style.MIGRATE_HEADING("2/3 Admin login"))
        username, password = self.ensure_admin()

        self.stdout.write(self.style.MIGRATE_HEADING("3/3 Demo content"))
        call_command("demo", stdout=self.stdout)

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("runcms is ready."))
        self.stdout.write(f"  Site:     {base}/")
        self.stdout.write(f"  Admin:    {base}/admin/")
        self.stdout.write(f"  Username: {username}")
        self.stdout.write(f"  Password: {password}")
        self.stdout.write(f"  API:      {base}/api/v1/   docs: {base}/api/docs/")

    def ensure_admin(self):
        User = get_user_model()
        username = os.environ.get("RUNCMS_ADMIN_USER") or "admin"
        password = os.environ.get("RUNCMS_ADMIN_PASSWORD") or None
        user = User.objects.filter(username=username).first()
        if user is None:
            password = password or secrets.token_urlsafe(12)
            User.objects.create_superuser(username, os.environ.get("RUNCMS_ADMIN_EMAIL", ""), password)
            self.stdout.write(f"  Created the superuser “{username}”.")
        elif password:
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write(f"  Set the password of “{username}” from RUNCMS_ADMIN_PASSWORD.")
        else:
            password = f"(unchanged: as printed the first time; reset it with `manage.py changepassword {username}`)"
        return username, password
