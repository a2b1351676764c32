"""What happens in the sample, one module per chat kind or feature.

Two kinds of entry points, wired in `samples.simulation`:
- streams, called for every message the hourly rhythm asks for: `group_chat.group_message`,
  `channel.channel_post`, `private.private_message`;
- planners, run once before the clock starts to schedule one-off events:
  `membership.plan`, `forum.plan`, `rename.plan`, `pins.plan`.
The other modules (`commands`, `edits`, `forwards`, `live_location`, `reactions`) are what a
message leads to. Every module draws from `World.rng`: the order of the calls is part of
the output, so a new feature is a new module appended to the wiring, and it changes the
generated files (regenerate the bundled sample). Nothing here reads or writes files.
"""
