"""The annual report of a province: its figures, its PDF and who may print it."""

import datetime
import io
import sys
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from ovop.centres.models import CommodityGroup
from ovop.coaching.models import Indicator
from ovop.evaluation.models import Decision
from ovop.proposals.models import Proposal
from ovop.proposals.outputs.pdf import indonesian_date
from ovop.regions.models import Region
from ovop.reports.outputs.pdf_charts import change_bars, count_bars, report_charts
from ovop.reports.selectors.annual import annual_report, fixed_province
from tests.coaching.programmes_builders import make_activity, make_programme
from tests.factories import CentreFactory, UserFactory, make_cycle, make_proposal, make_round

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed (table cells wrap words onto new lines)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def decide(proposal, *, stars, score=None, published=True, by):
    """A decision on ``proposal``; a published one moves it to rated / not rated."""
    if published:
        state = "rated" if stars else "not_rated"
        Proposal.objects.filter(pk=proposal.pk).update(state=state)
    return Decision.objects.create(
        proposal=proposal,
        score=score,
        computed_stars=stars,
        stars=stars,
        status="published" if published else "pending",
        decided_by=by,
        published_at=timezone.now() if published else None,
    )


def proposal_in(world, *, name, district="63.03.01", state="draft", round_=None, **centre):
    centre = CentreFactory(region_id=district, name=name, **centre)
    return make_proposal(
        round_=round_ or world["round"], centre=centre, state=state, documents=False
    )


def food():
    return CommodityGroup.objects.get(code="makanan-minuman")


@pytest.fixture
def year(world):
    """Kalimantan Selatan in the 2026 cycle, with the 2025 cycle before it.

    Banjar (63.03): the world's sentra rated ★4 (80,00; ★3 in 2025), a food sentra rated ★5,
    one submitted and one not rated. Barito Kuala (63.04): one returned. Tapin (63.05): the
    world's sentra with a ★3 decision still pending. Kalimantan Timur: a ★5 of its own.
    """
    admin = world["admin"]
    banjar = world["proposal_banjar"]
    decide(banjar, stars=4, score=Decimal("80.00"), by=admin)
    five = proposal_in(world, name="Sentra Dodol Martapura", commodity=food())
    decide(five, stars=5, score=Decimal("91.50"), by=admin)
    proposal_in(world, name="Sentra Banjar Diajukan", state="submitted")
    refused = proposal_in(world, name="Sentra Banjar Ditolak")
    decide(refused, stars=None, score=Decimal("35.00"), by=admin)
    proposal_in(world, name="Sentra Barito Kembali", district="63.04.01", state="returned")
    pending = make_proposal(
        round_=world["round"], centre=world["centre_tapin"], state="eligible", documents=False
    )
    decide(pending, stars=3, score=Decimal("60.00"), published=False, by=admin)
    east = proposal_in(
        world,
        name="Sentra Ulap Doyo",
        district="64.01.01",
        round_=make_round(cycle=world["cycle"], province="64"),
    )
    decide(east, stars=5, score=Decimal("95.00"), by=admin)
    # The 2025 cycle: the Banjar sentra rated ★3.
    earlier = make_round(cycle=make_cycle(year=2025, name="OVOP 2025"), province="63")
    before = make_proposal(round_=earlier, centre=world["centre_banjar"], documents=False)
    decide(before, stars=3, score=Decimal("62.00"), by=admin)
    return {"five": five, "refused": refused, "pending": pending, "earlier": earlier.cycle}


def report_of(world, province="63"):
    """The report's figures with their labels in English."""
    with translation.override("en"):
        return annual_report(
            cycle=world["cycle"], province=Region.objects.get(code=province), today=TODAY
        )


# Figures -----------------------------------------------------------------------------------


def test_annual_report_counts_each_regency_by_the_furthest_step_reached(world, year):
    report = report_of(world)

    rows = {row.code: row for row in report.regencies}
    assert len(rows) == 13  # every kab/kota of Kalimantan Selatan, with or without proposals
    banjar = rows["63.03"]
    assert (banjar.proposed, banjar.submitted, banjar.returned, banjar.verified) == (4, 4, 0, 3)
    assert (banjar.forwarded, banjar.eligible, banjar.rated, banjar.not_rated) == (3, 3, 2, 1)
    assert banjar.quota_met is True
    assert (rows["63.04"].proposed, rows["63.04"].returned, rows["63.04"].submitted) == (1, 1, 0)
    assert rows["63.04"].quota_met is False
    assert (rows["63.05"].eligible, rows["63.05"].rated) == (1, 0)
    assert rows["63.01"].proposed == 0
    assert (report.total.proposed, report.total.submitted, report.total.rated) == (6, 5, 2)
    assert report.quota_met_count == 1
    states = {row.state: row.count for row in report.states}
    assert states == {
        "draft": 0,
        "submitted": 1,
        "returned": 1,
        "verified": 0,
        "forwarded": 0,
        "eligible": 1,
        "ineligible": 0,
        "rated": 2,
        "not_rated": 1,
        "withdrawn": 0,
    }


def test_annual_report_without_a_round_leaves_the_quota_open(world):
    report = report_of(world, province="64")

    assert report.round is None
    assert {row.quota_met for row in report.regencies} == {None}
    assert report.total.proposed == 0


def test_annual_report_results_hold_published_ratings_only_best_first(world, year):
    report = report_of(world)

    assert [(row.centre, row.stars, row.score) for row in report.rated] == [
        ("Sentra Dodol Martapura", 5, 91.5),
        ("Sentra Banjar", 4, 80.0),
    ]
    # Neither the pending ★3 of Tapin nor the not-rated sentra, nor another province's.
    assert report.rated[1].regency == "Kabupaten Banjar"


def test_annual_report_counts_stars_by_commodity(world, year):
    report = report_of(world)

    assert report.star_columns == [5, 4, 3, 2, 1]
    assert [(row.commodity, row.counts, row.total) for row in report.stars_by_commodity] == [
        ("Batik fabric", [0, 1, 0, 0, 0], 1),
        ("Food & beverages", [1, 0, 0, 0, 0], 1),
    ]


def test_annual_report_compares_with_the_previous_cycle(world, year):
    comparison = report_of(world).comparison

    assert comparison.previous == year["earlier"]
    figures = {row.label: (row.previous, row.current) for row in comparison.rows}
    assert figures["Rated sentra"] == (1, 2)
    assert figures["Not rated"] == (0, 1)
    assert figures["Mean score of the rated sentra"] == (62.0, 85.75)
    assert figures["Sentra with 5 star(s)"] == (0, 1)
    assert figures["Sentra with 3 star(s)"] == (1, 0)
    assert comparison.both == [("Sentra Banjar", 3, 4)]


def test_annual_report_of_the_first_cycle_has_no_comparison(world):
    assert report_of(world).comparison is None


@pytest.fixture
def coaching(world, year):
    """A ministry programme for the two rated Banjar sentra and a Kalimantan Timur sentra,
    a finished 2024 programme, and one only for Kalimantan Timur."""
    admin = world["admin"]
    east = Proposal.objects.get(centre__name="Sentra Ulap Doyo").centre
    export = make_programme(
        actor=admin,
        name="Pendampingan Ekspor",
        level="ministry",
        region=None,
        centres=[world["centre_banjar"], year["five"].centre, east],
        budget=300_000_000,
        year_end=2027,
    )
    make_activity(
        actor=admin,
        programme=export,
        centres=[world["centre_banjar"]],
        participants_male=4,
        participants_female=6,
        cost=10_000_000,
    )
    make_activity(
        actor=admin,
        programme=export,
        centres=[east],
        title="Pameran",
        participants_male=1,
        participants_female=2,
        cost=5_000_000,
    )
    make_programme(
        actor=admin,
        name="Pembinaan Lama",
        level="ministry",
        region=None,
        centres=[world["centre_banjar"]],
        year_start=2024,
        year_end=2024,
    )
    make_programme(
        actor=admin, name="Pembinaan Kaltim", level="ministry", region=None, centres=[east]
    )
    return export


def test_annual_report_lists_programmes_coaching_the_provinces_sentra(world, coaching):
    report = report_of(world)

    assert len(report.programmes) == 1
    row = report.programmes[0]
    assert (row.name, row.years, row.budget) == ("Pendampingan Ekspor", "2026–2027", 300_000_000)
    assert row.owner == "Ministry (Kemenperin)"
    assert (row.province_centres, row.target_centres) == (2, 3)
    assert (row.activities, row.participants_male, row.participants_female) == (2, 5, 8)
    assert row.cost == 15_000_000


def indicator(centre, *, year, kind, workers, value):
    return Indicator.objects.create(
        centre=centre,
        year=year,
        kind=kind,
        workers_male=workers,
        workers_female=0,
        production_value=value,
    )


def test_annual_report_rolls_up_the_indicators_of_the_rated_sentra(world, year):
    indicator(world["centre_banjar"], year=2026, kind="baseline", workers=10, value=1_000_000)
    indicator(world["centre_banjar"], year=2027, kind="actual", workers=12, value=1_500_000)
    # Tapin's decision is pending: its figures stay out of the rollup.
    indicator(world["centre_tapin"], year=2026, kind="baseline", workers=50, value=9_000_000)
    indicator(world["centre_tapin"], year=2027, kind="actual", workers=90, value=9_000_000)

    report = report_of(world)

    assert report.rollup_centres == 1
    rows = {row["label"]: row for row in report.rollup}
    assert rows["Workers"]["centres"] == 1
    assert (rows["Workers"]["baseline"], rows["Workers"]["latest"]) == ("10", "12")
    assert rows["Workers"]["percent_value"] == pytest.approx(20.0)
    assert rows["Export value (Rp/year)"]["percent_value"] is None


def add_rated_sentra(world, count: int) -> None:
    """``count`` more rated Banjar sentra, each with a programme and indicator figures."""
    for number in range(count):
        proposal = proposal_in(world, name=f"Sentra Uji {number:02d}")
        decide(proposal, stars=1 + number % 5, score=Decimal(50 + number), by=world["admin"])
        centre = proposal.centre
        programme = make_programme(
            actor=world["admin"],
            name=f"Program {number:02d}",
            level="ministry",
            region=None,
            centres=[centre],
        )
        make_activity(actor=world["admin"], programme=programme, centres=[centre], cost=1_000)
        indicator(centre, year=2026, kind="baseline", workers=5, value=100)
        indicator(centre, year=2027, kind="actual", workers=6, value=200)


@pytest.mark.parametrize("count", [1, 25])
def test_annual_report_reads_a_fixed_number_of_queries(
    world, year, count, django_assert_max_num_queries
):
    add_rated_sentra(world, count)
    province = Region.objects.get(code="63")

    with django_assert_max_num_queries(10):
        report = annual_report(cycle=world["cycle"], province=province, today=TODAY)

    assert len(report.rated) == 2 + count
    assert len(report.programmes) == count
    assert report.rollup_centres == count


def test_fixed_province_lets_only_national_roles_choose(world):
    assert fixed_province(world["admin"]) is None
    assert fixed_province(world["viewer"]) is None
    assert fixed_province(world["verifier"]) == "63"
    assert fixed_province(world["operator"]) == "63"
    assert fixed_province(world["verifier_other"]) == "64"
    assert fixed_province(world["assessor"]) == "63"  # and the view refuses them anyway


def test_annual_pdf_is_404_for_a_regional_account_without_a_region(client, world):
    lost = UserFactory(role="verifier", region=None)
    client.force_login(lost)

    assert client.get(pdf_url(world["cycle"].pk)).status_code == 404


# Charts ------------------------------------------------------------------------------------


def test_count_bars_scale_to_the_largest_and_escape_labels():
    chart = count_bars(chart_id="c", title="T <1>", summary="S", rows=[("<b>A</b>", 4), ("B", 0)])

    assert "<b>A</b>" not in chart
    assert "&lt;b&gt;A&lt;/b&gt;" in chart
    assert chart.count("<rect") == 1  # nothing drawn for zero
    # The largest bar takes the room between the labels and the space for its number.
    assert 'width="260.0"' in chart
    assert "style=" not in chart


def test_change_bars_draw_growth_right_decline_left_and_a_dash_without_figures():
    chart = change_bars(
        chart_id="c",
        title="T",
        summary="S",
        rows=[("Up", 20.0, "+20 %"), ("Down", -10.0, "−10 %"), ("None", None, "no figures")],
    )

    assert chart.count("<rect") == 2
    assert 'fill="#0b6e4f"' in chart
    assert 'fill="#b3261e"' in chart
    assert "no figures" not in chart
    assert ">–</text>" in chart


def test_report_charts_skip_empty_sections(world):
    charts = report_charts(report_of(world))

    assert charts["states"] is not None
    assert charts["stars"] is None
    assert charts["indicators"] is None


# Screens -----------------------------------------------------------------------------------


def pdf_url(cycle_pk: int, province: str = "63") -> str:
    return reverse("reports:annual_pdf", kwargs={"cycle_pk": cycle_pk, "province": province})


def test_annual_pdf_prints_the_province_results_and_coaching(client, world, coaching):
    client.force_login(world["verifier"])

    response = client.get(pdf_url(world["cycle"].pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "laporan-tahunan-ovop-63-2026.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Kalimantan Selatan" in text
    assert "OVOP 2026" in text
    assert "Provinsi 63 Kalimantan Selatan" in text  # Indonesian, the official language
    assert indonesian_date(timezone.localdate()) in text
    assert "Sentra Banjar Kabupaten Banjar Kain batik 80,00 ★★★★ (4)" in text
    assert "Sentra Dodol Martapura" in text
    assert "91,50 ★★★★★ (5)" in text
    assert "Pendampingan Ekspor" in text
    assert "300.000.000" in text
    # The pending decision's sentra and other provinces' sentra are nowhere in the report.
    assert "Sentra Tapin" not in text
    assert "Sentra Ulap Doyo" not in text
    assert "Sentra Banjar Ditolak" not in text
    assert "Pembinaan Kaltim" not in text
    assert "Pembinaan Lama" not in text


def test_annual_pdf_in_english_on_request(client, world, year):
    client.force_login(world["admin"])

    response = client.get(pdf_url(world["cycle"].pk) + "?lang=en")

    assert response.status_code == 200
    assert "laporan-tahunan-ovop-63-2026-en.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "OVOP annual report Kalimantan Selatan 2026" in text
    assert "Province 63 Kalimantan Selatan" in text
    assert "Compared with the previous cycle" in text
    assert "OVOP 2025 (2025)" in text


@pytest.mark.parametrize("persona", ["admin", "viewer", "operator", "operator_neighbour"])
def test_annual_pdf_is_for_national_roles_and_the_provinces_people(client, world, persona):
    client.force_login(world[persona])

    assert client.get(pdf_url(world["cycle"].pk)).status_code == 200


def test_annual_pdf_of_another_province_is_404_for_a_verifier(client, world):
    client.force_login(world["verifier_other"])

    assert client.get(pdf_url(world["cycle"].pk, "63")).status_code == 404
    assert client.get(pdf_url(world["cycle"].pk, "64")).status_code == 200


def test_annual_pdf_is_403_for_an_assessor(client, world):
    client.force_login(world["assessor"])

    assert client.get(pdf_url(world["cycle"].pk)).status_code == 403
    assert client.get(reverse("reports:annual")).status_code == 403


@pytest.mark.parametrize("province", ["99", "63.03", "x"])
def test_annual_pdf_of_an_unknown_province_or_cycle_is_404(client, world, province):
    client.force_login(world["admin"])

    assert client.get(pdf_url(world["cycle"].pk, province)).status_code == 404
    assert client.get(pdf_url(999_999)).status_code == 404


def test_annual_pdf_says_what_is_missing_when_pdfs_cannot_be_made(client, world, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as on a machine without Pango
    client.force_login(world["admin"])

    response = client.get(pdf_url(world["cycle"].pk))

    assert response.status_code == 503
    assert "Pango" in response.content.decode()


def test_annual_form_fixes_a_verifiers_province(client, world):
    client.force_login(world["verifier"])

    response = client.get(reverse("reports:annual"))

    assert response.status_code == 200
    province = response.context["form"].fields["province"]
    assert province.disabled
    assert list(province.queryset.values_list("code", flat=True)) == ["63"]
    # Asking for another province is ignored: the report is still their own.
    chosen = client.get(reverse("reports:annual"), {"cycle": world["cycle"].pk, "province": "64"})
    assert chosen.status_code == 302
    assert chosen["Location"] == pdf_url(world["cycle"].pk, "63")


def test_annual_form_lets_an_admin_choose_the_province_and_language(client, world):
    client.force_login(world["admin"])

    response = client.get(
        reverse("reports:annual"), {"cycle": world["cycle"].pk, "province": "64", "language": "en"}
    )

    assert response.status_code == 302
    assert response["Location"] == pdf_url(world["cycle"].pk, "64") + "?lang=en"


def test_annual_form_shows_errors_for_an_unknown_cycle(client, world):
    client.force_login(world["admin"])

    response = client.get(reverse("reports:annual"), {"cycle": 999_999, "province": "63"})

    assert response.status_code == 200
    assert response.context["form"].errors["cycle"]
