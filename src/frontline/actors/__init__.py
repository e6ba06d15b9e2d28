"""The actor catalogue: armed groups, state forces, notable leaders and generic roles, from YAML files.

``load_catalogue()`` reads the built-in files in ``actors/data`` plus any user files (``settings.catalogues``,
set with ``FRONTLINE_CATALOGUES``), checks them and returns an ``ActorCatalogue`` satisfying the
``Catalogue`` protocol. Parsed files are cached per process, so every worker pays for them once.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from .base import Catalogue, CatalogueActor, CataloguePerson, CountryInfo
from .catalogue import ActorCatalogue, builtin_files, expand_user_paths, read_catalogue_file

__all__ = [
    "ActorCatalogue",
    "Catalogue",
    "CatalogueActor",
    "CataloguePerson",
    "CountryInfo",
    "load_catalogue",
]


def load_catalogue(extra_files: Sequence[Path] = ()) -> ActorCatalogue:
    """The built-in catalogue plus ``extra_files`` (YAML files, or directories of them); user entries
    replace built-in entries with the same id. Raises ``CatalogueError`` naming the file and entry."""
    builtin = tuple(builtin_files())
    user = tuple(expand_user_paths(extra_files))
    # Keyed on each file's mtime and size: an edited user file is picked up, an unchanged set is free.
    key = tuple((str(p), *_stamp(p)) for p in (*builtin, *user))
    return _assemble(key, len(builtin))


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)  # read_catalogue_file reports the missing file with its name
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _assemble(key: tuple[tuple[str, int, int], ...], n_builtin: int) -> ActorCatalogue:
    files = [read_catalogue_file(Path(path)) for path, _m, _s in key]
    return ActorCatalogue(files[:n_builtin], files[n_builtin:])
