"""Benchmarks: StatefulServicePair against the same objects written by hand (`make bench`)."""
