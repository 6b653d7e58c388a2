from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "runcms.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from runcms import changelog
        from runcms.webhooks import events

        # Once a logged change commits, a job turns it into events for the endpoints that want them.
        changelog.listen(events.content_committed, committed=True)
        self.register_backup()

    def register_backup(self):
        from runcms import backup
        from runcms.webhooks import models

        backup.exclude(models.Endpoint, "site configuration with secrets, not content: set up again")
        backup.exclude(models.Delivery, "a log of what was sent from this site")
        backup.exclude(models.Announcement, "what this site's endpoints were told")
        backup.exclude(models.Cursor, "how far this site's journal was announced")
