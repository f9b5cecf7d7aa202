"""Pure formatting: domain read models in, typed view models (`peerlearn/ui/views.py`) out.

No database, no Reflex state, no clock unless it is passed in: a state reads through the domain off the event
loop and hands what it read to these functions, so the text a page shows is unit-tested without a browser.
"""
