-- grain: one row per chat (chat_id, canonical) with at least one message.
-- reads: stg_messages.
-- The chat's latest known title and type, from its most recent message version: the
-- greatest update_id among the updates Telegram delivered (they grow with time); imported
-- history (source desktop_export, whose synthetic update ids say nothing of time) only
-- when no delivered update is left, then the latest by send time. After a migration the
-- supergroup's title and type win over the old group's. Private chats have no title.
with

versions as (
    select
        chat_id,
        chat_title,
        chat_type,
        row_number() over (
            partition by chat_id
            order by
                coalesce(source, 'webhook') = 'webhook' desc,
                case when coalesce(source, 'webhook') = 'webhook' then update_id end desc,
                sent_at desc,
                update_id desc
        ) as recency
    from stg_messages
)

select
    chat_id,
    chat_title,
    chat_type
from versions
where recency = 1
