"""Sponsored placements ("featured mentors"): prepaid campaigns shown in a labelled slot on Discover."""
