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
from kg.knowledge import cameo_codes, plain_name


@dataclass
class RootCounts:
    """Totals under one CAMEO root, so a user sees which kinds of events the extractor misses or invents.

    Gold core events count under their first acceptable root, produced events under their own code's root.
    """
    core: int = 0  # gold core events
    found: int = 0  # of those, matched by the one-to-one matching
    produced: int = 0  # produced events
    correct: int = 0  # of those, matching some gold event (core or optional)


@dataclass
class Score:
    produced: int = 0
    correct: int = 0
    core: int = 0
    found: int = 0
    matched: list[tuple[dict, dict]] = field(default_factory=list)  # (core gold event, the produced event it got)
    misses: list[dict] = field(default_factory=list)  # core gold events the matching left unmatched
    wrong: list[dict] = field(default_factory=list)  # produced events matching no gold event
    by_root: dict[str, RootCounts] = field(default_factory=lambda: defaultdict(RootCounts))

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


def names_actor(label: str, canonical: str, aliases: list[str]) -> bool:
    """True if `label` is the canonical name, an alias, or contains the canonical name as words."""
    lab = plain_name(label)
    if not lab:
        return False
    if lab == plain_name(canonical) or lab in {plain_name(a) for a in aliases}:
        return True
    return re.search(rf"(^| ){re.escape(plain_name(canonical))}( |$)", lab) is not None


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


def _max_matching(edges: dict[int, list[int]]) -> dict[int, int]:
    """A maximum bipartite matching gold -> produced, by augmenting paths; returns the assignment.

    Gold events are offered in order of fewest candidates (then gold order), candidates in produced order:
    the result is deterministic, and when two gold events compete for one produced event, the one with no
    other candidate keeps it, so the miss reported is the event that had alternatives.
    """
    owner: dict[int, int] = {}  # produced -> gold

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in sorted(edges, key=lambda g: (len(edges[g]), g)):
        augment(g, set())
    return {g: p for p, g in owner.items()}


def score(rows: list[dict[str, str]], gold_paths: list[Path]) -> Score:
    """Score produced events (one per event_id) of the gold files' articles.

    Misses, matches and the per-root found counts all come from the one matching that gives recall,
    so the listed misses are exactly the core events recall did not count.
    """
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
        edges = {i: [j for j, row in enumerate(produced) if _matches(row, ev, actors)] for i, ev in enumerate(events)}
        hits = {j for candidates in edges.values() for j in candidates}
        result.produced += len(produced)
        result.correct += len(hits)
        for j, row in enumerate(produced):
            counts = result.by_root[row["cameo"][:2]]
            counts.produced += 1
            counts.correct += j in hits
            if j not in hits:
                result.wrong.append({"article": gold["article"], **row})
        core = [i for i, ev in enumerate(events) if ev.get("core")]
        assignment = _max_matching({i: edges[i] for i in core})
        result.core += len(core)
        result.found += len(assignment)
        for i in core:
            counts = result.by_root[events[i]["roots"][0]]
            counts.core += 1
            if i in assignment:
                counts.found += 1
                result.matched.append(({"article": gold["article"], **events[i]}, produced[assignment[i]]))
            else:
                result.misses.append({"article": gold["article"], **events[i]})
    return result


def root_table(result: Score) -> list[str]:
    """Lines of the totals by CAMEO root (gold core, found, produced, correct) and their sum."""
    names = {code: c.name.lower() for code, c in cameo_codes().items() if len(code) == 2}
    lines = [f"by CAMEO root{'':24}gold core  found  produced  correct"]
    rows = [(f"{root or '--':<3}{names.get(root, '')}", c) for root, c in sorted(result.by_root.items())]
    rows.append(("all", RootCounts(result.core, result.found, result.produced, result.correct)))
    lines += [f"  {label:<35}{c.core:>9}  {c.found:>5}  {c.produced:>8}  {c.correct:>7}" for label, c in rows]
    return lines


def report(result: Score, *, by_root: bool = False, verbose: bool = False) -> str:
    """What `kg eval` prints: the figures, the table by root (with `by_root` or `verbose`), the produced
    events matching no gold event (`verbose`) and the missed core events."""
    lines = [f"precision {result.precision:.3f} ({result.correct}/{result.produced})  "
             f"recall {result.recall:.3f} ({result.found}/{result.core})  F1 {result.f1:.3f}"]
    if by_root or verbose:
        lines += root_table(result)
    if verbose and result.wrong:
        lines.append("produced events that match no gold event:")
        lines += [f"  {w['article']}: {w['agent']} -{w.get('relation', '')}/{w['cameo']}-> {w['target'] or '-'}"
                  for w in result.wrong]
    if result.misses:
        lines.append("missed core events:")
        lines += [f"  {m['article']} {m['id']}: {m['agent']} -{m['relation']}/{'|'.join(m['roots'])}-> "
                  f"{'|'.join(m['target']) if m.get('target') else '-'}   \"{m.get('evidence', '')[:80]}\""
                  for m in result.misses]
    return "\n".join(lines)


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
