"""Training the coder (`kg.extract.coder`) on annotated reports, and measuring it honestly.

Each annotated report is parsed and resolved as a build would, its candidate pairs generated
(`kg.extract.candidates`), and each pair labelled per CAMEO root by the scoring rules of the gold
README: a pair is a positive of a root when its agent (and target, where the gold event checks
one) name a gold event of that root, in the sentence the event's evidence comes from. One logistic
model per root is fitted (scikit-learn, liblinear, a fixed seed), and the threshold on its
probability is the one that gives the best F1 on held-out folds by article.

    kg train ../shared/gold ../shared/dev2/gold ../shared/dev3/gold ../shared/dev4/gold
    kg eval --folds 5 ../shared/gold ../shared/dev2/gold ../shared/dev3/gold ../shared/dev4/gold
"""
from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from kg.errors import InputError
from kg.evaluation.scoring import Score, load_gold, names_actor, score
from kg.extract import document_text, extract_events
from kg.extract.candidates import ROOTS, Pair, generate
from kg.extract.coder import CODER_NAME, Coder, select
from kg.extract.lexicon import readings_kept
from kg.ingest import iter_articles
from kg.knowledge import load_gazetteer
from kg.nlp import load_pipeline, reparse_headlines
from kg.records import Article
from kg.resolve import actor_annotations, resolve_actors
from kg.util.files import write_text_atomic

#: Regularisation of each root's logistic model (inverse strength), chosen on the folds.
C = 0.1
SEED = 13
#: A pair that names a gold event outside the sentence its evidence is from is left out of that
#: root's training: the event is real, but not told there.
SKIP_UNSURE = True
THRESHOLDS = (0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class Report:
    """One annotated report: its gold file, its candidate pairs and each pair's labels by root."""

    article: Article
    gold_path: Path
    gold: dict[str, Any]
    pairs: list[Pair] = field(default_factory=list)
    labels: list[set[str]] = field(default_factory=list)  # per pair: roots it is a positive of
    elsewhere: list[set[str]] = field(default_factory=list)  # per pair: roots it names outside their evidence
    labels_of: dict[str, str] = field(default_factory=dict)  # actor id -> the label a build writes
    sentence_of: list[int] = field(default_factory=list)  # per pair: the index of its sentence
    pair_labels: list[tuple[str, str]] = field(default_factory=list)  # per pair: its agent's and target's labels
    evidence: list[set[int]] = field(default_factory=list)  # per gold event: the sentences its evidence is from


def find_reports(gold_dirs: list[Path]) -> list[tuple[Article, Path]]:
    """The articles of gold folders, each found beside its folder (`../articles/`, `../seeds/`) by the
    gold file's name."""
    out = []
    for gold_dir in gold_dirs:
        if not gold_dir.is_dir():
            raise InputError(f"{gold_dir}: not a folder of gold files")
        wanted = {p.stem: p for p in sorted(gold_dir.glob("*.json")) if p.name != "README.json"}
        folders = [str(d) for d in (gold_dir.parent / "seeds", gold_dir.parent / "articles") if d.is_dir()]
        found = {a.id: a for a in iter_articles(folders)} if folders else {}
        for stem, path in wanted.items():
            if stem in found:
                out.append((found[stem], path))
    if not out:
        raise InputError(f"{' '.join(map(str, gold_dirs))}: no gold file has its article in ../articles or ../seeds")
    return out


def prepare(found: list[tuple[Article, Path]], *, model: str | None = None,
            progress: Callable[[int, int], None] | None = None) -> list[Report]:
    """Parse, resolve and generate the candidates of each report, and label them from its gold file."""
    gazetteer = load_gazetteer()
    nlp = load_pipeline(model, gazetteer)
    articles = [a for a, _ in found]
    docs = reparse_headlines(nlp, list(nlp.pipe((document_text(a) for a in articles), batch_size=16)),
                             [len(a.title) for a in articles])
    reports = []
    for n, ((article, path), doc) in enumerate(zip(found, docs, strict=True)):
        named = actor_annotations(resolve_actors(doc, gazetteer, article.published))
        report = Report(article, path, load_gold(path), labels_of=dict(named.preferred_labels))
        rules = extract_events(doc, article)
        with readings_kept(doc):
            report.pairs = list(generate(doc, rules))
        sents = list(doc.sents)
        index = {sent.start: k for k, sent in enumerate(sents)}
        report.sentence_of = [index[pair.sent.start] for pair in report.pairs]
        report.pair_labels = [_pair_labels(report, pair) for pair in report.pairs]
        report.evidence = _evidence_sentences(report.gold["events"], sents)
        report.labels, report.elsewhere = _labels(report)
        reports.append(report)
        if progress:
            progress(n + 1, len(found))
    return reports


def _label(report: Report, actor: Any) -> str:
    return report.labels_of.get(actor.id, actor.label)


def _pair_labels(report: Report, pair: Pair) -> tuple[str, str]:
    """The labels a build writes for a pair's agent and target ("" for none)."""
    return _label(report, pair.agent.actor), _label(report, pair.target.actor) if pair.target else ""


def _evidence_sentences(events: list[dict[str, Any]], sents: list[Any]) -> list[set[int]]:
    """Per gold event, the sentences its evidence is from: those holding at least half its words and
    nearly as many as the best one (empty when no sentence holds half)."""
    words = [set(_WORD.findall(s.text.lower())) for s in sents]
    out = []
    for ev in events:
        ew = set(_WORD.findall(ev.get("evidence", "").lower()))
        overlap = [len(ew & w) / len(ew) for w in words] if ew else []
        best = max(overlap, default=0.0)
        out.append({k for k, x in enumerate(overlap) if x >= max(0.5, best - 0.15)} if best >= 0.5 else set())
    return out


def _names_event(report: Report, agent: str, target: str, ev: dict[str, Any]) -> bool:
    """Whether an agent's and a target's labels ("" for none) name a gold event's agent and, where the
    event checks one, its target: what the scoring rules ask of a produced event besides its root."""
    actors = report.gold.get("actors", {})
    return names_actor(agent, ev["agent"], actors.get(ev["agent"], [])) and (
        not ev.get("target") or bool(target) and any(names_actor(target, t, actors.get(t, [])) for t in ev["target"]))


def _labels(report: Report) -> tuple[list[set[str]], list[set[str]]]:
    """Per pair, the roots of the gold events it names in the sentence their evidence is from, and
    the roots of those it names in another sentence (neither a positive nor a clean negative)."""
    out, elsewhere = [], []
    for (agent, target), k in zip(report.pair_labels, report.sentence_of, strict=True):
        roots: set[str] = set()
        other: set[str] = set()
        for ev, where in zip(report.gold["events"], report.evidence, strict=True):
            if _names_event(report, agent, target, ev):
                (other if where and k not in where else roots).update(ev["roots"])
        out.append(roots)
        elsewhere.append(other - roots)
    return out, elsewhere


def oracle_recall(reports: list[Report]) -> tuple[int, int]:
    """(core gold events some candidate pair could give, core gold events): a pair can give an event
    when its agent and target name the event's (every root of every pair is scored)."""
    found = total = 0
    for report in reports:
        named = set(report.pair_labels)
        for ev in report.gold["events"]:
            if not ev.get("core"):
                continue
            total += 1
            found += any(_names_event(report, agent, target, ev) for agent, target in named)
    return found, total


#: Where a missed core event was lost, in pipeline order: `miss_stages` names the first that lost it.
MISS_STAGES = {
    "actors": "no candidate pair names its agent and target (resolution, or too far apart)",
    "sentence": "its actors are paired, but not in the sentence its evidence is from",
    "reading": "paired there, but no word of that sentence reads one of its roots",
    "coder": "read there, but the coder kept no such reading (below the threshold, or another target)",
}


def miss_stages(reports: list[Report], misses: list[dict[str, Any]]) -> dict[str, int]:
    """How many missed core events (`Score.misses`) each stage of `MISS_STAGES` lost: what a user
    improves first (resolution, pairing, the lexicons or the coder's training)."""
    by_article = {r.article.id: r for r in reports}
    out = dict.fromkeys(MISS_STAGES, 0)
    for miss in misses:
        report = by_article[miss["article"]]
        k = next(i for i, ev in enumerate(report.gold["events"]) if {"article": miss["article"], **ev} == miss)
        ev, where = report.gold["events"][k], report.evidence[k]
        named = [(pair, s) for pair, s, labels in zip(report.pairs, report.sentence_of, report.pair_labels,
                                                      strict=True) if _names_event(report, *labels, ev)]
        there = [pair for pair, s in named if not where or s in where]
        read = any(pair.read_in_sentence(root) for pair in there for root in ev["roots"])
        out["actors" if not named else "sentence" if not there else "coder" if read else "reading"] += 1
    return out


def miss_table(reports: list[Report], misses: list[dict[str, Any]]) -> list[str]:
    """Lines of `miss_stages`: how many missed core events each stage lost, and why."""
    lines = [f"where the {len(misses)} missed core events were lost (the first stage that lost each):"]
    return lines + [f"  {n:>5}  {MISS_STAGES[stage]}" for stage, n in miss_stages(reports, misses).items()]


def _matrices(reports: list[Report], features: dict[str, int] | None = None, extras: dict[str, int] | None = None
              ) -> tuple[sparse.csr_matrix, dict[str, sparse.csr_matrix], dict[str, int], dict[str, int]]:
    """The pairs' features as sparse matrices: one shared, one of each root's own features."""
    grow = features is None
    features = {} if features is None else features
    extras = {} if extras is None else extras
    base_rows: list[list[int]] = []
    extra_rows: dict[str, list[list[int]]] = {r: [] for r in ROOTS}
    for report in reports:
        for pair in report.pairs:
            row = []
            for f in pair.features:
                if f not in features and grow:
                    features[f] = len(features)
                if f in features:
                    row.append(features[f])
            base_rows.append(sorted(set(row)))
            for r in ROOTS:
                er = []
                for f in pair.root_features(r):
                    if f not in extras and grow:
                        extras[f] = len(extras)
                    if f in extras:
                        er.append(extras[f])
                extra_rows[r].append(sorted(set(er)))
    base = _csr(base_rows, len(features))
    return base, {r: _csr(extra_rows[r], len(extras)) for r in ROOTS}, features, extras


def _csr(rows: list[list[int]], ncols: int) -> sparse.csr_matrix:
    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(indptr[-1]))
    return sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), max(ncols, 1)))


def fit(reports: list[Report], *, c: float = C) -> dict[str, Any]:
    """One logistic model per root over the reports' pairs; the model as `kg/data/coder.json` holds it."""
    base, extra, features, extras = _matrices(reports)
    labels = [roots for report in reports for roots in report.labels]
    unsure = [roots for report in reports for roots in report.elsewhere]
    coef, extra_coef, intercept = [], [], []
    for r in ROOTS:
        y = np.array([r in roots for roots in labels])
        keep = np.array([r not in roots for roots in unsure]) if SKIP_UNSURE else np.ones(len(y), dtype=bool)
        if y.sum() < 2 or y.all():
            coef.append([0.0] * len(features))
            extra_coef.append([0.0] * len(extras))
            intercept.append(-10.0)
            continue
        model = LogisticRegression(C=c, solver="liblinear", random_state=SEED, max_iter=500)
        model.fit(sparse.hstack([base, extra[r]]).tocsr()[keep], y[keep])
        w = model.coef_[0]
        coef.append([_round(x) for x in w[:len(features)]])
        extra_coef.append([_round(x) for x in w[len(features):len(features) + len(extras)]])
        intercept.append(_round(model.intercept_[0]))
    return {"name": CODER_NAME, "roots": list(ROOTS), "features": list(features), "extras": list(extras),
            "coef": coef, "extra_coef": extra_coef, "intercept": intercept,
            "threshold": 0.5, "c": c}


def _round(x: float) -> float:
    return float(f"{x:.5g}")


def _rows(report: Report, coder: Coder, cut: float) -> list[dict[str, str]]:
    """The events table rows (the columns scoring reads) a coder keeps for one report."""
    scored = list(zip(report.pairs, coder.probabilities_of(report.pairs), strict=True))
    rows = []
    for kept in select(scored, coder.roots, cut):
        pair, root = kept.pair, kept.root
        tid = pair.target.actor.id if pair.target else ""
        event = f"{pair.agent.actor.id}|{kept.relation}|{root}|{tid}"
        agent, target = _pair_labels(report, pair)
        rows.append({"article_id": report.article.id, "event_id": event, "agent": agent, "target": target,
                     "cameo": f"{root}0"})
    return rows


@dataclass
class FoldResult:
    threshold: float
    folds: list[Score]  # each fold's score at `threshold`
    pooled: Score  # every held-out report together at `threshold`
    by_threshold: dict[float, Score]

    def mean(self, name: str) -> float:
        return float(np.mean([getattr(s, name) for s in self.folds]))


def cross_validate(reports: list[Report], *, folds: int = 5, c: float = C, seed: int = SEED,
                   share: float = 1.0) -> FoldResult:
    """Train on all folds but one, keep the held-out fold's rows at every threshold; the threshold
    is the one with the best F1 over all held-out reports. With `share` below 1, each model is
    trained on that share of its folds' reports only (drawn with `seed`), the held-out fold unchanged."""
    ids = sorted(r.article.id for r in reports)
    random.Random(seed).shuffle(ids)
    fold_of = {a: k % folds for k, a in enumerate(ids)}
    held: dict[float, list[list[dict[str, str]]]] = {t: [[] for _ in range(folds)] for t in THRESHOLDS}
    for k in range(folds):
        train = [r for r in reports if fold_of[r.article.id] != k]
        if share < 1.0:
            train = random.Random(seed + k).sample(train, max(1, round(len(train) * share)))
        coder = Coder(fit(train, c=c))
        for report in (r for r in reports if fold_of[r.article.id] == k):
            for t in THRESHOLDS:
                held[t][k].extend(_rows(report, coder, t))
    paths = [r.gold_path for r in reports]
    fold_paths = [[r.gold_path for r in reports if fold_of[r.article.id] == k] for k in range(folds)]
    pooled = {t: score([row for rows in held[t] for row in rows], paths) for t in THRESHOLDS}
    best = max(THRESHOLDS, key=lambda t: (round(pooled[t].f1, 6), -t))
    return FoldResult(best, [score(held[best][k], fold_paths[k]) for k in range(folds)], pooled[best], pooled)


#: The shares of the training folds a learning curve trains on, besides all of them.
CURVE_SHARES = (0.25, 0.5, 0.75)


def learning_curve(reports: list[Report], full: FoldResult, *, folds: int = 5) -> list[tuple[float, int, Score]]:
    """(share, reports each model was trained on, pooled held-out score) for each of `CURVE_SHARES`
    of the training folds, then for all of them (`full`, the cross-validation of all), the held-out
    folds the same: whether annotating more reports would pay."""
    per_fold = len(reports) - len(reports) // folds  # the training reports of a fold, the most of them
    out = [(share, max(1, round(per_fold * share)), cross_validate(reports, folds=folds, share=share).pooled)
           for share in CURVE_SHARES]
    return out + [(1.0, per_fold, full.pooled)]


def curve_table(curve: list[tuple[float, int, Score]]) -> list[str]:
    """Lines of a `learning_curve`."""
    lines = ["learning curve (the same held-out folds; each model trained on part of its folds):"]
    return lines + [f"  {share:>4.0%} of the training reports (~{n}): precision {s.precision:.3f}  "
                    f"recall {s.recall:.3f}  F1 {s.f1:.3f}" for share, n, s in curve]


def train(gold_dirs: list[Path], out: Path, *, folds: int = 5, model: str | None = None,
          progress: Callable[[int, int], None] | None = None) -> tuple[dict[str, Any], FoldResult | None]:
    """Train the coder on every report of `gold_dirs` and write it to `out`; with `folds`, the
    threshold is chosen on held-out folds (and their figures recorded in the model)."""
    reports = prepare(find_reports(gold_dirs), model=model, progress=progress)
    result = cross_validate(reports, folds=folds) if folds > 1 else None
    trained = fit(reports)
    if result is not None:
        trained["threshold"] = result.threshold
        trained["folds"] = {"k": folds, "seed": SEED, "precision": round(result.mean("precision"), 3),
                            "recall": round(result.mean("recall"), 3), "f1": round(result.mean("f1"), 3)}
    trained["trained_on"] = {"reports": len(reports), "gold": sorted(str(d.name if d.name != "gold" else d.parent.name)
                                                                     for d in gold_dirs),
                             "pairs": sum(len(r.pairs) for r in reports)}
    text = json.dumps(trained, separators=(",", ":"), sort_keys=False) + "\n"
    write_text_atomic(out, text)
    return trained, result
