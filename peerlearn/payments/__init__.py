"""Payment gateway adapters: Stripe, Razorpay and the embedded simulated gateway.

Import from the submodules: ``base`` (protocol, dataclasses, errors),
``registry`` (``PaymentSettings``, ``select_gateway``, ``gateway_by_name``).
"""
