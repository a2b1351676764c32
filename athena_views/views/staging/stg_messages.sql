-- grain: one row per message (message_chat_id, message_id), its latest version.
-- reads: messages (curated table), stg_chat_ids.
-- The base of every message view: the curated columns, with chat_id the chat's canonical
-- id (the end of its migration chain: a migrated group's history joins its supergroup's)
-- and message_chat_id the id the message was sent under (with message_id, the message's
-- key; replies and reactions point at it). Adds the send time in the configured timezone
-- (sent_at_local, day, hour, weekday, week_start) and the flags the marts count with:
-- - is_activity: a message of a person or an anonymous admin (sender_type user,
--   anonymous_admin), or any post of a channel (chat_type channel). Bots, system messages,
--   automatic forwards and posts made as a channel inside groups are not activity.
-- - is_person: sent by a person (sender_type user); is_bot: by a bot.
-- - is_group_channel_post: posted as a channel, or copied from a linked channel, inside a
--   chat that is not a channel (sender_type channel or auto_forward).
-- - sender_id: who spoke: the sender chat when there is one (anonymous admins, channels),
--   else from.id.
-- dt (UTC send date, the partition) is passed through untouched, so `where dt between ...`
-- on this view prunes partitions. A local day spans two UTC dates: to read local days
-- d1..d2, filter `dt between d1 - 1 day and d2 + 1 day and day between d1 and d2`.
with

source as (
    select * from messages
),

canonical as (
    select
        source.*,
        coalesce(stg_chat_ids.canonical_chat_id, source.chat_id) as canonical_chat_id
    from source
    left join stg_chat_ids on source.chat_id = stg_chat_ids.chat_id
),

localized as (
    select
        *,
        -- sent_at is UTC without a zone: attach UTC, then convert to the local wall clock.
        cast(
            with_timezone(sent_at, 'UTC') at time zone '{{ timezone }}' as timestamp
        ) as sent_at_local
    from canonical
)

select
    canonical_chat_id as chat_id,
    chat_id as message_chat_id,
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
    sender_type,
    is_automatic_forward,
    content_type,
    text,
    text_length,
    word_count,
    reply_to_message_id,
    reply_to_user_id,
    is_forwarded,
    forward_origin_type,
    is_channel_post,
    source,
    media_group_id,
    dt,
    sent_at_local,
    cast(sent_at_local as date) as day,
    hour(sent_at_local) as hour,
    -- ISO weekday: 1 = Monday .. 7 = Sunday.
    day_of_week(sent_at_local) as weekday,
    -- date_trunc returns a timestamp on some engines: the cast keeps a date everywhere.
    cast(date_trunc('week', sent_at_local) as date) as week_start,
    coalesce(sender_type in ('user', 'anonymous_admin'), false)
    or coalesce(chat_type = 'channel', false) as is_activity,
    coalesce(sender_type = 'user', false) as is_person,
    coalesce(sender_type = 'bot', false) as is_bot,
    coalesce(sender_type in ('channel', 'auto_forward') and chat_type <> 'channel', false)
        as is_group_channel_post,
    coalesce(sender_chat_id, user_id) as sender_id,
    coalesce(
        nullif(trim(concat_ws(' ', user_first_name, user_last_name)), ''),
        user_username,
        -- no name stored (pseudonymous mode): a short, stable pseudonym
        'person-' || lpad(lower(to_base(user_id % 16777216, 16)), 6, '0')
    ) as display_name,
    content_type in (
        'photo', 'video', 'animation', 'audio', 'voice', 'video_note', 'document', 'sticker'
    ) as is_media,
    -- edit_count, not edited_at: moving a live location sets edited_at without an edit.
    coalesce(edit_count, 0) > 0 as is_edited,
    reply_to_message_id is not null as is_reply,
    -- text_length, not text: with --text_policy drop no text is stored but lengths are
    coalesce(text_length, 0) > 0 as has_text
from localized
