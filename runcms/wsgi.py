import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runcms.settings")

application = get_wsgi_application()

# Imported once settings are loaded: kept answers go out before Django (see the module).
from runcms.early_answers import EarlyAnswers  # noqa: E402

application = EarlyAnswers(application)
