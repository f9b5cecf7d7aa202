"""Skills and categories: look-ups and creation by name."""

from __future__ import annotations

from sqlmodel import Session, select

from peerlearn.models import Category, Skill
from peerlearn.platform.errors import ValidationError
from peerlearn.platform.text import slugify


def get_or_create_category(name: str, *, db: Session) -> Category:
    slug = slugify(name)
    category = db.exec(select(Category).where(Category.slug == slug)).first()
    if category is None:
        category = Category(name=name.strip(), slug=slug)
        db.add(category)
        db.flush()
    return category


def get_or_create_skill(name: str, *, db: Session, category_id: int | None = None) -> Skill:
    clean = " ".join(name.split())
    if not clean or len(clean) > 80:
        raise ValidationError("A skill name must be 1 to 80 characters.")
    slug = slugify(clean)
    if not slug:
        raise ValidationError(f"'{clean}' is not a usable skill name.")
    skill = db.exec(select(Skill).where(Skill.slug == slug)).first()
    if skill is None:
        skill = Skill(name=clean, slug=slug, category_id=category_id)
        db.add(skill)
        db.flush()
    return skill


def list_skills(*, db: Session) -> list[Skill]:
    return list(db.exec(select(Skill).order_by(Skill.name)))


def list_categories(*, db: Session) -> list[Category]:
    return list(db.exec(select(Category).order_by(Category.name)))
