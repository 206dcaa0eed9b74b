"""Shared by the search benchmarks: the gold pages as articles, judged queries, an in-memory BM25 per tokenizer."""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.transforms.models import Article, RawDocument  # noqa: E402
from tasks.transforms.pipeline import process_documents  # noqa: E402
from tasks.transforms.rows import article_key  # noqa: E402
from tasks.transforms.search_tokens import parse_query, tokenize  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO.parent / "shared" / "data" / "news_html_gold"
JUDGEMENTS = REPO / "tests" / "fixtures" / "search" / "judgements.json"
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0-9]")


def gold_articles() -> list[Article]:
    """The news_html_gold pages through the pipeline (one article per distinct URL or file)."""
    docs = []
    for line in (GOLD / "gold_unified.jsonl").read_text(encoding="utf-8").splitlines():
        path = GOLD / json.loads(line)["html"]
        docs.append(RawDocument(str(path), path.read_bytes(), "html"))
    articles, _ = process_documents(docs)
    return list({article_key(a.url, a.source_uri): a for a in articles}.values())


def jieba_tokenize(text: str) -> list[str]:
    """jieba's precise-mode words that hold a Han character, letter or digit, lower-cased."""
    import jieba

    return [w for w in (t.lower() for t in jieba.lcut(text)) if _WORD.search(w)]


TOKENIZERS: dict[str, Callable[[str], list[str]]] = {"bigram": tokenize, "jieba": jieba_tokenize}


class MemoryIndex:
    """BM25 (k1 1.2, b 0.75), query terms required, phrases checked on the text: the SQL macro's rule, in memory."""

    def __init__(self, bodies: dict[str, str], tokenizer: Callable[[str], list[str]]) -> None:
        self.bodies, self.tokenizer = bodies, tokenizer
        self.tf = {aid: Counter(tokenizer(body)) for aid, body in bodies.items()}
        self.length = {aid: sum(c.values()) for aid, c in self.tf.items()}
        self.df = Counter(t for c in self.tf.values() for t in c)
        self.avg = sum(self.length.values()) / len(self.length)

    def search(self, query: str, k: int = 10, missing_share: float = 0.0) -> list[str]:
        """Ids of the best k articles holding the query's phrases and all its terms but `missing_share` of them."""
        parsed = parse_query(query)
        terms = list(dict.fromkeys(self.tokenizer(parsed.text.replace('"', " "))))
        n = len(self.tf)
        scores = {}
        for aid, counts in self.tf.items():
            if not terms or sum(t not in counts for t in terms) > int(len(terms) * missing_share):
                continue
            if any(p.lower() not in self.bodies[aid].lower() for p in parsed.phrases):
                continue
            norm = 1.2 * (0.25 + 0.75 * self.length[aid] / self.avg)
            scores[aid] = sum(
                math.log(1 + (n - self.df[t] + 0.5) / (self.df[t] + 0.5))
                * counts[t]
                * 2.2
                / (counts[t] + norm)
                for t in terms
                if t in counts
            )
        return sorted(scores, key=lambda a: (-scores[a], a))[:k]
