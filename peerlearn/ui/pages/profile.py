"""Profile editor: name, bio, time zone, skills with levels, interests and goals."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.layout import card, error_callout, page
from peerlearn.ui.pages.login import labelled
from peerlearn.ui.states.profile import SKILL_LEVELS, ProfileState
from peerlearn.ui.timezones import COMMON_TIMEZONES
from peerlearn.ui.views import SkillChip


def _skill_chip(skill: rx.Var[SkillChip]) -> rx.Component:
    return rx.badge(
        skill.name,
        " · ",
        skill.level,
        rx.icon(
            "x", size=12, cursor="pointer", on_click=ProfileState.remove_skill(skill.name), aria_label="Remove skill"
        ),
        size="2",
        variant="surface",
        class_name="skill-chip",
    )


def _skills_editor() -> rx.Component:
    return rx.vstack(
        rx.text("Skills", size="2", weight="medium"),
        rx.flex(rx.foreach(ProfileState.skills, _skill_chip), wrap="wrap", gap="2", id="skill-list"),
        rx.hstack(
            rx.input(
                placeholder="Add a skill, e.g. Python",
                value=ProfileState.new_skill,
                on_change=ProfileState.set_new_skill,
                id="new-skill",
            ),
            rx.select(SKILL_LEVELS, value=ProfileState.new_skill_level, on_change=ProfileState.set_new_skill_level),
            rx.button("Add", type="button", variant="soft", on_click=ProfileState.add_skill, id="add-skill"),
            wrap="wrap",
        ),
        spacing="2",
        width="100%",
    )


def _profile_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            labelled(
                "Full name",
                rx.input(name="full_name", default_value=ProfileState.full_name, width="100%", id="profile-name"),
            ),
            rx.cond(
                ProfileState.is_mentor,
                labelled("Headline", rx.input(name="headline", default_value=ProfileState.headline, width="100%")),
            ),
            labelled(
                "About you",
                rx.text_area(name="bio", default_value=ProfileState.bio, width="100%", rows="3", id="profile-bio"),
            ),
            labelled(
                "Time zone",
                rx.select(
                    COMMON_TIMEZONES, name="timezone", default_value=ProfileState.timezone, id="profile-timezone"
                ),
            ),
            _skills_editor(),
            labelled(
                "Interests (comma separated)",
                rx.input(name="interests", default_value=ProfileState.interests, width="100%", id="profile-interests"),
            ),
            labelled(
                "Learning goals",
                rx.text_area(
                    name="learning_goals",
                    default_value=ProfileState.learning_goals,
                    width="100%",
                    rows="2",
                    id="profile-goals",
                ),
            ),
            rx.grid(
                labelled(
                    "Career objective",
                    rx.input(name="career_objective", default_value=ProfileState.career_objective, width="100%"),
                ),
                labelled("Domain", rx.input(name="domain", default_value=ProfileState.domain, width="100%")),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            rx.hstack(
                rx.button("Save profile", type="submit", size="3", id="profile-save"),
                rx.text(ProfileState.saved_message, color_scheme="green", id="profile-saved"),
                align="center",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=ProfileState.submit_profile,
        reset_on_submit=False,
    )


def _password_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Change password", size="4"),
            labelled("Current password", rx.input(name="current_password", type="password", width="100%")),
            labelled("New password", rx.input(name="new_password", type="password", min_length=10, width="100%")),
            rx.button("Change password", type="submit", variant="outline"),
            spacing="3",
            width="100%",
        ),
        on_submit=ProfileState.submit_password,
    )


@page(routes.PROFILE, "Your profile", on_load=ProfileState.load_profile)
def profile_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Your profile", size="7"),
        rx.text("What you know and what you want to learn shapes the sessions we recommend.", color_scheme="gray"),
        error_callout(ProfileState.form_error),
        rx.cond(
            ProfileState.loaded, card(_profile_form()), rx.center(rx.spinner(size="3"), padding="3em", width="100%")
        ),
        card(_password_form(), max_width="480px"),
        spacing="4",
        width="100%",
    )
