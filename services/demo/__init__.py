"""Demo nights from the seeds: 源味集《农场主来了》 and 亲亲宝贝《安心之选》 (a command-line layer:
it drives every capability through its public API).

- nights  the scripted nights as data (beats second by second; no database);
- writer  replays a night through the services with its own timestamps (`NightWriter`, shared
          with services.simulate, which replays the same beats in real time).
"""
from services.demo.writer import (
    BATCH_S,
    NightWriter,
    chain_line,
    create_deals,
    create_show,
    demo_wanted,
    ensure_demo,
    load_demo_night,
    load_night,
    load_past_night,
    night_start,
)

__all__ = [
    "BATCH_S", "NightWriter", "chain_line", "create_deals", "create_show", "demo_wanted", "ensure_demo",
    "load_demo_night", "load_night", "load_past_night", "night_start",
]
