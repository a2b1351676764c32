-- grain: one row per chat per local day per content type (chat_id, day, content_type) with
-- at least one human message.
-- reads: stg_messages.
-- Human messages only (not from a bot, not a channel post), each counted once on its local
-- send day whatever its edits; content_type as in the curated table (text, photo, ...).
with

human_messages as (
    select
        chat_id,
        day,
        content_type
    from stg_messages
    where is_human
)

select
    chat_id,
    day,
    content_type,
    count(*) as messages
from human_messages
group by chat_id, day, content_type
