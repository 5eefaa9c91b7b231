"""Writes of the imports app: uploads and mappings, the import job, and the loader.

    batch = import_upload(merchant=m, user=u, kind="orders", uploaded_file=f)
    batch = import_configure(batch=batch, mapping={...}, mode="valid_rows", options={})
    job = import_start(batch=batch, user=u)        # imports.tasks.import_run -> import_run
    result = records_load(merchant=m, kind="stock", records=[...], options={})  # bulk API

Modules: uploads (storing, sniffing, mappings), run (the job), load (records -> staging ->
domain tables), staging (TEMP tables, COPY, set-based upserts), orders (order lines -> daily
sales).
"""

from .errors import ImportServiceError
from .load import LoadRejected, LoadResult, records_load, review_fingerprint
from .run import RUN_TASK, import_cancel, import_run, import_start
from .uploads import (
    headers_signature,
    import_configure,
    import_resniff,
    import_upload,
    mapping_delete,
    upload_max_bytes,
)

__all__ = [
    "RUN_TASK",
    "ImportServiceError",
    "LoadRejected",
    "LoadResult",
    "headers_signature",
    "import_cancel",
    "import_configure",
    "import_resniff",
    "import_run",
    "import_start",
    "import_upload",
    "mapping_delete",
    "records_load",
    "review_fingerprint",
    "upload_max_bytes",
]
