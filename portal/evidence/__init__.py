"""Evidence files: checking, cleaning, storing and serving what suppliers upload.

Self-contained on purpose (no tables, no blueprint): the corrective-action views call
`process_upload`, keep the `ProcessedFile` metadata in their own rows, put the bytes in
`storage_for(app)` under `new_name(...)`, and answer downloads with `evidence_response`
after checking that the user may see the file. See docs/evidence.md.
"""

from portal.evidence.processing import (
    MAX_FULL_DECODE_PIXELS,
    MAX_PIXELS,
    EvidenceRefused,
    ProcessedFile,
    process_upload,
)
from portal.evidence.serving import evidence_response
from portal.evidence.storage import (
    InvalidName,
    LocalStorage,
    Storage,
    new_name,
    storage_for,
    thumbnail_name,
)

__all__ = [
    "MAX_FULL_DECODE_PIXELS",
    "MAX_PIXELS",
    "EvidenceRefused",
    "InvalidName",
    "LocalStorage",
    "ProcessedFile",
    "Storage",
    "evidence_response",
    "new_name",
    "process_upload",
    "storage_for",
    "thumbnail_name",
]
