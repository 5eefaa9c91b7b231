"""The listing fix's wording: the model's sentences when grounded, else the product's facts."""

import pytest

from crisis.playbooks.proposals import listing_addition_from_model
from products.models import Product

from .conftest import is_playbook_prompt, use_model

pytestmark = pytest.mark.django_db


def test_grounded_sentences_of_the_model_are_kept_and_the_rest_dropped(bottle):
    text, dropped = listing_addition_from_model(
        "Sure! Here is the text. The 750 ml stainless steel bottle closes with a screw cap. "
        "It is the best bottle in the world. The lid leaks water. Free shipping today.",
        product=bottle,
        description=bottle.description,
        language="en",
        complaint="lid leaks",
    )

    assert text == "The 750 ml stainless steel bottle closes with a screw cap."
    assert {item["text"]: item["reason"] for item in dropped} == {
        "Sure!": "unrelated to the product and the complaint",
        "Here is the text.": "unrelated to the product and the complaint",
        "It is the best bottle in the world.": "makes a claim the product's facts do not support",
        "The lid leaks water.": "speaks badly of the product",
        "Free shipping today.": "makes a claim the product's facts do not support",
    }


def test_the_playbook_uses_the_models_grounded_listing_text(surge_crisis, owner, on_commit):
    from crisis.playbooks import playbook_request

    def writer(request):
        if is_playbook_prompt(request):
            return ""
        return "Turn the screw cap until it stops so the stainless steel lid seals the bottle."

    with use_model(writer), on_commit():
        playbook_request(crisis=surge_crisis, user=owner)

    action = surge_crisis.actions.get(kind="listing_fix")
    assert action.params["source"] == "model"
    product = Product.objects.get(pk=surge_crisis.product_id)
    assert action.params["proposed_text"] == (
        f"{product.description} Turn the screw cap until it stops so the stainless steel lid "
        "seals the bottle."
    )
    assert action.params["prompt_version"] == "crisis-listing-en-v1"
    assert isinstance(action.params["generation_log_id"], int)
