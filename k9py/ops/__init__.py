"""What k9py's actions do to the cluster, as plain functions over the client.

They run on worker threads, never on the UI thread, and raise the client's
``StatusError`` (or ``ValueError`` for bad input) for the UI to show; the
request shapes follow kubectl's (see the kubectl protocol notes, §7).
"""
