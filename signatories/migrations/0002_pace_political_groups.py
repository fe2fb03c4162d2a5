"""The political groups of the Parliamentary Assembly of the Council of Europe, with their renames.

Sources: the Assembly's pages on its political groups. Years are those of the rename; where the
record is not certain the year is left empty rather than guessed.
"""

from django.db import migrations

GROUPS = [
    # abbreviation, slug, name, French abbreviation, French name, founded, dissolved, colour
    ("EPP/CD", "epp-cd", "Group of the European People's Party and Christian Democrats",
     "PPE/DC", "Groupe du Parti populaire européen et démocrates-chrétiens", None, None, "#3366aa"),
    ("SOC", "soc", "Socialists, Democrats and Greens Group",
     "SOC", "Groupe des socialistes, démocrates et verts", None, None, "#c0282d"),
    ("EDG", "edg", "European Democrat Group",
     "GDE", "Groupe démocrate européen", None, 2014, "#1f5f8b"),
    ("EC", "ec", "European Conservatives Group",
     "CE", "Groupe des conservateurs européens", 2014, 2020, "#1f5f8b"),
    ("EC/DA", "ec-da", "European Conservatives Group and Democratic Alliance",
     "CE/AD", "Groupe des conservateurs européens et Alliance démocratique", 2020, None, "#1f5f8b"),
    ("LDR", "ldr", "Liberal, Democratic and Reformers' Group",
     "LDR", "Groupe libéral, démocrate et réformateur", None, None, "#d8a200"),
    ("ALDE", "alde", "Alliance of Liberals and Democrats for Europe",
     "ADLE", "Alliance des démocrates et des libéraux pour l'Europe", None, None, "#d8a200"),
    ("UEL", "uel", "Group of the Unified European Left",
     "GUE", "Groupe pour la gauche unitaire européenne", None, None, "#8b1a4a"),
    ("FDG", "fdg", "Free Democrats Group",
     "GDL", "Groupe des démocrates libres", 2018, None, "#4a7a3a"),
    ("NR", "nr", "Representatives not registered in a political group",
     "NI", "Représentants non inscrits dans un groupe politique", None, None, "#6b6b6b"),
]  # fmt: skip

RENAMES = [("EDG", "EC"), ("EC", "EC/DA"), ("LDR", "ALDE")]


def create_groups(apps, schema_editor):
    PoliticalGroup = apps.get_model("signatories", "PoliticalGroup")
    for abbreviation, slug, name, abbreviation_fr, name_fr, founded, dissolved, colour in GROUPS:
        PoliticalGroup.objects.update_or_create(
            abbreviation=abbreviation,
            defaults={
                "slug": slug,
                "name": name,
                "abbreviation_fr": abbreviation_fr,
                "name_fr": name_fr,
                "founded": founded,
                "dissolved": dissolved,
                "colour": colour,
            },
        )
    for old, new in RENAMES:
        PoliticalGroup.objects.filter(abbreviation=old).update(
            successor=PoliticalGroup.objects.get(abbreviation=new)
        )


class Migration(migrations.Migration):
    dependencies = [("signatories", "0001_initial")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
