"""Benchmarks: `python -m bench` runs them all, `python -m bench NAME` one.

Each module bench/<name>.py has `main() -> None` that prints `name: value unit` lines.
"""
