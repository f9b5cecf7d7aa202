"""PeerLearn recommender core: pure code over ids and arrays (no database, web
framework or UI imports), so it can be trained and benchmarked offline.

Public API (what an integration layer calls):

- ``peerlearn.recommender.data``: ``Item``, ``Interaction``, ``UserProfile`` (inputs);
  ``Recommendation``, ``MentorRecommendation``, ``TrendingItem``, ``TrendingTag`` (outputs).
- ``peerlearn.recommender.engine.Recommender(config=None)``:
  ``fit(items, interactions, profiles=(), now=None)``, ``recommend(user_id, now=None,
  limit=10, exclude=())``, ``partial_update(interaction)``, ``upsert_items(items)``,
  ``set_profiles(profiles)``, ``recommend_mentors(user_id, now=None, limit=10)``,
  ``trending(now=None, limit=10, tag=None)``, ``trending_tags(limit=10)``,
  ``recommend_batch(user_ids, now, limit, candidate_items=None)`` (offline use).
- ``peerlearn.recommender.config.RecommenderConfig``: every tunable, with defaults.
- ``peerlearn.recommender.experiments``: A/B assignment and test arithmetic.
- ``python -m peerlearn.recommender.evaluate``: offline evaluation on generic CSVs.
"""
