"""The one refusal: its API answers (ovop.common.api) and its screen decorator."""

from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.views import APIView

from ovop.common.api import exception_handler
from ovop.common.refusals import Refused, refusal_shown


def _answer(refusal: Refused):
    return exception_handler(refusal, {"view": APIView(), "request": None})


def test_refusal_default_is_409_with_the_message():
    response = _answer(Refused("Not now."))
    assert response.status_code == 409
    assert response.data == {"detail": "Not now."}


def test_refusal_403_is_permission_denied_with_the_message():
    response = _answer(Refused("Not yours.", status=403))
    assert response.status_code == 403
    assert response.data == {"detail": "Not yours."}


def test_refusal_400_names_its_field():
    assert _answer(Refused("Say why.", status=400)).data == {"detail": ["Say why."]}
    response = _answer(Refused("Say why.", status=400, field="reason"))
    assert response.status_code == 400
    assert response.data == {"reason": ["Say why."]}


def test_refusal_400_with_errors_answers_a_list_per_field():
    refusal = Refused("Fix them.", status=400, errors={"K1.1": "Too high.", "K1.2": ["A", "B"]})
    response = _answer(refusal)
    assert response.status_code == 400
    assert response.data == {"K1.1": ["Too high."], "K1.2": ["A", "B"]}


def test_refusal_409_says_the_hint_too():
    response = _answer(Refused("2 proposals need it.", hint="Archive it instead."))
    assert response.data == {"detail": "2 proposals need it. Archive it instead."}


def test_refusal_payload_joins_the_answer():
    refusal = Refused("Unfinished.")
    refusal.payload = lambda: {"gaps": [{"kind": "assessment"}]}  # as GapsOpen says its gaps
    response = _answer(refusal)
    assert response.status_code == 409
    assert response.data == {"detail": "Unfinished.", "gaps": [{"kind": "assessment"}]}


def _request():
    request = RequestFactory().post("/anywhere/")
    request._messages = CookieStorage(request)
    return request


def test_refusal_shown_says_why_on_the_named_page():
    @refusal_shown("coaching:programme_detail")
    def view(request, pk):
        raise Refused("This programme has activities.", hint="Delete them first.")

    request = _request()
    response = view(request, pk=7)
    assert response.status_code == 302
    assert response.url == reverse("coaching:programme_detail", kwargs={"pk": 7})
    assert [str(m) for m in get_messages(request)] == [
        "This programme has activities. Delete them first."
    ]


def test_refusal_shown_leaves_other_answers_alone():
    @refusal_shown("coaching:programme_detail")
    def view(request, pk):
        return HttpResponse("done")

    request = _request()
    response = view(request, pk=7)
    assert response.content == b"done"
    assert list(get_messages(request)) == []
