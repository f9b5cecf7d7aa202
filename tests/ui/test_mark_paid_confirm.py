"""Before an admin marks a payout request paid, the dialog says who and how much, and that it cannot be undone."""

from peerlearn.ui.format.insights import mark_paid_statement


def test_the_mark_paid_dialog_names_the_mentor_the_amount_and_that_it_is_final():
    statement = mark_paid_statement("Asha Rao", "$30.00")
    assert statement.startswith("Asha Rao will see $30.00 as paid to them.")
    assert "once the money has been sent" in statement and "cannot be undone" in statement
