"""``GET /api/v1/me/tasks/``: the caller's work queue, the same as on their home page."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ovop.accounts.models import User
from ovop.reports.selectors.queues import Task, tasks_for


class TaskDetailSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="What it is, e.g. the centre of a returned proposal.")
    note = serializers.CharField(help_text="Why it waits, e.g. the reason it was returned.")
    url = serializers.URLField()


class TaskSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="Stable name of the kind of work, e.g. to_verify, returned, quota."
    )
    # DRF moves declared fields off the class, so this does not shadow Field.label at run time.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="In the caller's language (Accept-Language)."
    )
    count = serializers.IntegerField(min_value=0)
    url = serializers.URLField(help_text="The screen where the work is done, already filtered.")
    deadline = serializers.DateField(allow_null=True, help_text="Local date (WITA) or null.")
    details = TaskDetailSerializer(many=True)


class TaskListSerializer(serializers.Serializer):
    """The list envelope of API.md; a queue is short, so it always fits one page."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TaskSerializer(many=True)


def _absolute(request: Request, task: Task) -> dict:
    return {
        "key": task.key,
        "label": task.label,
        "count": task.count,
        "url": request.build_absolute_uri(task.url),
        "deadline": task.deadline,
        "details": [
            {"text": d.text, "note": d.note, "url": request.build_absolute_uri(d.url)}
            for d in task.details
        ],
    }


class MyTasksView(APIView):
    """The signed-in caller's open work, soonest deadline first (401 without credentials)."""

    @extend_schema(
        operation_id="me_tasks",
        summary="My open work",
        description="Each role's queue: what waits, how many, where to do it and by when. "
        "Counts cover only what the caller may see.",
        responses={200: TaskListSerializer},
        tags=["me"],
    )
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)  # IsAuthenticated lets only the signed in through
        tasks = [_absolute(request, task) for task in tasks_for(user)]
        body = {"count": len(tasks), "next": None, "previous": None, "results": tasks}
        return Response(TaskListSerializer(body).data)
