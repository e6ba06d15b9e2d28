"""The GeoNames index on disk, read-only: the default ``Gazetteer`` backend.

SQLite opened in read-only, immutable mode with memory-mapping, so many worker processes share the OS's
page cache of one file and none can change it; the connection is opened lazily (on first query) and
re-opened after a fork, since SQLite connections must not cross process boundaries.

The curated regions (``regions.py``) sit beside the file in memory: a few hundred names, read when the
index is opened, so users can add region files without rebuilding the index.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ..errors import GazetteerError
from .base import Place
from .build import INDEX_VERSION
from .normalise import all_keys, exact_key, loose_key, skeleton_key
from .regions import Region, load_regions

_COLUMNS = "geonameid, name, lat, lon, cc, feature, population, admin1_code, admin1"


def _place(row: tuple) -> Place:
    return Place(
        geonameid=row[0],
        name=row[1],
        lat=row[2],
        lon=row[3],
        country_code=row[4],
        feature=row[5],
        population=row[6] or 0,
        admin1_code=row[7],
        admin1=row[8],
    )


class GeoNamesIndex:
    """Queries over the index file built by ``build.build_index``."""

    def __init__(self, path: Path, *, regions: Iterable[Path] = (), curated: bool = True) -> None:
        """``regions``: user region files added to the built-in ones; ``curated=False`` leaves the
        curated regions out altogether (GeoNames alone)."""
        self.path = Path(path)
        self._con: sqlite3.Connection | None = None
        self._pid = -1
        self._lock = threading.Lock()
        self.region_files = tuple(Path(p) for p in regions)
        self.curated = curated
        self.regions: list[Region] = load_regions(self.region_files) if curated else []
        self._region_places = {r.to_place().geonameid: r.to_place() for r in self.regions}
        self._region_keys = _region_keys(self.regions)
        # Per-instance caches: a news corpus names the same few thousand places over and over.
        self.match = lru_cache(maxsize=100_000)(self._match)
        self.get = lru_cache(maxsize=100_000)(self._get)

    # -- connection ------------------------------------------------------------------------------

    @property
    def con(self) -> sqlite3.Connection:
        if self._con is None or self._pid != os.getpid():
            with self._lock:
                if self._con is None or self._pid != os.getpid():
                    self._con = self._open()
                    self._pid = os.getpid()
        return self._con

    def _open(self) -> sqlite3.Connection:
        if not self.path.exists():
            raise GazetteerError(
                "gazetteer index not found; run `frontline gazetteer build`", source=str(self.path)
            )
        try:
            con = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            con.execute("PRAGMA mmap_size = 268435456")
            version = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(
                f"gazetteer index is corrupt ({exc}); rebuild it with `frontline gazetteer build --force`",
                source=str(self.path),
            ) from exc
        if not version or version[0] != INDEX_VERSION:
            found = version[0] if version else "none"
            raise GazetteerError(
                f"gazetteer index has version {found}, this Frontline needs {INDEX_VERSION}; "
                "rebuild it with `frontline gazetteer build --force`",
                source=str(self.path),
            )
        return con

    def close(self) -> None:
        if self._con is not None and self._pid == os.getpid():
            self._con.close()
        self._con = None

    def __getstate__(self) -> dict:
        # Sent to worker processes by path only; each opens its own connection.
        return {"path": self.path, "regions": self.region_files, "curated": self.curated}

    def __setstate__(self, state: dict) -> None:
        self.__init__(  # type: ignore[misc]
            state["path"], regions=state.get("regions", ()), curated=state.get("curated", True)
        )

    # -- the Gazetteer protocol ------------------------------------------------------------------

    def _match(self, name: str) -> tuple[tuple[Place, int], ...]:
        """Places a name can refer to, each with its match quality (0 the primary name, 1 an alternate
        name, 2 a spelling variant, 3 a loose transliteration match)."""
        keys: dict[str, int] = {}
        for key, q in ((loose_key(name), 3), (skeleton_key(name), 2), (exact_key(name), 0)):
            if key:
                keys[key] = q  # exact last: a key that is both keeps the better quality
        if not keys:
            return ()
        marks = ",".join("?" * len(keys))
        best: dict[int, tuple[int, tuple]] = {}
        # One query: the names table's primary key finds the keys, the places' primary key their rows.
        sql = (
            f"SELECT n.key, n.quality, {', '.join('p.' + c.strip() for c in _COLUMNS.split(','))} "
            f"FROM names n JOIN places p ON p.geonameid = n.geonameid WHERE n.key IN ({marks})"
        )
        for row in self.con.execute(sql, list(keys)):
            q = max(row[1], keys[row[0]])
            gid = row[2]
            if gid not in best or q < best[gid][0]:
                best[gid] = (q, row[2:])
        found = [(_place(r), q) for q, r in best.values()]
        regions: dict[int, tuple[Place, int]] = {}
        for key, kq in keys.items():
            for place, q in self._region_keys.get(key, ()):
                q = max(q, kq)
                if place.geonameid not in regions or q < regions[place.geonameid][1]:
                    regions[place.geonameid] = (place, q)
        found += regions.values()
        found.sort(key=lambda pq: (pq[1], -pq[0].population))
        return tuple(found)

    def candidates(self, name: str, *, limit: int = 20) -> list[Place]:
        return [p for p, _ in self.match(name)[:limit]]

    def _get(self, geonameid: int) -> Place | None:
        if geonameid < 0:
            return self._region_places.get(geonameid)
        row = self.con.execute(f"SELECT {_COLUMNS} FROM places WHERE geonameid = ?", (geonameid,)).fetchone()
        return _place(row) if row else None

    @lru_cache(maxsize=512)  # noqa: B019 - one index per process, the cache lives as long as it does
    def country(self, code: str) -> Place | None:
        row = self.con.execute(
            f"SELECT {_COLUMNS} FROM places WHERE feature = 'country' AND cc = ?", (code.upper(),)
        ).fetchone()
        return _place(row) if row else None

    @lru_cache(maxsize=4096)  # noqa: B019
    def admin1_of(self, country_code: str, admin1_code: str) -> Place | None:
        """The first-level division with that GeoNames admin1 code."""
        row = self.con.execute(
            f"SELECT {_COLUMNS} FROM places WHERE feature = 'admin1' AND cc = ? AND admin1_code = ?",
            (country_code, admin1_code),
        ).fetchone()
        return _place(row) if row else None

    @lru_cache(maxsize=512)  # noqa: B019
    def capital(self, code: str) -> Place | None:
        """The capital city of a country (ISO alpha-2), for "the capital"."""
        row = self.con.execute("SELECT geonameid FROM capitals WHERE cc = ?", (code.upper(),)).fetchone()
        return self.get(row[0]) if row else None

    @lru_cache(maxsize=50_000)  # noqa: B019
    def is_word(self, text: str) -> bool:
        """Whether a single word is an ordinary English word (WordNet's), in any case: "Congress",
        "Bush", "West" are, "Hama" is not."""
        row = self.con.execute("SELECT 1 FROM words WHERE word = ?", (text.lower(),)).fetchone()
        return row is not None

    def ruler_names(self) -> Iterable[tuple[str, str]]:
        names = [(n, label) for n, label in self.con.execute("SELECT name, label FROM ruler")]
        seen = {n for n, _ in names}
        # Curated regions' names ("Donbas", "Eastern Ghouta") go in front of the NER as locations; a
        # single-word alias that is an upper-case abbreviation ("KRG", "FATA") too, since the NER
        # reads those as organisations.
        for region in self.regions:
            for name in region.names:
                if name not in seen and name[:1].isupper():
                    seen.add(name)
                    names.append((name, "LOC"))
        return names

    def info(self) -> dict[str, str]:
        """What the index holds and when it was built."""
        return dict(self.con.execute("SELECT key, value FROM meta").fetchall())


def _region_keys(regions: list[Region]) -> dict[str, list[tuple[Place, int]]]:
    """Name key -> (region place, match quality), the way the build keys GeoNames' names."""
    out: dict[str, dict[int, tuple[Place, int]]] = {}
    for region in regions:
        place = region.to_place()
        for k, name in enumerate(region.names):
            base = 0 if k == 0 else 1
            exact, skeleton, loose = all_keys(name)
            for key, q in ((exact, base), (skeleton, max(base, 2)), (loose, 3)):
                if not key or (q == 3 and len(key) < 3):
                    continue
                slot = out.setdefault(key, {})
                if place.geonameid not in slot or q < slot[place.geonameid][1]:
                    slot[place.geonameid] = (place, q)
    return {key: list(slot.values()) for key, slot in out.items()}
