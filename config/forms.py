"""Form renderer that lays Django forms out with GOV.UK Frontend markup.

Templates: templates/govuk/form.html, templates/govuk/field.html, and the widget overrides under
templates/django/forms/widgets/ (TemplatesSetting looks in the project's template DIRS first and
needs "django.forms" in INSTALLED_APPS for the built-in widget templates that are not overridden).
"""

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"
