"""Writing generated files into a folder that people may also use.

Only files this module wrote before (listed in a manifest) may be replaced or
removed; a file that changed content is rewritten, an unchanged one is left
alone so its modification time stays put for engines that rebuild by mtime.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

MANIFEST = ".factcheck-written"


def write_tree(out: Path, files: dict[str, str]) -> tuple[int, int]:
    """Write `files` (relative path -> text) under `out`.

    Returns:
        How many files were written and how many stale ones were removed.

    Raises:
        FileExistsError: if a target exists that this module did not write;
            nothing is written then.
        ValueError: if a path would leave `out`.
    """
    manifest = out / MANIFEST
    previous = (
        set(manifest.read_text(encoding="utf-8").split("\n")) - {""}
        if manifest.is_file()
        else set()
    )
    for relative in files:
        parts = PurePosixPath(relative).parts
        if PurePosixPath(relative).is_absolute() or ".." in parts or not parts:
            raise ValueError(f"refusing to write outside {out}: {relative}")
        target = out / relative
        if (target.exists() or target.is_symlink()) and relative not in previous:
            raise FileExistsError(
                f"{target} exists and was not written by the generator; not overwriting it"
            )
    written = 0
    for relative, text in sorted(files.items()):
        target = out / relative
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    removed = 0
    for relative in sorted(previous - set(files)):
        target = out / relative
        if target.is_file() and not target.is_symlink():
            target.unlink()
            removed += 1
    out.mkdir(parents=True, exist_ok=True)
    manifest.write_text("".join(f"{path}\n" for path in sorted(files)), encoding="utf-8")
    return written, removed
