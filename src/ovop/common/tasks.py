"""Background work of common: building large exports (see ``ovop.common.services``).

With the default immediate backend the file is built at once, inside the request; with
``OVOP_TASKS_BACKEND=database`` the job is queued and the worker (``python -m ovop
db_worker``, the ovop-worker unit) builds it while the page shows its progress.
"""

from django_tasks import task

from ovop.common.services import run_export


@task()
def build_export(*, job_id: str) -> str:
    """Build one export job; answers its final status."""
    return run_export(job_id=job_id).status
