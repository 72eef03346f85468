"""What an incremental build reuses of the last one: its state file (`articles.jsonl`: per article
its content hash, its rows, its events and the reports that merge with other articles'), and a
copy of its store whose table files are hard links. An article whose content hash (every field
but the path it was read from) and build key are unchanged keeps its graph and rows; the others
are worked on again."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kg.build.worker import ArticleResult
from kg.events import MergeIndex, cross_key, report_source
from kg.graph.publish import STORE_DIR
from kg.graph.rdf import article_iri
from kg.graph.store import OxigraphStore, StoreDamaged
from kg.records import Article, plain

log = logging.getLogger("kg.build")

#: The per-article record of a build, read back by the next (incremental) build.
STATE_FILE = "articles.jsonl"
#: The shape of the state file's lines: a build whose state file has another redoes every article.
STATE_VERSION = 3


def article_hash(article: Article) -> str:
    """The content of an article as the build sees it, for incremental builds: every field but the
    path it was read from, which only names it in messages. The same article read from a moved or
    renamed folder, or as `./a/` instead of `a/`, is the same article and is not parsed again."""
    fields = asdict(article)
    del fields["path"]
    data = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


class Previous:
    """The state of the published build: article id -> (content hash, where its line is)."""

    def __init__(self, folder: Path | None, key: dict[str, str]) -> None:
        self.index: dict[str, tuple[str, int]] = {}
        self.merges = MergeIndex()
        self.model = ""
        self.folder = folder
        self._fh = None
        path = folder / STATE_FILE if folder else None
        if path is None or not path.is_file():  # a first build (or one whose state file is gone)
            self.folder = None
            return
        fh = path.open("rb")
        header = json.loads(fh.readline() or b"{}")
        if header.get("key") != key:  # another extractor, lexicon, model or actor file: redo all
            fh.close()
            self.folder = None
            return
        self.model = header.get("model", "")
        while True:
            offset = fh.tell()
            line = fh.readline()
            if not line:
                break
            rec = json.loads(line)
            self.index[rec["id"]] = (rec["hash"], offset)
            self.merges.add(report_keys(rec, {}))  # the merges its graph in the store was written with
        self._fh = fh

    def forget(self) -> None:
        """Build as if there were no previous build (its store cannot be added to)."""
        self.close()
        self.index, self.merges, self.model, self.folder, self._fh = {}, MergeIndex(), "", None, None

    def record(self, article_id: str) -> dict[str, Any]:
        assert self._fh is not None
        self._fh.seek(self.index[article_id][1])
        return dict(json.loads(self._fh.readline()))

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def state_record(res: ArticleResult, digest: str, rows: list[dict[str, str]]) -> dict[str, Any]:
    """An article's line in the state file: enough to write its graph and rows again without
    parsing it (when another article's report of one of its events comes or goes). Each report
    is [*cross key, date, event id, confidence of its main mention, highest confidence, source]."""
    article = res.article
    return {"id": article.id, "hash": digest, "events": len(res.events), "rows": rows,
            "actors": {k: plain(a) for k, a in res.actors.items()}, "surface": res.surface,
            "article": {**plain(article), "text": ""}, "event_records": [plain(e) for e in res.events],
            "reports": [[*cross_key(e), e.main.date, e.id, e.main.confidence, max(m.confidence for m in e.mentions),
                         report_source(e, article.source, article.id)] for e in res.events]}



def report_keys(rec: dict[str, Any], shared: dict[Any, Any]) -> Iterator[tuple[Any, ...]]:
    """The reports of a state-file line as `MergeIndex.add` takes them: key, date, article id,
    event id, and kept with each, its confidences and source (one object per value in `shared`)."""
    one = shared.setdefault
    return ((tuple(r[:4]), r[4], rec["id"], r[5], one(r[6], r[6]), one(r[7], r[7]), one(r[8], r[8]))
            for r in rec["reports"])


def previous_store(previous: Previous, folder: Path, out_dir: Path) -> OxigraphStore | None:
    """A copy of the previous build's store in `folder`, to add to; None (with a warning, after
    which the previous build is forgotten) when that store is missing, damaged, or lacks an article
    the previous build holds: every input given is then parsed again, and nothing is kept that the
    store cannot show whole."""
    assert previous.folder is not None
    old = previous.folder / STORE_DIR
    where = out_dir / STORE_DIR
    if not old.is_dir():
        problem = f"{where} is missing"
    else:
        try:
            link_copy(old, folder / STORE_DIR)
            store = OxigraphStore.open(folder / STORE_DIR, read_only=False)
            lost = [a for a in previous.index if not store.has_graph(str(article_iri(a)))]
            if not lost:
                return store
            store.close()
            problem = (f"{where} lacks {len(lost)} of the {len(previous.index)} article(s) of the last build "
                       f"({lost[0]}{', ...' if len(lost) > 1 else ''})")
        except StoreDamaged as exc:
            problem = f"{where} is damaged ({exc.reason})"
        shutil.rmtree(folder / STORE_DIR, ignore_errors=True)
    log.warning(f"{problem}; the last build ({len(previous.index)} article(s)) cannot be added to: every input "
                "given is parsed afresh, and articles of the last build not given again are not kept",
                extra={"kind": "store"})
    previous.forget()
    return None


def link_copy(src: Path, dst: Path) -> None:
    """A copy of a store whose table files (immutable in RocksDB) are hard links: an incremental
    build starts from the last one in about no time and never writes into it."""
    def link_or_copy(a: str, b: str) -> None:
        if a.endswith(".sst"):
            try:
                os.link(a, b)
                return
            except OSError:
                pass
        shutil.copy2(a, b)
    shutil.copytree(src, dst, copy_function=link_or_copy, ignore=shutil.ignore_patterns("LOCK"))
