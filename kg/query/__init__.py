"""Reading a build: SPARQL over its store (`run`) with the guard that reads what a request asks
for before any engine runs it (`guard`), answers written as tables, CSV or JSON (`answers`), the
graph and the events table taken away (`export`), and the read-only SPARQL endpoint (`serve`),
whose workers give up the network (`sandbox`). Nothing here imports spaCy."""
