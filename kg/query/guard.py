"""What a SPARQL request asks for, read from its parse before any engine runs it: whether it is a
query or an update, whether it reaches out to other servers (`SERVICE`), whether it names its own
dataset (`FROM`, `FROM NAMED`), and, for `SELECT *`, the order in which it names its variables.

Oxigraph executes `SERVICE <http://...>` by sending the query to that address, so a server that
evaluates whatever it is sent can be made to read internal addresses for anyone who can reach
it. `check_query` refuses that unless federation is asked for, and refuses updates with a
message that says so (the engine's own message is "expected CONSTRUCT").

The decision is taken on rdflib's parse of the text (its SPARQL 1.1 grammar), never on a scan for
words: a `SERVICE` nested in any group, OPTIONAL, UNION, MINUS, GRAPH, `FILTER EXISTS` or
sub-query is a `ServiceGraphPattern` node of the parse, whatever the escapes, comments and
strings around it; the word in a string, an IRI, a comment, a variable (`?service`) or a prefixed
name (`ex:service`) is not. A text that rdflib's parser cannot read is refused with its message:
what the guard cannot read, the engine does not run. Where rdflib and Oxigraph would read one text
two ways (codepoint escapes, a lone carriage return), the text is made one that both read alike,
or refused (`_plain_text`); the engine runs `QueryShape.text`, the text the guard read.

pyoxigraph (0.5) has no option to switch its SERVICE client off, so for Oxigraph this check is the
gate. rdflib's own evaluator is shut as well: while `refusing_service` is in force, an rdflib
evaluation that reaches a SERVICE raises `QueryRefused` instead of fetching (`kg.query.run.run_query`
evaluates under it).

>>> check_query("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }").has_dataset
True
"""
from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from kg.errors import KGError, QueryError, QueryRefused

__all__ = ["MAX_NESTING", "QueryRefused", "QueryShape", "check_query", "check_remote_query", "nesting", "on_deep_stack",
           "refusing_service"]

#: rdflib's grammar recurses a few frames per triple pattern of a group and per parenthesis: at
#: Python's default limit (1000) a group of 100 triple patterns or 30 nested parentheses fail.
_PARSE_DEPTH = 30_000
#: Deepest nesting of brackets, braces and parentheses a query may have. Oxigraph's parser (Rust)
#: overflows its stack and kills the process (SIGSEGV) at a few thousand; both parsers slow down
#: steeply well before (Oxigraph: 3 s for blank nodes `[ ... ]` nested 100 deep, 30 s at 200). Real
#: queries nest a handful deep. Checked on the text, before either parser sees it.
MAX_NESTING = 64

_FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE", "AskQuery": "ASK"}
#: rdflib's name of an update operation -> the keyword it starts with (for the refusal message).
_UPDATES = {"Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
            "Copy": "COPY", "InsertData": "INSERT", "DeleteData": "DELETE", "DeleteWhere": "DELETE"}


#: A codepoint escape (SPARQL 1.1, 19.2): read before the grammar, anywhere in the text.
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class QueryShape:
    text: str  # the text to run: the request with its codepoint escapes read (see `_plain_text`)
    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK
    has_dataset: bool  # FROM / FROM NAMED given: the query chooses its own default and named graphs
    federated: bool  # SERVICE used, anywhere in the query
    star: bool = False  # the query's own projection is `SELECT *` (a sub-query's is not)
    variables: tuple[str, ...] = ()  # every variable (without ?), in the order the text first names it

    def in_order(self, names: list[str]) -> list[str]:
        """`names` in the order the query first names them (names it never names go last)."""
        first = {v: i for i, v in enumerate(self.variables)}
        return sorted(names, key=lambda n: first.get(n, len(first)))

    def star_order(self, names: list[str]) -> list[str] | None:
        """For a `SELECT *`, whose columns an engine lists in its own order (Oxigraph: by name): the
        columns `names` in the order the query first names the variables, when that differs; None
        for any other query. `kg query`, `kg serve` and the rdflib evaluator all order by this."""
        if not self.star:
            return None
        ordered = self.in_order(names)
        return ordered if ordered != names else None


#: Stack of the thread the engine runs on (`on_deep_stack`); reserved, not used, until needed.
ENGINE_STACK = 1 << 30

T = TypeVar("T")


def on_deep_stack(fn: Callable[[], T]) -> T:
    """`fn()`, run on a thread with a stack of `ENGINE_STACK` bytes, and its result or exception.

    Oxigraph (Rust) parses and evaluates by recursion, over the nesting of a query and over its
    left-deep chains (`1+1+...`, `?s :p :a, :b, ...`, BIND after BIND): with the main thread's 8 MiB
    a chain of 10,000 kills the process with SIGSEGV. Nesting is refused before (`MAX_NESTING`);
    chains are bounded by the size of a query, and a stack of 1 GiB holds the longest that fits in
    one. Where a thread with such a stack cannot be made, `fn` runs here."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box["error"] = _detached(exc)

    previous = threading.stack_size()
    try:
        threading.stack_size(ENGINE_STACK)
        thread = threading.Thread(target=run, daemon=True, name="kg-engine")
        thread.start()
    except (RuntimeError, ValueError, MemoryError):  # no room for such a stack here
        return fn()
    finally:
        threading.stack_size(previous)
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def _detached(exc: BaseException) -> BaseException:
    """`exc` without its traceback and chained exceptions, which hold the frames of the engine's
    thread: pyoxigraph's results must be dropped on the thread that made them (else pyo3 raises
    "unsendable, but is being dropped on another thread"). An unexpected error keeps its
    traceback as text, in a note."""
    if not isinstance(exc, (KGError, OSError, KeyboardInterrupt, SystemExit)):
        import traceback

        exc.add_note("".join(traceback.format_exception(exc)).rstrip())
    exc.__context__ = exc.__cause__ = None
    return exc.with_traceback(None)


def _children(node: Any) -> list[Any]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return list(dict.values(node))  # dict's own: CompValue.get resolves terms against a context
    if isinstance(node, (list, ParseResults)):
        return list(node)
    return []


def _nodes(root: Any) -> Iterator[Any]:
    """Every node of an rdflib parse tree, depth first, in the order of the text (no recursion:
    a parse can be deeper than Python's stack)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(_children(node)))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _parse(parser: Any, text: str) -> Any:
    if sys.getrecursionlimit() < _PARSE_DEPTH:
        sys.setrecursionlimit(_PARSE_DEPTH)
    return parser(text)


def _plain_text(text: str) -> str:
    """The request as both parsers are to read it: rdflib's and Oxigraph's.

    Where two parsers read one text differently, a SERVICE can be code to the engine and a comment
    or a string to the guard. Two such places are known, and closed here:
    - codepoint escapes: rdflib reads `\\u0022` anywhere, before the grammar, as the standard says;
      Oxigraph only inside strings and IRIs. So the escapes are read here, once, and the engine is
      given the result (`QueryShape.text`); an escape left in it (`\\u005Cu0022`, or `\\U` with
      4 digits, which rdflib reads) is refused;
    - a carriage return not followed by a line feed ends a comment for Oxigraph, not for rdflib:
      refused (`\\r\\n` and `\\n` line ends are read alike).
    """
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryError(f"malformed SPARQL query: {m.group()} (character {m.start() + 1}) is no character")
        return chr(code)

    from rdflib.plugins.sparql.parser import expandUnicodeEscapes_re

    plain = _UCHAR.sub(char, text)
    left = expandUnicodeEscapes_re.search(plain)
    if left:
        raise QueryError(f"malformed SPARQL query: '{left.group()}' is left once the codepoint escapes are read; "
                         "write \\u with 4 hex digits or \\U with 8, and no escape that spells another")
    lone_cr = re.search(r"\r(?!\n)", plain)
    if lone_cr:
        line = plain.count("\n", 0, lone_cr.start()) + 1
        raise QueryError(f"malformed SPARQL query: a carriage return without a line feed (line {line}); "
                         "end lines with \\n or \\r\\n")
    return plain


def nesting(text: str) -> tuple[int, int]:
    """(the deepest nesting of `( [ {` in `text`, the offset where it is first reached), counting
    outside strings, IRIs and comments: a linear scan that no nesting can overflow.

    >>> nesting("SELECT * { ?s ?p '{{' FILTER((1)) }")
    (3, 29)
    """
    depth = deepest = 0
    where = i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c in "([{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, i
        elif c in ")]}":
            depth = max(0, depth - 1)
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif c in "'\"":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote) - 1
        elif c == "<":
            iri = _IRI.match(text, i)
            if iri:
                i = iri.end() - 1
        i += 1
    return deepest, where


#: An IRI reference (SPARQL 1.1, IRIREF); a `<` that starts none is the less-than operator.
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')


def _check_nesting(text: str) -> None:
    deepest, where = nesting(text)
    if deepest > MAX_NESTING:
        line = text.count("\n", 0, where) + 1
        column = where - (text.rfind("\n", 0, where) + 1) + 1
        raise QueryError(f"the SPARQL query nests {deepest} deep (brackets, braces and parentheses; "
                         f"line {line}, column {column}); the limit is {MAX_NESTING}")


def _service_hint(text: str, exc: Any) -> str:
    """rdflib's parser (7.x) fails on a SERVICE that follows a '#' on its line (an IRI ending in #,
    a string): it re-reads the text from the line start to capture the SERVICE clause and takes the
    '#' for a comment. Say how to get past it."""
    loc = getattr(exc, "loc", None)
    if not isinstance(loc, int) or text[loc:loc + 7].upper() != "SERVICE":
        return ""
    line_start = text.rfind("\n", 0, loc) + 1
    if "#" not in text[line_start:loc]:
        return ""
    return " (this parser cannot read a SERVICE after a '#' on the same line: start SERVICE on a new line)"


@lru_cache(maxsize=32)
def _shape(text: str) -> QueryShape:
    """The parse of `text` as a query; QueryRefused if it is an update, QueryError if neither."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    text = _plain_text(text)
    _check_nesting(text)
    try:
        tree = _parse(parseQuery, text)
    except (ParseBaseException, ValueError) as exc:  # ValueError: a \\u escape that is no character
        try:
            update = _parse(parseUpdate, text)
        except (ParseBaseException, ValueError, RecursionError):
            update = None
        requests = dict.get(update, "request") if update is not None else None
        if requests:
            first = requests[0]
            word = _UPDATES.get(first.name) or ("WITH" if "withClause" in first else
                                                "DELETE" if "delete" in first else "INSERT")
            raise QueryRefused(f"SPARQL updates ({word}) are refused: this graph is served read-only") from None
        raise QueryError(f"malformed SPARQL query: {_one_line(exc)}{_service_hint(text, exc)}") from None
    except RecursionError:
        raise QueryError("malformed SPARQL query: it nests deeper than the parser can follow "
                         f"(more than about {_PARSE_DEPTH // 10} triple patterns in one group, or "
                         "parentheses nested hundreds deep)") from None
    query = tree[1]
    variables: dict[str, None] = {}
    federated = False
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    for node in _nodes(tree):
        if isinstance(node, Variable):
            variables.setdefault(str(node))
        elif isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            federated = True
    return QueryShape(text=text, form=_FORMS.get(query.name, ""), has_dataset="datasetClause" in query,
                      federated=federated, star=query.name == "SelectQuery" and "projection" not in query,
                      variables=tuple(variables))


def check_query(text: str, *, federation: bool = False) -> QueryShape:
    """Refuse updates, and `SERVICE` unless `federation`; say which form the query has.

    >>> check_query("LOAD <http://example.org/x>")
    Traceback (most recent call last):
    kg.errors.QueryRefused: SPARQL updates (LOAD) are refused: this graph is served read-only
    >>> check_query("SELECT * { ?s ?p ?o . SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.QueryRefused: SERVICE (federated query) is refused: ...; pass --federation to allow it
    >>> check_query("SELECT ?service { ?service ?p 'SERVICE <http://10.0.0.1/>' }").federated
    False
    """
    shape = _shape(text)
    if shape.federated and not federation:
        raise QueryRefused("SERVICE (federated query) is refused: it makes this machine fetch other addresses; "
                           "pass --federation to allow it")
    return shape


def check_remote_query(text: str) -> None:
    """The checks of a query sent to a SPARQL server (`kg query --store`): refuse a text nested past
    `MAX_NESTING` and an update (the credentials kg sends may allow writes); SERVICE is the server's
    to allow, and a text rdflib cannot read (a vendor's extension) the server's to judge."""
    _check_nesting(text)
    try:
        _shape(text)
    except QueryRefused:
        raise
    except QueryError:
        pass


# ------------------------------------------------------------------ rdflib's evaluator

#: Whether rdflib evaluations in this context may run SERVICE (None: not inside `refusing_service`).
_service_allowed: ContextVar[bool | None] = ContextVar("kg_service_allowed", default=None)


def _refuse_service(ctx: Any, part: Any) -> Any:
    """rdflib custom evaluation: inside `refusing_service(federation=False)`, a SERVICE part raises
    instead of being sent; everything else goes on to rdflib's own evaluation."""
    if part.name == "ServiceGraphPattern" and _service_allowed.get() is False:
        raise QueryRefused("SERVICE (federated query) is refused: it makes this machine fetch other addresses; "
                           "pass --federation to allow it")
    raise NotImplementedError


@contextmanager
def refusing_service(*, federation: bool = False) -> Iterator[None]:
    """rdflib SPARQL evaluations inside this block run SERVICE only if `federation`. Evaluation is
    lazy: read the results inside the block."""
    from rdflib.plugins.sparql import CUSTOM_EVALS

    CUSTOM_EVALS.setdefault("kg-refuse-service", _refuse_service)
    token = _service_allowed.set(federation)
    try:
        yield
    finally:
        _service_allowed.reset(token)
