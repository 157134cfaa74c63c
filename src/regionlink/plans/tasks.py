"""The conformity review as a background task (django-tasks): the page and the API queue a
run and return at once; the worker (`regionlink db_worker`) runs it, updating
ReviewRun.progress so the run's page can show a progress bar."""

from __future__ import annotations

from django_tasks import task


@task()
def review_task(*, run_id: int, actor_id: int | None) -> str:
    """Run one queued review; returns its final status."""
    from regionlink.organisations.models import User
    from regionlink.plans.models import ReviewRun, ReviewStatus
    from regionlink.plans.review import run_review

    run = ReviewRun.objects.select_related("region").get(pk=run_id)
    if run.status != ReviewStatus.PENDING:
        return run.status  # run already (a retried task)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    run = run_review(run=run, actor=actor or "tác vụ nền")
    return run.status
