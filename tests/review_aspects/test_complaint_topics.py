"""Complaint topics: clear themes separate, trends count weeks, results are deterministic."""

import datetime
import random

from reviews.analysis.topics import Topic, TopicDoc, tokens, topics_build, trend_build

TODAY = datetime.date(2024, 6, 5)  # a Wednesday; its week starts on Monday 2024-06-03

SHIPPING_EN = [
    "Delivery was so slow, the package arrived two weeks late.",
    "Shipping took forever and the courier lost my package for a week.",
    "Very slow delivery, package arrived late after many days.",
    "The package arrived late, delivery took three weeks.",
    "Slow shipping, courier was late again and the package was delayed.",
    "Delivery delayed twice, package arrived very late.",
    "Package arrived two weeks late, awful slow delivery.",
    "Shipping was slow and the courier delivered the package late.",
    "Late delivery, the package took forever to arrive.",
    "Slow delivery again, package delayed by the courier.",
]
ZIPPER_EN = [
    "The zipper broke after one wear and the stitching came apart.",
    "Zipper broke the first day, cheap stitching on the seams.",
    "Broken zipper and loose stitching, seams ripped after one wash.",
    "The zipper is cheap and broke, stitching unravels at the seams.",
    "Zipper stuck then broke, seams ripped open.",
    "Cheap zipper broke, the stitching at the seams is coming apart.",
    "The seams ripped and the zipper broke within a week.",
    "Zipper broke on the second wear, stitching is poor.",
]
SHIPPING_ZH = [
    "物流太慢了，等了一个星期才到货",
    "快递太慢，一个星期才收到",
    "发货太慢了，等了好久才到",
    "物流慢得要死，十天才到货",
    "快递慢，催了好几次才发货",
    "发货慢，物流也慢，等了一个星期",
    "物流太慢，到货太晚了",
]
FADING_ZH = [
    "衣服掉色严重，洗一次就掉色",
    "洗了一次就褪色了，掉色太厉害",
    "掉色很严重，染了别的衣服",
    "严重掉色，洗完水都是蓝的",
    "衣服洗了就掉色，颜色全花了",
    "掉色掉得厉害，洗一次颜色就淡了",
]


def docs_of(groups, language, *, start_id=1):
    rng = random.Random(7)
    docs, theme_of = [], {}
    review_id = start_id
    for theme, texts in groups.items():
        for text in texts:
            created = TODAY - datetime.timedelta(days=rng.randrange(70))
            docs.append(TopicDoc(review_id, text, language, created))
            theme_of[review_id] = theme
            review_id += 1
    return docs, theme_of


def assert_themes_separate(topics, theme_of):
    assert len(topics) == 2
    covered = set()
    for topic in topics:
        themes = {theme_of[i] for i in topic.review_ids}
        assert len(themes) == 1, topic
        covered |= themes
    assert covered == set(theme_of.values())


def test_two_clear_english_complaint_themes_become_two_topics():
    docs, theme_of = docs_of({"shipping": SHIPPING_EN, "zipper": ZIPPER_EN}, "en")
    topics = topics_build(docs, language="en", today=TODAY)
    assert_themes_separate(topics, theme_of)
    by_theme = {theme_of[t.review_ids[0]]: t for t in topics}
    assert by_theme["shipping"].aspect == "shipping"
    assert by_theme["zipper"].aspect == "quality"
    assert any(w in by_theme["shipping"].label for w in ("delivery", "package", "late", "slow"))
    assert "zipper" in " ".join(by_theme["zipper"].terms)
    assert topics[0].size >= topics[1].size


def test_two_clear_chinese_complaint_themes_become_two_topics():
    docs, theme_of = docs_of({"shipping": SHIPPING_ZH, "fading": FADING_ZH}, "zh")
    topics = topics_build(docs, language="zh", today=TODAY)
    assert_themes_separate(topics, theme_of)
    by_theme = {theme_of[t.review_ids[0]]: t for t in topics}
    assert by_theme["shipping"].aspect == "shipping"
    assert by_theme["fading"].aspect == "quality"
    assert "掉色" in by_theme["fading"].terms


def test_topics_carry_size_examples_and_trend():
    docs, theme_of = docs_of({"shipping": SHIPPING_EN, "zipper": ZIPPER_EN}, "en")
    created = {doc.review_id: doc.created for doc in docs}
    for topic in topics_build(docs, language="en", today=TODAY):
        assert isinstance(topic, Topic)
        assert topic.size == len(topic.review_ids) == len(set(topic.review_ids))
        assert 1 <= len(topic.example_ids) <= 3
        assert set(topic.example_ids) <= set(topic.review_ids)
        assert topic.label and topic.label.split(" / ")[0] == topic.terms[0]
        assert len(topic.trend["weeks"]) == len(topic.trend["counts"]) == 12
        assert sum(topic.trend["counts"]) == topic.size  # every review is within 12 weeks
        first_week = datetime.date.fromisoformat(topic.trend["weeks"][0])
        expected = [0] * 12
        for review_id in topic.review_ids:
            expected[(created[review_id] - first_week).days // 7] += 1
        assert topic.trend["counts"] == expected


def test_trend_counts_reviews_per_week_and_compares_the_last_four_weeks():
    monday = datetime.date(2024, 6, 3)
    dates = (
        [monday + datetime.timedelta(days=2)] * 3  # this week
        + [monday - datetime.timedelta(days=1)] * 2  # Sunday: last week
        + [monday - datetime.timedelta(weeks=5)]  # 6th week back
        + [monday - datetime.timedelta(weeks=20)]  # before the window
        + [monday + datetime.timedelta(days=7)]  # after today's week
    )
    trend = trend_build(dates, today=TODAY, weeks=8)
    assert trend["weeks"][-1] == "2024-06-03"
    assert trend["weeks"][0] == "2024-04-15"
    assert trend["counts"] == [0, 0, 1, 0, 0, 0, 2, 3]
    assert trend["change"] == (5 - 1) / 1
    assert trend_build([], today=TODAY, weeks=8)["change"] == 0.0
    assert trend_build(dates[:3], today=TODAY, weeks=8)["change"] == 3.0  # from nothing


def test_topics_are_deterministic_whatever_the_input_order():
    docs, _ = docs_of({"shipping": SHIPPING_EN, "zipper": ZIPPER_EN}, "en")
    first = topics_build(docs, language="en", today=TODAY)
    shuffled = docs[:]
    random.Random(3).shuffle(shuffled)
    assert topics_build(shuffled, language="en", today=TODAY) == first
    assert topics_build(docs, language="en", today=TODAY) == first


def test_too_few_or_empty_reviews_make_no_topics():
    docs, _ = docs_of({"shipping": SHIPPING_EN[:2]}, "en")
    assert topics_build(docs, language="en", today=TODAY) == []
    assert topics_build([], language="zh", today=TODAY) == []
    junk = [TopicDoc(i, text, "en", TODAY) for i, text in enumerate(["", "!!!", "the and of"])]
    assert topics_build(junk, language="en", today=TODAY) == []


def test_a_single_theme_becomes_one_topic():
    docs, _ = docs_of({"shipping": SHIPPING_EN}, "en")
    topics = topics_build(docs, language="en", today=TODAY, min_size=3)
    assert len(topics) == 1 and topics[0].size == len(SHIPPING_EN)


def test_max_topics_and_min_size_are_respected():
    docs, _ = docs_of({"shipping": SHIPPING_EN, "zipper": ZIPPER_EN}, "en")
    assert len(topics_build(docs, language="en", today=TODAY, max_topics=1)) == 1
    for topic in topics_build(docs, language="en", today=TODAY, min_size=5):
        assert topic.size >= 5


def test_tokens_drop_stop_words_and_keep_negated_words_together():
    assert "the" not in tokens("The zipper broke", "en")
    assert "not flattering" in tokens("It is not flattering at all", "en")
    zh = tokens("这个真的不好吃，味道一般", "zh")
    assert "不好吃" in zh or "好吃" not in zh
    assert "的" not in zh and "这个" not in zh
