"""PACE's rule for written declarations.

Under the Assembly's Rules of Procedure a written declaration is signed by at least
20 members, from at least four national delegations and two political groups. Declaration Watch
records declarations as published, so a list that falls short is flagged, never refused.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MIN_SIGNATORIES = 20
MIN_DELEGATIONS = 4
MIN_GROUPS = 2


@dataclass(frozen=True)
class RuleCheck:
    signatories: int
    delegations: int
    groups: int

    @property
    def meets(self):
        return not self.shortfalls

    @property
    def shortfalls(self):
        """What is missing, in words: ["18 signatories (at least 20)"]."""
        found = []
        if self.signatories < MIN_SIGNATORIES:
            found.append(
                ngettext(
                    "%(count)d signatory (at least %(minimum)d)",
                    "%(count)d signatories (at least %(minimum)d)",
                    self.signatories,
                )
                % {"count": self.signatories, "minimum": MIN_SIGNATORIES}
            )
        if self.delegations < MIN_DELEGATIONS:
            found.append(
                ngettext(
                    "%(count)d national delegation (at least %(minimum)d)",
                    "%(count)d national delegations (at least %(minimum)d)",
                    self.delegations,
                )
                % {"count": self.delegations, "minimum": MIN_DELEGATIONS}
            )
        if self.groups < MIN_GROUPS:
            found.append(
                ngettext(
                    "%(count)d political group (at least %(minimum)d)",
                    "%(count)d political groups (at least %(minimum)d)",
                    self.groups,
                )
                % {"count": self.groups, "minimum": MIN_GROUPS}
            )
        return found

    def __str__(self):
        counts = _(
            "%(signatories)d signatories, %(delegations)d national delegations, "
            "%(groups)d political groups"
        ) % {
            "signatories": self.signatories,
            "delegations": self.delegations,
            "groups": self.groups,
        }
        if self.meets:
            return _("Meets the rule: %(counts)s.") % {"counts": counts}
        return _("Does not meet the rule: %(shortfalls)s.") % {
            "shortfalls": "; ".join(self.shortfalls)
        }


def check_signatures(signatures):
    """The RuleCheck of `signatures` (Signature rows, or anything with `signatory_id`,
    `country` and `political_group_id`), counting country and group as of signing."""
    signatures = list(signatures)
    return RuleCheck(
        signatories=len({signature.signatory_id for signature in signatures}),
        delegations=len({str(signature.country) for signature in signatures}),
        groups=len({signature.political_group_id for signature in signatures}),
    )
