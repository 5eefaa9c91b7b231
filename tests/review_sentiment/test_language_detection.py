import pytest

from reviews.analysis.language import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "质量很好，物流也快。",
        "質量很好，物流很快",
        "这个iPhone很好用",
        "好",
        "不错 good",
        "好评👍👍",
    ],
)
def test_chinese_reviews_are_zh(text):
    assert detect_language(text) == "zh"


@pytest.mark.parametrize(
    "text",
    [
        "Works great, highly recommend.",
        "ok",
        "Not bad at all!",
        "Bought it on 京东, works great and arrived fast",
        "Love it 😍",
        "A+++ seller",
    ],
)
def test_english_reviews_are_en(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n ",
        "👍👍👍",
        "12345 !!!",
        "Très bien, je recommande ce produit",
        "Muy bueno, llegó rápido y la calidad es excelente",
        "Sehr gut, schnelle Lieferung",
        "これはとても良い商品です",
        "Отличный товар, спасибо",
        "좋아요 배송 빨라요",
        "المنتج ممتاز",
        "สินค้าดีมาก",
    ],
)
def test_other_languages_and_no_text_are_other(text):
    assert detect_language(text) == "other"


def test_kaomoji_katakana_does_not_make_a_chinese_review_japanese():
    assert detect_language("不好用，洗头发后好多白色的块……ヾ(＠⌒ー⌒＠)ノ") == "zh"


def test_a_single_japanese_particle_in_chinese_stays_chinese():
    assert detect_language("这是我の最爱") == "zh"
