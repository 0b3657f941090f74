from django.db import migrations, models

# QĐ 26/2026/QĐ-TTg Art. 2.3 lists the OCOP subjects; the earlier values map onto them:
# "enterprise" keeps its stored value (API consumers read it) and is now labelled doanh nghiệp nhỏ và vừa;
# "establishment" (cơ sở sản xuất) -> "production_household" (hộ sản xuất). The reverse maps it back.
FORWARD = {"establishment": "production_household"}


def forward(apps, schema_editor):
    Producer = apps.get_model("registry", "Producer")
    for old, new in FORWARD.items():
        Producer.objects.filter(kind=old).update(kind=new)


def backward(apps, schema_editor):
    Producer = apps.get_model("registry", "Producer")
    for old, new in FORWARD.items():
        Producer.objects.filter(kind=new).update(kind=old)
    Producer.objects.filter(kind="farm").update(kind="establishment")
    Producer.objects.filter(kind__in=["association", "tourism_centre"]).update(kind="coop_group")


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0003_change_request'),
    ]

    operations = [
        migrations.AlterField(
            model_name='producer',
            name='kind',
            field=models.CharField(choices=[('cooperative', 'Cooperative (HTX)'), ('coop_group', 'Cooperative group'), ('enterprise', 'Small or medium enterprise'), ('farm', 'Farm'), ('production_household', 'Production household'), ('household', 'Household with business registration'), ('association', 'Association (tourism only)'), ('tourism_centre', 'Tourism operating centre or equivalent organisation (tourism only)')], max_length=24, verbose_name='kind'),
        ),
        migrations.RunPython(forward, backward),
    ]
