"""Premium mentor subscriptions: plans, the subscription state machine, billing events and their figures."""
