"""One-time conversion of IGF LMS reference tables from the R package childsds.

Reads ``data/international_lab.ref.rda`` (Bidlingmaier et al. 2014, Friedrich et al. 2014)
and ``data/japan_lab.ref.rda`` (Isojima et al. 2012) from a local copy of
https://github.com/mvogel78/childsds and writes one CSV per table (columns: age_years, sex,
L, M, S) into ``src/igfcirrhosis/data/references/``. The metadata TOML files beside the CSVs
are written by hand (they carry the citations, units and licence notes) and are not touched.

childsds stores each table as BCCG parameters: nu = L, mu = M, sigma = S, by age and sex.
Only the numbers (published model parameters) are shipped; no childsds code is copied.

Not run in tests or CI. Usage::

    python scripts/convert_childsds.py /path/to/childsds [--out src/igfcirrhosis/data/references]

where ``/path/to/childsds`` is a checkout (or ``git archive`` export) that contains ``data/``.
If the path is a bare git directory, the .rda files are read with ``git show HEAD:data/...``.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

# (rda file, R object, item inside ref@refs, output CSV stem)
TABLES = [
    ("international_lab.ref.rda", "international_lab.ref", "igf1", "bidlingmaier2014-igf1"),
    ("international_lab.ref.rda", "international_lab.ref", "igf_bp3", "friedrich2014-igfbp3"),
    (
        "international_lab.ref.rda",
        "international_lab.ref",
        "igf1_bp3_ratio",
        "friedrich2014-igf1-igfbp3-ratio",
    ),
    ("japan_lab.ref.rda", "japan_lab.ref", "igf1", "isojima2012-igf1"),
]
SEX_CODES = {"male": "M", "female": "F"}


def _read_rda_bytes(source: Path, name: str) -> bytes:
    """Return the bytes of data/<name> from a work tree or a bare git directory."""
    candidate = source / "data" / name
    if candidate.is_file():
        return candidate.read_bytes()
    out = subprocess.run(
        ["git", "--git-dir", str(source), "show", f"HEAD:data/{name}"],
        check=True,
        capture_output=True,
    )
    return out.stdout


def _load(source: Path, name: str, obj: str) -> object:
    import rdata  # only needed for this one-time conversion

    with tempfile.NamedTemporaryFile(suffix=".rda") as fh:
        fh.write(_read_rda_bytes(source, name))
        fh.flush()
        with warnings.catch_warnings():
            # rdata warns about R classes (ParTab, RefGroup, tbl_df) it has no constructor for;
            # the underlying lists and data frames are what we need.
            warnings.simplefilter("ignore", UserWarning)
            parsed = rdata.parser.parse_file(fh.name)
            converted = rdata.conversion.convert(parsed)
    return converted[obj]


def convert(source: Path, out_dir: Path) -> list[Path]:
    written: list[Path] = []
    for rda, obj, item, stem in TABLES:
        ref = _load(source, rda, obj)
        partab = ref.refs[item]  # type: ignore[attr-defined]
        for sex, dist in partab.dist.items():
            if str(dist[0]) != "BCCG":
                raise ValueError(f"{rda}:{item}:{sex}: expected BCCG, found {dist[0]}")
        rows: list[tuple[float, str, float, float, float]] = []
        for sex in ("female", "male"):
            df = partab.params[sex]
            for age, nu, mu, sigma in zip(df["age"], df["nu"], df["mu"], df["sigma"], strict=True):
                # nu is stored as text in the igf1 table of international_lab.ref
                rows.append((float(age), SEX_CODES[sex], float(nu), float(mu), float(sigma)))
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["age_years", "sex", "L", "M", "S"])
        for age, sex, lam, mu, sigma in rows:
            writer.writerow([repr(age), sex, repr(lam), repr(mu), repr(sigma)])
        path = out_dir / f"{stem}.csv"
        path.write_text(buf.getvalue(), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="childsds checkout or bare git directory")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "src/igfcirrhosis/data/references",
    )
    args = parser.parse_args(argv)
    for path in convert(args.source, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
