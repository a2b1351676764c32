"""What happens in the sample, one module per chat kind or feature.

Two kinds of entry points, wired in `samples.simulation`:
- streams, called for every message the hourly rhythm asks for: `group_chat.group_message`,
  `channel.channel_post`, `private.private_message`;
- planners, run once before the clock starts to schedule one-off or counted events:
  `membership.plan` (joins from every source, leaves), `forum.plan`, `rename.plan`,
  `pins.plan`, `migration.plan` (a basic group becomes a supergroup), `ownership.plan`,
  `ephemeral.plan` (messages with id 0), `managed_bots.plan`, `suggested_posts.plan` (the
  channel's direct messages), `channel_events.plan` (giveaways, gifts), `rare_content.plan`
  (live photos, checklists, games, invoices).
The other modules (`commands`, `comments`, `edits`, `forwards`, `invites`, `live_location`,
`polls`, `checklists`, `reactions`) are what a message or a plan leads to. Every module
draws from `World.rng`: the order of the calls is part of the output, so a new feature is a
new module appended to the wiring, and it changes the generated files (regenerate the
bundled sample). Nothing here reads or writes files.
"""
