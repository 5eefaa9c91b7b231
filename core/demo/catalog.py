"""The demo catalogue: item types with real-looking attributes, expanded into product specs.

Each item type has a brand, shared attributes and one or two variant axes (capacity, colour,
size...). Expanding the axes gives a pool of about 330 distinct products with stable SKUs
(`<CATEGORY>-<ITEM>-<VARIANT>...`); a seed takes the four crisis products plus a deterministic
selection of the rest.
"""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

# Random streams: one per concern, so that changing how reviews are drawn never changes sales.
STREAM_CATALOG = 1
STREAM_SALES = 2
STREAM_STOCK = 3
STREAM_REVIEWS = 4


def sku_key(sku: str) -> int:
    """A stable integer per SKU (unlike hash(), identical in every process)."""
    return zlib.crc32(sku.encode())


@dataclass(frozen=True)
class Variant:
    label: str
    code: str
    attrs: dict
    price: float = 1.0


def v(label: str, code: str, price: float = 1.0, **attrs) -> Variant:
    return Variant(label=label, code=code, attrs=attrs, price=price)


def colours(*pairs: str) -> tuple[Variant, ...]:
    """`colours("Silver:SLV", "Matte Black:BLK")` — a colour axis."""
    out = []
    for pair in pairs:
        label, code = pair.split(":")
        out.append(v(label, code, colour=label))
    return tuple(out)


@dataclass(frozen=True)
class ItemType:
    category: str
    code: str
    name: str
    brand: str
    noun_en: str
    noun_zh: str
    pitch: str
    price: float
    cost_ratio: float
    lead_time_days: int
    moq: int
    case_pack: int
    base: dict
    axes: tuple[tuple[Variant, ...], ...]
    # (amplitude, peak day of year) when the item's season differs from its category's.
    season: tuple[float, int] | None = None


DRINKWARE = "Drinkware"
KITCHEN = "Kitchen"
APPAREL = "Apparel"
ELECTRONICS = "Electronics Accessories"
HOME_TEXTILES = "Home Textiles"
BEAUTY = "Beauty"
TOYS = "Toys"
OUTDOOR = "Outdoor"

CATEGORIES = (DRINKWARE, KITCHEN, APPAREL, ELECTRONICS, HOME_TEXTILES, BEAUTY, TOYS, OUTDOOR)

# A table: one item type per entry, kept compact on purpose.
# fmt: off
ITEM_TYPES: tuple[ItemType, ...] = (
    # ---------------------------------------------------------------- drinkware
    ItemType(
        DRINKWARE, "DRK-BTL", "Insulated Water Bottle", "Summit", "bottle", "保温杯",
        "Keeps water ice-cold on a long hike and coffee hot through the morning commute.",
        price=29.95, cost_ratio=0.34, lead_time_days=30, moq=300, case_pack=24,
        base={
            "material": "18/8 stainless steel (304)",
            "insulation": "double-wall vacuum",
            "lid": "leak-proof screw cap with silicone seal",
            "keeps_cold_hours": 24,
            "keeps_hot_hours": 12,
            "bpa_free": True,
            "dishwasher_safe": False,
            "certifications": ["FDA food contact", "LFGB"],
            "warranty_months": 24,
            "country_of_origin": "China",
        },
        axes=(
            (
                v("500 ml", "500", 0.85, capacity_ml=500, weight_g=290, height_cm=22.5),
                v("750 ml", "750", 1.0, capacity_ml=750, weight_g=340, height_cm=26.5),
                v("1 L", "1000", 1.2, capacity_ml=1000, weight_g=420, height_cm=30.0),
            ),
            colours("Silver:SLV", "Matte Black:BLK", "Sage Green:SGE", "Navy:NVY"),
        ),
    ),
    ItemType(
        DRINKWARE, "DRK-TMB", "Travel Tumbler with Straw", "Aqualuna", "tumbler", "吸管杯",
        "A tumbler with a handle and straw that fits the car cup holder.",
        price=32.00, cost_ratio=0.31, lead_time_days=35, moq=240, case_pack=12,
        base={
            "material": "18/8 stainless steel, powder-coated",
            "insulation": "double-wall vacuum",
            "lid": "rotating lid with straw and sip opening",
            "fits_car_cup_holder": True,
            "bpa_free": True,
            "dishwasher_safe": True,
            "warranty_months": 12,
        },
        axes=(
            (
                v("600 ml", "600", 1.0, capacity_ml=600, weight_g=380),
                v("900 ml", "900", 1.25, capacity_ml=900, weight_g=520),
            ),
            colours("Coral:CRL", "Lilac:LIL", "Sand:SND", "Black:BLK"),
        ),
    ),
    ItemType(
        DRINKWARE, "DRK-MUG", "Stoneware Coffee Mug", "Kettle & Pine", "mug", "马克杯",
        "Hand-glazed stoneware with a wide handle, made for slow mornings.",
        price=16.00, cost_ratio=0.28, lead_time_days=45, moq=200, case_pack=24,
        base={
            "material": "stoneware, reactive glaze",
            "capacity_ml": 350,
            "microwave_safe": True,
            "dishwasher_safe": True,
            "certifications": ["Lead-free glaze", "Prop 65 compliant"],
        },
        axes=(
            (v("Single", "1", 1.0, pieces=1), v("Set of 4", "4", 3.4, pieces=4)),
            colours("Speckled White:WHT", "Ocean Blue:BLU", "Charcoal:CHR"),
        ),
        season=(0.15, 330),
    ),
    ItemType(
        DRINKWARE, "DRK-GLS", "Borosilicate Glass Bottle", "Aqualuna", "glass bottle", "玻璃水杯",
        "Clear borosilicate glass in a silicone sleeve: no taste, no plastic.",
        price=22.00, cost_ratio=0.33, lead_time_days=30, moq=200, case_pack=24,
        base={
            "material": "borosilicate glass, food-grade silicone sleeve",
            "capacity_ml": 550,
            "lid": "bamboo screw cap",
            "dishwasher_safe": True,
            "temperature_range_c": "-20 to 120",
            "weight_g": 360,
        },
        axes=(colours("Mint:MNT", "Blush:BLS", "Slate:SLT"),),
    ),
    ItemType(
        DRINKWARE, "DRK-KID", "Kids' Sippy Bottle", "Summit", "sippy bottle", "儿童水杯",
        "A spill-proof bottle small hands can hold, with a soft silicone spout.",
        price=18.00, cost_ratio=0.3, lead_time_days=30, moq=300, case_pack=24,
        base={
            "material": "Tritan copolyester (BPA-free)",
            "capacity_ml": 350,
            "spout": "soft silicone, spill-proof valve",
            "age": "18 months+",
            "dishwasher_safe": True,
            "certifications": ["EN 14350", "FDA food contact"],
        },
        axes=(
            (
                v("Dinosaur", "DIN", print="Dinosaur"),
                v("Unicorn", "UNI", print="Unicorn"),
                v("Rocket", "RKT", print="Rocket"),
            ),
        ),
    ),
    ItemType(
        DRINKWARE, "DRK-CUP", "Collapsible Silicone Cup", "Aqualuna", "cup", "折叠杯",
        "Folds flat into a pocket; pops open for coffee on the go.",
        price=14.00, cost_ratio=0.26, lead_time_days=25, moq=500, case_pack=50,
        base={
            "material": "food-grade silicone, polypropylene lid",
            "capacity_ml": 350,
            "collapsed_height_cm": 2.5,
            "bpa_free": True,
            "dishwasher_safe": True,
        },
        axes=(colours("Fog Grey:GRY", "Mustard:MUS", "Teal:TEA", "Terracotta:TER"),),
    ),
    # ---------------------------------------------------------------- kitchen
    ItemType(
        KITCHEN, "KIT-PAN", "Nonstick Frying Pan", "Forge & Fern", "pan", "不粘锅",
        "A ceramic-coated pan that heats evenly on every hob, induction included.",
        price=44.00, cost_ratio=0.36, lead_time_days=40, moq=200, case_pack=10,
        base={
            "material": "forged aluminium, 3-layer ceramic nonstick coating",
            "induction_ready": True,
            "oven_safe_c": 220,
            "handle": "stay-cool silicone-wrapped steel",
            "certifications": ["PFOA-free", "PTFE-free", "LFGB"],
            "warranty_months": 24,
        },
        axes=(
            (
                v("20 cm", "20", 0.8, diameter_cm=20, weight_g=720),
                v("24 cm", "24", 0.9, diameter_cm=24, weight_g=890),
                v("28 cm", "28", 1.0, diameter_cm=28, weight_g=1120),
            ),
            colours("Graphite:GRY", "Cream:CRM"),
        ),
    ),
    ItemType(
        KITCHEN, "KIT-KNF", "Chef's Knife", "Mesa", "knife", "厨师刀",
        "A balanced German-steel chef's knife, sharpened to a 15-degree edge.",
        price=59.00, cost_ratio=0.33, lead_time_days=50, moq=100, case_pack=12,
        base={
            "blade_steel": "German X50CrMoV15",
            "hardness_hrc": 56,
            "edge_angle_deg": 15,
            "dishwasher_safe": False,
            "warranty": "lifetime",
        },
        axes=(
            (
                v("15 cm", "15", 0.85, blade_length_cm=15),
                v("20 cm", "20", 1.0, blade_length_cm=20),
            ),
            (
                v("Pakkawood handle", "PKW", 1.0, handle="pakkawood"),
                v("Black POM handle", "POM", 0.9, handle="black POM"),
            ),
        ),
    ),
    ItemType(
        KITCHEN, "KIT-BRD", "Cutting Board with Juice Groove", "Mesa", "cutting board", "砧板",
        "A thick end-grain board that is kind to knife edges.",
        price=34.00, cost_ratio=0.35, lead_time_days=45, moq=100, case_pack=8,
        base={"finish": "food-safe mineral oil", "juice_groove": True, "reversible": True},
        axes=(
            (
                v("Acacia", "ACA", 1.1, material="acacia wood"),
                v("Bamboo", "BAM", 0.85, material="moso bamboo"),
            ),
            (
                v("Medium 40×28 cm", "M", 1.0, size_cm="40 × 28 × 2"),
                v("Large 50×35 cm", "L", 1.3, size_cm="50 × 35 × 2.5"),
            ),
        ),
        season=(0.2, 340),
    ),
    ItemType(
        KITCHEN, "KIT-STR", "Glass Food Storage Set", "Copperline", "container set", "保鲜盒",
        "Oven-to-fridge glass containers with snap-lock lids.",
        price=39.00, cost_ratio=0.37, lead_time_days=40, moq=150, case_pack=6,
        base={
            "material": "borosilicate glass, BPA-free polypropylene lids",
            "oven_safe_c": 400,
            "lids_oven_safe": False,
            "airtight": True,
            "dishwasher_safe": True,
        },
        axes=(
            (
                v("5 pieces", "5", 1.0, pieces=5, capacities_ml=[320, 520, 840, 1040, 1520]),
                v("10 pieces", "10", 1.7, pieces=10, capacities_ml=[320, 520, 840, 1040, 1520]),
            ),
        ),
    ),
    ItemType(
        KITCHEN, "KIT-DRP", "Pour-Over Coffee Dripper", "Copperline", "dripper", "手冲滤杯",
        "A cone dripper with spiral ribs for an even, bright extraction.",
        price=26.00, cost_ratio=0.3, lead_time_days=35, moq=120, case_pack=12,
        base={"filter": "V60-style cone filters", "holes": 1},
        axes=(
            (
                v("Ceramic", "CER", 1.0, material="porcelain"),
                v("Stainless steel", "SST", 1.15, material="18/8 stainless steel"),
                v("Glass", "GLS", 0.9, material="heat-resistant glass"),
            ),
            (
                v("Size 01 (1-2 cups)", "01", 1.0, servings="1-2 cups"),
                v("Size 02 (1-4 cups)", "02", 1.1, servings="1-4 cups"),
            ),
        ),
    ),
    ItemType(
        KITCHEN, "KIT-SCL", "Digital Kitchen Scale", "Mesa", "scale", "厨房秤",
        "Weighs up to 5 kg to the gram, with a tare button and a stainless platform.",
        price=24.00, cost_ratio=0.32, lead_time_days=35, moq=200, case_pack=20,
        base={
            "capacity_kg": 5,
            "precision_g": 1,
            "units": ["g", "oz", "lb", "ml"],
            "platform": "stainless steel",
            "warranty_months": 12,
            "certifications": ["CE", "RoHS"],
        },
        axes=(
            (
                v("AAA battery", "AAA", 1.0, power="2 × AAA batteries (included)"),
                v("USB-C rechargeable", "USB", 1.25, power="USB-C rechargeable, 500 mAh"),
            ),
            colours("Black:BLK", "White:WHT"),
        ),
    ),
    # ---------------------------------------------------------------- apparel
    ItemType(
        APPAREL, "APP-SCK", "Merino Crew Socks", "Northbound", "socks", "袜子",
        "Cushioned merino socks that stay warm when wet and don't smell after a long day.",
        price=18.00, cost_ratio=0.3, lead_time_days=45, moq=300, case_pack=24,
        base={
            "material": "70% merino wool, 27% nylon, 3% elastane",
            "cushioning": "medium",
            "care": "machine wash 30 °C, do not tumble dry",
        },
        axes=(
            (
                v("S", "S", size="S (EU 35-38)"),
                v("M", "M", size="M (EU 39-42)"),
                v("L", "L", size="L (EU 43-46)"),
            ),
            colours("Charcoal:CHR", "Oatmeal:OAT", "Forest Green:FOR"),
        ),
        season=(0.35, 10),
    ),
    ItemType(
        APPAREL, "APP-TEE", "Organic Cotton T-Shirt", "Loom & Lark", "t-shirt", "T恤",
        "A heavyweight organic cotton tee with a regular fit that holds its shape.",
        price=28.00, cost_ratio=0.27, lead_time_days=40, moq=200, case_pack=20,
        base={
            "material": "100% organic cotton, 180 gsm",
            "fit": "regular",
            "neckline": "crew",
            "certifications": ["GOTS", "OEKO-TEX Standard 100"],
            "care": "machine wash 30 °C",
        },
        axes=(
            (v("S", "S", size="S"), v("M", "M", size="M"), v("L", "L", size="L")),
            colours("White:WHT", "Black:BLK", "Heather Grey:GRY"),
        ),
        season=(0.25, 190),
    ),
    ItemType(
        APPAREL, "APP-HDY", "Brushed Fleece Hoodie", "Northbound", "hoodie", "卫衣",
        "A soft brushed-fleece hoodie with a lined hood and kangaroo pocket.",
        price=64.00, cost_ratio=0.31, lead_time_days=50, moq=150, case_pack=10,
        base={
            "material": "80% cotton, 20% recycled polyester, 320 gsm",
            "fit": "relaxed",
            "care": "machine wash 30 °C inside out",
        },
        axes=(
            (v("S", "S", size="S"), v("M", "M", size="M"), v("L", "L", size="L")),
            colours("Navy:NVY", "Oat:OAT", "Black:BLK"),
        ),
        season=(0.45, 350),
    ),
    ItemType(
        APPAREL, "APP-SHT", "Running Shorts with Liner", "Northbound", "shorts", "跑步短裤",
        "Light, quick-drying running shorts with a zipped back pocket.",
        price=38.00, cost_ratio=0.29, lead_time_days=40, moq=150, case_pack=20,
        base={
            "material": "recycled polyester, 4-way stretch",
            "liner": "brief liner",
            "pockets": "zipped back pocket, 2 side pockets",
            "reflective_details": True,
        },
        axes=(
            (v('5" inseam', "5IN", inseam_in=5), v('7" inseam', "7IN", inseam_in=7)),
            (v("S", "S", size="S"), v("M", "M", size="M"), v("L", "L", size="L")),
        ),
        season=(0.55, 180),
    ),
    ItemType(
        APPAREL, "APP-BNE", "Merino Rib Beanie", "Loom & Lark", "beanie", "毛线帽",
        "A fine-rib merino beanie, warm without the itch.",
        price=26.00, cost_ratio=0.27, lead_time_days=45, moq=200, case_pack=24,
        base={"material": "100% merino wool", "size": "one size", "care": "hand wash"},
        axes=(colours("Rust:RST", "Charcoal:CHR", "Cream:CRM", "Bottle Green:GRN"),),
        season=(0.7, 360),
    ),
    ItemType(
        APPAREL, "APP-JKT", "Packable Rain Jacket", "Northbound", "rain jacket", "冲锋衣",
        "A waterproof shell that packs into its own pocket.",
        price=89.00, cost_ratio=0.34, lead_time_days=55, moq=100, case_pack=10,
        base={
            "material": "nylon ripstop, 2.5-layer PU membrane",
            "waterproof_rating_mm": 10000,
            "breathability_g_m2": 8000,
            "seams": "fully taped",
            "packable": True,
            "weight_g": 310,
        },
        axes=(
            (v("S", "S", size="S"), v("M", "M", size="M"), v("L", "L", size="L")),
            colours("Olive:OLV", "Yellow:YLW"),
        ),
        season=(0.3, 100),
    ),
    # ---------------------------------------------------------------- electronics
    ItemType(
        ELECTRONICS, "ELE-CHG", "GaN USB-C Charger", "Voltra", "charger", "充电器",
        "A compact gallium-nitride charger that powers a laptop and a phone together.",
        price=39.99, cost_ratio=0.36, lead_time_days=35, moq=500, case_pack=50,
        base={
            "technology": "GaN III",
            "input": "100-240 V AC, 50/60 Hz",
            "foldable_plug": True,
            "protocols": ["USB PD 3.0", "PPS", "QC 4+"],
            "certifications": ["UL", "FCC", "CE", "RoHS"],
            "warranty_months": 18,
        },
        axes=(
            (
                v("30W", "30W", 0.6, power_w=30, ports="1 × USB-C", weight_g=58),
                v("65W", "65W", 1.0, power_w=65, ports="2 × USB-C, 1 × USB-A", weight_g=112),
                v("100W", "100W", 1.5, power_w=100, ports="3 × USB-C, 1 × USB-A", weight_g=205),
            ),
            colours("White:WHT", "Black:BLK"),
        ),
    ),
    ItemType(
        ELECTRONICS, "ELE-CBL", "Braided USB-C Cable", "Voltra", "cable", "数据线",
        "A braided USB-C to USB-C cable rated for 10,000+ bends.",
        price=14.99, cost_ratio=0.25, lead_time_days=30, moq=1000, case_pack=100,
        base={
            "connectors": "USB-C to USB-C",
            "jacket": "braided nylon",
            "bend_lifespan": 10000,
            "certifications": ["USB-IF"],
            "warranty_months": 24,
        },
        axes=(
            (v("1 m", "1M", 1.0, length_m=1), v("2 m", "2M", 1.25, length_m=2)),
            (
                v("60W", "60W", 1.0, power_w=60, data="USB 2.0, 480 Mbps"),
                v("240W", "240W", 1.4, power_w=240, data="USB 2.0, 480 Mbps"),
            ),
        ),
    ),
    ItemType(
        ELECTRONICS, "ELE-PBK", "Slim Power Bank", "Voltra", "power bank", "充电宝",
        "A slim power bank that fast-charges a phone to 50% in about 25 minutes.",
        price=45.00, cost_ratio=0.4, lead_time_days=40, moq=300, case_pack=30,
        base={
            "cell": "lithium polymer",
            "ports": "1 × USB-C in/out, 1 × USB-A out",
            "airline_safe": True,
            "certifications": ["UN38.3", "FCC", "CE"],
            "warranty_months": 18,
        },
        axes=(
            (
                v("10,000 mAh", "10K", 1.0, capacity_mah=10000, output_w=22.5, weight_g=190),
                v("20,000 mAh", "20K", 1.45, capacity_mah=20000, output_w=65, weight_g=360),
            ),
            colours("Black:BLK", "White:WHT"),
        ),
    ),
    ItemType(
        ELECTRONICS, "ELE-WCP", "Magnetic Wireless Charging Pad", "Pixelwave", "charging pad",
        "无线充电器",
        "A Qi2 magnetic pad that snaps into place and charges at up to 15 W.",
        price=34.00, cost_ratio=0.38, lead_time_days=35, moq=300, case_pack=40,
        base={
            "standard": "Qi2",
            "output_w": 15,
            "cable": "1 m USB-C, braided",
            "certifications": ["WPC Qi2", "FCC", "CE"],
            "warranty_months": 12,
        },
        axes=(colours("White:WHT", "Graphite:GRA", "Blue:BLU"),),
    ),
    ItemType(
        ELECTRONICS, "ELE-STD", "Aluminium Laptop Stand", "Pixelwave", "laptop stand", "电脑支架",
        "Lifts the screen to eye level; folds flat for the bag.",
        price=42.00, cost_ratio=0.35, lead_time_days=40, moq=150, case_pack=10,
        base={
            "material": "anodised aluminium alloy",
            "fits": "10-17 inch laptops",
            "height_positions": 6,
            "max_load_kg": 8,
            "weight_g": 260,
        },
        axes=(colours("Silver:SLV", "Space Grey:SGR"),),
    ),
    ItemType(
        ELECTRONICS, "ELE-HUB", "USB-C Hub", "Pixelwave", "hub", "扩展坞",
        "One USB-C port in, everything out: HDMI, USB, card reader and power pass-through.",
        price=36.00, cost_ratio=0.37, lead_time_days=35, moq=200, case_pack=20,
        base={
            "hdmi": "4K at 60 Hz",
            "power_delivery_w": 100,
            "housing": "aluminium",
            "certifications": ["FCC", "CE"],
            "warranty_months": 18,
        },
        axes=(
            (
                v("4-in-1", "4IN1", 0.8, ports="HDMI, 2 × USB-A 3.0, USB-C PD"),
                v("7-in-1", "7IN1", 1.0, ports="HDMI, 3 × USB-A 3.0, SD, microSD, USB-C PD"),
            ),
            colours("Space Grey:SGR", "Silver:SLV"),
        ),
    ),
    # ---------------------------------------------------------------- home textiles
    ItemType(
        HOME_TEXTILES, "HTX-TWL", "Turkish Cotton Bath Towel", "Linden House", "towel", "浴巾",
        "Long-staple Turkish cotton towels: plush, absorbent, quick to dry.",
        price=32.00, cost_ratio=0.33, lead_time_days=50, moq=200, case_pack=12,
        base={
            "material": "100% Turkish cotton",
            "weight_gsm": 600,
            "certifications": ["OEKO-TEX Standard 100"],
            "care": "machine wash 40 °C, tumble dry low",
        },
        axes=(
            (
                v("Bath towel 70×140 cm", "BT", 1.0, size_cm="70 × 140"),
                v("Bath sheet 90×170 cm", "BS", 1.4, size_cm="90 × 170"),
            ),
            colours("White:WHT", "Stone:STN", "Sage:SGE"),
        ),
    ),
    ItemType(
        HOME_TEXTILES, "HTX-DUV", "Stone-Washed Linen Duvet Cover", "Dune & Drift", "duvet cover",
        "被套",
        "Stone-washed French linen that gets softer with every wash.",
        price=149.00, cost_ratio=0.36, lead_time_days=60, moq=60, case_pack=6,
        base={
            "material": "100% French linen, stone-washed",
            "closure": "coconut buttons",
            "certifications": ["OEKO-TEX Standard 100", "European Flax"],
            "care": "machine wash 40 °C",
        },
        axes=(
            (
                v("Twin", "TW", 0.75, size_cm="150 × 200"),
                v("Queen", "QN", 1.0, size_cm="230 × 220"),
                v("King", "KG", 1.2, size_cm="260 × 240"),
            ),
            colours("Natural:NAT", "White:WHT", "Clay:CLY"),
        ),
        season=(0.1, 20),
    ),
    ItemType(
        HOME_TEXTILES, "HTX-THR", "Wool Throw Blanket", "Linden House", "throw", "羊毛毯",
        "A heavyweight New Zealand wool throw, woven in a classic pattern.",
        price=89.00, cost_ratio=0.39, lead_time_days=60, moq=200, case_pack=12,
        base={
            "material": "100% New Zealand wool",
            "size_cm": "130 × 170",
            "weight_g": 1400,
            "care": "dry clean or hand wash cold",
        },
        axes=(
            (
                v("Herringbone", "HRB", 1.0, weave="herringbone"),
                v("Waffle", "WAF", 0.95, weave="waffle"),
            ),
            colours("Mustard:MUS", "Grey Marl:GRY", "Cream:CRM"),
        ),
        season=(0.5, 15),
    ),
    ItemType(
        HOME_TEXTILES, "HTX-PLW", "Cotton Sateen Pillowcases (Pair)", "Linden House",
        "pillowcases", "枕套",
        "Cool, smooth 300-thread-count sateen with an envelope closure.",
        price=36.00, cost_ratio=0.3, lead_time_days=45, moq=150, case_pack=20,
        base={
            "material": "100% long-staple cotton sateen",
            "thread_count": 300,
            "closure": "envelope",
            "pieces": 2,
            "certifications": ["OEKO-TEX Standard 100"],
        },
        axes=(
            (
                v("Standard 50×75 cm", "STD", 1.0, size_cm="50 × 75"),
                v("King 50×90 cm", "KNG", 1.15, size_cm="50 × 90"),
            ),
            colours("White:WHT", "Dove Grey:GRY", "Blush:BLS"),
        ),
    ),
    ItemType(
        HOME_TEXTILES, "HTX-CRT", "Blackout Curtains (Pair)", "Dune & Drift", "curtains",
        "遮光窗帘",
        "Triple-weave blackout curtains that block light and cut draughts.",
        price=48.00, cost_ratio=0.34, lead_time_days=45, moq=100, case_pack=10,
        base={
            "material": "triple-weave polyester",
            "light_blocking": "up to 99%",
            "heading": "8 grommets per panel",
            "pieces": 2,
            "care": "machine wash 30 °C",
        },
        axes=(
            (
                v("132×160 cm", "160", 1.0, size_cm="132 × 160 per panel"),
                v("132×213 cm", "213", 1.2, size_cm="132 × 213 per panel"),
            ),
            colours("Charcoal:CHR", "Navy:NVY", "Beige:BGE"),
        ),
    ),
    ItemType(
        HOME_TEXTILES, "HTX-MAT", "Tufted Cotton Bath Mat", "Dune & Drift", "bath mat", "浴室地垫",
        "A thick tufted bath mat with a non-slip back.",
        price=29.00, cost_ratio=0.32, lead_time_days=45, moq=150, case_pack=12,
        base={
            "material": "100% cotton tufted, latex non-slip backing",
            "size_cm": "50 × 80",
            "machine_washable": True,
        },
        axes=(colours("White:WHT", "Sage:SGE", "Terracotta:TER", "Charcoal:CHR"),),
    ),
    # ---------------------------------------------------------------- beauty
    ItemType(
        BEAUTY, "BEA-CLN", "Gentle Foaming Cleanser", "Petal & Pine", "cleanser", "洁面乳",
        "A low-pH foaming cleanser that removes sunscreen without stripping the skin.",
        price=19.00, cost_ratio=0.22, lead_time_days=30, moq=500, case_pack=24,
        base={
            "key_ingredients": ["ceramides", "glycerin", "niacinamide"],
            "ph": 5.5,
            "fragrance_free": True,
            "cruelty_free": True,
            "certifications": ["Leaping Bunny"],
            "shelf_life_months": 24,
        },
        axes=(
            (v("150 ml", "150", 1.0, volume_ml=150), v("300 ml", "300", 1.6, volume_ml=300)),
            (
                v("Normal to dry skin", "ND", skin_type="normal to dry"),
                v("Oily and combination skin", "OC", skin_type="oily and combination"),
            ),
        ),
    ),
    ItemType(
        BEAUTY, "BEA-SRM", "Vitamin C Brightening Serum", "Lumière Lab", "serum", "精华",
        "A stable vitamin C serum with vitamin E and ferulic acid.",
        price=42.00, cost_ratio=0.2, lead_time_days=35, moq=300, case_pack=48,
        base={
            "volume_ml": 30,
            "key_ingredients": ["L-ascorbic acid", "vitamin E", "ferulic acid"],
            "packaging": "amber glass dropper bottle",
            "cruelty_free": True,
            "shelf_life_months": 12,
        },
        axes=(
            (
                v("10%", "10", 0.85, vitamin_c_percent=10, skin_type="sensitive"),
                v("15%", "15", 1.0, vitamin_c_percent=15, skin_type="all skin types"),
                v("20%", "20", 1.15, vitamin_c_percent=20, skin_type="normal to oily"),
            ),
        ),
    ),
    ItemType(
        BEAUTY, "BEA-SPF", "Mineral Sunscreen SPF 50", "Petal & Pine", "sunscreen", "防晒霜",
        "A zinc-oxide sunscreen that blends in without a white cast.",
        price=24.00, cost_ratio=0.24, lead_time_days=35, moq=500, case_pack=36,
        base={
            "spf": 50,
            "filters": "20% non-nano zinc oxide",
            "water_resistant_minutes": 80,
            "reef_friendly": True,
            "fragrance_free": True,
        },
        axes=(
            (v("50 ml", "50", 1.0, volume_ml=50), v("100 ml", "100", 1.6, volume_ml=100)),
            (v("Untinted", "UT", 1.0, tint="untinted"), v("Tinted", "TN", 1.1, tint="sheer")),
        ),
        season=(0.6, 185),
    ),
    ItemType(
        BEAUTY, "BEA-BRS", "Detangling Hair Brush", "Lumière Lab", "brush", "梳子",
        "Flexible boar-and-nylon bristles that glide through wet or dry hair.",
        price=22.00, cost_ratio=0.25, lead_time_days=40, moq=300, case_pack=24,
        base={"bristles": "boar and nylon", "handle": "beech wood", "cushion": "air cushion"},
        axes=(colours("Natural:NAT", "Black:BLK", "Rose:RSE"),),
    ),
    ItemType(
        BEAUTY, "BEA-TBR", "Bamboo Toothbrush (4-Pack)", "Petal & Pine", "toothbrush", "牙刷",
        "Compostable bamboo handles with castor-oil based bristles.",
        price=12.00, cost_ratio=0.2, lead_time_days=30, moq=1000, case_pack=100,
        base={
            "handle": "moso bamboo, compostable",
            "bristles": "castor-oil nylon, BPA-free",
            "pieces": 4,
        },
        axes=(
            (v("Soft", "SFT", bristle="soft"), v("Medium", "MED", bristle="medium")),
        ),
    ),
    ItemType(
        BEAUTY, "BEA-LIP", "Tinted Lip Balm SPF 15", "Petal & Pine", "lip balm", "润唇膏",
        "Shea-butter lip balm with a sheer tint and sun protection.",
        price=9.00, cost_ratio=0.2, lead_time_days=30, moq=1000, case_pack=144,
        base={
            "weight_g": 4.5,
            "spf": 15,
            "key_ingredients": ["shea butter", "jojoba oil", "vitamin E"],
            "vegan": True,
        },
        axes=(colours("Rose:RSE", "Berry:BRY", "Nude:NUD", "Clear:CLR"),),
    ),
    # ---------------------------------------------------------------- toys
    ItemType(
        TOYS, "TOY-BLK", "Wooden Building Blocks", "Tinker Oak", "blocks", "积木",
        "Smooth beech blocks in bright water-based colours, stored in a canvas bag.",
        price=36.00, cost_ratio=0.33, lead_time_days=50, moq=200, case_pack=8,
        base={
            "material": "FSC-certified beech wood, water-based paint",
            "age": "18 months+",
            "certifications": ["EN 71", "ASTM F963", "CPSIA"],
        },
        axes=(
            (v("50 pieces", "50", 1.0, pieces=50), v("100 pieces", "100", 1.6, pieces=100)),
        ),
    ),
    ItemType(
        TOYS, "TOY-MAG", "Magnetic Tiles Set", "Brightbox", "magnetic tiles", "磁力片",
        "Translucent magnetic tiles for towers, houses and marble runs.",
        price=49.00, cost_ratio=0.35, lead_time_days=45, moq=200, case_pack=6,
        base={
            "material": "food-grade ABS, riveted magnets",
            "age": "3 years+",
            "certifications": ["EN 71", "ASTM F963"],
        },
        axes=(
            (
                v("32 pieces", "32", 0.65, pieces=32),
                v("64 pieces", "64", 1.0, pieces=64),
                v("100 pieces", "100", 1.45, pieces=100),
            ),
        ),
    ),
    ItemType(
        TOYS, "TOY-PLS", "Cuddly Plush Bear", "Tinker Oak", "teddy bear", "毛绒熊",
        "A soft, machine-washable bear with embroidered eyes, safe from birth.",
        price=24.00, cost_ratio=0.3, lead_time_days=45, moq=300, case_pack=24,
        base={
            "material": "recycled polyester plush",
            "eyes": "embroidered",
            "age": "0 months+",
            "machine_washable": True,
            "certifications": ["EN 71", "ASTM F963"],
        },
        axes=(
            (v("25 cm", "25", 1.0, height_cm=25), v("40 cm", "40", 1.5, height_cm=40)),
            colours("Honey:HNY", "Cream:CRM", "Cocoa:COC"),
        ),
    ),
    ItemType(
        TOYS, "TOY-PZL", "Jigsaw Puzzle", "Brightbox", "puzzle", "拼图",
        "Thick, snug-fitting pieces printed on recycled board.",
        price=22.00, cost_ratio=0.3, lead_time_days=40, moq=200, case_pack=12,
        base={"material": "recycled greyboard, linen-finish print", "age": "12 years+"},
        axes=(
            (
                v("500 pieces", "500", 0.85, pieces=500, finished_size_cm="49 × 36"),
                v("1000 pieces", "1000", 1.0, pieces=1000, finished_size_cm="68 × 49"),
            ),
            (
                v("Mountain Lake", "LAKE", theme="Mountain Lake"),
                v("City at Night", "CITY", theme="City at Night"),
                v("Botanical", "BOT", theme="Botanical"),
            ),
        ),
        season=(0.35, 10),
    ),
    ItemType(
        TOYS, "TOY-ART", "Kids' Art Set", "Brightbox", "art set", "绘画套装",
        "Crayons, pencils, markers and paper in a wooden carry case.",
        price=34.00, cost_ratio=0.32, lead_time_days=40, moq=200, case_pack=8,
        base={
            "case": "wooden carry case",
            "non_toxic": True,
            "age": "4 years+",
            "certifications": ["EN 71", "ASTM D-4236"],
        },
        axes=(
            (v("80 pieces", "80", 1.0, pieces=80), v("150 pieces", "150", 1.4, pieces=150)),
        ),
    ),
    ItemType(
        TOYS, "TOY-BIK", "Wooden Balance Bike", "Tinker Oak", "balance bike", "平衡车",
        "A birch-plywood balance bike with an adjustable seat and puncture-proof tyres.",
        price=79.00, cost_ratio=0.38, lead_time_days=60, moq=60, case_pack=2,
        base={
            "frame": "birch plywood",
            "wheel_size_in": 12,
            "tyres": "EVA foam, puncture-proof",
            "seat_height_cm": "30-38",
            "age": "2-5 years",
            "max_load_kg": 30,
            "certifications": ["EN 71", "ASTM F963"],
        },
        axes=(colours("Natural:NAT", "Red:RED", "Mint:MNT"),),
    ),
    # ---------------------------------------------------------------- outdoor
    ItemType(
        OUTDOOR, "OUT-LNT", "Rechargeable Camping Lantern", "Trailfox", "lantern", "露营灯",
        "A dimmable lantern with warm and cool light and a power-bank output.",
        price=39.00, cost_ratio=0.36, lead_time_days=40, moq=200, case_pack=12,
        base={
            "battery": "5200 mAh Li-ion, USB-C charging",
            "water_resistance": "IPX4",
            "modes": ["warm", "cool", "red", "SOS"],
            "power_bank_output": True,
        },
        axes=(
            (
                v("500 lm", "500", 1.0, brightness_lm=500, runtime_h="6-80"),
                v("1000 lm", "1000", 1.35, brightness_lm=1000, runtime_h="4-60"),
            ),
            colours("Olive:OLV", "Sand:SND"),
        ),
    ),
    ItemType(
        OUTDOOR, "OUT-HMK", "Parachute Nylon Hammock", "Basecamp Co.", "hammock", "吊床",
        "A breathable parachute-nylon hammock with tree straps included.",
        price=39.00, cost_ratio=0.3, lead_time_days=40, moq=200, case_pack=10,
        base={"material": "210T parachute nylon", "straps": "2 × 3 m tree-friendly straps"},
        axes=(
            (
                v("Single", "SGL", 1.0, size_cm="270 × 140", max_load_kg=200, weight_g=520),
                v("Double", "DBL", 1.25, size_cm="300 × 200", max_load_kg=300, weight_g=780),
            ),
            colours("Forest:FOR", "Orange:ORG", "Sky:SKY"),
        ),
    ),
    ItemType(
        OUTDOOR, "OUT-PLE", "Trekking Poles (Pair)", "Trailfox", "trekking poles", "登山杖",
        "Three-section flick-lock poles with cork grips.",
        price=69.00, cost_ratio=0.37, lead_time_days=45, moq=100, case_pack=10,
        base={
            "grip": "natural cork",
            "locks": "aluminium flick-lock",
            "length_cm": "105-135",
            "tips": "tungsten carbide + rubber caps",
        },
        axes=(
            (
                v("Aluminium 7075", "ALU", 1.0, material="7075 aluminium", weight_g_pair=520),
                v("Carbon fibre", "CRB", 1.6, material="carbon fibre", weight_g_pair=390),
            ),
        ),
        season=(0.45, 200),
    ),
    ItemType(
        OUTDOOR, "OUT-DRY", "Roll-Top Dry Bag", "Basecamp Co.", "dry bag", "防水袋",
        "A welded roll-top bag that keeps kit dry in a downpour or on the water.",
        price=22.00, cost_ratio=0.3, lead_time_days=40, moq=300, case_pack=20,
        base={
            "material": "500D PVC tarpaulin",
            "seams": "welded",
            "water_resistance": "IPX6",
            "shoulder_strap": True,
        },
        axes=(
            (
                v("5 L", "5L", 0.8, capacity_l=5),
                v("10 L", "10L", 1.0, capacity_l=10),
                v("20 L", "20L", 1.3, capacity_l=20),
            ),
            colours("Yellow:YLW", "Blue:BLU", "Black:BLK"),
        ),
    ),
    ItemType(
        OUTDOOR, "OUT-PCN", "Waterproof Picnic Blanket", "Basecamp Co.", "picnic blanket",
        "野餐垫",
        "Soft fleece on top, a waterproof backing underneath, folds into a carry strap.",
        price=34.00, cost_ratio=0.31, lead_time_days=40, moq=150, case_pack=10,
        base={"top": "polar fleece", "backing": "waterproof PEVA", "machine_washable": True},
        axes=(
            (
                v("150×200 cm", "150", 1.0, size_cm="150 × 200"),
                v("200×200 cm", "200", 1.25, size_cm="200 × 200"),
            ),
            colours("Red Check:RCK", "Navy Stripe:NST"),
        ),
    ),
    ItemType(
        OUTDOOR, "OUT-CHR", "Folding Camp Chair", "Trailfox", "camp chair", "折叠椅",
        "A packable camp chair that sets up in a minute.",
        price=59.00, cost_ratio=0.36, lead_time_days=45, moq=100, case_pack=4,
        base={
            "frame": "7075 aluminium",
            "fabric": "600D polyester",
            "max_load_kg": 120,
            "weight_g": 1100,
            "packed_size_cm": "35 × 12 × 10",
        },
        axes=(colours("Black:BLK", "Olive:OLV", "Orange:ORG"),),
    ),
)
# fmt: on

ITEM_TYPES_BY_CODE = {item.code: item for item in ITEM_TYPES}

# What kind of demand a product has. Bases are units per day at a neutral time of year.
TIER_BESTSELLER = "bestseller"
TIER_STEADY = "steady"
TIER_SLOW = "slow"
TIER_INTERMITTENT = "intermittent"


@dataclass
class ProductSpec:
    """Everything needed to write a product and simulate its sales, stock and reviews."""

    sku: str
    title: str
    category: str
    brand: str
    attributes: dict
    description: str
    price_cents: int
    cost_cents: int
    currency: str
    status: str
    lead_time_days: int
    moq: int
    case_pack: int
    item: ItemType
    tier: str
    base_demand: float
    # Days before "today" the product started selling; None means before the series start.
    launched_days_ago: int | None = None
    # Days before "today" it stopped selling (discontinued products).
    stopped_days_ago: int | None = None
    crisis: str | None = None
    quality: float = 0.0  # shifts review ratings: + happier customers
    strong_aspect: str = "quality"
    weak_aspect: str = "shipping"
    extra: dict = field(default_factory=dict)

    @property
    def price(self) -> Decimal:
        return Decimal(self.price_cents).scaleb(-2)

    @property
    def cost(self) -> Decimal:
        return Decimal(self.cost_cents).scaleb(-2)


def _pool() -> list[tuple[ItemType, tuple[Variant, ...]]]:
    return [(item, combo) for item in ITEM_TYPES for combo in itertools.product(*item.axes)]


def sku_for(item: ItemType, combo: tuple[Variant, ...]) -> str:
    return "-".join([item.code, *(variant.code for variant in combo)])


def title_for(item: ItemType, combo: tuple[Variant, ...]) -> str:
    return f"{item.brand} {item.name}, " + ", ".join(variant.label for variant in combo)


def pool_size() -> int:
    return len(_pool())


def _price_point(value: float, currency: str) -> int:
    """A shelf price in cents: USD ends in .99/.95/.00 bands, CNY in whole yuan ending in 9."""
    if currency == "CNY":
        yuan = max(9, int(round(value / 10.0)) * 10 - 1)
        return yuan * 100
    if value < 20:
        return int(round(value)) * 100 - 1  # 13.99
    if value < 100:
        return int(round(value)) * 100 - 5  # 31.95
    return int(round(value / 5.0)) * 500  # 150.00


_ATTRIBUTE_LABELS = {
    "material": "Material",
    "capacity_ml": "Capacity",
    "colour": "Colour",
    "size": "Size",
    "size_cm": "Size",
    "power_w": "Power",
    "pieces": "Pieces",
    "warranty_months": "Warranty",
    "certifications": "Certified",
}


def _description(item: ItemType, attributes: dict) -> str:
    """A short factual description built only from the attributes (nothing invented)."""
    facts = []
    for key, label in _ATTRIBUTE_LABELS.items():
        if key not in attributes:
            continue
        value = attributes[key]
        if key == "capacity_ml":
            value = f"{value} ml"
        elif key == "power_w":
            value = f"{value} W"
        elif key == "warranty_months":
            value = f"{value} months"
        elif key == "size_cm":
            value = f"{value} cm"
        elif isinstance(value, list):
            value = ", ".join(str(part) for part in value)
        facts.append(f"{label}: {value}.")
    return " ".join([item.pitch, *facts])


def _spec(
    item: ItemType,
    combo: tuple[Variant, ...],
    *,
    rng: np.random.Generator,
    currency: str,
    price_factor: float,
) -> ProductSpec:
    attributes = dict(item.base)
    price = item.price * price_factor
    for variant in combo:
        attributes.update(variant.attrs)
        price *= variant.price
    # Brand, colour and the like are ordered for a stable JSON digest.
    attributes = {key: attributes[key] for key in sorted(attributes)}
    price_cents = _price_point(price, currency)
    cost_ratio = item.cost_ratio * float(rng.uniform(0.9, 1.1))
    cost_cents = int(Decimal(price_cents * cost_ratio).quantize(Decimal(1), ROUND_HALF_UP))
    return ProductSpec(
        sku=sku_for(item, combo),
        title=title_for(item, combo),
        category=item.category,
        brand=item.brand,
        attributes=attributes,
        description="",
        price_cents=price_cents,
        cost_cents=cost_cents,
        currency=currency,
        status="active",
        lead_time_days=max(7, item.lead_time_days + int(rng.integers(-7, 8))),
        moq=item.moq,
        case_pack=item.case_pack,
        item=item,
        tier=TIER_STEADY,
        base_demand=1.0,
    )


# Which aspects customers of a category talk about (first = praised most, weak picks).
CATEGORY_ASPECTS = {
    DRINKWARE: ("function", "quality", "appearance", "price_value", "packaging", "shipping"),
    KITCHEN: ("function", "quality", "price_value", "appearance", "shipping", "packaging"),
    APPAREL: ("size_fit", "function", "quality", "appearance", "price_value", "shipping"),
    ELECTRONICS: ("function", "quality", "authenticity", "price_value", "shipping", "service"),
    HOME_TEXTILES: ("function", "quality", "size_fit", "appearance", "price_value", "shipping"),
    BEAUTY: ("function", "authenticity", "packaging", "price_value", "shipping", "service"),
    TOYS: ("function", "quality", "size_fit", "packaging", "price_value", "shipping"),
    OUTDOOR: ("function", "quality", "size_fit", "price_value", "shipping", "service"),
}


def _assign_demand(spec: ProductSpec, rng: np.random.Generator, *, horizon_days: int) -> None:
    """Status, demand tier, launch and review personality for a non-crisis product."""
    draw = float(rng.random())
    if draw < 0.05:
        spec.status = "draft"
        spec.tier = TIER_SLOW
        spec.base_demand = 0.0
        spec.launched_days_ago = int(rng.integers(3, 40))  # created, not launched
    elif draw < 0.10:
        spec.status = "discontinued"
        spec.tier = TIER_SLOW
        spec.base_demand = float(rng.uniform(0.6, 3.0))
        spec.stopped_days_ago = int(rng.integers(30, max(31, min(400, horizon_days - 20))))
    else:
        tier_draw = float(rng.random())
        if tier_draw < 0.07:
            spec.tier, spec.base_demand = TIER_BESTSELLER, float(rng.uniform(18, 34))
        elif tier_draw < 0.55:
            spec.tier, spec.base_demand = TIER_STEADY, float(np.exp(rng.uniform(1.0, 2.5)))
        elif tier_draw < 0.80:
            spec.tier, spec.base_demand = TIER_SLOW, float(rng.uniform(0.6, 2.2))
        else:
            spec.tier, spec.base_demand = TIER_INTERMITTENT, float(rng.uniform(0.05, 0.45))
        launch_draw = float(rng.random())
        if launch_draw < 0.08:
            spec.launched_days_ago = int(rng.integers(14, 76))  # new, short history
        elif launch_draw < 0.20:
            spec.launched_days_ago = int(rng.integers(100, max(101, horizon_days - 30)))
    aspects = CATEGORY_ASPECTS[spec.category]
    spec.quality = float(rng.normal(0.15, 0.45))
    spec.strong_aspect = aspects[int(rng.integers(0, 3))]
    spec.weak_aspect = aspects[int(rng.integers(0, len(aspects)))]
    if spec.weak_aspect == spec.strong_aspect:
        spec.weak_aspect = aspects[-1]


def catalog_build(
    *,
    count: int,
    seed: int,
    horizon_days: int,
    currency: str = "USD",
    price_factor: float = 1.0,
    with_crises: bool = True,
) -> list[ProductSpec]:
    """Product specs: the crisis products first, then a deterministic spread of the pool."""
    from .crises import CRISIS_SKUS, crisis_apply_catalog

    pool = _pool()
    by_sku = {sku_for(item, combo): (item, combo) for item, combo in pool}
    crisis_skus = list(CRISIS_SKUS) if with_crises else []
    if count > len(pool):
        raise ValueError(f"At most {len(pool)} demo products are available.")
    if count < len(crisis_skus):
        raise ValueError(f"At least {len(crisis_skus)} products are needed for the crises.")

    order_rng = np.random.default_rng([seed, STREAM_CATALOG, 0])
    queues: list[list[str]] = []
    for item in ITEM_TYPES:
        skus = [sku_for(item, combo) for combo in itertools.product(*item.axes)]
        skus = [sku for sku in skus if sku not in crisis_skus]
        queues.append([skus[i] for i in order_rng.permutation(len(skus))])
    # Each round takes one product of every item type, categories interleaved, so that a
    # small seed still covers every category.
    by_category: dict[str, list[int]] = {category: [] for category in CATEGORIES}
    for index in order_rng.permutation(len(ITEM_TYPES)):
        by_category[ITEM_TYPES[int(index)].category].append(int(index))
    rounds = max(len(indexes) for indexes in by_category.values())
    type_order = [
        by_category[category][r]
        for r in range(rounds)
        for category in CATEGORIES
        if r < len(by_category[category])
    ]
    chosen = list(crisis_skus)
    while len(chosen) < count:
        for index in type_order:
            if queues[index] and len(chosen) < count:
                chosen.append(queues[index].pop(0))

    specs = []
    for sku in chosen:
        item, combo = by_sku[sku]
        rng = np.random.default_rng([seed, STREAM_CATALOG, sku_key(sku)])
        spec = _spec(item, combo, rng=rng, currency=currency, price_factor=price_factor)
        _assign_demand(spec, rng, horizon_days=horizon_days)
        if sku in crisis_skus:
            crisis_apply_catalog(spec)
        if spec.status != "draft" and rng.random() < 0.4:
            spec.description = _description(item, spec.attributes)
        specs.append(spec)
    return specs
