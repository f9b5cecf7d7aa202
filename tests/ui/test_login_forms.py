"""What the log-in and sign-up pages say after the form routes sent a person back, and where `next=` may lead."""

from __future__ import annotations

import pytest

from peerlearn.links import local_path
from peerlearn.login_cookie import token_from_cookie_header
from peerlearn.ui.states.auth_forms import UNKNOWN_ERROR, form_error_message


@pytest.mark.parametrize(
    "query, shown",
    [
        ({}, ""),
        ({"error": "invalid_credentials"}, "Email or password is incorrect."),
        ({"error": "too_many_attempts", "wait": "840"}, "Try again in about 14 minutes"),
        ({"error": "too_many_attempts", "wait": "5"}, "Try again in about 1 minute,"),
        ({"error": "too_many_attempts", "wait": "soon"}, "Try again later"),
        ({"error": "weak_password"}, "too easy to guess"),
        ({"error": "email_taken"}, "already exists"),
        ({"error": "validation_error", "field": "email"}, "valid email address"),
        ({"error": "temporarily_unavailable"}, "try again in a moment"),
    ],
)
def test_each_code_becomes_a_sentence(query, shown):
    assert shown in form_error_message(query)


def test_a_crafted_link_cannot_put_its_own_words_on_the_page():
    crafted = {"error": "Your account is suspended, call +1 555 0100", "field": "Call us", "wait": "<b>now</b>"}
    assert form_error_message(crafted) == UNKNOWN_ERROR
    assert form_error_message({"error": "validation_error", "field": "Call +1 555 0100"}) == UNKNOWN_ERROR


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/sessions?q=python", "/sessions?q=python"),
        ("/teach/sessions/4", "/teach/sessions/4"),
        ("", "/dashboard"),
        ("//evil.example", "/dashboard"),
        ("/\\evil.example", "/dashboard"),
        ("https://evil.example/", "/dashboard"),
        ("javascript:alert(1)", "/dashboard"),
        ("/ok\r\nSet-Cookie: x=1", "/dashboard"),
    ],
)
def test_next_is_only_ever_a_path_on_this_site(target, expected):
    assert local_path(target, "/dashboard") == expected


@pytest.mark.parametrize(
    "header, token",
    [
        ("peerlearn_token=abc-DEF_123", "abc-DEF_123"),
        ("theme=dark; peerlearn_token=abc; other=1", "abc"),
        ('peerlearn_token="abc"', "abc"),
        ("not_peerlearn_token=abc; xpeerlearn_token=def", ""),
        ("", ""),
        (None, ""),
        ("garbage;;=;peerlearn_token", ""),
    ],
)
def test_the_token_is_read_from_the_cookie_header(header, token):
    assert token_from_cookie_header(header) == token
