"""The list of generated files and their content, the staleness check and the writer behind `python -m docsgen`."""

from __future__ import annotations

from pathlib import Path

from validate import charclasses, coverage, regions
from validate.model import load

from . import figures, metadata, modules, pages, performance, readme

ROOT = Path(__file__).resolve().parent.parent


def outputs(root: Path = ROOT, drawn: bool = True) -> dict[Path, str | bytes]:
    """Every generated file and its content; with drawn=False the figures are left out (their own test draws them)."""
    package, findings = load(root)
    if findings:
        raise SystemExit("the package's schemas do not load; run python -m validate first")
    out: dict[Path, str | bytes] = {
        root / "docs" / "data-dictionary.md": pages.data_dictionary(package),
        root / "docs" / "validation.md": pages.validation_page(),
        root / "docs" / "coverage.md": coverage.report(package),
        root / "docs" / "design.md": modules.design(root, (root / "docs" / "design.md").read_text("utf-8")),
        root / "README.md": readme.readme(package, (root / "README.md").read_text("utf-8")),
        root / "docs" / "performance.md": performance.performance_page(root, (root / "docs" / "performance.md").read_text("utf-8")),
        root / "validate" / "charclasses.py": charclasses.render(),
        root / "validate" / "regions.py": regions.render(),
        **metadata.outputs(root),
    }
    if drawn:
        out.update({root / figures.OUT_DIR / name: data for name, data in figures.render(root).items()})
    return out


def as_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def differs(path: Path, content: str | bytes) -> bool:
    return not path.is_file() or path.read_bytes() != as_bytes(content)


def stale(root: Path = ROOT, drawn: bool = True) -> list[Path]:
    """The generated files that are missing or unlike what the sources give now."""
    return [path for path, content in outputs(root, drawn).items() if differs(path, content)]


def write(root: Path = ROOT) -> list[Path]:
    """Write every generated file that changed; returns their paths."""
    written = []
    for path, content in outputs(root).items():
        if differs(path, content):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(as_bytes(content))
            written.append(path)
    return written
