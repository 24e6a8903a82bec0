import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from accounts.startup import refuse_demo_accounts  # noqa: E402  (needs the apps loaded above)

refuse_demo_accounts()
