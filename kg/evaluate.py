"""Score an events table against gold files by the rules of the gold README:
agent by name or alias, CAMEO root among the gold roots, target (when checked) by name or alias;
recall over core events with a one-to-one matching, precision over produced events."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError


@dataclass
class Score:
    produced: int = 0
    correct: int = 0
    core: int = 0
    found: int = 0
    misses: list[dict] = field(default_factory=list)  # core gold events not found
    wrong: list[dict] = field(default_factory=list)  # produced events matching no gold event
    by_root: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))

    @property
    def precision(self) -> float:
        return self.correct / self.produced if self.produced else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.core if self.core else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _norm(name: str) -> str:
    name = name.lower().replace("’", "'")
    name = re.sub(r"'s\b", "", name)
    name = re.sub(r"[^\w\s]", " ", name)
    name = " ".join(name.split())
    return re.sub(r"^the\s+", "", name)


def names_actor(label: str, canonical: str, aliases: list[str]) -> bool:
    """True if `label` is the canonical name, an alias, or contains the canonical name as words."""
    lab = _norm(label)
    if not lab:
        return False
    if lab == _norm(canonical) or lab in {_norm(a) for a in aliases}:
        return True
    return re.search(rf"(^| ){re.escape(_norm(canonical))}( |$)", lab) is not None


def load_gold(path: Path) -> dict:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a JSON gold file ({exc})") from None
    if not isinstance(gold, dict) or "events" not in gold or "article" not in gold:
        raise InputError(f"{path}: a gold file needs 'article' and 'events' (see the gold README)")
    return gold


def _matches(row: dict[str, str], ev: dict, actors: dict[str, list[str]]) -> bool:
    if not names_actor(row["agent"], ev["agent"], actors.get(ev["agent"], [])):
        return False
    if row["cameo"][:2] not in ev["roots"]:
        return False
    if ev.get("target") is None:
        return True
    return any(names_actor(row["target"], t, actors.get(t, [])) for t in ev["target"])


def _max_matching(edges: dict[int, list[int]]) -> int:
    """Size of a maximum bipartite matching (gold -> produced), by augmenting paths."""
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges.get(g, []):
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    return sum(augment(g, set()) for g in edges)


def score(rows: list[dict[str, str]], gold_paths: list[Path]) -> Score:
    """Score produced events (one per event_id) of the gold files' articles."""
    result = Score()
    by_article: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for row in rows:
        by_article[row["article_id"]].setdefault(row.get("event_id") or str(len(by_article[row["article_id"]])),
                                                 row)
    for path in gold_paths:
        gold = load_gold(path)
        actors = gold.get("actors", {})
        produced = list(by_article.get(gold["article"], {}).values())
        events = gold["events"]
        result.produced += len(produced)
        for row in produced:
            hit = any(_matches(row, ev, actors) for ev in events)
            result.correct += hit
            stats = result.by_root[row["cameo"][:2]]
            stats[0] += 1
            stats[1] += hit
            if not hit:
                result.wrong.append({"article": gold["article"], **row})
        core = [i for i, ev in enumerate(events) if ev.get("core")]
        edges = {i: [j for j, row in enumerate(produced) if _matches(row, events[i], actors)] for i in core}
        result.core += len(core)
        result.found += _max_matching(edges)
        for i in core:
            root = events[i]["roots"][0]
            result.by_root[root][2] += 1
            if edges[i]:
                result.by_root[root][3] += 1
            else:
                result.misses.append({"article": gold["article"], **events[i]})
    return result


def gold_files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(p.glob("*.json")))
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such gold file or directory")
    if not out:
        raise InputError(f"{' '.join(paths)}: no gold .json files found")
    return out
