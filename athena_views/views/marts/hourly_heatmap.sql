-- grain: one row per chat per local weekday per local hour (chat_id, weekday, hour): the
-- full 7 x 24 grid for every chat with at least one activity message (0 where none);
-- chat_id is the canonical chat.
-- reads: stg_messages.
-- Activity messages: people's and anonymous admins' messages and every post of a channel
-- (so a channel has its own posting grid); not bots, system messages, automatic forwards
-- or posts made as a channel inside a group. Each counted once at its local send time
-- whatever its edits. weekday is ISO (1 = Monday .. 7 = Sunday).
with

weekdays as (
    select
        weekday,
        weekday_name
    from (
        values
        (1, 'Monday'), (2, 'Tuesday'), (3, 'Wednesday'), (4, 'Thursday'), (5, 'Friday'),
        (6, 'Saturday'), (7, 'Sunday')
    ) as weekdays (weekday, weekday_name)
),

hours as (
    select hour
    from (
        values
        (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15),
        (16), (17), (18), (19), (20), (21), (22), (23)
    ) as hours (hour)
),

activity_messages as (
    select
        chat_id,
        weekday,
        hour
    from stg_messages
    where is_activity
),

chats as (
    select distinct chat_id
    from activity_messages
),

counts as (
    select
        chat_id,
        weekday,
        hour,
        count(*) as messages
    from activity_messages
    group by chat_id, weekday, hour
)

select
    chats.chat_id,
    weekdays.weekday,
    weekdays.weekday_name,
    hours.hour,
    coalesce(counts.messages, 0) as messages
from chats
cross join weekdays
cross join hours
left join counts
    on
        chats.chat_id = counts.chat_id
        and weekdays.weekday = counts.weekday
        and hours.hour = counts.hour
