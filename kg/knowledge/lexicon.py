"""The verb and noun lexicons (`verbs.csv`, `nouns.csv`, with the readings generated from PETRARCH2's
CAMEO verb dictionary) and the nouns that name groups of people (`group_nouns.csv`, with the agent
nouns generated from the Phoenix dictionaries): what words mean an event, or an actor."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kg.knowledge.tables import data_path, read_rows, split_cell, word_list


@dataclass(frozen=True)
class VerbEntry:
    verb: str
    particle: str
    adverb: str
    complement: str  # "to" when the verb takes an infinitive ("offer to dismantle")
    preps: tuple[str, ...]  # prepositions whose object is the target ("meet with X")
    code: str
    relation: str
    symmetric: bool = False  # "X and Y met": each met the other
    needs_target: bool = False  # no named target, no event ("spoke at a news conference")
    objects: tuple[str, ...] = ()  # the reading needs one of these objects ("strike a deal")

    @property
    def specificity(self) -> int:
        return bool(self.particle) + bool(self.adverb) + bool(self.complement) + 2 * bool(self.objects)


@dataclass(frozen=True)
class NounEntry:
    noun: str
    code: str
    relation: str
    preps: tuple[str, ...]
    symmetric: bool = False



#: Codes too vague to trust from a generated bare reading: a verb the dictionary files under
#: "statement", "consult", "cooperate", "yield" or "intend to cooperate, not specified" ("disperse",
#: "think", "give", "allow", "aim") says nothing about who did what to whom without a pattern.
VAGUE_GENERATED_CODES = frozenset({"010", "030", "040", "050", "060", "080"})


def _verb_entry(r: dict[str, str]) -> VerbEntry:
    return VerbEntry(r["verb"], r["particle"], r["adverb"], r["complement"], split_cell(r["preps"]),
                     r["code"], r["relation"], r.get("symmetric") == "yes", r.get("needs_target") == "yes",
                     split_cell(r.get("objects", "")))


@lru_cache(maxsize=1)
def verb_lexicon() -> dict[str, list[VerbEntry]]:
    """Verb lemma -> entries, most specific (particle, adverb, complement) first: the curated
    `verbs.csv`, then for lemmas it does not know, the readings generated from PETRARCH2's CAMEO
    verb dictionary (`generated/verbs.csv`), each needing a named target."""
    out: dict[str, list[VerbEntry]] = {}
    for r in read_rows(data_path("verbs.csv")):
        entry = _verb_entry(r)
        out.setdefault(entry.verb, []).append(entry)
    curated = set(out)
    polysemous = word_list("polysemous_verbs")  # "hit", "fail", "see": a bare reading would be a guess
    generated = data_path("generated/verbs.csv")
    for r in read_rows(generated) if generated.exists() else []:
        entry = _verb_entry(r)
        bare = entry.specificity == 0 and not entry.preps
        if entry.verb in curated or bare and entry.verb in polysemous or (
                not entry.objects and entry.code in VAGUE_GENERATED_CODES):
            continue
        out.setdefault(entry.verb, []).append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: -e.specificity)
    return out


@lru_cache(maxsize=1)
def noun_lexicon() -> dict[str, NounEntry]:
    """Event nouns ("talks", "summit", "letter") -> code, relation and target prepositions."""
    return {r["noun"]: NounEntry(r["noun"], r["code"], r["relation"], split_cell(r["preps"]),
                                 r.get("symmetric") == "yes")
            for r in read_rows(data_path("nouns.csv"))}


def light_verbs() -> frozenset[str]:
    """Verbs that hand their meaning to an event noun ("launched strikes", "lodged a protest")."""
    return word_list("light_verb")



@dataclass(frozen=True)
class GroupNoun:
    """A noun that names a group of people acting together, with its CAMEO agent role."""

    word: str
    role: str
    standalone: bool  # names an actor with no owner ("gunmen", "protesters"); else needs one ("Iraqi officials")


#: Agent roles whose groups act on their own account: rebels, insurgents, the opposition,
#: unidentified gunmen, separatists, radicals, criminals (CAMEO agent codes).
STANDALONE_ROLES = frozenset({"REB", "INS", "OPP", "UAF", "SEP", "RAD", "CRM"})


@lru_cache(maxsize=1)
def group_nouns() -> dict[str, GroupNoun]:
    """Group and role nouns by lemma and plural form: the curated `group_nouns.csv` first, then
    the one-word agent nouns generated from the Phoenix agents dictionary (`generated/agents.csv`)."""
    out: dict[str, GroupNoun] = {}
    for r in read_rows(data_path("group_nouns.csv")):
        out.setdefault(r["word"], GroupNoun(r["word"], r["role"], r.get("standalone") == "yes"))
    generated = data_path("generated/agents.csv")
    places = word_list("not_agent_nouns")  # the dictionary codes villages and schools as civilians
    if generated.exists():
        for r in read_rows(generated):
            form, code = r["form"], r["code"]
            head = form.split()[-1]
            if {head, head[:-1], head[:-3] + "y"} & places:  # "villages", "communities"
                continue
            if form.count(" ") > 1 or len(code) < 3 or not form.replace(" ", "").isalpha():
                continue  # one word, or a modifier and a noun ("armed man")
            role = code[:3]
            out.setdefault(form, GroupNoun(form, role, role in STANDALONE_ROLES))
    return out
