"""Extract facts (byline, mentions, roles, metrics, quotes, events, dates) from normalized Chinese news text."""

from __future__ import annotations

from ..models import Facts, Mention, Role
from .byline import extract_byline
from .dates import extract_dates, find_context_year
from .events import extract_events
from .gazetteer import find_places
from .metrics import extract_metrics
from .organizations import find_organizations, resolve_bare_level
from .quotes import extract_quotes
from .roles import extract_roles

__all__ = ["extract_facts"]


def _person_mentions(text: str, names: set[str]) -> list[Mention]:
    found = []
    for name in names:
        i = text.find(name)
        while i != -1:
            found.append(Mention("person", name, name, i, i + len(name)))
            i = text.find(name, i + len(name))
    return found


def extract_facts(text: str, published_at: str | None = None) -> Facts:
    """All facts of one article; every fact's start/end index `text` (end exclusive)."""
    places = find_places(text)
    orgs = tuple(
        Mention(o.kind, resolve_bare_level(o.surface, o.start, places), o.surface, o.start, o.end)
        for o in find_organizations(text, places)
    )
    byline = extract_byline(text)
    roles = list(extract_roles(text, places))
    if byline and byline.reporter:
        for reporter in byline.reporter.split("、"):
            if not any(r.person == reporter and r.title == "记者" for r in roles):
                roles.append(Role(reporter, "记者", byline.agency, byline.start, byline.end))
    people = {r.person for r in roles}
    quotes = extract_quotes(text, people)
    people |= {q.speaker for q in quotes}
    persons = _person_mentions(text, people)
    # A person mention inside an organization name (a 2-char name in 张莉工作室) is dropped.
    persons = [p for p in persons if not any(o.start <= p.start and p.end <= o.end for o in orgs)]
    context_year = find_context_year(text, published_at)
    dates = extract_dates(text, context_year)
    mentions = sorted((*persons, *orgs, *places), key=lambda m: (m.start, -m.end))
    return Facts(
        byline=byline,
        mentions=tuple(mentions),
        roles=tuple(sorted(roles, key=lambda r: r.start)),
        metrics=extract_metrics(text),
        quotes=quotes,
        events=extract_events(text, dates),
        dates=dates,
    )
