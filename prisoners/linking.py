"""Link the detainees a declaration names: after every import, and on demand."""

from django.dispatch import receiver

from declaration_site.lib.text import FoldedText
from signatories.importing import declaration_imported

from .models import Detainee, Mention


def link_detainees(declaration):
    """Mention every known detainee whose name (any spelling) the declaration's text contains
    and who is not mentioned yet; return the new mentions. Raises ValidationError, writing
    nothing more, if a mention does not fit the model."""
    already = set(declaration.mentions.values_list("detainee_id", flat=True))
    created = []
    text = FoldedText(declaration.text)
    for detainee in Detainee.objects.exclude(pk__in=already):
        for name in detainee.all_names():
            written = text.find(name)
            if written:
                mention = Mention(
                    declaration=declaration, detainee=detainee, name_as_written=written
                )
                mention.full_clean()
                mention.save()
                created.append(mention)
                break
    return created


@receiver(declaration_imported, dispatch_uid="prisoners-link-detainees")
def _link_after_import(sender, *, declaration, report, **kwargs):
    report.new_mentions.extend(link_detainees(declaration))
