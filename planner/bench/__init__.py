"""Benchmarks: the planner against the physical floor of the same work, as ratios.

Run with `python -m planner.bench`. Every figure is the median of several runs,
each in a fresh process, with the floor measured in the same run, because the
machines it runs on are shared and noisy. Not part of the test suite.
"""
