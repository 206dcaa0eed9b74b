"""Extract facts (byline, mentions, roles, metrics, quotes, events, dates) from normalized Chinese news text."""

from __future__ import annotations

from ..models import Facts, Mention, Role
from .byline import extract_byline
from .dates import extract_dates, find_context_year
from .entities import find_entities
from .events import extract_events
from .gazetteer import find_places
from .mentions import merge_mentions, person_mentions
from .metrics import extract_metrics
from .organizations import find_organizations, resolve_bare_level
from .quotes import extract_quotes
from .roles import extract_roles

__all__ = ["extract_facts"]


def extract_facts(text: str, published_at: str | None = None) -> Facts:
    """All facts of one article; every fact's start/end index `text` (end exclusive)."""
    places = find_places(text)
    orgs = tuple(
        Mention(o.kind, resolve_bare_level(o.surface, o.start, places), o.surface, o.start, o.end)
        for o in find_organizations(text, places)
    )
    byline = extract_byline(text)
    entities = find_entities(text)
    roles = list(extract_roles(text, places, entities))
    if byline and byline.reporter:
        for reporter in byline.reporter.split("、"):
            if not any(r.person == reporter and r.title == "记者" for r in roles):
                roles.append(Role(reporter, "记者", byline.agency, byline.start, byline.end))
    people = {r.person for r in roles}
    quotes = extract_quotes(text, people)
    people |= {q.speaker for q in quotes}
    # Rule spans (context-confirmed) first; the lexicon NER fills in the rest (see mentions.merge_mentions).
    rule_mentions = (*person_mentions(text, people), *orgs, *places)
    context_year = find_context_year(text, published_at)
    dates = extract_dates(text, context_year)
    mentions = merge_mentions(rule_mentions, entities, places)
    return Facts(
        byline=byline,
        mentions=mentions,
        roles=tuple(sorted(roles, key=lambda r: r.start)),
        metrics=extract_metrics(text, published_at, mentions),
        quotes=quotes,
        events=extract_events(text, dates),
        dates=dates,
    )
