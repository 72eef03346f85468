"""One real-world event across articles: reports of the same actors, CAMEO root and modality on
dates that agree within the precision the texts give are merged under one id, kept current as
articles come in (`MergeIndex`)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kg.events.grouping import event_id
from kg.records import Event


def cross_key(ev: Event) -> tuple[str, ...]:
    """Reports of one real-world event share agent, target, CAMEO root and modality."""
    m = ev.main
    return (m.agent.actor.id, m.target.actor.id if m.target else "", m.cameo[:2], m.modality)


def report_source(ev: Event, publisher: str, article_id: str) -> str:
    """Whose word a report is: the agency it cites, else the article's publisher, else the article.
    Two outlets repeating one agency's claim are one source, not two."""
    return ev.main.reported_by or publisher or article_id


def merged_id(key: tuple[str, ...], date: str) -> str:
    """The id of a real-world event reported by several articles (from its content, like `event_id`)."""
    return event_id(("merged", *key, date))


#: A report of an event: (article id, event id).
Member = tuple[str, str]


def merge_reports(reports: Iterable[tuple[tuple[str, ...], str, str, str]]) -> dict[Member, str]:
    """Which reports (key, date, article id, event id) state one real-world event: merged id by
    (article id, event id), for the events reported by two or more articles.

    Dates must agree within the precision the texts give: "2019-01" joins "2019-01-24" when that is
    the only finer date of the same key that it could be, and stays apart when it could be several;
    undated reports are never merged.

    >>> k = ("kim-jong-un", "donald-trump", "04", "asserted")
    >>> sorted(merge_reports([(k, "2019-02-27", "a", "1"), (k, "2019-02", "b", "2"), (k, "2019-03-01", "c", "3")]))
    [('a', '1'), ('b', '2')]
    """
    index = MergeIndex()
    index.add(reports)
    return index.merged


class MergeIndex:
    """`merge_reports` kept current as articles come in: after each `add`, `merged` is what
    `merge_reports` gives for all the reports added so far, and `add` says which articles' merges
    changed (a build writes their graphs again at once, so none is left for the end).

    Only dates of one key and one year can meet (ISO dates: a finer date starts with the coarser
    one), so `add` looks again only at the dates of the keys and years it touched, and reports of
    one date share their fate: its cost does not grow with the corpus. What it keeps is compact
    (per date its merged id and its articles; per article one tuple of its dated reports, each
    with what the caller attached to it), so a build's memory grows little with the corpus."""

    def __init__(self) -> None:
        self._articles: dict[tuple[tuple[str, ...], str], dict[str, set[str]]] = {}  # group -> date -> articles
        self._ids: dict[tuple[tuple[str, ...], str], dict[str, str | None]] = {}  # group -> date -> merged id
        self._reports: dict[str, tuple[tuple[Any, ...], ...]] = {}  # article -> (group, date, event id, *kept)
        self._same: dict[Any, Any] = {}  # one object per group and date, however many reports hold it

    def add(self, reports: Iterable[tuple[Any, ...]]) -> set[str]:
        """Add reports (key, date, article id, event id[, what to keep with it]); the ids of the
        articles whose merges changed."""
        new: dict[str, list[tuple[Any, ...]]] = {}
        fresh: dict[tuple[tuple[str, ...], str], dict[str, set[str]]] = {}  # articles new to a date
        for key, date, article_id, ev_id, *kept in reports:
            if not date:
                continue  # undated reports are never merged
            group = self._same.setdefault((key, date[:4]), (key, date[:4]))
            date = self._same.setdefault(date, date)
            new.setdefault(article_id, []).append((group, date, ev_id, *kept))
            reporters = self._articles.setdefault(group, {}).setdefault(date, set())
            if article_id not in reporters:
                reporters.add(article_id)
                fresh.setdefault(group, {}).setdefault(date, set()).add(article_id)
        for article_id, items in new.items():
            self._reports[article_id] = self._reports.get(article_id, ()) + tuple(items)
        changed: set[str] = set()
        for group in {g for items in new.values() for g, *_ in items}:
            before = self._ids.get(group, {})
            after = self._ids[group] = _date_ids(group[0], self._articles[group])
            for date, now in after.items():
                added = fresh.get(group, {}).get(date, set())
                if before.get(date) != now:  # every earlier reporter of the date changed
                    changed.update(self._articles[group][date] - added)
        # an article whose new reports merge (with earlier ones or with each other) changed too
        changed.update(a for a, items in new.items() if any(self._ids[i[0]][i[1]] is not None for i in items))
        return changed

    def of(self, article_id: str) -> dict[str, str]:
        """Event id -> merged id, for the events of one article that other articles report too."""
        out = {}
        for item in self._reports.get(article_id, ()):
            merged = self._ids[item[0]][item[1]]
            if merged is not None:
                out[item[2]] = merged
        return out

    def members(self) -> Iterator[tuple[Any, ...]]:
        """(article id, event id, merged id, *what was kept) of every merged report."""
        for article_id, items in self._reports.items():
            for group, date, ev_id, *kept in items:
                merged = self._ids[group][date]
                if merged is not None:
                    yield article_id, ev_id, merged, *kept

    @property
    def merged(self) -> dict[Member, str]:
        return {(a, e): m for a, e, m, *_ in self.members()}

    @property
    def by_article(self) -> dict[str, dict[str, str]]:
        return {a: merged for a in self._reports if (merged := self.of(a))}


def _date_ids(key: tuple[str, ...], articles: dict[str, set[str]]) -> dict[str, str | None]:
    """Date -> the merged id its reports get (None: not merged), for the dates of one key and year
    (with the articles reporting each): each date joins the one finer date it could be, else stands
    alone; a bucket that two articles or more report is one merged event."""
    buckets: dict[str, list[str]] = {}
    for date in sorted(articles, key=lambda d: (-len(d), d)):  # finest dates first
        finer = [d for d in buckets if d.startswith(date) and d != date]
        buckets.setdefault(finer[0] if len(finer) == 1 else date, []).append(date)
    ids: dict[str, str | None] = {}
    for bucket, dates in buckets.items():
        merged = merged_id(key, bucket) if _several(articles[d] for d in dates) else None
        ids.update(dict.fromkeys(dates, merged))
    return ids


def _several(reporters: Iterable[set[str]]) -> bool:
    """Whether these sets of articles name two articles or more (without building their union: a
    date that hundreds of articles report is looked at on every report of its key)."""
    first = None
    for articles in reporters:
        if len(articles) > 1:
            return True
        (only,) = articles
        if first is None:
            first = only
        elif only != first:
            return True
    return False
