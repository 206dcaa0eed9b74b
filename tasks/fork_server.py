"""The transform workers' fork server: its context, and a way to start it before the stages are imported here.

Kept apart from tasks/parallel.py (which imports the stages) so a command can start the server first: the server's
preload (~1.5 s: imports, tables, model) then runs on the other core while this process imports the stages.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing import forkserver
from multiprocessing.context import ForkServerContext

# Imported by the workers' fork server before it forks any worker.
WARM_MODULE = "tasks.warm_worker"


def fork_server_context() -> ForkServerContext:
    """The fork-server context the workers start from, with what the server preloads."""
    # A fork server, not fork: the parent runs Prefect's threads and event loop, which must not be copied
    # mid-flight. The server is a fresh process that imports the stages and builds their dictionaries, automaton
    # and model once (tasks/warm_worker.py); each worker is forked from it ready to work, instead of paying
    # ~0.7 s of CPU to import and build them itself as a spawned worker did.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", WARM_MODULE])  # what a spawned worker imported, once
    return context


def start_fork_server() -> None:
    """Start the server now without waiting for its preload: the first worker is forked once it is done."""
    fork_server_context()
    forkserver.ensure_running()
