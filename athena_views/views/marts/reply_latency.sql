-- grain: one row per chat per local day (chat_id, day) on which at least one human message
-- got a reply from someone else; day is the local send day of the message replied to.
-- reads: stg_messages.
-- Human messages only on both sides (not from a bot, not a channel post). For each
-- message, its first reply by another user (self-replies ignored); replies counts those
-- messages; latency is seconds from the message to that first reply. median and p90 use
-- approx_percentile (Athena: approximate; DuckDB locally: exact, a value of the set).
-- Replies to messages outside the lake are not counted.
with

human_messages as (
    select
        chat_id,
        message_id,
        user_id,
        sent_at,
        day,
        reply_to_message_id
    from stg_messages
    where is_human
),

first_replies as (
    select
        originals.chat_id,
        originals.message_id,
        originals.day,
        originals.sent_at,
        min(replies.sent_at) as first_reply_at
    from human_messages as originals
    inner join human_messages as replies
        on
            originals.chat_id = replies.chat_id
            and originals.message_id = replies.reply_to_message_id
    where replies.user_id is distinct from originals.user_id
    group by originals.chat_id, originals.message_id, originals.day, originals.sent_at
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
