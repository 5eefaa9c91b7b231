"""Factories of the notification center's rows."""

import factory

from notifications.models import Channel, ChannelKind, Delivery, Notification
from tests.factories import MerchantFactory, UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    merchant = factory.SubFactory(MerchantFactory)
    recipient = factory.SubFactory(UserFactory)
    event = "job_succeeded"
    title = factory.Sequence(lambda n: f"Finished: import {n}")
    body = "1,200 rows imported."
    url = "/products/"


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    merchant = factory.SubFactory(MerchantFactory)
    kind = ChannelKind.WEBHOOK
    name = factory.Sequence(lambda n: f"Ops hook {n}")
    config = factory.LazyFunction(lambda: {"url": "https://hooks.example.com/ecomops"})
    secret = "s3cr3t-signing-key-0123456789"
    events = factory.LazyFunction(lambda: ["job_failed", "job_succeeded"])


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    channel = factory.SubFactory(ChannelFactory)
    merchant = factory.SelfAttribute("channel.merchant")
    kind = factory.SelfAttribute("channel.kind")
    event = "job_failed"
    title = "Failed: import"
    status = "sent"
    attempts = 1
    response_code = 200
    latency_ms = 12
