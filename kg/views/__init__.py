"""What users look at: the events as a network of actors with the analyses users ask for first
(`analysis`), read from a build or a server (`events`), placed by `layout`, drawn as the
interactive page (`page`, its script and styles in `templates/`) and as the timeline of a dyad
(`timeline`). Nothing here imports spaCy or writes into a build's store."""
