"""Learning-path rules: the level order and what counts as a journey's step."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from peerlearn.models.enums import BookingStatus, SkillLevel

LEVELS: tuple[SkillLevel, ...] = tuple(SkillLevel)  # beginner < intermediate < advanced < expert


def level_rank(level: SkillLevel | str) -> int:
    return LEVELS.index(SkillLevel(level))


def level_at(rank: int) -> SkillLevel:
    return LEVELS[max(0, min(rank, len(LEVELS) - 1))]


# A step is done by a completed booking; it is booked by one that holds a seat in an upcoming session.
DONE_STATUSES = frozenset({BookingStatus.COMPLETED})


# ---------------------------------------------------------------- goals: typed text -> the catalog's skills

_WORD = re.compile(r"[a-z0-9+#]+")
_FILLER = frozenset(
    "a an and at be become becoming better for from get good how i in into learn learning level me my of on "
    "skill skills the to want with".split()
)
_LEVEL_WORDS = {"beginner": 0, "basic": 0, "intermediate": 1, "advanced": 2, "expert": 3, "fluent": 2}
GOAL_SKILLS_MAX = 3  # a goal matched only partly (by a word or a category) keeps its few most taken skills


@dataclass(frozen=True)
class VocabularySkill:
    name: str
    category: str = ""


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _FILLER]


def _same_word(a: str, b: str) -> bool:
    """Equal, or the same stem ('analyst' ~ 'analysis', 'conversational' ~ 'conversation')."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter < 5:
        return False
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), shorter)
    return common >= 5 and common >= 0.7 * shorter


def _share(words: list[str], of: list[str]) -> float:
    """How much of ``of``'s words the goal's words cover."""
    return sum(any(_same_word(w, o) for w in words) for o in of) / len(of) if of else 0.0


def goal_level(text: str) -> int:
    """The level the goal asks for ('advanced SQL' -> advanced), beginner (any level) when it names none."""
    ranks = [_LEVEL_WORDS[w] for w in _WORD.findall(text.lower()) if w in _LEVEL_WORDS]
    return max(ranks) if ranks else 0


def match_goal(text: str, vocabulary: Sequence[VocabularySkill], taken: Mapping[str, int]) -> list[str]:
    """The catalog's skills a goal names. Skills the text names in full win ('Conversational Japanese' ->
    Japanese); otherwise skills sharing a word with it, then skills of a category sharing one ('Data analyst' ->
    Data Visualization, then Data Science's most taken), at most ``GOAL_SKILLS_MAX``, most taken first."""
    words = [w for w in _words(text) if w not in _LEVEL_WORDS]
    if not words:
        return []
    scored = [(skill, _share(words, _words(skill.name))) for skill in vocabulary]
    full = [skill.name for skill, share in scored if share >= 1.0]
    if full:
        return sorted(full, key=lambda name: (-taken.get(name, 0), name))
    partial = [(skill, share) for skill, share in scored if share > 0]
    by_category = [
        (skill, _share(words, _words(skill.category)) / 2)
        for skill in vocabulary
        if skill.category and _share(words, _words(skill.category)) > 0
    ]
    best: dict[str, float] = {}
    for skill, share in partial + by_category:
        best[skill.name] = max(best.get(skill.name, 0.0), share)
    ranked = sorted(best, key=lambda name: (-best[name], -taken.get(name, 0), name))
    return ranked[:GOAL_SKILLS_MAX]
