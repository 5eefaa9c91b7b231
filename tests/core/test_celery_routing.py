"""Each workload reaches exactly one queue: a message is never copied into another queue."""

import pytest

from ecomops.celery import app


@pytest.mark.parametrize(
    ("task_name", "queue"),
    [
        ("products.tasks.stock_snapshot_merchant", "default"),
        ("products.tasks.llm_description_generate", "llm"),
        ("forecasting.tasks.forecast_run", "forecast"),
    ],
)
def test_a_task_is_routed_to_its_workloads_queue(task_name, queue):
    route = app.amqp.router.route({}, task_name)
    assert route["queue"].name == queue
    assert route["queue"].routing_key == queue
    assert route["queue"].exchange.name == queue


def test_no_two_queues_share_a_binding():
    queues = [app.amqp.queues[name] for name in ("default", "llm", "forecast")]
    bindings = {(queue.exchange.name, queue.routing_key) for queue in queues}
    assert len(bindings) == 3
