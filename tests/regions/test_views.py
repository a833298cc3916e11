from django.urls import reverse


def test_list_starts_with_the_38_provinces(client, operator):
    client.force_login(operator)
    response = client.get(reverse("regions:list"))
    assert response.context["page"].paginator.count == 38


def test_list_searches_by_name(client, operator):
    client.force_login(operator)
    response = client.get(reverse("regions:list"), {"q": "Banjarbaru", "level": "regency"})
    assert [r.code for r in response.context["page"]] == ["63.72"]


def test_unknown_level_is_ignored_not_an_error(client, operator):
    client.force_login(operator)
    response = client.get(reverse("regions:list"), {"level": "planet"})
    assert response.status_code == 200


def test_detail_lists_children_and_breadcrumb(client, operator):
    client.force_login(operator)
    response = client.get(reverse("regions:detail", kwargs={"code": "63.03.01"}))
    assert [a.code for a in response.context["ancestors"]] == ["63", "63.03"]
    assert response.context["page"].paginator.count > 0


def test_unknown_code_is_404(client, operator):
    client.force_login(operator)
    assert client.get("/regions/99.99/").status_code == 404


def test_export_csv_of_a_province(client, operator):
    client.force_login(operator)
    response = client.get(reverse("regions:export"), {"parent": "63", "format": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 14  # header + 13 regencies
    assert lines[1].startswith("63.01,Kabupaten Tanah Laut")


def test_list_query_count_is_constant(client, operator, django_assert_max_num_queries):
    # session, user, count, page, nav permission checks, the unread-notifications badge
    client.force_login(operator)
    with django_assert_max_num_queries(7):
        client.get(reverse("regions:list"), {"q": "Banjarbaru", "level": "regency"})
    with django_assert_max_num_queries(7):
        response = client.get(reverse("regions:list"), {"level": "village"})
    assert len(response.context["page"]) == 50
