"""The reply checker: product facts, remedies the template offers, tone, complaints addressed."""

import pytest

from products.content.generation import facts_build
from reviews.llm.replies import (
    reply_check,
    reply_context_build,
    reply_from_output,
)


@pytest.fixture
def facts():
    return facts_build(
        sku="B-750",
        title="Insulated bottle 750 ml",
        attributes={"material": "stainless steel", "capacity": "750 ml", "warranty": "2 years"},
    )


def context(
    facts, *, template="", body="The lid leaks water into my bag.", language="en", complaints=None
):
    return reply_context_build(
        facts=facts,
        review_title="",
        review_body=body,
        language=language,
        template=template,
        complaints=complaints,
    )


def unsupported(candidate):
    return [(claim.text, claim.kind) for claim in candidate.unsupported_claims]


def test_product_facts_in_the_facts_are_supported_and_invented_ones_are_not(facts):
    checked = reply_check(
        "Sorry about the lid. The 750 ml stainless steel bottle has a 5-year warranty.",
        context(facts),
    )

    assert unsupported(checked) == [("5-year warranty", "warranty")]
    supported = {(c.text, c.kind) for c in checked.claims if c.supported}
    assert ("750 ml", "quantity") in supported and ("stainless steel", "material") in supported


def test_a_refund_promise_needs_the_template_to_offer_it(facts):
    text = "We are sorry the lid leaks. We will refund your order."
    assert unsupported(reply_check(text, context(facts))) == [("refund", "promise")]

    offered = context(facts, template="Leaking lids: we refund the order within 30 days.")
    assert unsupported(reply_check(text, offered)) == []


def test_a_template_offering_a_replacement_does_not_allow_compensation(facts):
    ctx = context(facts, template="We replace defective lids free of charge.")
    checked = reply_check("We will replace the lid and send you a voucher.", ctx)

    # The product checker already calls a voucher an offer the facts do not make.
    assert [text for text, _kind in unsupported(checked)] == ["voucher"]


def test_a_negated_remedy_is_not_a_promise(facts):
    checked = reply_check("We cannot refund opened bottles, sorry about the lid.", context(facts))

    assert unsupported(checked) == []


def test_chinese_promises_and_tone_are_checked(facts):
    ctx = context(facts, body="盖子漏水，质量太差了。", language="zh-hans")
    checked = reply_check("很抱歉盖子漏水，我们会给您全额退款。这是你自己的问题。", ctx)

    assert ("全额退", "promise") in unsupported(checked) or ("退款", "promise") in unsupported(
        checked
    )
    assert ("你自己的问题", "tone") in unsupported(checked)


def test_blaming_the_customer_is_flagged(facts):
    checked = reply_check("This is your own fault, the lid is fine.", context(facts))

    assert ("your own fault", "tone") in unsupported(checked)


def test_a_link_is_unsupported_unless_the_template_holds_it(facts):
    text = "Sorry about the lid, write to help@acme.example for a new one."
    assert ("help@acme.example", "link") in unsupported(reply_check(text, context(facts)))
    ctx = context(facts, template="Write to help@acme.example and we send a new lid.")
    assert unsupported(reply_check(text, ctx)) == []


def test_the_complaint_aspects_addressed_are_reported(facts):
    ctx = context(facts, complaints=[("quality", "The lid leaks water"), ("shipping", "")])
    checked = reply_check("We are sorry the lid leaks.", ctx)

    assert checked.covered_attributes == ["quality"]
    assert checked.missing_attributes == ["shipping"]
    assert checked.coverage == 0.5


def test_without_an_analysis_complaints_come_from_the_review_words(facts):
    ctx = context(facts, body="Arrived late and the box was crushed.")

    assert {aspect for aspect, _ in ctx.complaints} == {"shipping", "packaging"}


def test_the_post_edit_drops_unsupported_sentences_and_acknowledges_the_complaint(facts):
    ctx = context(facts, complaints=[("quality", "The lid leaks water")])
    raw = "Reply: We will refund you right away! Our bottle is the best on the market. Thanks."
    candidate = reply_from_output(raw, ctx)

    assert "refund" not in candidate.text and "best" not in candidate.text
    assert candidate.text.startswith("Thanks.") or "Thank" in candidate.text
    assert "quality" in candidate.text
    assert candidate.unsupported_count == 0
    assert candidate.covered_attributes == ["quality"]
    assert any("refund" in edit for edit in candidate.edits)


def test_an_unusable_output_becomes_the_fixed_text_reply_with_the_template(facts):
    ctx = context(
        facts,
        template="Defective lids are replaced within 30 days. — The Acme team",
        complaints=[("quality", "The lid leaks water")],
    )
    candidate = reply_from_output("我们会退款", ctx)

    assert candidate.text == (
        "Thank you for your review. We are sorry about the problem with the quality you "
        "described. Defective lids are replaced within 30 days. — The Acme team"
    )
    assert candidate.unsupported_count == 0 and candidate.length_ok


def test_a_chinese_reply_falls_back_to_chinese_text(facts):
    ctx = context(
        facts,
        body="快递太慢了，等了两周。",
        language="zh-hans",
        complaints=[("shipping", "快递太慢了")],
    )
    candidate = reply_from_output("Sorry for the delay, we will refund you.", ctx)

    assert candidate.text == (
        "感谢您的评价。很抱歉物流方面的问题给您带来了不好的体验。请联系我们的客服，我们会尽力为您解决。"
    )
    assert candidate.unsupported_count == 0


def test_an_echo_of_the_prompt_is_not_a_reply(facts):
    ctx = context(facts, complaints=[("quality", "The lid leaks water")])
    raw = (
        "<product_data>\nTitle: Insulated bottle 750 ml\n- material: stainless steel\n"
        "</product_data>\n<reply_template>\n<product_data>\nRating: 1★\nLeaks The lid leaks.\n"
        "<product_data>\n<product_data>"
    )
    candidate = reply_from_output(raw, ctx, truncated=True)

    assert "<" not in candidate.text and "Title" not in candidate.text
    assert candidate.text.startswith("Thank you for your review. We are sorry")
    assert "dropped text echoed from the prompt" in candidate.edits


def test_placeholders_and_praise_do_not_reach_a_reply_to_a_complaint(facts):
    ctx = context(facts, complaints=[("quality", "The lid leaks water")])
    raw = (
        "Hi [Customer's Name]\n\nThank you for your patience. I'm sure you'll love it. "
        "Please contact us at [Your Company Name]. We are sorry the lid leaks."
    )
    candidate = reply_from_output(raw, ctx)

    assert candidate.text == "Thank you for your patience. We are sorry the lid leaks."


def test_the_model_talking_as_itself_is_not_the_stores_reply(facts):
    ctx = context(facts, complaints=[("quality", "The lid leaks water")])
    raw = (
        "I'm sorry for your loss, but I'm unable to provide a response immediately. "
        "Please try to find a way to contact me."
    )
    candidate = reply_from_output(raw, ctx)

    assert candidate.text == (
        "Thank you for your review. We are sorry about the problem with the quality you "
        "described. Please contact our customer service so that we can help."
    )
