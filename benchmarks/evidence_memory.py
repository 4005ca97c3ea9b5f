"""Evidence uploads: the peak memory one image costs while it is processed.

Each case runs in a fresh child process: the image is made first, the process's peak RSS
is reset (/proc/self/clear_refs) and its RSS read, then `process_upload` runs and the peak
(VmHWM) is read again; the difference is what the upload cost. Cases: the 6000 x 6000 PNG
of a few tens of kilobytes that was once accepted, a 12-megapixel photo as PNG, a
12-megapixel and a 50-megapixel phone photo as JPEG, and four photos in one update.
Goal: under 100 MB for any one upload.
Run: .venv/bin/python benchmarks/evidence_memory.py
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES = {
    "png-6000x6000-flat": ("PNG", (6000, 6000), "1"),
    "png-4032x3024-photo": ("PNG", (4032, 3024), "noise"),
    "jpeg-4032x3024-photo": ("JPEG", (4032, 3024), "noise"),
    "jpeg-8160x6120-photo": ("JPEG", (8160, 6120), "noise"),
    "4x-jpeg-4032x3024-one-update": ("JPEG", (4032, 3024), "noise"),
}


def _status_mb(field: str) -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024


def _image(fmt: str, size: tuple[int, int], kind: str) -> bytes:
    from PIL import Image, ImageFilter

    if kind == "noise":  # a photo-like picture: noise does not compress, as photos barely do
        tile = Image.effect_noise((512, 512), 40).convert("RGB").filter(ImageFilter.BoxBlur(1))
        image = Image.new("RGB", size)
        for x in range(0, size[0], 512):
            for y in range(0, size[1], 512):
                image.paste(tile, (x, y))
    else:
        image = Image.new(kind, size)
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": 85} if fmt == "JPEG" else {"optimize": True}))
    return out.getvalue()


def measure_one(name: str) -> dict:
    """In this (fresh) process: what processing the case's upload costs."""
    from flask import Flask
    from flask_babel import Babel

    from portal.evidence.processing import EvidenceRefused, process_upload

    fmt, size, kind = CASES[name]
    data = _image(fmt, size, kind)
    copies = 4 if name.startswith("4x") else 1
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS to the RSS now
        before = _status_mb("VmRSS")
        try:
            for _ in range(copies):
                kept = process_upload(io.BytesIO(data), "photo")
            outcome = f"kept {kept.width} x {kept.height}"
        except EvidenceRefused as refused:
            outcome = f"refused ({refused.reason})"
        peak = _status_mb("VmHWM")
    return {
        "case": name,
        "upload_kb": round(len(data) / 1024),
        "outcome": outcome,
        "peak_over_before_mb": round(peak - before, 1),
    }


def main() -> None:
    print("| case | upload | outcome | peak memory over the process before |")
    print("|---|---|---|---|")
    for name in CASES:
        child = subprocess.run(
            [sys.executable, __file__, "--one", name],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        row = json.loads(child.stdout)
        print(
            f"| {row['case']} | {row['upload_kb']:,} KB | {row['outcome']} "
            f"| {row['peak_over_before_mb']} MB |"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure_one(sys.argv[2])))
    else:
        main()
