"""The store service (``twintui serve``) and its client: the one process that opens a shared store, and
the ``RemoteStore`` every screen and command uses instead when ``--server``/``TWINTUI_SERVER`` names its
socket. The protocol is ``protocol`` (and docs/service-protocol.md)."""
