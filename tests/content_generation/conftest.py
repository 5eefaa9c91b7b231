import pytest

from products.content.generation import facts_build


@pytest.fixture
def bottle():
    """An English product with the usual checkable facts."""
    return facts_build(
        sku="DRK-1",
        title="Trail Bottle 750ml",
        category="Drinkware",
        brand="Northpeak",
        attributes={
            "capacity": "750 ml",
            "material": "18/8 stainless steel",
            "length": "75 cm",
            "certifications": "BPA-free, LFGB, ISO 9001",
            "warranty": "2 years",
            "dishwasher_safe": "yes",
            "waterproof": "no",
            "award": "Best Bottle 2024 (Outdoor Gear Awards)",
        },
    )


@pytest.fixture
def cup_zh():
    """A Chinese product."""
    return facts_build(
        sku="ZH-1",
        title="真空保温杯",
        category="水杯",
        brand="山行",
        attributes={
            "容量": "500毫升",
            "材质": "316不锈钢",
            "保温时长": "12小时",
            "认证": "不含BPA",
            "保修": "2年",
        },
    )
