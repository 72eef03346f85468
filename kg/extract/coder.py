"""The trained coder: which CAMEO roots, if any, a candidate pair of actors is an event of.

The constructions and the lexicons propose (`kg.extract.candidates`); a linear model trained on
annotated reports (`kg.evaluation.training`, `kg train`) decides. For each pair it gives a calibrated
probability per root (one logistic model per root over the pair's features); a root is kept when
its probability reaches the threshold chosen on held-out folds (or `--min-confidence`), for the
best target of each agent, root and sentence, and once per agent, root and target in an article.

The model is data (`kg/data/coder.json`): feature names, one weight per feature and root, the
threshold and what it was trained on. Reading it needs numpy only.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from itertools import islice, repeat
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from spacy.tokens import Doc

from kg.errors import KGError
from kg.extract.candidates import ROOTS, Pair, readings
from kg.extract.lexicon import Frame, word
from kg.extract.mentions import to_mentions
from kg.records import Article, EventMention
from kg.resolve import actor_annotations

CODER_NAME = "coder.v1"
#: The probability a second named target of the same agent, root and sentence needs to be kept
#: beside the best one (chosen on held-out folds: 0.2-0.4 score alike, one target only scores less).
OTHER_TARGETS = 0.25


def default_model_path() -> Path:
    return Path(str(resources.files("kg") / "data" / "coder.json"))


class Coder:
    """A trained model read from its JSON file."""

    def __init__(self, model: dict[str, Any], digest: str = "") -> None:
        self.roots: list[str] = list(model["roots"])
        self.index = {f: i for i, f in enumerate(model["features"])}
        self.extra_index = {f: i for i, f in enumerate(model["extras"])}
        # features x roots, and one row of zeros after the last: where a feature the model never saw points
        self.weights = _with_zero_row(np.asarray(model["coef"], dtype=np.float64).T)
        self.extra_weights = _with_zero_row(np.asarray(model["extra_coef"], dtype=np.float64).T)  # extras x roots
        self.intercept = np.asarray(model["intercept"], dtype=np.float64)
        self.threshold = float(model["threshold"])
        self.digest = digest

    @classmethod
    def load(cls, path: Path | None = None) -> Coder:
        path = path or default_model_path()
        try:
            data = path.read_bytes()
            model = json.loads(data)
            return cls(model, hashlib.sha256(data).hexdigest()[:12])
        except (OSError, ValueError) as exc:
            raise KGError(f"{path}: cannot read the coder model ({exc}); run kg train") from None
        except (KeyError, TypeError) as exc:
            raise KGError(f"{path}: not a coder model (no {exc} as kg train writes it); run kg train") from None

    @property
    def version(self) -> str:
        return f"{CODER_NAME}+{self.digest}"

    def probabilities(self, pair: Pair) -> np.ndarray:
        """The probability of each root (in `self.roots` order) for one pair."""
        return self.probabilities_of([pair])[0]

    def probabilities_of(self, pairs: list[Pair]) -> np.ndarray:
        """`probabilities` of many pairs at once (pairs x roots): one gather and one sum for all."""
        if not pairs:
            return np.zeros((0, len(self.roots)))
        unseen = len(self.index)  # the row of zeros
        index = self.index.get
        rows: list[int] = []
        starts = np.zeros(len(pairs), dtype=np.int64)
        own: list[dict[str, list[str]]] = []
        shared_at: dict[int, int] = {}  # the pairs of a sentence share one dict of shared features: summed once
        shared: list[dict[str, list[str]]] = []
        which: list[int] = []
        for n, pair in enumerate(pairs):
            starts[n] = len(rows)
            rows += map(index, pair.features, repeat(unseen))
            own.append(pair.per_root)
            k = shared_at.get(id(pair.shared))
            if k is None:
                k = shared_at[id(pair.shared)] = len(shared)
                shared.append(pair.shared)
            which.append(k)
        z = self.intercept + self._per_root_sums(own) + self._per_root_sums(shared)[which]
        counts = np.diff(np.append(starts, len(rows)))
        nonempty = counts > 0
        if rows:
            z[nonempty] += np.add.reduceat(self.weights[np.asarray(rows)], starts[nonempty], axis=0)
        return 1.0 / (1.0 + np.exp(-z))

    def _per_root_sums(self, per_root: list[dict[str, list[str]]]) -> np.ndarray:
        """The weights of per-root features, each for its root, summed for each dict of them (dicts x roots)."""
        width = len(self.roots)
        cells: list[int] = []  # (dict, root) as one cell number of the dicts x roots table
        features: list[str] = []
        for n, by_root in enumerate(per_root):
            for r, feats in by_root.items():
                j = _ROOT_INDEX.get(r)
                if j is not None:
                    features += feats
                    cells += repeat(n * width + j, len(feats))
        rows = np.fromiter(map(self.extra_index.get, features, repeat(len(self.extra_index))), dtype=np.int64,
                           count=len(features))
        at = np.asarray(cells, dtype=np.int64)
        return np.bincount(at, weights=self.extra_weights[rows, at % width],
                           minlength=len(per_root) * width).reshape(len(per_root), width)

    def decide(self, doc: Doc, article: Article, pairs: Iterable[Pair], *,
               threshold: float | None = None) -> list[EventMention]:
        """The event mentions a coder keeps from the candidate pairs of one document, in text order.
        The pairs are scored as they come, a batch at a time, and only those with a root at or above
        the threshold are kept: a long report without full stops has millions of candidates."""
        cut = self.threshold if threshold is None else threshold
        scored: list[tuple[Pair, np.ndarray]] = []
        pairs = iter(pairs)
        while batch := list(islice(pairs, _BATCH)):
            probs = self.probabilities_of(batch)
            scored += [(batch[n], probs[n]) for n in np.flatnonzero(probs.max(axis=1) >= cut)]
        return keep_best(doc, article, scored, self.roots, cut)


def _with_zero_row(weights: np.ndarray) -> np.ndarray:
    return np.vstack([weights, np.zeros((1, weights.shape[1]))])


_ROOT_INDEX = {r: j for j, r in enumerate(ROOTS)}
#: Pairs scored at once: enough for numpy to pay, few enough to keep a long report's in bounds.
_BATCH = 512


def keep_best(doc: Doc, article: Article, scored: list[tuple[Pair, np.ndarray]], roots: list[str],
              cut: float) -> list[EventMention]:
    """The mentions of the readings `select` keeps, in text order."""
    actors = actor_annotations(doc)
    out = [_mention(kept, article, actors) for kept in select(scored, roots, cut)]
    return sorted((m for m in out if m is not None), key=lambda m: (m.sentence_start, m.trigger_start))


class Kept(NamedTuple):
    """A reading `select` keeps: the pair, the root, its probability, and the code and relation it is told by."""

    probability: float
    pair: Pair
    root: str
    code: str
    relation: str


def select(scored: list[tuple[Pair, np.ndarray]], roots: list[str], cut: float) -> list[Kept]:
    """Roots at or above `cut`: the best target of each (sentence, agent, root), the constructions'
    own target first, and any other named target whose own probability reaches `OTHER_TARGETS` too
    ("X condemned Y and Z"); then the best sentence of each (agent, relation, root, target) of the
    article."""
    per_sentence: dict[tuple[int, str, str], list[tuple[bool, float, Pair]]] = {}
    for pair, probs in scored:
        for j in np.nonzero(probs >= cut)[0]:
            root = roots[j]
            key = (pair.sent.start, pair.agent.actor.id, root)
            per_sentence.setdefault(key, []).append((root in pair.rules, float(probs[j]), pair))
    per_article: dict[tuple[str, str, str, str], Kept] = {}
    for (_, agent, root), found in per_sentence.items():
        found.sort(key=lambda c: c[:2], reverse=True)
        floor = max(cut, OTHER_TARGETS)
        for _, p, pair in found[:1] + [c for c in found[1:] if c[2].target is not None and c[1] >= floor]:
            code, relation = reading_of(pair, root)
            event = (agent, relation, root, pair.target.actor.id if pair.target else "")
            if event not in per_article or p > per_article[event].probability:
                per_article[event] = Kept(p, pair, root, code, relation)
    return list(per_article.values())


def reading_of(pair: Pair, root: str) -> tuple[str, str]:
    """The code and relation a kept reading is told by: the constructions', else the lexicon's
    reading of its word, else the root's plain code and the word."""
    rule = pair.rules.get(root)
    if rule is not None:
        return rule.cameo, rule.relation
    trigger = pair.triggers.get(root, pair.anchor)
    return next(((c, rel) for c, _kind, rel in readings(trigger) if c[:2] == root), (f"{root}0", word(trigger)))


def _mention(kept: Kept, article: Article, actors: Any) -> EventMention | None:
    """The mention of a kept reading: the constructions' own where they read it, else one made on
    the word that reads the root (or the word joining the pair)."""
    pair, conf = kept.pair, round(kept.probability, 2)
    rule = pair.rules.get(kept.root)
    if rule is not None:
        return replace(rule, confidence=conf)
    trigger = pair.triggers.get(kept.root, pair.anchor)
    frame = Frame(entry_code=kept.code, relation=kept.relation, trigger=[trigger], verb=trigger,
                  agents=[pair.agent], targets=[pair.target] if pair.target else [], theme="", theme_actor=None,
                  method="coder", confidence=conf)
    made = to_mentions(frame, pair.sent, article, actors, confidence=conf)
    return made[0] if made else None


@lru_cache(maxsize=4)
def load_coder(path: str | None = None) -> Coder:
    """The coder of `path` (default: the one shipped in kg/data), read once per process."""
    return Coder.load(Path(path) if path else None)
