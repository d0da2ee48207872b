"""One module per implementation; each defines ``Implementation``.

``Implementation(db, workdir)`` builds the schema with the implementation's
own tools; its methods ``w1`` .. ``w8`` and ``w10`` are the timed bodies
and return what they observed (row counts, sums) for the child to verify;
``before_workload``/``after_workload`` (untimed) open and close sessions.
"""
