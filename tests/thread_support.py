"""Run a function in a thread of its own, for the tests of per-thread
connections (db_threads, conn_recovery, multidb_core, multiple_database).

A thread's connections close as the thread ends, which matters on
PostgreSQL: it refuses to drop a test database that still has sessions.
"""
import threading

# Long enough for a slow CI machine; a thread still running after it is a
# hang, reported as a failure rather than waited for.
JOIN_TIMEOUT = 60


def run_in_thread(func):
    """Run func in a new thread and wait for it to end; return its result or
    raise its exception in the calling thread."""
    outcome = {}

    def target():
        try:
            outcome["result"] = func()
        except BaseException as exc:  # re-raised in the calling thread
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(JOIN_TIMEOUT)
    if thread.is_alive():
        raise AssertionError("the thread did not finish within %d seconds" % JOIN_TIMEOUT)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
