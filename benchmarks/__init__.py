"""Benchmarks: throughput, memory and render-time figures quoted in the README."""
