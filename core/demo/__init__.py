"""Demo data: `demo_seed` builds "Demo Store" (with four planted crises) and "Second Store".

`manage.py seed_demo` is the command-line door; the modules here hold the generators:
`catalog` (products and attributes), `sales` (daily demand), `stock` (stock history),
`reviews` (bilingual review text) and `crises` (what is planted, and its evidence).
"""

from .seed import (
    DEMO_PASSWORD,
    DEMO_SLUG,
    DEMO_USERS,
    OWNER_PASSWORD,
    OWNER_USERNAME,
    SECOND_SLUG,
    SECOND_USERNAME,
    SECOND_USERS,
    VIEWER_PASSWORD,
    VIEWER_USERNAME,
    DemoSeedError,
    DemoSeedResult,
    demo_delete,
    demo_exists,
    demo_seed,
)

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_SLUG",
    "DEMO_USERS",
    "OWNER_PASSWORD",
    "OWNER_USERNAME",
    "SECOND_SLUG",
    "SECOND_USERNAME",
    "SECOND_USERS",
    "VIEWER_PASSWORD",
    "VIEWER_USERNAME",
    "DemoSeedError",
    "DemoSeedResult",
    "demo_delete",
    "demo_exists",
    "demo_seed",
]
