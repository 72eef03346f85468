"""One exception family, so the CLI can turn every known failure into one clear line."""
from __future__ import annotations


class KGError(Exception):
    """A failure the user can fix: the message names the input and what is wrong."""


class InputError(KGError):
    """An article, gold file or actor file that cannot be read."""


class QueryError(KGError):
    """A SPARQL query that does not parse or cannot run."""


class QueryRefused(QueryError):
    """A SPARQL request this tool will not run: an update, or `SERVICE` without federation allowed."""
