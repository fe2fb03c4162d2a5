"""The helpers in declaration_site/lib, one function at a time, and their docstring examples."""

import doctest
import importlib
import os
import pathlib
from types import SimpleNamespace

import django_filters
import pytest
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache as default_cache
from django.http import Http404
from django.views.generic import DetailView, ListView
from django.views.generic.base import ContextMixin
from django_countries.fields import Country
from drf_spectacular.drainage import get_override
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from declaration_site.lib import api, cache, filters, merging, views
from declaration_site.lib.admin import FoldedSearchMixin, changelist_link, merge_action
from declaration_site.lib.csv import FilteredCsvView, csv_response, neutralise
from declaration_site.lib.forms import FilterForm, SearchForm
from declaration_site.lib.queries import count_of
from declaration_site.lib.text import find_name, fold, name_words, unique_slug
from prisoners.models import Mention
from signatories.models import Declaration, Signatory, SignatoryAlias, Signature
from signatories.views import DeclarationListView

from .factories import make_declaration, make_detainee, make_mention, make_signatory, make_signature

LIB = pathlib.Path(__file__).resolve().parent.parent / "declaration_site" / "lib"
MODULES = sorted(path.stem for path in LIB.glob("[!_]*.py"))


# Docstring examples
@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(f"declaration_site.lib.{name}")
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    assert doctest.testmod(module, optionflags=flags).failed == 0


def test_skipped_docstring_examples_hold_on_the_demo_data(demo):
    """The examples that need the database, skipped by doctest, run on the demo data."""
    names = {"Declaration": Declaration, "Signatory": Signatory, "Signature": Signature}
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for name in MODULES:
        module = importlib.import_module(f"declaration_site.lib.{name}")
        for test in doctest.DocTestFinder().find(module, globs={**vars(module), **names}):
            test.examples = [e for e in test.examples if e.options.pop(doctest.SKIP, False)]
            runner.run(test)
    assert (runner.failures, runner.tries) == (0, 12)


# text.py
def test_fold_and_name_words_strip_accents_and_collapse_spaces():
    assert fold("  ÅBERG \t Boriana\n") == "aberg boriana"
    assert fold("Łukasz Ødegård STRAẞE O’Brien") == "lukasz odegard strasse o'brien"
    assert name_words(" Åberg  BORIANA ") == ["aberg", "boriana"]
    assert name_words("   ") == []


def test_unique_slug_slugifies_the_folded_name_within_the_length(db):
    assert unique_slug(Signatory.objects.all(), "André  GATTOLIN") == "andre-gattolin"
    assert unique_slug(Signatory.objects.all(), "?!") == "item"
    make_signatory(family_name="ABCDEFGHIJ", given_name="", slug="abcdefghij")
    assert unique_slug(Signatory.objects.all(), "abcdefghij", max_length=10) == "abcdefgh-2"


def test_unique_slug_appends_a_counter_when_taken(db):
    first = make_signatory(given_name="André", family_name="GATTOLIN")
    second = make_signatory(given_name="André", family_name="GATTOLIN", country="IT")
    assert (first.slug, second.slug) == ("andre-gattolin", "andre-gattolin-2")
    assert unique_slug(Signatory.objects.all(), "Andre Gattolin") == "andre-gattolin-3"
    assert unique_slug(Signatory.objects.all(), "Andre Gattolin", exclude_pk=first.pk) == (
        "andre-gattolin"
    )


def test_find_name_returns_the_whole_words_as_written():
    text = "the release of MAKS  Bokayev,\nAhmet Şık and Herr Großmann"
    assert find_name(text, "Maks Bokayev") == "MAKS  Bokayev"
    assert find_name(text, "ahmet sik") == "Ahmet Şık"
    assert find_name(text, "grossmann") == "Großmann"
    assert find_name("Bokayev,\nAhmet", "bokayev ahmet") is None  # a comma between them
    assert find_name("Ivan Ivanova", "Ivan Ivanov") is None
    assert find_name("Ivan Ivanov.", "ivanov") == "Ivanov"
    assert find_name("Ivan Abokayev", "bokayev") is None
    assert find_name("anything", "  ") is None


# queries.py
def test_count_of_counts_without_multiplying_joins(db):
    declaration, other = make_declaration(), make_declaration()
    for family_name in ("ONE", "TWO", "THREE"):
        make_signature(declaration, make_signatory(family_name=family_name))
    for name in ("Jan Kowalski", "Anna Nowak"):
        make_mention(declaration, make_detainee(name=name))
    counted = Declaration.objects.filter(signatures__signatory__family_name="ONE").annotate(
        signature_total=count_of(Signature.objects.all(), "declaration"),
        mention_total=count_of(Mention.objects.all(), "declaration"),
    )
    assert [(row.signature_total, row.mention_total) for row in counted] == [(3, 2)]
    zero = Declaration.objects.annotate(n=count_of(Signature.objects.all(), "declaration"))
    assert zero.get(pk=other.pk).n == 0


# cache.py
def test_memoise_recomputes_after_a_new_generation(db):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert [cache.memoise("n", compute), cache.memoise("n", compute)] == [1, 1]
    cache.bump()
    assert cache.memoise("n", compute) == 2


def test_memoise_in_process_hands_out_one_value_until_the_next_generation(db, monkeypatch):
    calls = []

    def compute():
        calls.append(1)
        return [("IT", "Italy"), ("FR", "France")]

    first = cache.memoise("choices", compute, in_process=True)
    default_cache.clear()  # not read again from the shared cache: kept in this process
    assert cache.memoise("choices", compute, in_process=True) is first
    assert len(calls) == 1
    cache.bump()
    again = cache.memoise("choices", compute, in_process=True)
    assert again == first and again is not first
    assert len(calls) == 2
    # Without in_process, each call reads its own copy from the cache.
    assert cache.memoise("copied", compute) is not cache.memoise("copied", compute)


def test_in_process_memo_forgets_what_the_cache_would_have_let_expire(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: now[0])
    memo = cache.InProcessMemo(size=2)
    memo.set("a", 1, 60)
    memo.set("b", 2, None)
    now[0] += 59
    assert memo.get("a") == 1
    now[0] += 1
    assert memo.get("a") is None
    assert memo.get("b") == 2
    memo.set("c", 3, 60)
    memo.set("d", 4, 60)  # over its size: the least recently used goes
    assert (memo.get("b"), memo.get("c"), memo.get("d")) == (None, 3, 4)


def test_bump_starts_another_generation_on_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        before = cache.generation()
        cache.bump()
        during = cache.generation()
    assert len(callbacks) == 1
    assert len({before, during, cache.generation()}) == 3


def test_every_bump_is_seen_however_quickly_they_follow(db):
    """The stamp file is read again only when it is another file: bumps a few microseconds
    apart (one clock tick, files of one size) are each seen."""
    seen = []
    for _ in range(300):
        cache._bump()
        seen.append(cache.generation())
    assert len(set(seen)) == 300


def test_generation_lives_in_a_shared_cache(db, settings, tmp_path):
    backend = "django.core.cache.backends.filebased.FileBasedCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": str(tmp_path)}}
    first = cache.generation()
    assert default_cache.get(cache.GENERATION_KEY) == first == cache.generation()
    cache.bump()
    assert default_cache.get(cache.GENERATION_KEY) == cache.generation() != first


def test_a_request_reads_the_generation_once_and_sees_its_own_bump(db):
    """Within a request, a change by another process does not split the page between two
    generations; a change by the request itself is seen at once. Outside, every call reads."""
    from django.core.signals import request_finished, request_started

    request_started.send(sender=None)
    try:
        first = cache.generation()
        # Another process's change: the stamp file (or shared key) changes underneath.
        other_process = cache._new_generation()
        _write_generation_elsewhere(other_process)
        assert cache.generation() == first
        cache.bump()
        own = cache.generation()
        assert own not in (first, other_process)
    finally:
        request_finished.send(sender=None)
    _write_generation_elsewhere("after-the-request")
    assert cache.generation() == "after-the-request"


def _write_generation_elsewhere(value):
    """What another process's bump leaves behind, written without this thread knowing."""
    if cache._process_local():
        # As a bump does: a new file moved over the old one.
        path = cache._stamp_path()
        with open(f"{path}.elsewhere", "w", encoding="ascii") as stamp:
            stamp.write(value)
        os.replace(f"{path}.elsewhere", path)
    else:
        default_cache.set(cache.GENERATION_KEY, value, None)


# views.py
class DeclarationPages(views.PublicListMixin, ListView):
    model = Declaration
    paginate_by = 2


class DeclarationPage(views.PreviewMixin, DetailView):
    model = Declaration


class SignatoryPage(views.AliasRedirectMixin, views.PublicMixin, DetailView):
    model = Signatory
    alias_model = SignatoryAlias
    alias_target = "signatory"


def test_section_mixin_tells_the_page_its_section():
    page = type("Page", (views.SectionMixin, ContextMixin), {"section": "groups"})()
    assert page.get_context_data()["section"] == "groups"
    assert page.get_context_data(section="home")["section"] == "home"


def test_public_list_mixin_shows_last_page_past_the_end(db, rf):
    for number in range(1, 6):
        make_declaration(number=number)
    make_declaration(number=6, status=Declaration.Status.DRAFT)

    def page(number):
        context = DeclarationPages.as_view()(rf.get("/", {"page": number})).context_data
        return context["page_obj"].number, [row.number for row in context["object_list"]]

    assert page("99") == (3, [1])
    assert page("two") == (1, [5, 4])


def test_preview_mixin_shows_drafts_to_those_who_may_change_them(db, rf, admin_user):
    published, draft = make_declaration(), make_declaration(status=Declaration.Status.DRAFT)
    view = DeclarationPage()
    view.request = SimpleNamespace(user=AnonymousUser())
    assert list(view.get_queryset()) == [published]
    view.request.user = admin_user
    assert set(view.get_queryset()) == {published, draft}


def test_alias_redirect_mixin_sends_old_addresses_to_the_record_kept(db, rf):
    kept, hidden = make_signatory(), make_signatory(family_name="HIDDEN")
    make_signature(make_declaration(), kept)
    SignatoryAlias.objects.create(slug="jane-doe-old", signatory=kept)
    SignatoryAlias.objects.create(slug="hidden-old", signatory=hidden)
    response = SignatoryPage.as_view()(rf.get("/"), slug="jane-doe-old")
    assert (response.status_code, response.url) == (301, kept.get_absolute_url())
    for slug in ("hidden-old", "nobody"):
        with pytest.raises(Http404):
            SignatoryPage.as_view()(rf.get("/"), slug=slug)


# admin.py
class RecordingAdmin(FoldedSearchMixin, admin.ModelAdmin):
    search_fields = ["search_name"]

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        self.sent.append((level, str(message)))


@pytest.fixture
def model_admin():
    model_admin = RecordingAdmin(Signatory, admin.site)
    model_admin.sent = []
    return model_admin


def test_folded_search_mixin_searches_with_the_folded_term(db, rf, model_admin):
    aberg = make_signatory(given_name="Boriana", family_name="ÅBERG")
    make_signatory(given_name="Petra", family_name="BAYR")
    found, _ = model_admin.get_search_results(rf.get("/"), Signatory.objects.all(), "Åberg BORIANA")
    assert list(found) == [aberg]


def test_changelist_link_opens_the_list_filtered_on_the_record(db):
    signatory = make_signatory()
    link = changelist_link(Signature, "signatory", signatory, "<2> signatures")
    url = f"/{settings.ADMIN_URL}signatories/signature/?signatory={signatory.pk}"
    assert link == f'<a href="{url}">&lt;2&gt; signatures</a>'


def merge_request(rf, admin_user, **data):
    request = rf.post("/", {"action": "merge", **data})
    request.user = admin_user
    return request


def test_merge_action_asks_then_merges_into_the_record_chosen(db, rf, admin_user, model_admin):
    calls = []
    keep, other = make_signatory(), make_signatory(family_name="DOE-SMITH")
    duplicate = make_declaration(number=42)

    def merge(kept, others):
        calls.append((kept, others))
        return merging.MergeReport(kept=kept, merged=[str(other)], duplicates=[duplicate])

    both = Signatory.objects.filter(pk__in=[keep.pk, other.pk])
    asked = merge_action(model_admin, merge_request(rf, admin_user), both, merge)
    assert asked.template_name == "admin/merge_confirmation.html"
    assert set(asked.context_data["form"].fields["keep"].queryset) == {keep, other}
    assert calls == []
    request = merge_request(rf, admin_user, merge="1", keep=str(keep.pk))
    assert merge_action(model_admin, request, both, merge) is None
    assert calls == [(keep, [other])]
    assert model_admin.sent[0] == (messages.SUCCESS, "Jane DOE-SMITH merged into Jane DOE.")
    assert model_admin.sent[1][0] == messages.WARNING
    assert str(duplicate) in model_admin.sent[1][1]


def test_merge_action_refuses_one_record_and_shows_merge_errors(db, rf, admin_user, model_admin):
    keep, other = make_signatory(), make_signatory(family_name="ROE")
    one = Signatory.objects.filter(pk=keep.pk)
    assert merge_action(model_admin, merge_request(rf, admin_user), one, merge=None) is None
    assert model_admin.sent.pop()[0] == messages.ERROR

    def merge(kept, others):
        raise merging.MergeError("These two cannot be merged.")

    both = Signatory.objects.filter(pk__in=[keep.pk, other.pk])
    request = merge_request(rf, admin_user, merge="1", keep=str(keep.pk))
    response = merge_action(model_admin, request, both, merge)
    assert response.context_data["form"].non_field_errors() == ["These two cannot be merged."]
    assert model_admin.sent == []


# merging.py
def test_add_other_names_skips_known_names_whatever_their_case():
    record = SimpleNamespace(other_names="Boriana Aberg\n\n")
    names = ["BORIANA ABERG", " Boriana ÅBERG ", "jane doe", "", "B. Åberg", "b. åberg"]
    merging.add_other_names(record, names, current=["Jane DOE"])
    assert record.other_names == "Boriana Aberg\nBoriana ÅBERG\nB. Åberg"


def test_check_merge_refuses_merging_a_record_into_itself():
    keep, other = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    with pytest.raises(merging.MergeError, match="cannot be merged into itself"):
        merging.check_merge(keep, [other, SimpleNamespace(pk=1)])
    with pytest.raises(merging.MergeError, match="at least one other record"):
        merging.check_merge(keep, iter([]))
    assert merging.check_merge(keep, iter([other])) == [other]


def test_move_links_moves_rows_and_drops_those_the_kept_record_has(db):
    both, only_other = make_declaration(), make_declaration()
    keep, other = make_signatory(), make_signatory(family_name="ROE")
    for declaration, signatory in [(both, keep), (both, other), (only_other, other)]:
        make_signature(declaration, signatory)
    report, declarations = merging.MergeReport(kept=keep), {both.pk}
    merging.move_links(other.signatures.all(), "signatory", keep, declarations, report)
    assert (report.moved, report.duplicates) == (1, [both])
    assert declarations == {both.pk, only_other.pk}
    assert set(keep.signatures.values_list("declaration", flat=True)) == declarations
    assert not other.signatures.exists()


# csv.py
def test_neutralise_defuses_formula_cells():
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(cell) == "'" + cell
    assert [neutralise("Jane =DOE"), neutralise(None), neutralise(695)] == ["Jane =DOE", "", "695"]


def test_csv_response_streams_the_rows_as_they_are_read():
    read = []

    def rows():
        for row in (["=cmd()", None], ["ok", 2]):
            read.append(row)
            yield row

    response = csv_response("rows.csv", ["a", "b"], rows())
    assert read == []
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rows.csv"'
    assert b"".join(response.streaming_content).decode() == "a,b\r\n'=cmd(),\r\nok,2\r\n"


class DeclarationNumbersCsv(FilteredCsvView):
    list_view = DeclarationListView
    filename = "numbers.csv"
    header = ("number", "url")

    def row(self, declaration):
        return declaration.number, self.url(declaration)


def test_filtered_csv_view_lists_every_filtered_row_or_names_the_refused_filter(db, rf):
    shown = [make_declaration(number=n) for n in (1, 2)]
    make_declaration(number=3, date=shown[0].date.replace(year=2019))
    make_declaration(number=4, status=Declaration.Status.DRAFT)
    response = DeclarationNumbersCsv.as_view()(rf.get("/", {"year": "2020"}))
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines == ["number,url"] + [
        f"{d.number},http://testserver{d.get_absolute_url()}" for d in reversed(shown)
    ]
    refused = DeclarationNumbersCsv.as_view()(rf.get("/", {"year": "20x"}))
    assert refused.status_code == 400
    assert refused.content.decode().startswith("year: Select a valid choice.")


# filters.py
def test_country_choices_sorted_by_name_without_blanks():
    choices = filters.country_choices(["CH", "SE", "", "CH"])
    assert choices == [("SE", "Sweden"), ("CH", "Switzerland")]


def test_fixed_choices_are_shared_by_every_form_and_still_validate():
    class Chosen(django_filters.FilterSet):
        country = filters.CountriesFilter(field_name="country")

        class Meta:
            model = Signature
            fields = []

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.filters["country"].extra["choices"] = filters.FixedChoices(
                [("IT", "Italy"), ("FR", "France")]
            )

    first, second = Chosen({"country": ["it"]}), Chosen({"country": ["zz"]})
    assert first.is_valid()
    assert first.form.cleaned_data["country"] == ["IT"]
    assert not second.is_valid()
    assert "ZZ is not one of the available choices" in str(second.form.errors)
    # A form copies its class's fields; the tuple of choices is kept, not copied pair by pair.
    field, copied = type(first.form).base_fields["country"], first.form.fields["country"]
    assert copied is not field
    assert copied.choices.choices is field.choices.choices
    assert list(first.form.fields["country"].widget.choices) == [("IT", "Italy"), ("FR", "France")]


class SignatureFilter(django_filters.FilterSet):
    country = filters.CountryFilter(choices=[("IT", "Italy"), ("FR", "France")])
    countries = filters.CountriesFilter(field_name="country", choices=[("IT", "I"), ("FR", "F")])
    declaration = filters.DeclarationNumberFilter(field_name="declaration__number")

    class Meta:
        model = Signature
        fields = []


@pytest.fixture
def signatures(db):
    first, second = make_declaration(number=1), make_declaration(number=2)
    italian, french = make_signatory(family_name="ROSSI", country="IT"), make_signatory()
    for declaration, signatory in [(first, italian), (first, french), (second, french)]:
        make_signature(declaration, signatory)


def signers(**data):
    filterset = SignatureFilter(data, queryset=Signature.objects.all())
    valid = filterset.is_valid()
    return sorted(s.country.code for s in filterset.qs) if valid else filterset.errors


def test_country_filter_takes_any_case(signatures):
    assert signers(country="it") == signers(country="IT") == ["IT"]
    assert list(signers(country="xx")) == ["country"]


def test_countries_filter_takes_several_codes_in_any_case(signatures):
    assert signers(countries=["it", "Fr"]) == ["FR", "FR", "IT"]


def test_declaration_number_filter_takes_a_whole_number_only(signatures):
    assert signers(declaration="2") == ["FR"]
    assert signers(declaration="2a") == {"declaration": ["Enter a whole number."]}


# forms.py
def test_search_form_collapses_spaces_and_caps_the_length():
    form = SearchForm({"q": "  Maks \t Bokayev "})
    assert form.is_valid() and form.cleaned_data["q"] == "Maks Bokayev"
    assert not SearchForm({"q": "x" * 201}).is_valid()


def test_filter_form_labels_have_no_trailing_colon():
    form_class = type("Names", (FilterForm,), {"name": forms.CharField(label="Name")})
    assert form_class()["name"].label_tag() == '<label for="id_name">Name</label>'


# api.py
class SignatureRow(serializers.ModelSerializer):
    class Meta:
        model = Signature
        fields = ["position"]


class SignatureRecord(serializers.ModelSerializer):
    country = api.CountryCodeField()
    url = api.PageURLField()

    class Meta:
        model = Signature
        fields = ["position", "country", "url"]


class Signatures(api.PublicViewSet):
    queryset = Signature.objects.order_by("position")
    serializer_class = SignatureRow
    detail_serializer_class = SignatureRecord
    filterset_class = api.documented(
        SignatureFilter, country=api.parameter(api.COUNTRY, "Signed for this delegation.")
    )


def test_parameter_adds_a_description_without_changing_the_schema():
    assert api.parameter(api.COUNTRY, "Held here.") == {**api.COUNTRY, "description": "Held here."}
    assert "description" not in api.COUNTRY


def test_absolute_addresses_need_a_request(rf):
    assert api.absolute(None, "/groups/") == "/groups/"
    assert api.absolute(rf.get("/"), "/groups/") == "http://testserver/groups/"
    assert (api.SLUG.name, api.SLUG.location) == ("slug", "path")


def test_country_code_field_gives_null_for_an_unknown_country():
    field = api.CountryCodeField()
    assert [field.to_representation(Country(code)) for code in ("IT", "")] == ["IT", None]


def test_public_viewset_filters_lists_only_and_details_in_full(signatures, rf):
    listing = Signatures.as_view({"get": "list"})
    assert listing(rf.get("/", {"country": "it"})).data["results"] == [{"position": 1}]
    assert listing(rf.get("/", {"declaration": "x"})).status_code == 400
    signature = Signature.objects.get(declaration__number=2)
    retrieve = Signatures.as_view({"get": "retrieve"})
    detail = retrieve(rf.get("/", {"country": "it"}), pk=signature.pk)
    url = f"http://testserver{signature.declaration.get_absolute_url()}"
    assert detail.data == {"position": 1, "country": "FR", "url": url}


def test_documented_filters_and_public_schema_describe_the_api(db):
    router = SimpleRouter()
    router.register("signatures", Signatures, basename="signature")
    paths = SchemaGenerator(patterns=router.urls).get_schema(request=None, public=True)["paths"]
    listing, detail = paths["/signatures/"]["get"], paths["/signatures/{id}/"]["get"]
    country = next(p for p in listing["parameters"] if p["name"] == "country")
    assert country["schema"]["pattern"] == api.COUNTRY["pattern"]
    assert country["description"] == "Signed for this delegation."
    assert get_override(SignatureFilter.base_filters["country"], "field") is None
    assert sorted(listing["responses"]) == ["200", "400", "404"]
    assert sorted(detail["responses"]) == ["200", "404"]


def test_threads_of_one_process_bump_the_generation_at_once_without_an_error(db):
    """Two curators' saves in two threads of one worker each start a generation."""
    import threading

    errors = []

    def bump_many():
        try:
            for _ in range(200):
                cache._bump()
        except Exception as error:  # noqa: BLE001 (the test reports any)
            errors.append(error)

    threads = [threading.Thread(target=bump_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.generation()
