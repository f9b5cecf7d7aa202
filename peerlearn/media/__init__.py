"""Live media: signed room tokens (here) and, in time, the aiortc media server."""
