"""robots.txt for the Fetcher: loaded once per origin and read as RFC 9309 says (an unreachable file disallows).

No network code here: the Fetcher (tasks.fetch) hands over a function that fetches robots.txt for it, so the
request passes the same guards, limits and retries as any other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.robotparser import RobotFileParser

from tasks.transforms.http_rules import FetchError


class RobotsRules:
    """What robots.txt allows, per origin; the file is fetched once however many threads ask."""

    def __init__(
        self,
        user_agent: str,
        fetch_robots: Callable[[str], bytes],
        on_crawl_delay: Callable[[str, float], None],
    ) -> None:
        self.user_agent = user_agent
        self._fetch_robots = fetch_robots  # robots.txt URL -> body; FetchError when it cannot be had
        self._on_crawl_delay = on_crawl_delay  # (host, seconds) when robots.txt asks for a Crawl-delay
        self._lock = threading.Lock()
        self._robots: dict[str, RobotFileParser | str] = {}  # parser, or the reason the host is disallowed
        self._robots_locks: dict[str, threading.Lock] = {}

    def check(self, url: str, target: str, origin: str, host: str, hop: int) -> None:
        """FetchError for `url` when `target` (hop `hop` of its redirect chain) is not to be fetched."""
        robots = self._robots_for(origin, host)
        where = f" (redirect to {target})" if hop else ""
        if isinstance(robots, str):
            raise FetchError(url, robots + where)
        if not robots.can_fetch(self.user_agent, target):
            raise FetchError(url, "disallowed by robots.txt" + where)

    def _robots_for(self, origin: str, host: str) -> RobotFileParser | str:
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:  # one robots.txt request per origin, however many threads ask
            if origin not in self._robots:
                self._robots[origin] = self._load_robots(origin, host)
            return self._robots[origin]

    def _load_robots(self, origin: str, host: str) -> RobotFileParser | str:
        parser = RobotFileParser(origin + "/robots.txt")
        try:
            lines = self._fetch_robots(origin + "/robots.txt").decode("utf-8", errors="replace").splitlines()
        except FetchError as exc:
            if exc.status is None or exc.status == 429 or exc.status >= 500:
                # RFC 9309 2.3.1.4: an unreachable robots.txt (5xx, network error) means complete disallow;
                # 429 counts as unreachable, as Google does.
                return f"robots.txt unreachable ({exc.reason}): host treated as disallowed (RFC 9309)"
            lines = []  # RFC 9309 2.3.1.3: an "unavailable" robots.txt (4xx) allows everything
        parser.parse(lines)
        parser.modified()  # can_fetch() answers False until the parser has a check time
        delay = parser.crawl_delay(self.user_agent)
        if delay:
            self._on_crawl_delay(host, float(delay))
        return parser
