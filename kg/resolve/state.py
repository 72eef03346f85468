"""What every part of resolution shares: the parsed article, the gazetteer, and what has been
resolved so far (actors by phrase head, in reading order). The parts (`names`, `offices`,
`groups`, `focus`) are mixins over this state; `resolver.ArticleResolver` puts them together."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from kg.knowledge import Gazetteer
from kg.records import Actor, Mention
from kg.resolve.spans import doc_text

#: How many actor mentions back a pronoun or a phrase ("he", "the two leaders", "the kingdom")
#: looks for what it refers to. A news report names a few dozen; the bound keeps a report of
#: hundreds of thousands of characters (or one endless sentence) from looking back over all it named
#: at every such word, which cost the square of its length.
FOCUS_WINDOW = 256


@dataclass
class Seen:
    """An actor named at a token, as the history that pronouns and plural phrases look back on."""

    token_i: int
    sent_i: int
    actor: Actor
    subject: bool


class ResolverState:
    """The fields are set by `ArticleResolver` (a dataclass); the parts only read and extend them."""

    doc: Doc
    gazetteer: Gazetteer
    published: str
    by_head: dict[int, list[Mention]]
    history: list[Seen]
    local: dict[str, Actor]
    bare_titled: set[str]
    preferred_labels: dict[str, str]
    local_offices: dict[tuple[str, str], Actor]
    _roles: dict[int, str]
    _dates: dict[int, str]
    _sent_of: dict[int, int]
    _persons_named: list[tuple[Span, Actor]]
    _acronyms: dict[str, Span]

    def _mention(self, start: int, end: int, text: str, actor: Actor) -> Mention:
        return Mention(text=text, start=start, end=end, actor=actor)

    def _looking_back(self) -> Iterator[Seen]:
        """The history, latest first, at most `FOCUS_WINDOW` mentions back."""
        return islice(reversed(self.history), FOCUS_WINDOW)

    def _np_span(self, tok: Token) -> tuple[int, int, str]:
        # lefts come in text order: the first that belongs to the phrase opens it
        start_tok = next((t for t in tok.lefts if t.dep_ in ("det", "amod", "compound", "poss", "nummod", "case")
                          or t.ent_type_), tok)
        if start_tok.dep_ == "poss" or start_tok.ent_type_:
            start_tok = start_tok.left_edge  # "Sri Lanka's president", not "Lanka's president"
        start, end = start_tok.idx, tok.idx + len(tok.text)
        return start, end, doc_text(self.doc)[start:end]

    if TYPE_CHECKING:  # what one part asks of another
        def _named_actor(self, ent: Span, *, allow_short: bool = True) -> Actor | None: ...
        def _contextual(self, text: str, at: int) -> Actor | None: ...
        def local_actor(self, type_: str, label: str, *, country: str = "", role: str = "") -> Actor: ...
        def _resolve_head(self, tok: Token) -> list[Mention]: ...
        def _country_modifier(self, tok: Token) -> Actor | None: ...
        def _role_phrase(self, tok: Token) -> str: ...
        def _plural_phrase(self, tok: Token) -> list[Actor]: ...
        def _is_monarchy(self, country: Actor) -> bool: ...
        def _recent_subject(self, tok: Token, ok) -> Actor | None: ...
        def _recent(self, tok: Token, ok) -> Actor | None: ...
        def _counterpart(self, tok: Token) -> Actor | None: ...
        def _mentions_ahead(self, tok: Token) -> list[Mention]: ...
        def _org_head(self, tok: Token) -> Actor | None: ...
        def _holder(self, country: Actor, office: str, at: Token | None = None) -> Actor | None: ...
        def _unnamed_holder(self, country: Actor, office: str, text: str) -> Actor: ...
        def _with_office_learnt(self, ent: Span, actor: Actor) -> Actor: ...
        def _learn_office(self, ent: Span, actor: Actor) -> None: ...
        def _of_countries(self, tok: Token) -> list[Actor]: ...
        def _recent_office_holder(self, tok: Token, office: str) -> Actor | None: ...
        def _pronoun(self, tok: Token) -> list[Mention]: ...
