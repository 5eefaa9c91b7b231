from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Merchant
from accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--merchant", help="Slug of the merchant the token acts for.")
        parser.add_argument("--name", default="", help="A label to recognise the token by.")

    def handle(self, *args, username, merchant=None, name="", **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        merchant_obj = None
        if merchant:
            merchant_obj = Merchant.objects.filter(slug=merchant).first()
            if merchant_obj is None:
                raise CommandError(f"No merchant with slug {merchant!r}.")
        try:
            _token, key = api_token_create(user=user, merchant=merchant_obj, name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(key)
