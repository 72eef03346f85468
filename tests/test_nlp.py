"""The NLP pipeline's own steps, apart from resolution and extraction: headlines parsed again
as headlines, in a batch as one by one. Headlines are invented."""
from __future__ import annotations

#: Invented headlines, one for each way through the reparse (as the small English model reads them).
BATCHED_HEADLINES = [
    "Freedonia, Sylvania sign border treaty",  # comma read as "and", then "a" inserted before the object
    "Ruritania, Osterlich agree to resume trade talks",  # comma read as "and", the verb found at once
    "Ruritania recall ambassador",  # no verb at the root until "a ambassador"
    "Ruritania court jail journalist",  # no verb at the root, and none with "a" inserted either
    "Sylvania envoy visit",  # no verb at the root and no lexicon verb before a noun
    "Freedonia seek talks",  # parsed well as it is
]


def test_headlines_reparsed_in_a_batch_as_one_by_one(nlp):
    """Parsing the headline variants of a batch together gives each document the parse it gets
    alone, and a document without a title (title end 0 or None) comes back as `nlp` made it."""
    from spacy.attrs import DEP, HEAD, LEMMA, POS, TAG

    from kg.nlp import reparse_headline, reparse_headlines

    texts = [f"{h}\n\nOfficials gave no details." for h in BATCHED_HEADLINES] + ["Freedonia, Sylvania sign treaty."] * 2
    ends = [len(h) for h in BATCHED_HEADLINES] + [0, None]

    def parse(doc):
        ents = [(e.start, e.end, e.label_) for e in doc.ents]
        return doc.text, doc.to_array([TAG, POS, HEAD, DEP, LEMMA]).tolist(), ents

    untouched = [parse(doc) for doc in nlp.pipe(texts)]
    alone = [parse(reparse_headline(nlp, doc, end or 0)) for doc, end in zip(nlp.pipe(texts), ends, strict=True)]
    together = [parse(doc) for doc in reparse_headlines(nlp, list(nlp.pipe(texts)), ends)]
    assert together == alone
    assert together[-2:] == untouched[-2:]
    assert sum(a != b for a, b in zip(together, untouched, strict=True)) >= 3  # the comparison is not vacuous


#: Invented paragraphs for the windowed parse: each names its actors, and the blank lines, full
#: stops and commas are where a window may end.
LONG_PARAGRAPHS = [
    "The foreign minister of Freedonia met the envoy of Japan in Oslo on Monday, and both praised the talks.",
    "Kenya urged Peru to reopen the port, officials said, while Chile warned Brazil over grain shipments.",
    "Norway thanked Ghana for hosting the summit; the two sides agreed to meet again in March.",
]


def test_windows_join_back_into_the_text_and_cut_where_a_reader_would():
    """`windows` partitions any text into pieces of at most the window, preferring a paragraph
    end, then a sentence end, then a comma, then a space; a text within the window is one piece."""
    import random

    from kg.nlp import windows

    rng = random.Random(5)
    for _ in range(500):
        text = "".join(rng.choice(["Ab", " ", ". ", ", ", "\n\n", "x"]) for _ in range(rng.randint(1, 300)))
        size = rng.randint(4, 50)
        pieces = windows(text, size)
        assert "".join(pieces) == text and all(0 < len(p) <= size for p in pieces)
    assert windows("A b. C d\n\nE f, g h i", 14) == ["A b. C d\n\n", "E f, g h i"]  # the paragraph end first
    assert windows("A b. C d, e f g", 10) == ["A b. C d, ", "e f g"]  # a comma when no paragraph or full stop
    assert windows("short", 10) == ["short"]


def test_a_long_text_parsed_in_windows_reads_as_one_document(nlp):
    """A text longer than the window comes back as one Doc of the same text, its entities and
    their gazetteer ids where the whole parse puts them, a sentence starting at each window's cut."""
    from kg.nlp import parse_texts, windows

    text = "\n\n".join(LONG_PARAGRAPHS * 4)
    short = "Freedonia recalled its ambassador."
    window = 400
    cuts = [len(p) for p in windows(text, window)]
    assert len(cuts) >= 3  # the text is windowed
    doc, alone = parse_texts(nlp, [text, short], window=window)
    whole = nlp(text)
    assert doc.text == text and len(doc) == len(whole)
    assert [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents] == \
        [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in whole.ents]
    starts = {s.start_char for s in doc.sents}
    offset = 0
    for length in cuts[:-1]:
        offset += length
        assert offset in starts
    assert [t.dep_ for t in alone] == [t.dep_ for t in nlp(short)]  # a short text is parsed as before
