"""A realistic mix of reads and writes by ovop's roles, against a running server.

Signed-in users reuse sessions the runner made (``OVOP_LOADTEST_PLAN``: a JSON file with
session cookies and the objects each role works on), so sign-in never goes through the login
form and its throttling. Run through ``python -m bench.loadtest``.
"""

import json
import os
import random

from locust import HttpUser, between, task

from bench.loadtest.forms import form_fields

PLAN = json.loads(open(os.environ["OVOP_LOADTEST_PLAN"]).read())  # noqa: SIM115, PTH123


class SignedIn(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        if os.environ.get("OVOP_LOADTEST_INSECURE"):
            self.client.verify = False  # the load test's own self-signed certificate
        self.plan = PLAN[self.role]
        session = random.choice(self.plan["sessions"])  # noqa: S311 — load pattern only
        self.client.cookies.set("sessionid", session)

    def get(self, path: str, name: str | None = None):
        return self.client.get(path, name=name or path)

    def post_form(self, path: str, name: str, *, form_id=None, extra=None) -> None:
        """GET the form, post it back as a browser would (with the CSRF token)."""
        page = self.client.get(path, name=f"{name} (form)")
        fields = form_fields(page.text, form_id=form_id) + list((extra or {}).items())
        with self.client.post(
            path,
            data=fields,
            name=f"{name} (save)",
            catch_response=True,
            headers={"Referer": self.host + path},
        ) as response:
            # A saved form redirects; a form shown again means the save was refused.
            if response.status_code >= 400 or not response.history:
                response.failure(f"not saved ({response.status_code})")


class Operator(SignedIn):
    role = "operator"
    weight = 4

    @task(4)
    def centres(self) -> None:
        self.get("/centres/")
        self.get(f"/centres/?q={random.choice(['sentra', 'kue', 'anyaman'])}", "/centres/?q=")  # noqa: S311

    @task(3)
    def centre(self) -> None:
        self.get(f"/centres/{random.choice(self.plan['centres'])}/", "/centres/[id]/")  # noqa: S311

    @task(1)
    def edit_centre(self) -> None:
        pk = random.choice(self.plan["centres"])  # noqa: S311
        self.post_form(f"/centres/{pk}/edit/", "/centres/[id]/edit/")

    @task(2)
    def proposals(self) -> None:
        self.get("/proposals/")

    @task(1)
    def save_draft(self) -> None:
        pk = random.choice(self.plan["drafts"])  # noqa: S311
        self.post_form(f"/proposals/{pk}/edit/", "/proposals/[id]/edit/")


class Verifier(SignedIn):
    role = "verifier"
    weight = 2

    @task(3)
    def proposals(self) -> None:
        self.get("/proposals/?state=submitted", "/proposals/?state=")

    @task(3)
    def proposal(self) -> None:
        self.get(f"/proposals/{random.choice(self.plan['proposals'])}/", "/proposals/[id]/")  # noqa: S311

    @task(2)
    def compliance(self) -> None:
        self.get(self.plan["compliance"], "/proposals/rounds/[id]/compliance/")

    @task(1)
    def dashboard(self) -> None:
        self.get("/reports/", "/reports/")


class Assessor(SignedIn):
    role = "assessor"
    weight = 2

    @task(2)
    def assignments(self) -> None:
        self.get("/evaluation/assignments/")

    @task(2)
    def open_score(self) -> None:
        pk = random.choice(self.plan["assignments"])  # noqa: S311
        self.get(f"/evaluation/assignments/{pk}/score/", "/evaluation/assignments/[id]/score/")

    @task(1)
    def save_draft_score(self) -> None:
        pk = random.choice(self.plan["assignments"])  # noqa: S311
        self.post_form(
            f"/evaluation/assignments/{pk}/score/",
            "/evaluation/assignments/[id]/score/",
            form_id="score-form",
            extra={"action": "draft"},
        )


class Admin(SignedIn):
    role = "admin"
    weight = 1

    @task(3)
    def ranking(self) -> None:
        self.get(self.plan["ranking"], "/evaluation/cycles/[id]/ranking/")

    @task(1)
    def ranking_all(self) -> None:
        self.get(f"{self.plan['ranking']}?per_page=all", "/evaluation/cycles/[id]/ranking/ all")

    @task(1)
    def national_compliance(self) -> None:
        self.get(self.plan["compliance"], "/proposals/cycles/[id]/compliance/")

    @task(1)
    def centres_api(self) -> None:
        self.get("/api/v1/centres/")


class Visitor(HttpUser):
    """Anonymous visitors on the public catalogue."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self) -> None:
        if os.environ.get("OVOP_LOADTEST_INSECURE"):
            self.client.verify = False
        self.plan = PLAN["visitor"]

    @task(3)
    def catalogue(self) -> None:
        self.client.get("/catalogue/id/", name="/catalogue/id/")

    @task(1)
    def search(self) -> None:
        self.client.get("/catalogue/id/?q=sentra", name="/catalogue/id/?q=")

    @task(3)
    def detail(self) -> None:
        self.client.get(random.choice(self.plan["details"]), name="/catalogue/id/[id]-[slug]/")  # noqa: S311

    @task(1)
    def api(self) -> None:
        self.client.get("/api/v1/catalogue/", name="/api/v1/catalogue/")
