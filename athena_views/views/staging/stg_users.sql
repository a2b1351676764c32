-- grain: one row per user (user_id) who sent at least one message that is not a channel post.
-- reads: stg_messages.
-- The latest name of each user (Telegram names change): taken from the message with the
-- greatest update_id, i.e. the most recent update Telegram sent about that user.
with

senders as (
    select
        user_id,
        update_id,
        display_name,
        user_username
    from stg_messages
    where user_id is not null and not is_channel_post
)

select
    user_id,
    max_by(display_name, update_id) as display_name,
    max_by(user_username, update_id) as user_username
from senders
group by user_id
