-- grain: one row per message (chat_id, message_id), its latest version.
-- reads: messages (curated table).
-- The base of every message view: the curated columns unchanged, plus the send time in the
-- configured timezone (sent_at_local, day, hour, weekday, week_start) and the flags the
-- marts count with. dt (UTC send date, the partition) is passed through untouched, so
-- `where dt between ...` on this view prunes partitions. A local day spans two UTC dates:
-- to read local days d1..d2, filter `dt between d1 - 1 day and d2 + 1 day and day between
-- d1 and d2`.
with

source as (
    select * from messages
),

localized as (
    select
        *,
        -- sent_at is UTC without a zone: attach UTC, then convert to the local wall clock.
        cast(
            with_timezone(sent_at, 'UTC') at time zone '{{ timezone }}' as timestamp
        ) as sent_at_local
    from source
),

flagged as (
    select
        *,
        cast(sent_at_local as date) as day,
        coalesce(user_is_bot, false) and not is_channel_post as is_bot,
        not coalesce(user_is_bot, false) and not is_channel_post as is_human
    from localized
)

select
    chat_id,
    message_id,
    message_thread_id,
    update_id,
    sent_at,
    edited_at,
    edit_count,
    chat_type,
    chat_title,
    user_id,
    user_is_bot,
    user_first_name,
    user_last_name,
    user_username,
    user_language_code,
    sender_chat_id,
    content_type,
    text,
    text_length,
    word_count,
    reply_to_message_id,
    is_forwarded,
    forward_origin_type,
    is_channel_post,
    media_group_id,
    dt,
    sent_at_local,
    day,
    is_human,
    is_bot,
    hour(sent_at_local) as hour,
    -- ISO weekday: 1 = Monday .. 7 = Sunday.
    day_of_week(sent_at_local) as weekday,
    -- date_trunc returns a timestamp on some engines: the cast keeps a date everywhere.
    cast(date_trunc('week', day) as date) as week_start,
    coalesce(
        nullif(trim(concat_ws(' ', user_first_name, user_last_name)), ''),
        user_username,
        cast(user_id as varchar)
    ) as display_name,
    content_type in (
        'photo', 'video', 'animation', 'audio', 'voice', 'video_note', 'document', 'sticker'
    ) as is_media,
    coalesce(edit_count, 0) > 0 or edited_at is not null as is_edited,
    reply_to_message_id is not null as is_reply,
    text is not null as has_text
from flagged
