def test_health_check_reports_the_database(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_screens_are_indonesian_even_when_the_browser_prefers_english(client, operator):
    client.force_login(operator)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert "Beranda" in response.content.decode()


def test_language_switch_sticks(client, operator):
    client.force_login(operator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert "Kabupaten Banjar" in response.content.decode()
    assert "Welcome" in response.content.decode()


def test_dashboard_names_the_operators_regency(client, operator):
    client.force_login(operator)
    assert "Kabupaten Banjar" in client.get("/").content.decode()


def test_no_page_loads_assets_from_a_cdn(client, operator):
    client.force_login(operator)
    html = client.get("/").content.decode()
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
    docs = client.get("/api/v1/docs/").content.decode()
    assert "cdn" not in docs.lower()
