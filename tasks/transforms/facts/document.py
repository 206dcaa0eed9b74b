"""One document with its annotation layers (after spaCy's Doc): text, sentences, byline, entities, relations.

Each layer is a tuple of spans indexing `text` (end exclusive), added in order by a small function that reads the
text and the earlier layers and returns a new Document (the object is frozen). The entity layer is the one place
that decides what is a person, place or organization; the relations consume it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, fields
from functools import cached_property

from ..models import Alias, Byline, DateMention, Event, Facts, Mention, Metric, PlaceCode, Quote, Role
from ._text import SENTENCE_END_RE
from .byline import extract_byline
from .tagger import Tagger


@dataclass(frozen=True)
class Sentence:
    """A sentence: text[start:end], its terminator included."""

    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """Text plus layers; build it with build_document (or the add_* functions in order)."""

    text: str
    published_at: str | None = None
    sentences: tuple[Sentence, ...] = ()
    byline: Byline | None = None
    tagged: tuple[Mention, ...] | None = None  # the tagger's spans, when a batch was tagged in one call
    places: tuple[Mention, ...] = ()  # gazetteer places (they name the bare 市 of 市人民政府)
    entities: tuple[Mention, ...] = ()  # flat, sorted by start, no overlaps
    place_codes: tuple[PlaceCode, ...] = ()  # codes of the location entities' places and of their ancestors
    aliases: tuple[Alias, ...] = ()  # other names of entities (short forms, official names)
    dates: tuple[DateMention, ...] = ()
    roles: tuple[Role, ...] = ()
    quotes: tuple[Quote, ...] = ()
    metrics: tuple[Metric, ...] = ()
    events: tuple[Event, ...] = ()

    def with_layers(self, **layers: object) -> Document:
        """A copy with these layers set: dataclasses.replace without re-running __init__ (6 per document took ~4% of
        `parse` on short sentences). The cached properties are not copied: they describe the old layers."""
        if not _LAYER_FIELDS.issuperset(layers):
            raise TypeError(f"Document has no layer {sorted(layers.keys() - _LAYER_FIELDS)}")
        doc = object.__new__(Document)
        state = doc.__dict__
        state.update(self.__dict__)  # one C-level copy; a cached property, when one was computed, is dropped
        if len(state) > len(_LAYER_FIELDS):
            for name in state.keys() - _LAYER_FIELDS:
                del state[name]
        state.update(layers)
        return doc

    @cached_property
    def entity_at(self) -> dict[int, Mention]:
        """Entity starting at each position."""
        return {m.start: m for m in self.entities}

    @cached_property
    def entity_ending_at(self) -> dict[int, Mention]:
        """Entity ending at each position."""
        return {m.end: m for m in self.entities}

    @cached_property
    def _entity_starts(self) -> list[int]:
        return [m.start for m in self.entities]

    def entities_in(self, start: int, end: int) -> tuple[Mention, ...]:
        """Entities lying inside text[start:end] (binary search: the layer is sorted and flat)."""
        i = bisect.bisect_left(self._entity_starts, start)
        out = []
        while i < len(self.entities) and self.entities[i].start < end:
            if self.entities[i].end <= end:
                out.append(self.entities[i])
            i += 1
        return tuple(out)

    def entity_covering(self, pos: int) -> Mention | None:
        """The entity holding character `pos`, if any."""
        i = bisect.bisect_right(self._entity_starts, pos) - 1
        if i >= 0 and self.entities[i].end > pos:
            return self.entities[i]
        return None

    @cached_property
    def people(self) -> frozenset[str]:
        """Names of the person entities."""
        return frozenset(m.name for m in self.entities if m.kind == "person")


_LAYER_FIELDS = frozenset(f.name for f in fields(Document))


def add_sentences(doc: Document) -> Document:
    """Sentences split after 。！？!? and at line ends (one pass)."""
    spans: list[Sentence] = []
    start = 0
    text = doc.text
    for found in SENTENCE_END_RE.finditer(text):  # only the ends are visited, not every char
        i = found.start()
        end = i if found.group() == "\n" else i + 1
        if end > start:
            spans.append(Sentence(start, end))
        start = i + 1
    if start < len(text):
        spans.append(Sentence(start, len(text)))
    return doc.with_layers(sentences=tuple(spans))


def add_byline(doc: Document) -> Document:
    """The byline (agency, bureau, reporter, photographer, editor): page structure, read before the entities."""
    return doc.with_layers(byline=extract_byline(doc.text))


def build_document(
    text: str,
    published_at: str | None = None,
    tagger: Tagger | None = None,
    tagged: tuple[Mention, ...] | None = None,
) -> Document:
    """Every layer of one article, in order (`tagged`: the tagger's spans of `text`, if computed already)."""
    from .aliases import add_aliases  # the layers import Document: resolve the cycle at call time
    from .entity_layer import add_entities
    from .place_codes import add_place_codes
    from .relations import add_relations

    doc = Document(text, published_at, tagged=tagged)
    doc = add_sentences(doc)
    doc = add_byline(doc)
    doc = add_entities(doc, tagger)
    doc = add_place_codes(doc)
    doc = add_aliases(doc)
    return add_relations(doc)


def to_facts(doc: Document) -> Facts:
    """The layers the warehouse stores."""
    return Facts(
        byline=doc.byline,
        mentions=doc.entities,
        roles=doc.roles,
        metrics=doc.metrics,
        quotes=doc.quotes,
        events=doc.events,
        dates=doc.dates,
        places=doc.place_codes,
        aliases=doc.aliases,
    )
