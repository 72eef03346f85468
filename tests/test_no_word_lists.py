"""No list of English words lives in `kg/*.py`: the language's words are data in
`kg/data/words.csv`, read with `kg.knowledge.word_list` and its kin; the code names the list.

The test reads every module's source with `ast` and fails on
- a set, list, tuple or dict literal (anywhere: module, class or function, nested pairs included)
  holding 3 or more lower-case English words;
- a word list written as one string and split (`"monday tuesday wednesday".split()`);
- a regex string whose alternation holds 3 or more plain words (`r"\\b(posted|updated|published)\\b"`).

A word here is letters (words of a phrase joined by a space, a hyphen or an apostrophe), at
least two of them, and not one of spaCy's labels: dependency labels, POS tags and entity labels
name a parse, they are not words ("nsubj", "agent", "PERSON"). File suffixes (".txt") and CAMEO
codes ("010") are not letters, so they never count. A literal whose words are a contract (a file
format, a command-line option, an RDF vocabulary) rather than knowledge of English is listed in
`CONTRACTS` with the reason.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy.glossary import GLOSSARY

KG = Path(__file__).resolve().parent.parent / "kg"

#: Modules whose word lists are being moved to `kg/data/words.csv` in another change; empty this
#: tuple once they are, so the test covers them too.
MODULES_BEING_CONVERTED: tuple[str, ...] = ()

#: spaCy's English dependency labels, as `spacy.glossary.GLOSSARY` lists them (its "Dependency
#: Labels (English)" section): written out, so that a label is allowed because spaCy has it, not
#: because it looks like one. Several are also English words ("agent", "case", "mark", "list").
ENGLISH_DEPENDENCY_LABELS = (
    "acl", "acomp", "advcl", "advmod", "agent", "amod", "appos", "attr", "aux", "auxpass", "case", "cc",
    "ccomp", "clf", "complm", "compound", "conj", "cop", "csubj", "csubjpass", "dative", "dep", "det",
    "discourse", "dislocated", "dobj", "expl", "fixed", "flat", "goeswith", "hmod", "hyph", "infmod", "intj",
    "iobj", "list", "mark", "meta", "neg", "nmod", "nn", "npadvmod", "nsubj", "nsubjpass", "nounmod", "npmod",
    "num", "number", "nummod", "oprd", "obj", "obl", "orphan", "parataxis", "partmod", "pcomp", "pobj", "poss",
    "possessive", "preconj", "prep", "prt", "punct", "quantmod", "rcmod", "relcl", "reparandum", "root", "ROOT",
    "vocative", "xcomp",
)
#: Labels that are never words: the dependency labels above, and the glossary's upper-case POS
#: tags, fine-grained tags and entity labels ("PROPN", "VBZ", "GPE"), which regexes may alternate.
SPACY_LABELS = frozenset(ENGLISH_DEPENDENCY_LABELS) | {label for label in GLOSSARY if label.isupper()}

#: Letters that are not words: the ordinal suffixes of a day number ("23rd"), part of how a
#: numeral is written (`kg/ingest/dates.py` reads `\d{1,2}(?:st|nd|rd|th)?`), like the digits around them.
NOT_WORDS = frozenset({"st", "nd", "rd", "th"})

#: Literals of English-looking words that are contracts, not knowledge of English: changing one
#: changes a file format, an option, an API or an RDF vocabulary, so it stays in code. Keyed by
#: module (its path under kg/) and where the literal is: the constant it is assigned to, else the function it is in.
CONTRACTS: dict[tuple[str, str], str] = {
    ("cli.py", "query"): "the values of `kg query --format`",
    ("cli.py", "dyad"): "the values of `kg analyze dyad --format`",
    ("cli.py", "export"): "the values of `kg export --format` (rdflib format names)",
    ("knowledge/coding.py", "RULES"): "names of the re-coding rules: the `rule` column of kg/data/recoding.csv",
    ("evaluation/training.py", "fit"): "the keys of the coder's model file (kg/data/coder.json) kg.extract.coder reads",
    ("evaluation/training.py", "train.trained"): "the keys of the model file's record of its folds and reports",
    ("evaluation/training.py", "MISS_STAGES"): "the stages `miss_stages` returns: the keys of its counts",
    ("events/table.py", "EVENT_COLUMNS"): "the events table's header (events.csv, `kg query`, `kg export`)",
    ("events/table.py", "event_rows"): "the same columns, as the keys of each row of the events table",
    ("graph/rdf.py", "ACTOR_CLASSES"): "actor type -> its class in the dip: ontology (ontology/dip.ttl)",
    ("graph/rdf.py", "bind_prefixes"): "the graph's RDF namespace prefixes (dip, rel, cameo, prov, skos...)",
    ("knowledge/gazetteer.py", "ACTOR_TYPES"): "the actor types of actors.csv's `type` column and of `Actor.type`",
    ("knowledge/gazetteer.py", "Gazetteer.extend.required"): "the columns an actors file must have (actors.csv format)",
    ("nlp/pipeline.py", "_LABELS"): "actor type -> spaCy entity label: the actor types of ACTOR_TYPES",
    ("graph/remote.py", "RESULT_FORMATS"): "response media type -> rdflib's SPARQL results parser name (json, xml)",
    ("graph/remote.py", "RemoteStore.event_rows"): "the events table's columns, keys of each row read from a server",
    ("graph/remote.py", "GRAPH_FORMATS"): "response media type -> rdflib's RDF parser name (nt, turtle, xml, json-ld)",
    ("nlp/headlines.py", "_parse_words"): "names of spaCy pipeline components (tok2vec, tagger, parser, lemmatizer)",
    ("resolve/names.py", "NameLinking.local_actor.prefix"): "actor types (ACTOR_TYPES) -> the prefix of their ids",
    ("resolve/resolver.py", "ArticleResolver._resolve_head"): "actor types (ACTOR_TYPES) a known name may stand for",
    ("views/analysis.py", "analyze"): "the measures `analyze` returns, keys of its report that `kg analyze` prints",
    ("views/analysis.py", "QUAD_NAMES"): "the names of CAMEO's four quad classes (the codebook's own terms)",
    ("views/analysis.py", "DYAD_COLUMNS"): "the columns of `kg analyze dyad --format csv|json`",
    ("views/analysis.py", "dyad"): "the same columns, as the keys of each row of the dyad table",
    ("views/page.py", "_vis_options"): "vis-network's option names (its documented API)",
    ("views/page.py", "render_html.data"): "the keys of the page's data, read by kg/views/templates/view.js",
    ("views/page.py", "write_view.focus"): "the names of `kg viz`'s options, shown in the page's title",
    ("views/page.py", "NODE_STYLE"): "vis-network's node shapes (dot, diamond, star...) for each actor type",
    ("build/provenance.py", "build_key"): "the keys of the header line of a build's state file (articles.jsonl)",
    ("build/incremental.py", "state_record"): "the keys of a line of a build's state file (articles.jsonl)",
    ("graph/store.py", "PREFIXES"): "the graph's RDF namespace prefixes (dip, rel, cameo, prov, skos...)",
    ("graph/store.py", "RDF_FORMATS"): "the format names that `kg export --format` accepts",
    ("query/export.py", "_RDFLIB_FORMATS"): "`kg export --format` names -> rdflib's names of those formats",
}

_WORD = r"[a-z]+(?:[ '-][a-z]+)*"
_GROUP_OPENER = re.compile(r"^\?(?::|=|!|<=|<!|P<\w+>)")


def is_word(text: str, *, any_case: bool = False) -> bool:
    """An English word or phrase, as the rule means it: letters, two or more, not a label."""
    return (len(text) >= 2 and re.fullmatch(_WORD, text.lower() if any_case else text) is not None
            and text not in SPACY_LABELS and text.lower() not in NOT_WORDS)


def alternations(pattern: str) -> Iterator[list[str]]:
    """The alternatives of the pattern and of each of its groups, as written (a nested group
    stands as "\\0", a character class as "[]", so neither reads as a word)."""
    stack: list[list[str]] = [[""]]
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            stack[-1][-1] += pattern[i:i + 2]
            i += 2
            continue
        if c == "[":  # to its closing "]": not the first character, nor an escaped one
            i += 2 if pattern.startswith("[^", i) else 1
            i += pattern.startswith("]", i)
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            stack[-1][-1] += "[]"
            i += 1
            continue
        if c == "(":
            stack.append([""])
        elif c == ")" and len(stack) > 1:
            yield stack.pop()
            stack[-1][-1] += "\0"
        elif c == "|":
            stack[-1].append("")
        else:
            stack[-1][-1] += c
        i += 1
    yield from reversed(stack)


def alternated_words(pattern: str) -> list[str]:
    """The plain words of the largest alternation in `pattern`: "a|b" branches that are nothing
    but a word between anchors (`^`, `\\b`, `$`)."""
    best: list[str] = []
    for alternatives in alternations(pattern):
        if len(alternatives) < 2:
            continue
        words = []
        for alt in alternatives:
            alt = _GROUP_OPENER.sub("", alt).replace("\\ ", " ")
            alt = re.sub(r"^(?:\\b|\^)+|(?:\\b|\$)+$", "", alt)
            if is_word(alt, any_case=True):  # regexes take re.I: "President|Chairman" are words
                words.append(alt)
        best = max(best, words, key=len)
    return best


def _strings(node: ast.AST) -> list[str]:
    """The string constants of a literal, with those of literals nested in it (word -> value pairs)."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else []
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        return [s for elt in node.elts for s in _strings(elt)]
    if isinstance(node, ast.Dict):
        return [s for elt in (*node.keys, *node.values) if elt is not None for s in _strings(elt)]
    return []


class _Finder(ast.NodeVisitor):
    """Walks a module, knowing where it is: `Class.method.variable`."""

    def __init__(self) -> None:
        self.scope: list[str] = []
        self.found: list[tuple[int, str, list[str]]] = []  # line, where, words
        self._reported: set[int] = set()

    def _within(self, name: str, node: ast.AST) -> None:
        self.scope.append(name)
        self.generic_visit(node)
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._within(node.name, node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._within(node.name, node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._within(node.name, node)

    def _assign(self, targets: list[ast.expr], node: ast.AST) -> None:
        target = targets[0] if len(targets) == 1 else None
        while isinstance(target, (ast.Subscript, ast.Attribute)):  # `_MONTHS["sept"] = ...`, `self.x = ...`
            target = target.value if isinstance(target, ast.Subscript) else None
        if isinstance(target, ast.Name):
            self._within(target.id, node)
        else:
            self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        self._assign(node.targets, node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._assign([node.target], node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._assign([node.target], node)

    def _report(self, node: ast.AST, words: list[str]) -> None:
        line = getattr(node, "lineno", 0)
        self.found.append((line, ".".join(self.scope) or "<module>", words))

    def _literal(self, node: ast.Set | ast.List | ast.Tuple | ast.Dict) -> None:
        words = [s for s in _strings(node) if is_word(s)]
        if len(words) >= 3 and id(node) not in self._reported:
            self._report(node, words)
            # the literals nested in it are part of this finding
            self._reported.update(id(n) for n in ast.walk(node))
        self.generic_visit(node)

    visit_Set = visit_List = visit_Tuple = visit_Dict = _literal

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "split" and isinstance(func.value, ast.Constant)
                and isinstance(func.value.value, str)):
            words = [w for w in func.value.value.split() if is_word(w)]
            if len(words) >= 3:
                self._report(node, words)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and "|" in node.value:
            words = alternated_words(node.value)
            if len(words) >= 3:
                self._report(node, words)


def word_lists(source: str) -> list[tuple[int, str, list[str]]]:
    """(line, where, words) of each English word list in a module's source."""
    finder = _Finder()
    finder.visit(ast.parse(source))
    return sorted(finder.found)


def _covered_modules() -> list[Path]:
    return [p for p in sorted(KG.rglob("*.py")) if p.relative_to(KG).as_posix() not in MODULES_BEING_CONVERTED]


@pytest.mark.parametrize("path", _covered_modules(), ids=lambda p: p.relative_to(KG).as_posix())
def test_no_english_word_list_in_code(path):
    module = path.relative_to(KG).as_posix()
    found = [(line, where, words) for line, where, words in word_lists(path.read_text(encoding="utf-8"))
             if (module, where) not in CONTRACTS]
    assert not found, (
        f"kg/{module} holds lists of English words; move them to kg/data/words.csv and read them with "
        f"kg.knowledge.word_list / word_sequence / word_map (or, for a contract, add it to CONTRACTS "
        f"with the reason):\n" + "\n".join(f"  line {line} ({where}): {words}" for line, where, words in found))


def test_every_contract_is_still_there():
    """An entry of CONTRACTS whose literal is gone hides nothing: remove it."""
    present = {(p.relative_to(KG).as_posix(), where)
               for p in _covered_modules() for _, where, _ in word_lists(p.read_text("utf-8"))}
    assert set(CONTRACTS) <= present, sorted(set(CONTRACTS) - present)


def test_labels_are_spacys():
    assert set(ENGLISH_DEPENDENCY_LABELS) <= set(GLOSSARY)


@pytest.mark.parametrize("source", [
    'STOP = {"the", "a", "an", "of"}',
    'def f(w):\n    return w in ("posted", "updated", "published")',
    'MAP = {"headline": "title", "publisher": "source", "link": "url"}',
    'PAIRS = (("next week", 7), ("last week", -7), ("this week", 0))',
    'MONTHS = "january february march".split()',
    'BYLINE = r"\\b(posted|updated|published|staff writer)\\b|^by\\s"',
    'TITLED = r"^(President|Prime Minister|Chairman)\\.? "',
    'NESTED = r"^(?:(?:the|former|then|u\\.?s\\.?)\\s+)+"',
    'class C:\n    KINDS = ["meeting", "visit", "talks"]',
])
def test_finds_word_lists(source):
    assert word_lists(source), source


@pytest.mark.parametrize("source", [
    'SUBJECTS = ("nsubj", "nsubjpass", "csubj")',
    'OBJECTS = {"dobj", "pobj", "dative", "attr", "oprd"}',
    'LABELS = ("PERSON", "GPE", "ORG", "NORP")',
    'ENTS = r"^(PERSON|GPE|ORG)$"',
    'SUFFIXES = (".txt", ".html", ".jsonl")',
    'CODES = {"010", "036", "0841"}',
    'COLUMNS = ("article_id", "event_id", "agent_type")',
    'DAY = r"\\b(\\d{1,2})(?:st|nd|rd|th)?\\b"',
    'YEAR = r"\\b((?:19|20)\\d\\d)\\b"',
    'THIS = r"\\bthis (week|weekend)\\b"',
    'PAIR = ("he", "she")',
    'CHARS = r"[a-z|b-c|d-e]"',
    'SEP = "|".join(words)',
])
def test_passes_labels_and_non_words(source):
    assert not word_lists(source), source
