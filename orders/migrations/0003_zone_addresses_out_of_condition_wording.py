"""An exclusion zone's address is a sealed detail kept out of the wording (ADR 0011): conditions worded
before say "the confidential address" where they named it, however it was spelled."""

from django.db import migrations

from casework.redaction import WITHHELD, Redactor


def take_the_address_out(apps, schema_editor):
    Condition = apps.get_model("orders", "Condition")
    for pk, wording, address in Condition.objects.exclude(zone_address="").values_list("pk", "wording", "zone_address"):
        if WITHHELD in wording:
            continue  # a wording that already says "[withheld]" would be rewritten where it should not
        rewritten = Redactor([address])(wording).replace(WITHHELD, "the confidential address")
        if rewritten != wording:
            Condition.objects.filter(pk=pk).update(wording=rewritten)


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_restraining_order_decisions")]

    operations = [migrations.RunPython(take_the_address_out, migrations.RunPython.noop)]
