-- grain: one row per chat per local day (chat_id, day) on which at least one activity
-- message got a reply from another sender; day is the local send day of the message
-- replied to; chat_id is the canonical chat.
-- reads: stg_messages.
-- Activity messages on both sides (people, anonymous admins, a channel's own posts; not
-- bots, system messages, automatic forwards or posts made as a channel inside a group).
-- For each message, its first reply by another sender (sender_id: the person, or the
-- sender chat of an anonymous admin or a channel; self-replies ignored); replies counts
-- those messages; latency is seconds from the message to that first reply. median and p90
-- use approx_percentile (Athena: approximate; DuckDB locally: exact, a value of the set).
-- Replies to messages outside the lake are not counted.
with

activity_messages as (
    select
        chat_id,
        message_chat_id,
        message_id,
        sender_id,
        sent_at,
        day,
        reply_to_message_id
    from stg_messages
    where is_activity
),

first_replies as (
    select
        originals.chat_id,
        originals.message_chat_id,
        originals.message_id,
        originals.day,
        originals.sent_at,
        min(replies.sent_at) as first_reply_at
    from activity_messages as originals
    inner join activity_messages as replies
        on
            originals.message_chat_id = replies.message_chat_id
            and originals.message_id = replies.reply_to_message_id
    where replies.sender_id is distinct from originals.sender_id
    group by
        originals.chat_id,
        originals.message_chat_id,
        originals.message_id,
        originals.day,
        originals.sent_at
),

latencies as (
    select
        chat_id,
        day,
        date_diff('second', sent_at, first_reply_at) as latency_seconds
    from first_replies
)

select
    chat_id,
    day,
    count(*) as replies,
    approx_percentile(latency_seconds, 0.5) as median_latency_seconds,
    approx_percentile(latency_seconds, 0.9) as p90_latency_seconds
from latencies
group by chat_id, day
