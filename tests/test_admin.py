import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from prisoners.models import Detainee, Mention
from signatories.models import Declaration, PoliticalGroup, Signatory, Signature, Source

from .factories import (
    group,
    load_demo,
    make_declaration,
    make_detainee,
    make_signatory,
    make_signature,
)

MODELS = [PoliticalGroup, Signatory, Declaration, Signature, Detainee, Mention]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def listed(response):
    """The rows a changelist shows, as text."""
    return [str(obj) for obj in response.context["cl"].result_list]


def form_data(response, **changes):
    """What the admin form on `response` sends when saved as it is, with `changes` applied."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context.get("inline_admin_formsets", []):
        management = inline.formset.management_form
        data.update(
            {management.add_prefix(name): value for name, value in management.initial.items()}
        )
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(each) for each in value]
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = str(value)
    return {**data, **changes}


def signature_form_prefix(response, family_name):
    """The form prefix of `family_name`'s row in the signatures inline."""
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Signature
    ]
    [form] = [form for form in formset.forms if form.instance.signatory.family_name == family_name]
    return form.prefix


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)
def test_every_admin_page_opens(admin_client, demo, model):
    obj = model.objects.first()
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    for view in ["change", "history"]:
        response = admin_client.get(admin_url(model, view, obj.pk))
        assert response.status_code == 200
        assert escape(str(obj)) in response.content.decode()


def test_admin_is_titled_declaration_watch(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert "<title>Curation | Declaration Watch</title>" in response.content.decode()


def test_admin_is_closed_to_visitors(client, demo):
    response = client.get(admin_url(Signatory, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    ("term", "name"),
    [("aberg", "Boriana ÅBERG"), ("cilevics", "Boriss CILEVIČS"), ("ÆVARSDÓTTIR", "Thorhildur")],
)
def test_signatory_search_ignores_accents_and_capitals(admin_client, demo, term, name):
    response = admin_client.get(admin_url(Signatory, "changelist"), {"q": term})
    [row] = listed(response)
    assert row.startswith(name)
    assert name in response.content.decode()
    assert "GATTOLIN" not in response.content.decode()


def test_signatory_search_needs_every_word(admin_client, demo):
    response = admin_client.get(admin_url(Signatory, "changelist"), {"q": "boriana aberg"})
    assert listed(response) == ["Boriana ÅBERG"]
    response = admin_client.get(admin_url(Signatory, "changelist"), {"q": "boriss aberg"})
    assert listed(response) == []


def test_signature_search_finds_signatory_without_accents(admin_client, demo):
    other = make_declaration(number=700)
    make_signature(other, Signatory.objects.get(family_name="KÖCK"))
    response = admin_client.get(admin_url(Signature, "changelist"), {"q": "kock"})
    assert sorted(listed(response)) == [
        "Eduard KÖCK — Written declaration No. 695",
        "Eduard KÖCK — Written declaration No. 700",
    ]
    response = admin_client.get(admin_url(Signature, "changelist"), {"q": "700"})
    assert listed(response) == ["Eduard KÖCK — Written declaration No. 700"]


def test_detainee_search_finds_a_detainee_by_another_spelling(admin_client, demo):
    for term in ["Max Bokayev", "bokaev", "БОКАЕВ"]:
        response = admin_client.get(admin_url(Detainee, "changelist"), {"q": term})
        assert listed(response) == ["Maks Bokayev"], term


def test_declaration_search_by_number_reference_or_title(admin_client, demo):
    make_declaration(number=6950, document_reference="695", title="On something else")
    url = admin_url(Declaration, "changelist")
    assert listed(admin_client.get(url, {"q": "695"})) == [
        "Written declaration No. 6950",
        "Written declaration No. 695",
    ]
    assert listed(admin_client.get(url, {"q": "14983"})) == ["Written declaration No. 695"]
    assert listed(admin_client.get(url, {"q": "Kazakhstan arrests"})) == [
        "Written declaration No. 695"
    ]
    assert listed(admin_client.get(url, {"q": "no such words"})) == []


@pytest.mark.parametrize("term", ["aberg", "Åberg"])
def test_signatory_autocomplete_ignores_accents(admin_client, demo, term):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "signatories",
            "model_name": "signature",
            "field_name": "signatory",
            "term": term,
        },
    )
    assert [result["text"] for result in response.json()["results"]] == ["Boriana ÅBERG"]


def test_detainee_autocomplete_finds_other_spellings(admin_client, demo):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "prisoners",
            "model_name": "mention",
            "field_name": "detainee",
            "term": "max bokayev",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == ["Maks Bokayev"]


def test_signatory_country_filter_lists_that_delegation(admin_client, demo):
    response = admin_client.get(admin_url(Signatory, "changelist"), {"country": "IT"})
    assert [name.split()[-1] for name in listed(response)] == [
        "BERLINGHIERI",
        "BUCCARELLA",
        "MANIERO",
        "MARILOTTI",
        "RAMPI",
    ]


def test_signatory_group_filter_lists_that_group(admin_client, demo):
    response = admin_client.get(
        admin_url(Signatory, "changelist"), {"political_group__id__exact": group("UEL").pk}
    )
    assert [name.split()[-1] for name in listed(response)] == [
        "GAVAN",
        "HUNKO",
        "JALLOW",
        "PRINGLE",
    ]


def test_signatory_filters_offer_only_countries_and_groups_in_use(admin_client, demo):
    content = admin_client.get(admin_url(Signatory, "changelist")).content.decode()
    assert "Republic of Moldova" in content
    assert "Portugal" not in content
    assert "UEL" in content
    assert "EC/DA" not in content


def test_signature_count_links_to_the_signatories_signatures(admin_client, demo):
    aberg = Signatory.objects.get(family_name="ÅBERG")
    make_signature(make_declaration(number=700), aberg)
    response = admin_client.get(admin_url(Signatory, "changelist"), {"q": "aberg"})
    link = f"{admin_url(Signature, 'changelist')}?signatory__id__exact={aberg.pk}"
    assert f'<a href="{link}">2</a>' in response.content.decode()
    assert sorted(listed(admin_client.get(link))) == [
        "Boriana ÅBERG — Written declaration No. 695",
        "Boriana ÅBERG — Written declaration No. 700",
    ]


def test_declaration_changelist_counts_signatures(admin_client, demo):
    make_declaration(number=700)
    response = admin_client.get(admin_url(Declaration, "changelist"))
    counts = {row.number: row.signature_count for row in response.context["cl"].result_list}
    assert counts == {695: 25, 700: 0}


def test_detainee_changelist_counts_and_links_mentions(admin_client, demo):
    make_detainee(name="Nobody Named")
    response = admin_client.get(admin_url(Detainee, "changelist"))
    counts = {row.name: row.mention_count for row in response.context["cl"].result_list}
    assert counts["Maks Bokayev"] == 1
    assert counts["Nobody Named"] == 0
    bokayev = Detainee.objects.get(name="Maks Bokayev")
    response = admin_client.get(
        admin_url(Mention, "changelist"), {"detainee__id__exact": bokayev.pk}
    )
    assert listed(response) == ["Maks Bokayev — Written declaration No. 695"]


def test_publishing_declarations_records_the_curator(admin_client, admin_user, demo):
    draft = make_declaration(number=700, status=Declaration.Status.DRAFT)
    response = admin_client.post(
        admin_url(Declaration, "changelist"),
        {"action": "publish", "_selected_action": [draft.pk, demo.pk]},
        follow=True,
    )
    assert "1 declaration was published." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Declaration.Status.PUBLISHED
    assert draft.history.first().history_user == admin_user
    assert draft.history.first().status == Declaration.Status.PUBLISHED
    assert demo.history.count() == 1  # already published: left alone


def test_unpublishing_declarations_returns_them_to_draft(admin_client, admin_user, demo):
    response = admin_client.post(
        admin_url(Declaration, "changelist"),
        {"action": "unpublish", "_selected_action": [demo.pk]},
        follow=True,
    )
    assert "1 declaration was returned to draft." in response.content.decode()
    demo.refresh_from_db()
    assert demo.status == Declaration.Status.DRAFT
    assert demo.history.first().history_user == admin_user
    assert demo.signatures.count() == 25


def test_publishing_and_unpublishing_detainees_records_the_curator(admin_client, admin_user, demo):
    hidden = [make_detainee(name=name, is_published=False) for name in ["A B", "C D"]]
    source = Source.objects.create(title="Court record", publisher="District court")
    for detainee in hidden:
        detainee.sources.add(source)
    url = admin_url(Detainee, "changelist")
    response = admin_client.post(
        url, {"action": "publish", "_selected_action": [d.pk for d in hidden]}, follow=True
    )
    assert "2 detainees were published." in response.content.decode()
    assert Detainee.objects.filter(pk__in=[d.pk for d in hidden], is_published=True).count() == 2
    assert hidden[0].history.first().history_user == admin_user

    bokayev = Detainee.objects.get(name="Maks Bokayev")
    response = admin_client.post(
        url, {"action": "unpublish", "_selected_action": [bokayev.pk]}, follow=True
    )
    assert "1 detainee was unpublished." in response.content.decode()
    bokayev.refresh_from_db()
    assert not bokayev.is_published
    assert bokayev.history.first().history_user == admin_user


def test_declaration_change_page_lists_signatures_in_position_order(admin_client, demo):
    response = admin_client.get(admin_url(Declaration, "change", demo.pk))
    content = response.content.decode()
    names = [s.signatory.full_name for s in demo.signatures.order_by("position")]
    assert names[0] == "André GATTOLIN"
    places = [content.index(f">{name}</option>") for name in names]
    assert places == sorted(places)


def test_detainee_change_page_lists_the_declarations_naming_them(admin_client, demo):
    bokayev = Detainee.objects.get(name="Maks Bokayev")
    response = admin_client.get(admin_url(Detainee, "change", bokayev.pk))
    assert ">Written declaration No. 695</option>" in response.content.decode()


def test_saving_a_declaration_keeps_its_signatures_and_records_the_curator(
    admin_client, admin_user, demo
):
    url = admin_url(Declaration, "change", demo.pk)
    response = admin_client.post(url, form_data(admin_client.get(url), title="A better title"))
    assert response.status_code == 302
    demo.refresh_from_db()
    assert demo.title == "A better title"
    assert demo.signatures.count() == 25
    assert demo.mentions.count() == 9
    assert demo.history.first().history_user == admin_user
    assert demo.history.first().title == "A better title"


def test_a_signature_added_in_the_admin_is_recorded(admin_client, admin_user, demo):
    newcomer = make_signatory(family_name="NEWCOMER", country="PT", political_group=group("EPP/CD"))
    url = admin_url(Declaration, "change", demo.pk)
    data = form_data(admin_client.get(url))
    data.update(
        {
            "signatures-TOTAL_FORMS": "26",
            "signatures-25-position": "26",
            "signatures-25-signatory": str(newcomer.pk),
            "signatures-25-country": "PT",
            "signatures-25-political_group": str(group("EPP/CD").pk),
        }
    )
    assert admin_client.post(url, data).status_code == 302
    signature = demo.signatures.get(position=26)
    assert signature.signatory == newcomer
    assert signature.history.first().history_user == admin_user


def test_two_signatures_at_one_position_are_refused(admin_client, demo):
    url = admin_url(Declaration, "change", demo.pk)
    response = admin_client.get(url)
    prefix = signature_form_prefix(response, "ÅBERG")
    response = admin_client.post(url, form_data(response, **{f"{prefix}-position": "1"}))
    assert response.status_code == 200
    assert "Please correct the duplicate data for position." in response.content.decode()
    assert demo.signatures.get(position=1).signatory.family_name == "GATTOLIN"


def test_two_signatures_can_swap_places(admin_client, admin_user, demo):
    url = admin_url(Declaration, "change", demo.pk)
    response = admin_client.get(url)
    aberg = signature_form_prefix(response, "ÅBERG")
    gattolin = signature_form_prefix(response, "GATTOLIN")
    data = form_data(response, **{f"{aberg}-position": "1", f"{gattolin}-position": "2"})
    assert admin_client.post(url, data).status_code == 302
    first, second = demo.signatures.order_by("position")[:2]
    assert (first.signatory.family_name, second.signatory.family_name) == ("ÅBERG", "GATTOLIN")
    assert [record.position for record in first.history.all()] == [1, 2]
    assert first.history.first().history_user == admin_user


def test_a_signature_can_be_removed_and_its_place_taken(admin_client, demo):
    url = admin_url(Declaration, "change", demo.pk)
    response = admin_client.get(url)
    aevarsdottir = signature_form_prefix(response, "ÆVARSDÓTTIR")
    cilevics = signature_form_prefix(response, "CILEVIČS")
    data = form_data(response, **{f"{aevarsdottir}-position": "7", f"{cilevics}-DELETE": "on"})
    assert admin_client.post(url, data).status_code == 302
    assert demo.signatures.count() == 24
    assert demo.signatures.get(position=7).signatory.family_name == "ÆVARSDÓTTIR"
    assert not demo.signatures.filter(position=3).exists()


def test_changing_a_signature_group_moves_the_signatory(admin_client, demo):
    url = admin_url(Declaration, "change", demo.pk)
    response = admin_client.get(url)
    prefix = signature_form_prefix(response, "ÅBERG")
    data = form_data(
        response,
        **{f"{prefix}-political_group": str(group("SOC").pk), f"{prefix}-country": "NO"},
    )
    assert admin_client.post(url, data).status_code == 302
    aberg = Signatory.objects.get(family_name="ÅBERG")
    assert (aberg.country, aberg.political_group) == ("NO", group("SOC"))


def test_an_older_declaration_does_not_move_its_signatories(admin_client, demo):
    older = make_declaration(number=600, date=datetime.date(2015, 1, 1))
    gavan = Signatory.objects.get(family_name="GAVAN")
    make_signature(older, gavan, political_group=group("SOC"))
    url = admin_url(Declaration, "change", older.pk)
    assert admin_client.post(url, form_data(admin_client.get(url))).status_code == 302
    gavan.refresh_from_db()
    assert gavan.political_group == group("UEL")


@pytest.mark.parametrize("how", ["delete page", "bulk action"])
def test_deleting_the_latest_declaration_restores_the_earlier_affiliation(admin_client, demo, how):
    gavan = Signatory.objects.get(family_name="GAVAN")
    older = make_declaration(number=600, date=datetime.date(2015, 1, 1))
    make_signature(older, gavan, political_group=group("SOC"))
    if how == "delete page":
        url, data = admin_url(Declaration, "delete", demo.pk), {"post": "yes"}
    else:
        url = admin_url(Declaration, "changelist")
        data = {"action": "delete_selected", "_selected_action": [demo.pk], "post": "yes"}
    assert admin_client.post(url, data).status_code == 302
    assert not Declaration.objects.filter(number=695).exists()
    gavan.refresh_from_db()
    assert gavan.political_group == group("SOC")


def test_editing_a_signature_moves_the_signatory(admin_client, demo):
    signature = demo.signatures.get(signatory__family_name="GAVAN")
    url = admin_url(Signature, "change", signature.pk)
    data = form_data(admin_client.get(url), political_group=str(group("SOC").pk))
    assert admin_client.post(url, data).status_code == 302
    assert Signatory.objects.get(family_name="GAVAN").political_group == group("SOC")


def test_reverting_a_declaration_restores_the_older_title(admin_client, admin_user, demo):
    original = demo.history.earliest()
    demo.title = "A title to undo"
    demo.save()
    revert_url = admin_url(Declaration, "simple_history", demo.pk, original.history_id)
    response = admin_client.get(revert_url)
    assert response.status_code == 200
    assert "The international community must respond" in response.content.decode()
    assert admin_client.post(revert_url, form_data(response)).status_code == 302
    demo.refresh_from_db()
    assert demo.title == original.title
    assert demo.history.first().history_user == admin_user
    assert demo.signatures.count() == 25


def test_signatory_changelist_queries_do_not_grow_with_rows(
    admin_client, django_assert_max_num_queries
):
    url = admin_url(Signatory, "changelist")
    make_signatory()
    admin_client.get(url)
    with CaptureQueriesContext(connection) as one_row:
        response = admin_client.get(url)
    assert len(listed(response)) == 1
    load_demo()
    with django_assert_max_num_queries(len(one_row)):
        response = admin_client.get(url)
    assert len(listed(response)) == 26


def test_a_group_set_by_hand_survives_the_next_declaration_save(admin_client, demo):
    jallow = Signatory.objects.get(family_name="JALLOW")
    url = admin_url(Signatory, "change", jallow.pk)
    data = form_data(admin_client.get(url), political_group=str(group("SOC").pk))
    assert admin_client.post(url, data).status_code == 302
    jallow.refresh_from_db()
    assert jallow.affiliation_is_manual
    assert not jallow.refresh_affiliation()
    assert jallow.political_group == group("SOC")
