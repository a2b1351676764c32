-- grain: one row per chat per local day per content type (chat_id, day, content_type) with
-- at least one activity message; chat_id is the canonical chat.
-- reads: stg_messages.
-- Activity messages: people's and anonymous admins' messages and every post of a channel;
-- not bots, system messages, automatic forwards or posts made as a channel inside a group.
-- Each counted once on its local send day whatever its edits; content_type as in the
-- curated table (text, photo, ...).
with

activity_messages as (
    select
        chat_id,
        day,
        content_type
    from stg_messages
    where is_activity
)

select
    chat_id,
    day,
    content_type,
    count(*) as messages
from activity_messages
group by chat_id, day, content_type
