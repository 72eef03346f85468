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
