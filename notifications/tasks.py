"""Celery tasks of the notification center: thin, ids only, on the default queue."""

from __future__ import annotations

from celery import shared_task

from .services import deliveries_sweep as _deliveries_sweep
from .services import delivery_attempt


@shared_task(
    bind=True,
    name="notifications.tasks.delivery_send",
    acks_late=True,
    ignore_result=True,
    # Attempts are counted on the delivery row (NOTIFICATIONS_MAX_ATTEMPTS), not by Celery.
    max_retries=None,
    soft_time_limit=120,
    time_limit=150,
)
def delivery_send(self, delivery_id: int) -> None:
    """Send one delivery; a transient failure comes back after the backoff the service chose.

    A delivery already sent, failed or being sent by another worker is left alone.
    """
    attempt = delivery_attempt(delivery_id=delivery_id)
    while attempt is not None and attempt.retry_in is not None:
        if not self.request.is_eager:
            raise self.retry(countdown=attempt.retry_in)
        # Run inline (CELERY_TASK_ALWAYS_EAGER: tests, debugging): an eager retry would raise
        # out of the caller, so the attempts follow one another here, without the pauses.
        attempt = delivery_attempt(delivery_id=delivery_id)


@shared_task(name="notifications.tasks.deliveries_sweep", ignore_result=True)
def deliveries_sweep() -> int:
    """Beat: resend deliveries whose worker died or whose message never reached the broker."""
    return _deliveries_sweep()
