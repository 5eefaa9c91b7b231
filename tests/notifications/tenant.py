"""The notification center's objects for the tenant isolation sweep."""

from .factories import ChannelFactory, DeliveryFactory, NotificationFactory


def beta_objects(*, merchant, owner, secret) -> dict[str, int]:
    notification = NotificationFactory(
        merchant=merchant, recipient=owner, title=f"{secret} job done", body=secret
    )
    channel = ChannelFactory(
        merchant=merchant,
        name=f"{secret} hook",
        config={"url": f"https://{secret}.example.com/hook"},
        secret=f"{secret}-signing-key",
        last_error=f"{secret} error",
    )
    DeliveryFactory(channel=channel, title=f"{secret} delivery", error=secret)
    return {"notification_id": notification.pk, "channel_id": channel.pk}


def alice_objects(*, merchant, owner) -> None:
    NotificationFactory(merchant=merchant, recipient=owner)
    channel = ChannelFactory(merchant=merchant)
    DeliveryFactory(channel=channel)
