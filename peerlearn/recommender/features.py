"""Item features: TF-IDF content vectors and the facet space (tags, categories, mentors).

Facets are what outlives a single session: a tag, a category or a mentor. The
collaborative and popularity scorers work through them so that a brand-new
session inherits what is known about its skills and its mentor.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from peerlearn.recommender.data import Id, Item
from peerlearn.recommender.sparseops import normalize_rows as normalize
from peerlearn.recommender.timeutil import to_seconds

TAG, CATEGORY, MENTOR = "tag", "category", "mentor"


def normalise_tag(tag: object) -> str:
    return " ".join(str(tag).split()).casefold()


class Vocabulary:
    """Key -> column index, remembering the first display form seen."""

    def __init__(self) -> None:
        self.index: dict[tuple[str, str], int] = {}
        self.display: list[str] = []
        self.kind: list[str] = []
        self.values: list[object] = []  # the original value (e.g. a mentor's id as given)

    def add(self, kind: str, value: object) -> int:
        key = (kind, normalise_tag(value) if kind != MENTOR else str(value))
        col = self.index.get(key)
        if col is None:
            col = len(self.display)
            self.index[key] = col
            self.display.append(str(value).strip() if kind != MENTOR else str(value))
            self.kind.append(kind)
            self.values.append(value)
        return col

    def get(self, kind: str, value: object) -> int | None:
        return self.index.get((kind, normalise_tag(value) if kind != MENTOR else str(value)))

    def __len__(self) -> int:
        return len(self.display)


def item_facet_keys(item: Item) -> list[tuple[str, object]]:
    keys: list[tuple[str, object]] = [(TAG, t) for t in item.tags if str(t).strip()]
    if item.category:
        keys.append((CATEGORY, item.category))
    if item.mentor_id is not None:
        keys.append((MENTOR, item.mentor_id))
    return keys


class ContentEncoder:
    """TF-IDF over title+description, plus IDF-weighted tags, as one L2-normalised vector.

    Tags get their own block (weight ``tag_weight``) so a short curated tag list
    is not drowned by free text.
    """

    def __init__(self, text_weight: float = 0.5, tag_weight: float = 1.0) -> None:
        self.text_weight = text_weight
        self.tag_weight = tag_weight
        self.vectorizer: TfidfVectorizer | None = None
        self.tag_index: dict[str, int] = {}
        self.tag_idf = np.zeros(0)

    def fit(self, items: Sequence[Item]) -> ContentEncoder:
        texts = [_text(item) for item in items]
        if any(t.strip() for t in texts):
            self.vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=1, stop_words="english")
            try:
                self.vectorizer.fit(texts)
            except ValueError:  # only stop words
                self.vectorizer = None
        df: dict[str, int] = {}
        for item in items:
            for tag in {normalise_tag(t) for t in item.tags if str(t).strip()}:
                df[tag] = df.get(tag, 0) + 1
        self.tag_index = {tag: i for i, tag in enumerate(sorted(df))}
        n = max(len(items), 1)
        self.tag_idf = np.array([np.log((1 + n) / (1 + df[t])) + 1.0 for t in sorted(df)])
        return self

    @property
    def dim(self) -> int:
        text_dim = len(self.vectorizer.vocabulary_) if self.vectorizer is not None else 0
        return text_dim + len(self.tag_index)

    def tag_block(self, tag_lists: Iterable[Iterable[str]]) -> sp.csr_matrix:
        rows, cols, vals = [], [], []
        count = 0
        for r, tags in enumerate(tag_lists):
            count = r + 1
            for tag in {normalise_tag(t) for t in tags}:
                c = self.tag_index.get(tag)
                if c is not None:
                    rows.append(r)
                    cols.append(c)
                    vals.append(self.tag_idf[c])
        return sp.csr_matrix((vals, (rows, cols)), shape=(count, len(self.tag_index)))

    def transform(self, items: Sequence[Item]) -> sp.csr_matrix:
        tags = normalize(self.tag_block([item.tags for item in items])) * self.tag_weight
        if self.vectorizer is None:
            return normalize(tags.tocsr())
        text = self.vectorizer.transform([_text(item) for item in items]) * self.text_weight
        return normalize(sp.hstack([text, tags]).tocsr())

    def encode_tags(self, tags: Iterable[str]) -> sp.csr_matrix:
        """A profile's declared tags as a (1 x dim) vector in the same space."""
        block = normalize(self.tag_block([list(tags)]))
        text_dim = self.dim - len(self.tag_index)
        return sp.hstack([sp.csr_matrix((1, text_dim)), block]).tocsr()


def _text(item: Item) -> str:
    return f"{item.title or ''} {item.description or ''}"


class ItemFeatures:
    """Aligned per-item arrays. Items can be appended between retrains."""

    def __init__(self, items: Sequence[Item], extra_tags: Iterable[str] = ()) -> None:
        self.encoder = ContentEncoder().fit(items)
        self.vocab = Vocabulary()
        self.items: list[Item] = []
        self.index: dict[Id, int] = {}
        self.content = sp.csr_matrix((0, self.encoder.dim))
        self.facets = sp.csr_matrix((0, 0))
        self.tag_sets: list[frozenset[int]] = []
        self.mentor_col = np.zeros(0, dtype=np.int64)
        self.start = np.zeros(0)
        self.capacity = np.zeros(0)
        self.price = np.zeros(0)
        self.level = np.zeros(0)  # level rank per item, NaN = unknown
        self.language: list[str | None] = []
        self.lang_code = np.zeros(0, dtype=np.int64)  # -1 = no language set
        self.lang_index: dict[str, int] = {}
        self.version = 0  # bumped by add(): lets scorers know their caches are stale
        self.add(items)
        for tag in extra_tags:  # after items, so display names come from the catalogue
            self.vocab.add(TAG, tag)
        f = self.facets
        self.facets = sp.csr_matrix((f.data, f.indices, f.indptr), shape=(f.shape[0], len(self.vocab)))

    def __len__(self) -> int:
        return len(self.items)

    @property
    def n_facets(self) -> int:
        return len(self.vocab)

    def add(self, items: Sequence[Item]) -> None:
        """Append new items, or refresh existing ones in place (same id)."""
        self.version += 1
        fresh: list[Item] = []
        for item in items:
            if item.item_id in self.index:
                self._refresh(self.index[item.item_id], item)
            else:
                self.index[item.item_id] = len(self.items) + len(fresh)
                fresh.append(item)
        if not fresh:
            return
        rows, cols = [], []
        tag_sets, mentors = [], []
        for r, item in enumerate(fresh):
            tag_cols, mentor = set(), -1
            for kind, value in item_facet_keys(item):
                c = self.vocab.add(kind, value)
                rows.append(r)
                cols.append(c)
                if kind == TAG:
                    tag_cols.add(c)
                elif kind == MENTOR:
                    mentor = c
            tag_sets.append(frozenset(tag_cols))
            mentors.append(mentor)
        new_facets = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(fresh), len(self.vocab)))
        new_facets.data[:] = 1.0
        old = self.facets
        old = sp.csr_matrix((old.data, old.indices, old.indptr), shape=(old.shape[0], len(self.vocab)))
        self.facets = sp.vstack([old, new_facets]).tocsr()
        self.content = sp.vstack([self.content, self.encoder.transform(fresh)]).tocsr()
        self.items.extend(fresh)
        self.tag_sets.extend(tag_sets)
        self._tag_matrix = None
        self.mentor_col = np.concatenate([self.mentor_col, np.array(mentors, dtype=np.int64)])
        self.start = np.concatenate([self.start, [to_seconds(i.start_at) for i in fresh]])
        self.capacity = np.concatenate([self.capacity, [_num(i.capacity_left) for i in fresh]])
        self.price = np.concatenate([self.price, [_num(i.price_minor, 0.0) for i in fresh]])
        self.level = np.concatenate([self.level, [_num(i.level, np.nan) for i in fresh]])
        self.language.extend(_lang(i.language) for i in fresh)
        self.lang_code = np.concatenate([self.lang_code, [self._lang_code(i.language) for i in fresh]]).astype(np.int64)

    def _refresh(self, idx: int, item: Item) -> None:
        """Mutable fields only (seats, price, time, language, level); tags need a retrain."""
        self.items[idx] = item
        self.start[idx] = to_seconds(item.start_at)
        self.capacity[idx] = _num(item.capacity_left)
        self.price[idx] = _num(item.price_minor, 0.0)
        self.level[idx] = _num(item.level, np.nan)
        self.language[idx] = _lang(item.language)
        self.lang_code[idx] = self._lang_code(item.language)

    def _lang_code(self, value: str | None) -> int:
        lang = _lang(value)
        if lang is None:
            return -1
        return self.lang_index.setdefault(lang, len(self.lang_index))

    def language_code(self, value: str | None) -> int | None:
        """Code of a language, None if no item uses it, -1 for no preference."""
        lang = _lang(value)
        return -1 if lang is None else self.lang_index.get(lang)

    @property
    def tag_matrix(self) -> sp.csr_matrix:
        """Binary (items x facets) with tag columns only (for tag Jaccard)."""
        if getattr(self, "_tag_matrix", None) is None:
            rows = [r for r, tags in enumerate(self.tag_sets) for _ in tags]
            cols = [c for tags in self.tag_sets for c in tags]
            self._tag_matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(self.items), self.n_facets))
        return self._tag_matrix


def _num(value: object, missing: float = float("inf")) -> float:
    """Unknown capacity is unlimited; unknown price counts as free."""
    return missing if value is None else float(value)  # type: ignore[arg-type]


def _lang(value: str | None) -> str | None:
    return value.strip().casefold() if value else None
