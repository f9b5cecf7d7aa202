"""Typed goals land on the catalog's skills: whole skill names first, then a shared word or category."""

from __future__ import annotations

from peerlearn.paths.rules import VocabularySkill, goal_level, match_goal

VOCABULARY = [
    VocabularySkill("Japanese", "Languages"),
    VocabularySkill("English Conversation", "Languages"),
    VocabularySkill("Data Visualization", "Data Science"),
    VocabularySkill("Statistics", "Data Science"),
    VocabularySkill("Pandas", "Data Science"),
    VocabularySkill("SQL", "Programming"),
    VocabularySkill("Product Management", "Business"),
]


def test_a_goal_naming_a_skill_in_full_gets_that_skill_only() -> None:
    assert match_goal("Conversational Japanese", VOCABULARY, {}) == ["Japanese"]
    assert match_goal("Become a product manager", VOCABULARY, {}) == ["Product Management"]


def test_a_role_goal_gets_skills_sharing_a_word_then_its_categorys_most_taken() -> None:
    taken = {"Pandas": 9, "Statistics": 3}

    assert match_goal("Data analyst", VOCABULARY, taken) == ["Data Visualization", "Pandas", "Statistics"]


def test_a_goal_naming_nothing_in_the_catalog_matches_nothing() -> None:
    assert match_goal("Underwater basket weaving", VOCABULARY, {}) == []
    assert match_goal("I want to learn", VOCABULARY, {}) == []


def test_the_goal_level_is_read_from_the_text() -> None:
    assert goal_level("advanced SQL") == 2
    assert goal_level("SQL") == 0
    assert match_goal("advanced SQL", VOCABULARY, {}) == ["SQL"]
